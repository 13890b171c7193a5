/* SPDX-License-Identifier: PostgreSQL */
/*
 * cri: the transport of Kubernetes node log files (wrap.h), as the CRI
 * runtimes (containerd, CRI-O) write a container's stdout and stderr to
 * /var/log/pods/NS_POD_UID/CONTAINER/N.log:
 *   "2024-01-15T10:23:45.123456789Z stderr F LINE"
 * the time in RFC 3339 (containerd: UTC with nine digits; CRI-O: an
 * offset), the stream, a tag whose first letter is F (a full line) or P (a
 * partial one: the runtime cut a long line, and the records after it up to
 * the next F of the same stream continue it), and the line as written, not
 * escaped.  The pieces are joined again.  The line is the server's stderr
 * line, or CloudNativePG's JSON record on the node of its pod.  The time is the record's when the
 * prefix carries none; the file names no host: the entry's server is
 * absent.  (A pod directory's files, rotated, are one series: paths.c.)
 */
#include "logfmt/formats.h"

#include <string.h>

#include "logfmt/ts.h"
#include "logfmt/wrap.h"

/* The most records of one cut line joined. */
#define CRI_MAX_PIECES 4096

/* One CRI record's header, read. */
struct cri_line {
	int64_t ts_ms;
	char stream;  /* std[o]ut, std[e]rr */
	bool partial; /* tag P */
	size_t msg;   /* where the line begins */
};

/* Read the header of p[0..n) (no newline) into l.  False when p is no
 * CRI record. */
static bool cri_parse(const char *p, size_t n, struct cri_line *l)
{
	size_t i;
	if (ts_parse_rfc3339(p, n, &l->ts_ms, &i) < 0 || n - i < 9 || p[i] != ' ')
		return false;
	i++;
	if (memcmp(p + i, "stdout ", 7) != 0 && memcmp(p + i, "stderr ", 7) != 0)
		return false;
	l->stream = p[i + 3];
	i += 7;
	if (p[i] != 'F' && p[i] != 'P')
		return false;
	l->partial = p[i] == 'P';
	/* The tag may grow more letters after a ':' (CRI's "F:..."). */
	while (i < n && p[i] != ' ')
		i++;
	l->msg = i < n ? i + 1 : n;
	return true;
}

/* wrap_unwrap_fn: the line of a sample record (a piece as it is). */
static bool unwrap(void *transport, const char *line, size_t n, struct sbuf *out)
{
	struct cri_line l;
	(void)transport;
	return cri_parse(line, n, &l) && sbuf_add(out, line + l.msg, n - l.msg) == 0;
}

static enum logfmt_status ops_next(void *parser, const char *buf, size_t len, bool at_eof,
				   struct pg_entry *e, size_t *used, const char **why)
{
	struct wrap *w = parser;
	size_t n, step;
	struct cri_line l;

	if (why)
		*why = NULL;
	if (!wrap_line(buf, len, at_eof, &n, used))
		return LOGFMT_NEED_MORE;
	pg_entry_clear(e);
	if (!cri_parse(buf, n, &l)) {
		e->kind = ENTRY_OTHER;
		e->message = slice_make(buf, n);
		return LOGFMT_OK;
	}
	struct sbuf *pay = wrap_payload(w);
	sbuf_add(pay, buf + l.msg, n - l.msg);
	struct wrap_outer o = {.ts_ms = l.ts_ms, .pid = PID_UNKNOWN};
	char stream = l.stream;
	for (int pieces = 1; l.partial; pieces++) {
		const char *p = buf + *used;
		if (!wrap_line(p, len - *used, at_eof, &n, &step)) {
			if (at_eof)
				break;
			*used = 0;
			return LOGFMT_NEED_MORE;
		}
		if (pieces >= CRI_MAX_PIECES || !cri_parse(p, n, &l) || l.stream != stream ||
		    sbuf_add(pay, p + l.msg, n - l.msg) < 0)
			break; /* the line was never ended: read what there is */
		*used += step;
	}
	return wrap_parse_outer(w, e, why, &o);
}

static int ops_infer(void *parser, const char *sample, size_t len)
{
	return wrap_infer(parser, sample, len, unwrap, parser);
}

/* The fast path (see logfmt_fast_skip_fn): a full record's line handed to
 * the inner fast path in place (nothing is escaped; wrap_fast_raw); a
 * partial one goes to the parser, which joins it. */
static bool fast_skip(const char *buf, size_t len, logfmt_interest_fn interest,
		      struct logfmt_skip *sk)
{
	const char *nl = memchr(buf, '\n', len);
	struct cri_line l;
	if (!nl || !cri_parse(buf, (size_t)(nl - buf), &l) || l.partial)
		return false;
	return wrap_fast_raw(buf, len, l.msg, interest, sk);
}

static bool sniff(const char *line, size_t n)
{
	struct cri_line l;
	return cri_parse(line, n, &l);
}

static const char *const aliases[] = {"kubernetes", "containerd", NULL};

const struct logfmt_ops cri_ops = {
    .id = LOGFMT_CRI,
    .name = "cri",
    .aliases = aliases,
    WRAP_TRANSPORT_OPS,
    .sniff = sniff,
    .infer = ops_infer,
    .next = ops_next,
    .fast_skip = fast_skip,
};
