/* SPDX-License-Identifier: PostgreSQL */
/* Drive one log file through its format parser, accounting for every
 * line that could not be read. */
#include "source/reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/input.h"
#include "util/xalloc.h"

#define READ_CHUNK (1u << 20)   /* bytes asked of read() at a time */
#define SAMPLE_BYTES (64u << 10) /* what format detection and prefix inference see */

static uint64_t count_nl(const char *p, size_t n)
{
	uint64_t c = 0;
	const char *end = p + n;
	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		c++;
		p++;
	}
	return c;
}

struct rstate {
	const struct reader_opts *opts;
	const char *name;
	uint64_t reported;       /* file:line reports printed */
	uint64_t unreported;     /* skips not printed individually */
	uint64_t first_unreported_line;
};

static void report(struct rstate *rs, uint64_t line, const char *what)
{
	if (rs->reported < (uint64_t)rs->opts->max_reports) {
		out_warn(rs->opts->err, "%s:%llu: %s", rs->name, (unsigned long long)line, what);
		rs->reported++;
	} else {
		if (!rs->unreported)
			rs->first_unreported_line = line;
		rs->unreported++;
	}
}

/* Fill buf[*len..cap) from in; sets *eof.  Returns -1 on a read error. */
static int fill(struct input *in, char *buf, size_t *len, size_t cap, bool *eof, struct rstate *rs)
{
	char err[512];
	while (*len < cap && !*eof) {
		size_t want = cap - *len < READ_CHUNK ? cap - *len : READ_CHUNK;
		ssize_t n = input_read(in, buf + *len, want, err, sizeof(err));
		if (n < 0) {
			out_warn(rs->opts->err, "%s", err);
			*eof = true;
			return -1;
		}
		if (n == 0) {
			*eof = true;
			break;
		}
		*len += (size_t)n;
		if ((size_t)n < want)
			break; /* short read: use what we have */
	}
	return 0;
}

int reader_run(const char *path, const struct reader_opts *opts, reader_entry_fn fn, void *ctx,
	       struct reader_stats *st)
{
	char err[512];
	struct rstate rs = {.opts = opts, .name = path};
	struct input *in = input_open(path, err, sizeof(err));
	int rc = 0;

	if (!in) {
		out_warn(opts->err, "%s", err);
		st->failed_files++;
		return -1;
	}
	rs.name = input_name(in);
	st->files++;

	size_t cap = 4 * READ_CHUNK;
	char *buf = xmalloc(cap);
	size_t len = 0, off;
	bool eof = false;
	uint64_t line = 1;
	bool skipping = false; /* discarding an over-long record up to its newline */
	uint64_t skip_line = 0;

	/* Sample the start for format detection and prefix inference. */
	while (len < SAMPLE_BYTES && !eof)
		if (fill(in, buf, &len, SAMPLE_BYTES, &eof, &rs) < 0)
			rc = -1;
	enum log_format fmt = opts->format != LOGFMT_AUTO
				      ? opts->format
				      : logfmt_detect(buf, len, strcmp(path, "-") ? path : NULL);
	struct logfmt *lf = logfmt_new(fmt, opts->prefix);
	if (!lf) {
		out_warn(opts->err, "%s: invalid log_line_prefix '%s'", rs.name,
			 opts->prefix ? opts->prefix : "");
		free(buf);
		input_close(in);
		st->failed_files++;
		return -1;
	}
	if (!opts->prefix)
		logfmt_infer_prefix(lf, buf, len);

	for (;;) {
		off = 0;
		if (skipping) {
			char *nl = memchr(buf, '\n', len);
			if (nl) {
				off = (size_t)(nl - buf) + 1;
				skipping = false;
				line += 1;
			} else {
				off = len;
			}
		}
		while (!skipping && off < len) {
			struct pg_entry e;
			size_t used = 0;
			const char *why = NULL;
			pg_entry_clear(&e);
			enum logfmt_status s = logfmt_next(lf, buf + off, len - off, eof, &e, &used, &why);
			if (s == LOGFMT_NEED_MORE && !eof)
				break;
			if (used == 0 || used > len - off)
				used = len - off; /* a parser that used nothing: do not loop */
			if (s == LOGFMT_OK) {
				st->records++;
				if (e.kind == ENTRY_MESSAGE) {
					st->messages++;
					fn(ctx, &e);
				} else if (e.kind == ENTRY_OTHER) {
					/* Blank lines are not worth a word. */
					const char *p = buf + off;
					size_t n = used;
					while (n && (p[n - 1] == '\n' || p[n - 1] == '\r'))
						n--;
					if (n) {
						st->skipped++;
						report(&rs, line, "not a PostgreSQL log record, skipped");
					}
				}
			} else {
				st->skipped++;
				report(&rs, line, why ? why : "unreadable record, skipped");
			}
			line += count_nl(buf + off, used);
			off += used;
		}
		st->bytes += off;
		memmove(buf, buf + off, len - off);
		len -= off;
		if (eof) {
			if (len) { /* cannot happen with a well-behaved parser */
				st->skipped++;
				report(&rs, line, "truncated record at end of file, skipped");
			}
			break;
		}
		if (len == cap) {
			if (cap < READER_MAX_RECORD + READ_CHUNK) {
				cap *= 2;
				buf = xrealloc(buf, cap);
			} else {
				/* One record larger than we keep: drop it to its newline. */
				st->skipped++;
				skip_line = line;
				char msg[128];
				snprintf(msg, sizeof(msg), "record longer than %u MB, skipped",
					 READER_MAX_RECORD >> 20);
				report(&rs, skip_line, msg);
				skipping = true;
				st->bytes += len;
				len = 0;
			}
		}
		if (fill(in, buf, &len, cap, &eof, &rs) < 0)
			rc = -1;
	}
	st->lines += line - 1;
	if (rs.unreported)
		out_warn(opts->err, "%s: %llu more lines skipped, the first at line %llu", rs.name,
			 (unsigned long long)rs.unreported,
			 (unsigned long long)rs.first_unreported_line);
	if (rc < 0)
		st->failed_files++;
	logfmt_free(lf);
	free(buf);
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
	char err[256];
	struct input *in = input_open(path, err, sizeof(err));
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
		ssize_t n = input_read(in, buf + len, cap - len, err, sizeof(err));
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
