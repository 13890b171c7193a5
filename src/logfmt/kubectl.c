/* SPDX-License-Identifier: PostgreSQL */
/*
 * kubectl: the transport of "kubectl logs --prefix" (wrap.h), which leads
 * each line of a container's log by "[pod/POD/CONTAINER] " -- and, with
 * --timestamps, the line's RFC 3339 time after it.  Several pods' logs in
 * one stream (kubectl logs -l app=... --prefix, a CloudNativePG cluster's
 * primary and replicas) stay apart: the pod is the record's server.  The
 * payload is what the container wrote: stderr lines, or CloudNativePG's
 * JSON.
 */
#include "logfmt/formats.h"

#include <string.h>

#include "logfmt/wrap.h"

#define LEAD "[pod/"
#define LEAD_LEN (sizeof(LEAD) - 1)

/* The prefix of line p[0..n): its length with the space after it and the
 * pod's name in *pod; 0 when the line has none. */
static size_t prefix_of(const char *p, size_t n, struct slice *pod)
{
	if (n < LEAD_LEN + 4 || memcmp(p, LEAD, LEAD_LEN) != 0)
		return 0;
	const char *end = memchr(p + LEAD_LEN, ']', n - LEAD_LEN < 512 ? n - LEAD_LEN : 512);
	if (!end || (size_t)(end - p) + 1 >= n || end[1] != ' ')
		return 0;
	const char *slash = memchr(p + LEAD_LEN, '/', (size_t)(end - p) - LEAD_LEN);
	/* POD and CONTAINER: names without spaces, neither empty. */
	if (!slash || slash == p + LEAD_LEN || slash + 1 == end ||
	    memchr(p + LEAD_LEN, ' ', (size_t)(end - p) - LEAD_LEN))
		return 0;
	*pod = slice_make(p + LEAD_LEN, (size_t)(slash - p) - LEAD_LEN);
	return (size_t)(end - p) + 2;
}

/* After the prefix, --timestamps' time (RFC3339Nano) when it is there. */
static size_t stamp_of(const char *p, size_t n, int64_t *ms)
{
	*ms = TS_UNKNOWN;
	return wrap_stamp(p, n, 9, ms);
}

/* wrap_unwrap_fn: the line after the prefix and the time. */
static bool unwrap(void *transport, const char *line, size_t n, struct sbuf *out)
{
	struct slice pod;
	int64_t ms;
	size_t s = prefix_of(line, n, &pod);
	(void)transport;
	if (!s)
		return false;
	s += stamp_of(line + s, n - s, &ms);
	return sbuf_add(out, line + s, n - s) == 0;
}

static enum logfmt_status ops_next(void *parser, const char *buf, size_t len, bool at_eof,
				   struct pg_entry *e, size_t *used, const char **why)
{
	size_t n;
	struct wrap_outer o = {.pid = PID_UNKNOWN, .ts_ms = TS_UNKNOWN};

	if (why)
		*why = NULL;
	if (!wrap_line(buf, len, at_eof, &n, used))
		return LOGFMT_NEED_MORE;
	pg_entry_clear(e);
	size_t s = prefix_of(buf, n, &o.server);
	if (!s) {
		e->kind = ENTRY_OTHER;
		e->message = slice_make(buf, n);
		return LOGFMT_OK;
	}
	s += stamp_of(buf + s, n - s, &o.ts_ms);
	sbuf_add(wrap_payload(parser), buf + s, n - s);
	return wrap_parse_outer(parser, e, why, &o);
}

static int ops_infer(void *parser, const char *sample, size_t len)
{
	return wrap_infer(parser, sample, len, unwrap, parser);
}

/* The fast path (see logfmt_fast_skip_fn): the payload in place (nothing
 * is escaped), as stderr's or CloudNativePG's. */
static bool fast_skip(const char *buf, size_t len, logfmt_interest_fn interest,
		      struct logfmt_skip *sk)
{
	struct slice pod;
	int64_t ms;
	size_t s = prefix_of(buf, len, &pod);
	if (!s)
		return false;
	s += stamp_of(buf + s, len - s, &ms);
	return wrap_fast_raw(buf, len, s, interest, sk);
}

static bool sniff(const char *line, size_t n)
{
	struct slice pod;
	return prefix_of(line, n, &pod) > 0;
}

const struct logfmt_ops kubectl_ops = {
    .id = LOGFMT_KUBECTL,
    .name = "kubectl",
    .aliases = NULL,
    WRAP_TRANSPORT_OPS,
    .sniff = sniff,
    .infer = ops_infer,
    .next = ops_next,
    .fast_skip = fast_skip,
};
