/* SPDX-License-Identifier: PostgreSQL */
/*
 * reader: read one log file (or stdin) to its end through a feed (feed.h),
 * which parses it, hands each message to a callback and accounts for what
 * could not be read: every skipped line or record is counted, and the first
 * few are reported by file:line.  Also the sniffing that orders a rotated
 * series: the format and first timestamp of a file, and its newest one.
 */
#ifndef PGTAIL_READER_H
#define PGTAIL_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "logfmt/entry.h"
#include "logfmt/logfmt.h"
#include "util/out.h"

/* Largest record kept whole; longer ones are skipped and reported. */
#define READER_MAX_RECORD (64u * 1024 * 1024)

struct reader_stats {
	uint64_t bytes;        /* bytes read (after decompression) */
	uint64_t lines;        /* physical lines */
	uint64_t records;      /* records parsed (messages and continuations) */
	uint64_t messages;     /* ENTRY_MESSAGE records */
	uint64_t skipped;      /* lines/records that could not be parsed */
	uint64_t files;        /* files read */
	uint64_t failed_files; /* files that could not be opened or read to the end */
	uint64_t zone_notes;   /* notes given about an unsure time zone (one is enough) */
	uint64_t foreign;      /* records a transport left out as not the server's
				  (ENTRY_FOREIGN: other programs, duplicates) */
};

/* Called for each ENTRY_MESSAGE; e is valid only during the call. */
typedef void (*reader_entry_fn)(void *ctx, const struct pg_entry *e);

struct reader_opts {
	const char *prefix;     /* --prefix, or NULL to infer */
	const char *ident;      /* --ident: the server's syslog_ident in a syslog or
				   journal log, or NULL (logfmt_env.ident) */
	enum log_format format; /* LOGFMT_AUTO to detect per file */
	struct out *err;        /* diagnostics */
	int max_reports;        /* file:line reports per file before summarising */
	/* Optional fast path (logfmt_fast_skip_fn): a cheap test on a record's
	 * severity and the start of its message.  Records it rejects are
	 * counted but not parsed (their prefix, columns and timestamp are never
	 * looked at), except the first READER_FULL_MESSAGES of each file and
	 * the last record of each block read, so the language check and the
	 * newest timestamp still see real entries.  It must never reject a
	 * record that matters. */
	logfmt_interest_fn interest;
	/* Messages of each file parsed in full before the fast path starts
	 * (0: READER_FULL_MESSAGES; the fuzzer uses 1 to reach it at once). */
	uint64_t fast_after;
	/* Threads reading the files of a replay (model_replay, through
	 * source/parallel.h); 0 or 1: the calling thread alone. */
	int jobs;
};

/* Messages of each file always parsed in full (see reader_opts.interest). */
#define READER_FULL_MESSAGES 4096

/*
 * Bytes asked of read() at a time, given the CPU's L2 cache size (0 when it
 * is not known): a quarter of it, within READER_CHUNK_MIN and
 * READER_CHUNK_MAX; READER_CHUNK_DEFAULT when the size is not known.  What
 * read() copies out of the page cache should still be in L2 when the feed
 * copies it on into its own buffer (256 KB to start with) and parses it
 * there: the two buffers together then take about half of L2.  On an EPYC
 * with 512 KB of L2, going from 1 MB to 128 KB took a 348 MB log from 0.69 s
 * to 0.55 s; with 1 MB of L2 (bench/RESULTS.md), 64 KB to 1 MB all take the
 * same time.
 */
#define READER_CHUNK_MIN (64u << 10)
#define READER_CHUNK_MAX (1u << 20)
#define READER_CHUNK_DEFAULT (128u << 10)
size_t reader_chunk_for_l2(size_t l2_bytes);

/*
 * Read path ("-" for stdin) to the end, calling fn for every message.
 * Updates *st.  Returns 0 when the file was read to the end (even if some
 * records were skipped), -1 when it could not be opened or reading failed
 * part-way (reported on opts->err; what was read before still counts).
 */
int reader_run(const char *path, const struct reader_opts *opts, reader_entry_fn fn, void *ctx,
	       struct reader_stats *st);

/* Push everything in can give into f, then finish f (reporting a file cut
 * short while read on opts->err).  Returns 0, or -1 when reading failed
 * part-way.  The read loop of reader_run, for callers that make their own
 * feed. */
struct input;
struct feed;
int reader_pump(struct input *in, struct feed *f, const struct reader_opts *opts);

/* Messages of each file parsed in full before the fast path starts, as
 * opts says (fast_after, else READER_FULL_MESSAGES). */
uint64_t reader_full_messages(const struct reader_opts *opts);

/*
 * The timestamp of the first record in path that has one, for ordering a
 * rotated series; TS_UNKNOWN if none in the first 256 KB or unreadable.
 * *fmt receives the detected format; *is_log (may be NULL) whether the
 * sample held at least one PostgreSQL log record (false for an empty file
 * or one of something else, such as a JSON document that is not jsonlog).
 */
int64_t reader_first_ts(const char *path, const char *prefix, enum log_format *fmt, bool *is_log);

/* The newest timestamp in the last 256 KB of path (TS_UNKNOWN if none). */
int64_t reader_last_ts(const char *path, const char *prefix);

#endif
