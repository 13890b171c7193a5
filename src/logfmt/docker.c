/* SPDX-License-Identifier: PostgreSQL */
/*
 * docker: the transport of a container's stdout and stderr as Docker keeps
 * and shows them (wrap.h), the server's stderr lines inside:
 *   json-file  {"log":"LINE\n","stream":"stderr","time":"RFC3339Nano"}
 *              one object per line, LINE JSON-escaped (the json-file log
 *              driver, /var/lib/docker/containers/ID/ID-json.log); a line
 *              longer than 16 KB is cut into several objects, only the last
 *              one's "log" ending in "\n": they are joined again
 *   logs -t    "2024-01-15T10:23:45.123456789Z LINE" (docker logs -t: the
 *              time zero-padded to nine digits, the line as written)
 * The time is the record's when the prefix carries none.  The container
 * names no host in its lines: the entry's server is left absent.
 */
#include "logfmt/formats.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "logfmt/jsonscan.h"
#include "logfmt/ts.h"
#include "logfmt/wrap.h"
#include "util/xalloc.h"

/* How a json-file line begins: the "log" key always comes first. */
#define DK_HEAD "{\"log\":\""
#define DK_HEAD_LEN (sizeof(DK_HEAD) - 1)
/* The most objects of one cut line joined (16 KB each: 64 MB). */
#define DK_MAX_PIECES 4096

struct docker_parser {
	struct wrap w;
	char *scratch; /* a "log" value unescaped, before it joins the payload */
	size_t scratch_alloc;
};

/* One json-file object, read. */
struct dk_obj {
	size_t log_len;      /* the unescaped "log" value, in scratch */
	struct slice stream; /* "stdout" or "stderr" (may be absent) */
	int64_t ts_ms;       /* "time", TS_UNKNOWN when absent or unreadable */
};

/* The length of a "logs -t" stamp and its space at p[0..n), else 0. */
static size_t stamp_len(const char *p, size_t n)
{
	int64_t ms;
	return wrap_stamp(p, n, 9, &ms);
}

/*
 * Read the json-file object p[0..n) (no newline): its "log" value
 * unescaped into dp->scratch, its stream and time into *o.  The fast
 * scanner takes the objects Docker writes ("log" first, then "stream",
 * "time", maybe "attrs"); anything else goes to jansson.  False when p is
 * no such object.
 */
static bool dk_read(struct docker_parser *dp, const char *p, size_t n, struct dk_obj *o)
{
	o->stream = SLICE_NULL;
	o->ts_ms = TS_UNKNOWN;
	if (n < DK_HEAD_LEN || memcmp(p, DK_HEAD, DK_HEAD_LEN) != 0 || p[n - 1] != '}')
		return false;
	if (dp->scratch_alloc < n) {
		free(dp->scratch);
		dp->scratch_alloc = n < 4096 ? 4096 : n;
		dp->scratch = xmalloc(dp->scratch_alloc);
	}
	const char *end = p + n, *next;
	size_t used;
	if (jscan_string(p + DK_HEAD_LEN, end, dp->scratch, &o->log_len, &next)) {
		static const char ks[] = "\"stream\":\"", kt[] = "\"time\":\"";
		const char *s = memmem(next, (size_t)(end - next), ks, sizeof(ks) - 1);
		if (s) {
			s += sizeof(ks) - 1;
			const char *q = memchr(s, '"', (size_t)(end - s));
			if (q)
				o->stream = slice_make(s, (size_t)(q - s));
		}
		const char *t = memmem(next, (size_t)(end - next), kt, sizeof(kt) - 1);
		if (t) {
			t += sizeof(kt) - 1;
			if (ts_parse_rfc3339(t, (size_t)(end - t), &o->ts_ms, &used) < 0)
				o->ts_ms = TS_UNKNOWN;
		}
		return true;
	}
	/* Not the plain shape: jansson decides. */
	json_t *obj = json_loadb(p, n, 0, NULL);
	json_t *log = json_object_get(obj, "log");
	bool ok = json_is_string(log) && json_string_length(log) <= n;
	if (ok) {
		o->log_len = json_string_length(log);
		memcpy(dp->scratch, json_string_value(log), o->log_len);
		json_t *t = json_object_get(obj, "time");
		if (json_is_string(t) &&
		    ts_parse_rfc3339(json_string_value(t), json_string_length(t), &o->ts_ms,
				     &used) < 0)
			o->ts_ms = TS_UNKNOWN;
		/* The stream is compared only, never kept: "stderr" or not. */
		json_t *s = json_object_get(obj, "stream");
		if (json_is_string(s))
			o->stream = slice_make(
			    strcmp(json_string_value(s), "stdout") == 0 ? "stdout" : "stderr", 6);
	}
	json_decref(obj);
	return ok;
}

/* What tells the streams apart: std[o]ut, std[e]rr; 0 when absent. */
static char stream_key(struct slice s)
{
	return s.len > 3 ? s.p[3] : 0;
}

/* Take the line's end ('\n', "\r\n") off the payload. */
static void chomp(struct sbuf *pay)
{
	if (pay->len && pay->buf[pay->len - 1] == '\n')
		pay->len--;
	if (pay->len && pay->buf[pay->len - 1] == '\r')
		pay->len--;
	pay->buf[pay->len] = '\0';
}

/* wrap_unwrap_fn: the line of a sample line (a cut piece as it is). */
static bool unwrap(void *transport, const char *line, size_t n, struct sbuf *out)
{
	struct docker_parser *dp = transport;
	struct dk_obj o;
	size_t s = stamp_len(line, n);
	if (s)
		return sbuf_add(out, line + s, n - s) == 0;
	if (!dk_read(dp, line, n, &o))
		return false;
	size_t k = o.log_len;
	while (k && (dp->scratch[k - 1] == '\n' || dp->scratch[k - 1] == '\r'))
		k--;
	return sbuf_add(out, dp->scratch, k) == 0;
}

static void *ops_new(const char *prefix, const char **err)
{
	struct docker_parser *dp = xcalloc(1, sizeof(*dp));
	if (wrap_init(&dp->w, prefix, err) < 0) {
		free(dp);
		return NULL;
	}
	return dp;
}

static void ops_free(void *parser)
{
	struct docker_parser *dp = parser;
	if (!dp)
		return;
	wrap_release(&dp->w);
	free(dp->scratch);
	free(dp);
}

/*
 * The json-file object at buf[0..n) and the pieces that continue it (the
 * next objects of the same stream, up to one whose "log" ends the line),
 * joined into the payload; *used the bytes of them all.  NEED_MORE when the
 * buffer ends before the last piece and !at_eof.  ENTRY_OTHER in *e (kind
 * only) when buf[0..n) is no json-file object.
 */
static enum logfmt_status read_json(struct docker_parser *dp, const char *buf, size_t len, size_t n,
				    bool at_eof, struct pg_entry *e, size_t *used, int64_t *ts_ms)
{
	struct dk_obj o;
	if (!dk_read(dp, buf, n, &o)) {
		e->kind = ENTRY_OTHER;
		e->message = slice_make(buf, n);
		return LOGFMT_OK;
	}
	struct sbuf *pay = wrap_payload(&dp->w);
	char stream = stream_key(o.stream);
	sbuf_add(pay, dp->scratch, o.log_len);
	*ts_ms = o.ts_ms;
	for (int pieces = 1; o.log_len && dp->scratch[o.log_len - 1] != '\n'; pieces++) {
		const char *p = buf + *used;
		const char *nl = memchr(p, '\n', len - *used);
		if (!nl && !at_eof) {
			*used = 0;
			return LOGFMT_NEED_MORE;
		}
		size_t pn = nl ? (size_t)(nl - p) : len - *used;
		if (pieces >= DK_MAX_PIECES || pn == 0 || !dk_read(dp, p, pn, &o) ||
		    stream_key(o.stream) != stream)
			break; /* the line was never ended: read what there is */
		if (sbuf_add(pay, dp->scratch, o.log_len) < 0)
			break;
		*used += nl ? pn + 1 : pn;
	}
	chomp(pay);
	return LOGFMT_OK;
}

static enum logfmt_status ops_next(void *parser, const char *buf, size_t len, bool at_eof,
				   struct pg_entry *e, size_t *used, const char **why)
{
	struct docker_parser *dp = parser;
	size_t n;
	int64_t ts_ms = TS_UNKNOWN;

	if (why)
		*why = NULL;
	if (!wrap_line(buf, len, at_eof, &n, used))
		return LOGFMT_NEED_MORE;
	pg_entry_clear(e);
	size_t s = wrap_stamp(buf, n, 9, &ts_ms);
	if (s) {
		sbuf_add(wrap_payload(&dp->w), buf + s, n - s);
	} else {
		enum logfmt_status st = read_json(dp, buf, len, n, at_eof, e, used, &ts_ms);
		if (st != LOGFMT_OK || e->kind == ENTRY_OTHER)
			return st;
	}
	struct wrap_outer o = {.ts_ms = ts_ms, .pid = PID_UNKNOWN};
	return wrap_parse_outer(&dp->w, e, why, &o);
}

static int ops_infer(void *parser, const char *sample, size_t len)
{
	struct docker_parser *dp = parser;
	return wrap_infer(&dp->w, sample, len, unwrap, dp);
}

/*
 * The fast path (see logfmt_fast_skip_fn).  "logs -t": the line after the
 * stamp, in place.  json-file: a "log" without escapes but its closing
 * "\n", in place (wrap_fast_json_string).  A cut piece (no "\n") is not
 * whole and goes to the parser, which joins it.
 */
static bool fast_skip(const char *buf, size_t len, logfmt_interest_fn interest,
		      struct logfmt_skip *sk)
{
	const char *nl = memchr(buf, '\n', len);
	if (!nl)
		return false;
	size_t n = (size_t)(nl - buf);
	if (n > DK_HEAD_LEN && buf[0] == '{')
		return memcmp(buf, DK_HEAD, DK_HEAD_LEN) == 0 &&
		       wrap_fast_json_string(buf, len, DK_HEAD_LEN, true, interest, sk);
	size_t s = stamp_len(buf, n);
	return s && wrap_fast_raw(buf, len, s, interest, sk);
}

/* A json-file object ("log" first) or a "logs -t" line (a nine-digit
 * RFC 3339 stamp in UTC, a space). */
static bool sniff(const char *line, size_t n)
{
	return (n > DK_HEAD_LEN && memcmp(line, DK_HEAD, DK_HEAD_LEN) == 0) || stamp_len(line, n);
}

static const char *const aliases[] = {"docker-json", "json-file", NULL};

const struct logfmt_ops docker_ops = {
    .id = LOGFMT_DOCKER,
    .name = "docker",
    .aliases = aliases,
    .transport = true,
    .suffix = "",
    .suffix_decides = false,
    .sniff = sniff,
    .new = ops_new,
    .free = ops_free,
    .infer = ops_infer,
    .next = ops_next,
    .fast_skip = fast_skip,
    .set_env = NULL,
    .note = NULL,
};
