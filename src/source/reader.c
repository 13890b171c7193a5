/* SPDX-License-Identifier: PostgreSQL */
/* Read one log file through a feed; sniff a file's format and its first or
 * newest timestamp.  See reader.h. */
#include "source/reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/feed.h"
#include "source/input.h"
#include "util/cpucache.h"
#include "util/diag.h"
#include "util/xalloc.h"

size_t reader_chunk_for_l2(size_t l2_bytes)
{
	if (l2_bytes == 0)
		return READER_CHUNK_DEFAULT;
	size_t n = l2_bytes / 4;
	if (n < READER_CHUNK_MIN)
		return READER_CHUNK_MIN;
	if (n > READER_CHUNK_MAX)
		return READER_CHUNK_MAX;
	return n;
}

uint64_t reader_full_messages(const struct reader_opts *opts)
{
	return opts->fast_after ? opts->fast_after : READER_FULL_MESSAGES;
}

int reader_pump(struct input *in, struct feed *f, const struct reader_opts *opts)
{
	size_t chunk = reader_chunk_for_l2(cpucache_l2_bytes());
	int rc = 0;
	for (;;) {
		size_t room;
		char *p = feed_room(f, chunk, &room);
		ssize_t n = input_read(in, p, room, opts->err);
		if (n < 0) {
			/* What was read so far still counts. */
			rc = -1;
			break;
		}
		if (n == 0) {
			if (input_truncated(in))
				diag_warn(opts->err,
					  "'%s' was truncated while being read: its last lines may "
					  "be missing",
					  input_name(in));
			break;
		}
		feed_commit(f, (size_t)n);
	}
	feed_finish(f);
	return rc;
}

int reader_run(const char *path, const struct reader_opts *opts, reader_entry_fn fn, void *ctx,
	       struct reader_stats *st)
{
	struct input *in = input_open(path, opts->err);

	if (!in) {
		st->failed_files++;
		return -1;
	}
	struct feed *f = feed_new(input_name(in), opts, false, fn, ctx, st);
	if (!f) {
		input_close(in);
		st->failed_files++;
		return -1;
	}
	st->files++;
	int rc = reader_pump(in, f, opts);
	if (rc < 0)
		st->failed_files++;
	feed_free(f);
	input_close(in);
	return rc;
}

/* Parse buf[0..len) of a file with fmt and return the first (or newest)
 * timestamp seen. */
static int64_t scan_ts(const char *buf, size_t len, enum log_format fmt, const char *prefix,
		       bool newest, bool *is_log)
{
	bool dummy;
	if (!is_log)
		is_log = &dummy;
	*is_log = false;
	struct logfmt *lf = logfmt_new(fmt, prefix);
	int64_t best = TS_UNKNOWN;
	size_t off = 0;

	if (!lf)
		return TS_UNKNOWN;
	if (!prefix)
		logfmt_infer_prefix(lf, buf, len);
	while (off < len) {
		struct pg_entry e;
		size_t used = 0;
		pg_entry_clear(&e);
		enum logfmt_status s = logfmt_next(lf, buf + off, len - off, true, &e, &used, NULL);
		if (used == 0)
			break;
		off += used;
		if (s == LOGFMT_OK && e.kind == ENTRY_MESSAGE && e.sev != SEV_UNKNOWN)
			*is_log = true;
		if (s != LOGFMT_OK || e.ts_ms == TS_UNKNOWN)
			continue;
		if (!newest) {
			best = e.ts_ms;
			break;
		}
		if (best == TS_UNKNOWN || e.ts_ms > best)
			best = e.ts_ms;
	}
	logfmt_free(lf);
	return best;
}

int64_t reader_first_ts(const char *path, const char *prefix, enum log_format *fmt, bool *is_log)
{
	struct input *in = input_open(path, NULL);
	size_t cap = 256u << 10, len = 0;
	bool eof = false;
	int64_t ts;

	*fmt = LOGFMT_STDERR;
	if (is_log)
		*is_log = false;
	if (!in)
		return TS_UNKNOWN;
	char *buf = xmalloc(cap);
	while (len < cap && !eof) {
		ssize_t n = input_read(in, buf + len, cap - len, NULL);
		if (n <= 0)
			eof = true;
		else
			len += (size_t)n;
	}
	/* Cut at the last newline so the scan sees whole records. */
	if (!eof) {
		while (len && buf[len - 1] != '\n')
			len--;
	}
	*fmt = logfmt_detect(buf, len, path);
	ts = scan_ts(buf, len, *fmt, prefix, false, is_log);
	free(buf);
	input_close(in);
	return ts;
}

int64_t reader_last_ts(const char *path, const char *prefix)
{
	size_t n = strlen(path);
	if (strcmp(path, "-") == 0 || (n > 3 && strcmp(path + n - 3, ".gz") == 0))
		return TS_UNKNOWN;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return TS_UNKNOWN;
	struct stat sb;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return TS_UNKNOWN;
	}
	size_t want = 256u << 10;
	off_t start = sb.st_size > (off_t)want ? sb.st_size - (off_t)want : 0;
	char *buf = xmalloc(want);
	ssize_t got = pread(fd, buf, want, start);
	close(fd);
	if (got <= 0) {
		free(buf);
		return TS_UNKNOWN;
	}
	size_t skip = 0;
	if (start > 0) {
		char *nl = memchr(buf, '\n', (size_t)got);
		skip = nl ? (size_t)(nl - buf) + 1 : (size_t)got;
	}
	enum log_format fmt = logfmt_detect(buf + skip, (size_t)got - skip, path);
	int64_t ts = scan_ts(buf + skip, (size_t)got - skip, fmt, prefix, true, NULL);
	free(buf);
	return ts;
}
