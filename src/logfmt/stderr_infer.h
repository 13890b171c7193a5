/* SPDX-License-Identifier: PostgreSQL */
/*
 * stderr_infer: settle the log_line_prefix of a stderr log whose setting is
 * not known, from a sample of its first lines.  Internal to logfmt/: the
 * stderr parser (stderr.c) calls it from stderr_parser_infer().
 *
 * The rule, stated once:
 *   - the sample lines are the first STDERR_INFER_MAX_LINES lines of the
 *     sample that are neither empty nor continuations (a TAB first); a last
 *     line without its newline counts (it may be cut, its prefix rarely is);
 *   - the candidates are the prefixes seen in the wild (PostgreSQL's
 *     defaults, Debian, pgBadger, RDS, ...), then one prefix built from each
 *     distinct line shape (the text before the severity word, its tokens
 *     recognised: timestamps, an epoch, [pid], a session id, user@db,
 *     key=value pairs), and, for two shapes A and AB (a postmaster line and
 *     a session line), "A%qB";
 *   - every candidate is matched against every sample line; the best
 *     matches the most lines, then fills the most pg_entry fields, then
 *     explains the most bytes, then has the shortest spec;
 *   - it wins only if it matches at least half of the sample lines.
 * Its "%q" supersets among the candidates come with it: a prefix settled on
 * postmaster lines alone lacks the session part the parser meets later.
 */
#ifndef PGTAIL_STDERR_INFER_H
#define PGTAIL_STDERR_INFER_H

#include <stdbool.h>
#include <stddef.h>

#include "logfmt/prefix.h"

/* Sample lines inference looks at, at most. */
#define STDERR_INFER_MAX_LINES 2000

/* What inference settled on. */
struct stderr_guess {
	struct prefix *px;    /* the prefix; owned; NULL when nothing fitted */
	struct prefix **alts; /* its "%q" supersets (spec = px's spec + "%q..."),
				 owned; n_alts of them */
	size_t n_alts;
};

/*
 * Settle the prefix from sample[0..len) (see the rule above).  Returns 0
 * with *g filled, or -1 with *g empty when no candidate matched half of the
 * sample lines (or the sample has none).  The caller releases *g with
 * stderr_guess_release in both cases.
 */
int stderr_infer(const char *sample, size_t len, struct stderr_guess *g);

/* Free what g holds and empty it (g itself is the caller's). */
void stderr_guess_release(struct stderr_guess *g);

/* Make alternative i (< g->n_alts) the prefix, for good: the old prefix
 * and the other alternatives are freed. */
void stderr_guess_take_alt(struct stderr_guess *g, size_t i);

/* Keep the prefix for good: the alternatives are freed (there can be none:
 * a session line was read by the prefix itself). */
void stderr_guess_settle(struct stderr_guess *g);

/*
 * The offset of the severity word in line[0..n): the first "WORD:  " whose
 * WORD starts at a word boundary and is, when english is set, a severity
 * pg_sev_from_word knows (otherwise any run of capitals, digits, '_' and
 * non-ASCII bytes, as in translations); -1 when there is none.  Defined in
 * stderr.c, so that inference finds the severity word where the parser does.
 */
long stderr_find_sev(const char *line, size_t n, bool english);

#endif
