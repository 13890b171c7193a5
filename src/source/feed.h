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
 * Which records are parsed in full depends on the file's bytes only, not
 * on how they were pushed (except with eager: see parse_held), so a file
 * read in parts (feed_new_range) gives what it gives read whole.
 */
#ifndef PGTAIL_FEED_H
#define PGTAIL_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
/*
 * A feed for a part of a file that starts at a record's start past the
 * file's beginning (source/parallel.h): the format and stderr's prefix are
 * settled from sample[0..sample_len), the file's first bytes (as the feed
 * of the whole file settles them), and messages_before says how many
 * messages the file holds before the part (the first READER_FULL_MESSAGES
 * of a file are parsed in full; a continuation line with no message before
 * it is reported).  Reports carry line numbers counted from the part's
 * start.  Returns NULL as feed_new does.
 */
struct feed *feed_new_range(const char *name, const struct reader_opts *opts, const char *sample,
			    size_t sample_len, uint64_t messages_before, reader_entry_fn fn,
			    void *ctx, struct reader_stats *st);

/* Where a feed's diagnostics go instead of opts->err, when it reads a part
 * of a file for someone who puts the parts' diagnostics in order. */
struct feed_hooks {
	/* A line or record skipped, at line (counted from the first byte
	 * pushed); what is static or lives until the feed's next push. */
	void (*report)(void *ctx, uint64_t line, const char *what);
	/* The format was settled from sample[0..len), the file's first
	 * bytes: the time zone note is the caller's (feed_zone_note). */
	void (*sample)(void *ctx, const char *sample, size_t len);
};
void feed_set_hooks(struct feed *f, const struct feed_hooks *hooks, void *ctx);

/* The skip reports of one file: the first opts->max_reports are printed
 * by file:line, the rest counted; feed_reports_finish prints that count and
 * empties r.  A feed without hooks keeps its own. */
struct feed_reports {
	uint64_t reported, unreported, first_unreported_line;
};
void feed_reports_add(struct feed_reports *r, const struct reader_opts *opts, const char *name,
		      uint64_t line, const char *what);
void feed_reports_finish(struct feed_reports *r, const struct reader_opts *opts, const char *name);

/* The note that the time zone of the first timestamp in the file's first
 * bytes p[0..n) is ambiguous or unknown, once per st (st->zone_notes). */
void feed_zone_note(const char *name, const char *p, size_t n, struct reader_stats *st,
		    struct out *err);

/* Can the rest of the file be read in parts by feeds of their own
 * (logfmt_stable)?  False before the format is settled. */
bool feed_splittable(const struct feed *f);

/* The log_line_prefix f reads with (logfmt_prefix); NULL before the
 * format is settled.  Valid while f is. */
const char *feed_prefix(const struct feed *f);

/* Does a message start p[0..n) (which may end mid-record), as f's parser
 * reads it?  False before the format is settled. */
bool feed_message_at(struct feed *f, const char *p, size_t n);

/*
 * A part of the file ends here (the file goes on): parse every complete
 * record held, the last one too, and return the bytes still held, those of
 * a record the part's end cut.  When 0, the part's lines are added to the
 * stats; otherwise push the bytes that complete the record and call again.
 */
size_t feed_end_range(struct feed *f);

/* Parse what p[0..n) completes; keep the rest for the next push. */
void feed_push(struct feed *f, const char *p, size_t n);

/*
 * The same without feed_push's copy, for a reader that can read into the
 * feed's own buffer: feed_room gives room for at most want (> 0) bytes
 * after those held (*room, at least 1), and feed_commit(f, n) parses the n
 * bytes written there, as feed_push of them would.  Nothing else may be
 * called on f between the two (a read that gave nothing need not commit).
 */
char *feed_room(struct feed *f, size_t want, size_t *room);
void feed_commit(struct feed *f, size_t n);
/* The file ended: parse what is held (a cut record is reported) and print
 * the count of skips that were not reported one by one. */
void feed_finish(struct feed *f);
void feed_free(struct feed *f);

#endif
