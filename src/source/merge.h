/* SPDX-License-Identifier: PostgreSQL */
/*
 * merge: read the files of several log destinations of one server as one
 * stream in time order.
 *
 * When log_destination changes (stderr -> csvlog -> jsonlog), or several
 * destinations are on at once for a while, each destination's files cover
 * their own stretch of time, and the stretches overlap: the stderr file
 * keeps getting lines after the switch (messages of backends that have not
 * reloaded yet, records the collector writes there while the new file is
 * not open, the lines of the next start).  Read one file after the other,
 * a session that connects in one file and ends in another is seen ending
 * before it starts.  So the sources are grouped by destination -- each
 * destination's sources are read in the order given, one after the other --
 * and the destinations' records are merged by timestamp, a record without
 * one following the record before it in its file.  A record that two
 * destinations both hold (the same message of the same process -- or of a
 * process the stderr prefix does not name -- within a second: both were
 * on) is delivered once, from the better destination (csvlog, then
 * jsonlog, then stderr; the first on a tie), and counted as a twin.  Records
 * without a timestamp cannot be matched so and are all delivered.
 *
 * Memory: per destination, the records parsed from one block of input,
 * and the keys of the records of the last two seconds of log time.
 */
#ifndef PGTAIL_MERGE_H
#define PGTAIL_MERGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "logfmt/logfmt.h"
#include "source/reader.h"

struct merge_src {
	const char *path;    /* the file (its name in messages) */
	enum log_format fmt; /* its destination */
	int fd;              /* an open descriptor to pread [from, to) from, or -1:
				open path and read it whole (.gz too) */
	uint64_t from, to;   /* with fd >= 0: the bytes to read */
};

/* What merge_run could not deliver. */
struct merge_out {
	uint64_t twins;      /* records delivered once for two destinations */
	uint64_t lost_bytes; /* bytes of [from, to) ranges that are gone now */
	size_t lost_srcs;    /* ranges that were cut so */
	int failed;          /* sources that could not be opened or read */
};

/*
 * Read src[0..n) as described above, calling fn for every message; *st is
 * updated as reader_run does and *mo (may be NULL) filled.  fds stay the
 * caller's.  Returns mo->failed (each reported on ro->err).
 */
int merge_run(const struct merge_src *src, size_t n, const struct reader_opts *ro,
	      reader_entry_fn fn, void *ctx, struct reader_stats *st, struct merge_out *mo);

#endif
