/* SPDX-License-Identifier: PostgreSQL */
/*
 * parallel: read the files of one destination (one file, or a rotated
 * series read one after the other) with several threads, and deliver their
 * messages in the calling thread in file order, exactly as reader_run on
 * each file in turn delivers them: the same entries, the same statistics,
 * the same diagnostics in the same order.
 *
 * The work is cut into parts: each file is one part, and a large plain
 * file whose parser reads each record alone (logfmt_stable: csvlog,
 * jsonlog, stderr with a settled prefix; not a transport, not .gz, not
 * stdin) is cut into several, each starting at a line that parses as a
 * message (a csv record may span lines, a stderr message has its
 * continuation lines: neither is cut).  Worker threads parse parts into
 * queues of held entries and diagnostics; the calling thread replays them
 * in order.  What a part's parser assumed is checked when its turn comes:
 * that the part before ended exactly where it starts (a csv line that
 * looked like a record's start may lie inside a quoted field), and that the
 * file's first READER_FULL_MESSAGES messages, which are parsed in full,
 * lie before it.  A part that fails the check is read again, serially,
 * from where the one before ended.
 *
 * Memory: each part's queue holds at most PARALLEL_QUEUE_BYTES (its worker
 * waits beyond), and at most jobs + 1 parts are under way.
 */
#ifndef PGTAIL_PARALLEL_H
#define PGTAIL_PARALLEL_H

#include <stddef.h>

#include "source/reader.h"

/* The most threads --jobs may ask for, and the most its default takes. */
#define PARALLEL_MAX_JOBS 64
#define PARALLEL_DEFAULT_MAX 8

/* Files smaller than this are not cut; parts are at least this big. */
#define PARALLEL_PART_MIN (8u << 20)

/* What a part's queue may hold before its worker waits. */
#define PARALLEL_QUEUE_BYTES (4u << 20)

/* With --jobs, freed memory malloc keeps for reuse rather than giving back
 * (M_TRIM_THRESHOLD), and the size from which it maps a block of its own
 * (M_MMAP_THRESHOLD): see parallel_run. */
#define PARALLEL_KEEP_BYTES (64 << 20)
#define PARALLEL_MMAP_BYTES (32 << 20)

/* The threads --jobs uses by default: the CPUs this process may run on, at
 * most PARALLEL_DEFAULT_MAX. */
int parallel_default_jobs(void);

/*
 * Read paths[0..n) in order, as reader_run does each, with jobs threads
 * (jobs <= 1: reader_run itself), calling fn in the calling thread.  The
 * environment variable PGTAIL_PART_BYTES, when set, replaces
 * PARALLEL_PART_MIN (the tests cut small files so).  Returns the number of
 * files that could not be read whole, as model_replay counts them.
 */
int parallel_run(const char *const *paths, size_t n, const struct reader_opts *ro, int jobs,
		 reader_entry_fn fn, void *ctx, struct reader_stats *st);

#endif
