/* SPDX-License-Identifier: PostgreSQL */
/*
 * feed: push bytes of one log file in, get pg_entry records out.
 *
 * The read loop of a file replayed after the fact and the follower of a
 * live log both push the bytes they get; the feed keeps the incomplete
 * tail of the last record, decides the format and the log_line_prefix from
 * the first bytes, counts lines for file:line messages, and accounts for
 * every line or record it could not parse (counted in reader_stats, the
 * first few reported on opts->err, the rest summarised by feed_finish).
 * With opts->interest, the records the format's fast path lets go are
 * counted without being parsed (see reader_opts.interest).
 * A record longer than READER_MAX_RECORD is skipped up to its newline, so
 * memory stays bounded whatever the input.
 */
#ifndef PGTAIL_FEED_H
#define PGTAIL_FEED_H

#include <stdbool.h>
#include <stddef.h>

#include "source/reader.h"

struct feed;

/*
 * name is used in messages (copied).  With eager set, the format is
 * decided as soon as one complete line has arrived (live following);
 * otherwise after the first 64 KB or at the end.  fn receives each
 * ENTRY_MESSAGE.  st (may be shared by several feeds) is updated.
 * Returns NULL, reporting on opts->err, when opts->prefix does not compile.
 */
struct feed *feed_new(const char *name, const struct reader_opts *opts, bool eager,
		      reader_entry_fn fn, void *ctx, struct reader_stats *st);
/* Parse what p[0..n) completes; keep the rest for the next push. */
void feed_push(struct feed *f, const char *p, size_t n);
/* The file ended: parse what is held (a cut record is reported) and print
 * the count of skips that were not reported one by one. */
void feed_finish(struct feed *f);
void feed_free(struct feed *f);

#endif
