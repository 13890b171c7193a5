/* SPDX-License-Identifier: PostgreSQL */
/*
 * azure: the transport of Azure Database for PostgreSQL - Flexible Server's
 * logs as Azure Monitor's diagnostic settings export them (wrap.h): one
 * record per line (a storage account's PT1H.json, an Event Hub's, a Log
 * Analytics query's rows),
 *   {"properties":{"timestamp":"2023-02-27 22:21:18.690 UTC",
 *    "processId":2046,"errorLevel":"LOG","sqlerrcode":"00000",
 *    "message":"LINE"},"time":"2023-02-27T22:21:18.690Z",
 *    "resourceId":"/SUBSCRIPTIONS/.../FLEXIBLESERVERS/NAME",
 *    "category":"PostgreSQLLogs","operationName":"LogEvent"}
 * the server's stderr line, with its log_line_prefix (Azure's default
 * '%t-%c-', whose %c names the process), in properties.message; its DETAIL
 * is split out into properties.detail and not read.  processId is the pid
 * when the prefix has none, "time" the time.  The server is
 * LogicalServerName (Log Analytics' column), else the last part of
 * resourceId.  Records of other categories (sessions, query store) are
 * ENTRY_FOREIGN.
 */
#include "logfmt/formats.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "logfmt/ts.h"
#include "logfmt/wrap.h"
#include "util/xalloc.h"

#define AZ_KEY "\"message\":\""
#define AZ_KEY_LEN (sizeof(AZ_KEY) - 1)

struct azure_parser {
	struct wrap w;
	json_t *obj; /* the record parsed last: the server slice points into it */
};

/* One record, read: the payload into out. */
struct az_rec {
	int64_t ts_ms;
	int64_t pid;
	struct slice server;
};

static json_t *str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? v : NULL;
}

/* The server: LogicalServerName (top level or in properties, with or
 * without Log Analytics' "_s"), else resourceId's last part. */
static struct slice server_of(json_t *o, json_t *props)
{
	static const char *const keys[] = {"LogicalServerName", "LogicalServerName_s", NULL};
	for (const char *const *k = keys; *k; k++) {
		json_t *v = str(o, *k) ? str(o, *k) : str(props, *k);
		if (v)
			return slice_make(json_string_value(v), json_string_length(v));
	}
	json_t *id = str(o, "resourceId");
	if (!id)
		return SLICE_NULL;
	const char *p = json_string_value(id), *slash = strrchr(p, '/');
	const char *name = slash ? slash + 1 : p;
	return slice_make(name, json_string_length(id) - (size_t)(name - p));
}

/* Read the record o: properties.message appended to out.  False when o is
 * no PostgreSQL log record. */
static bool az_read(json_t *o, struct sbuf *out, struct az_rec *r)
{
	json_t *props = json_object_get(o, "properties");
	json_t *msg = str(props, "message");
	json_t *cat = str(o, "category");
	if (!msg || (cat && strcmp(json_string_value(cat), "PostgreSQLLogs") != 0))
		return false;
	size_t n = json_string_length(msg);
	const char *t = json_string_value(msg);
	while (n && (t[n - 1] == '\n' || t[n - 1] == '\r'))
		n--;
	sbuf_add(out, t, n);
	json_t *pid = json_object_get(props, "processId");
	r->pid = json_is_integer(pid) && json_integer_value(pid) >= 0
		     ? (int64_t)json_integer_value(pid)
		     : PID_UNKNOWN;
	json_t *ts = str(o, "time");
	size_t used;
	if (!ts ||
	    ts_parse_rfc3339(json_string_value(ts), json_string_length(ts), &r->ts_ms, &used) < 0)
		r->ts_ms = TS_UNKNOWN;
	r->server = server_of(o, props);
	return true;
}

/* Read the record p[0..n) as az_read does, without jansson: the plain
 * record Azure writes (the message a string, the other fields unescaped,
 * processId a number).  False when the scanner is not sure: jansson then
 * reads it. */
static bool az_scan(const char *p, size_t n, struct sbuf *out, struct az_rec *r)
{
	static const char *const names[] = {"\"LogicalServerName\":\"",
					    "\"LogicalServerName_s\":\"", NULL};
	struct slice cat, t, id;
	size_t mark = out->len, used;
	if ((wrap_json_value(p, n, "\"category\":\"", &cat) && !slice_eq(cat, "PostgreSQLLogs")) ||
	    memmem(p, n, "\"category\":\"\\", 13) || !wrap_json_string(p, n, AZ_KEY, out))
		return false;
	while (out->len > mark &&
	       (out->buf[out->len - 1] == '\n' || out->buf[out->len - 1] == '\r'))
		out->buf[--out->len] = '\0';
	r->pid = PID_UNKNOWN;
	const char *k = memmem(p, n, "\"processId\":", 12);
	if (k) {
		int64_t v = 0;
		size_t i = (size_t)(k - p) + 12, d = i;
		while (i < n && i - d < 18 && p[i] >= '0' && p[i] <= '9')
			v = v * 10 + (p[i++] - '0');
		if (i > d)
			r->pid = v;
	}
	r->ts_ms = TS_UNKNOWN;
	if (wrap_json_value(p, n, "\"time\":\"", &t) &&
	    ts_parse_rfc3339(t.p, t.len, &r->ts_ms, &used) < 0)
		r->ts_ms = TS_UNKNOWN;
	r->server = SLICE_NULL;
	for (const char *const *nm = names; *nm && !r->server.len; nm++)
		wrap_json_value(p, n, *nm, &r->server);
	if (!r->server.len && wrap_json_value(p, n, "\"resourceId\":\"", &id)) {
		size_t s = id.len;
		while (s > 0 && id.p[s - 1] != '/')
			s--;
		r->server = slice_make(id.p + s, id.len - s);
	}
	return true;
}

/* wrap_unwrap_fn: a sample record's message. */
static bool unwrap(void *transport, const char *line, size_t n, struct sbuf *out)
{
	json_t *o = json_loadb(line, n, 0, NULL);
	struct az_rec r;
	bool ok = o && az_read(o, out, &r);
	(void)transport;
	json_decref(o);
	return ok;
}

static void *ops_new(const char *prefix, const char **err)
{
	struct azure_parser *ap = xcalloc(1, sizeof(*ap));
	if (wrap_init(&ap->w, prefix, err) < 0) {
		free(ap);
		return NULL;
	}
	return ap;
}

static void ops_free(void *parser)
{
	struct azure_parser *ap = parser;
	if (!ap)
		return;
	json_decref(ap->obj);
	wrap_release(&ap->w);
	free(ap);
}

static enum logfmt_status ops_next(void *parser, const char *buf, size_t len, bool at_eof,
				   struct pg_entry *e, size_t *used, const char **why)
{
	struct azure_parser *ap = parser;
	size_t n;
	struct az_rec r;

	if (why)
		*why = NULL;
	if (!wrap_line(buf, len, at_eof, &n, used))
		return LOGFMT_NEED_MORE;
	pg_entry_clear(e);
	json_decref(ap->obj);
	ap->obj = NULL;
	if (!(n && buf[0] == '{' && buf[n - 1] == '}' &&
	      az_scan(buf, n, wrap_payload(&ap->w), &r))) {
		ap->obj = json_loadb(buf, n, 0, NULL);
		if (!json_is_object(ap->obj)) {
			if (why)
				*why = "invalid JSON, skipped";
			return LOGFMT_BAD;
		}
		if (!az_read(ap->obj, wrap_payload(&ap->w), &r)) {
			e->kind = ENTRY_FOREIGN;
			return LOGFMT_OK;
		}
	}
	enum logfmt_status st = wrap_parse(&ap->w, e, why);
	if (st != LOGFMT_OK)
		return st;
	e->server = r.server;
	if (e->kind != ENTRY_MESSAGE)
		return LOGFMT_OK;
	if (e->pid == PID_UNKNOWN)
		e->pid = r.pid;
	if (e->ts_ms == TS_UNKNOWN)
		e->ts_ms = r.ts_ms;
	return LOGFMT_OK;
}

static int ops_infer(void *parser, const char *sample, size_t len)
{
	struct azure_parser *ap = parser;
	return wrap_infer(&ap->w, sample, len, unwrap, ap);
}

/* The fast path (see logfmt_fast_skip_fn): a record's message without
 * escapes, in place (wrap_fast_json_string).  Its category is not looked
 * at (it comes last): a record of another category that interest rejects
 * is counted as a message let go, where the parser would leave it out. */
static bool fast_skip(const char *buf, size_t len, logfmt_interest_fn interest,
		      struct logfmt_skip *sk)
{
	const char *nl = memchr(buf, '\n', len);
	if (!nl)
		return false;
	const char *k = memmem(buf, (size_t)(nl - buf), AZ_KEY, AZ_KEY_LEN);
	return k && wrap_fast_json_string(stderr_ops.fast_skip, buf, len,
					  (size_t)(k - buf) + AZ_KEY_LEN, false, interest, sk);
}

/* A record of Azure's PostgreSQL logs: a JSON object of that category, or
 * one with the LogicalServerName of Log Analytics and a message. */
static bool sniff(const char *line, size_t n)
{
	if (n < 2 || line[0] != '{' || line[1] != '"')
		return false;
	return memmem(line, n, "\"PostgreSQLLogs\"", 16) ||
	       (memmem(line, n, "\"LogicalServerName", 18) && memmem(line, n, AZ_KEY, AZ_KEY_LEN));
}

static const char *const aliases[] = {"azure-monitor", NULL};

const struct logfmt_ops azure_ops = {
    .id = LOGFMT_AZURE,
    .name = "azure",
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
