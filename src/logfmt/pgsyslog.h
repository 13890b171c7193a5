/* SPDX-License-Identifier: PostgreSQL */
/*
 * pgsyslog: what PostgreSQL's write_syslog() (elog.c) puts into every
 * message it hands to syslog(3), whatever carries it on (a syslog file, the
 * journal): the "[N-k] " mark, and the rules of its chunks.
 *
 * A message (every line ends in '\n', so in practice every one is cut) is
 * sent one line at a time, and a line longer than 900 bytes in pieces cut
 * at a space (the next piece starts with it) or, without one, at 900
 * bytes.  Each piece is one syslog message: "[N-k] piece", N the process's
 * message counter (a static inherited from the postmaster at fork, so two
 * backends both send [5-1]: the key of a chunk is (host, pid, N)), k the
 * piece's number from 1.  syslog_sequence_numbers = off gives "[k] ";
 * syslog_split_messages = off sends the message whole, unmarked or "[N] ".
 * The lines after the first are the message's DETAIL, HINT and STATEMENT
 * lines (each with its own log_line_prefix) and a statement's next lines
 * (led by a TAB); a piece of a cut line has no prefix.
 */
#ifndef PGTAIL_PGSYSLOG_H
#define PGTAIL_PGSYSLOG_H

#include <stdbool.h>
#include <stddef.h>

/* A line longer than this is cut (PG_SYSLOG_LIMIT). */
#define PGSYSLOG_LIMIT 900

struct pgsyslog_mark {
	long long seq;   /* N, or -1 when the mark has one number only ("[k] ") */
	long long chunk; /* k (the one number of "[k] "), 0 when there is no mark */
	size_t len;      /* bytes of the mark and the space after it; 0 without one */
};

/* Read the mark at the start of p[0..n): "[N-k] " or "[k] " (digits only,
 * k from 1).  Returns true with *m filled, else false with *m set to "no
 * mark". */
bool pgsyslog_mark(const char *p, size_t n, struct pgsyslog_mark *m);

/* Could a piece pl bytes long (as PostgreSQL sent it) have been cut from a
 * longer line, so that the next piece continues it?  True from half the
 * limit: a piece is cut at the last space before the limit, which is
 * rarely far back. */
static inline bool pgsyslog_may_continue(size_t pl)
{
	return pl >= PGSYSLOG_LIMIT / 2;
}

#endif
