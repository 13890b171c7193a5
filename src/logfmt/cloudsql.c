/* SPDX-License-Identifier: PostgreSQL */
/*
 * cloudsql: the transport of Google Cloud SQL's logs as Cloud Logging
 * exports them (wrap.h): one LogEntry per line (a sink's files, or
 * "gcloud logging read --format=json" with the array taken apart),
 *   {"insertId":"...","logName":"projects/P/logs/cloudsql.googleapis.com%2F
 *    postgres.log","resource":{"labels":{"database_id":"P:INSTANCE",...},
 *    "type":"cloudsql_database"},"severity":"INFO","textPayload":"LINE",
 *    "timestamp":"2020-05-02T13:00:20.38403Z"}
 * the server's stderr line in textPayload, JSON-escaped.  Cloud SQL's
 * prefix is "[%p]: [%l-1] db=%d,user=%u " (older) or "%m [%p]: [%l-1]
 * db=%d,user=%u ": the entry's timestamp is the record's when the line has
 * none.  The server is resource.labels.database_id.  Entries without a
 * textPayload (audit logs, JSON payloads) are ENTRY_FOREIGN.
 */
#include "logfmt/formats.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "logfmt/ts.h"
#include "logfmt/wrap.h"
#include "util/xalloc.h"

#define CS_KEY "\"textPayload\":\""
#define CS_KEY_LEN (sizeof(CS_KEY) - 1)

struct cloudsql_parser {
	struct wrap w;
	json_t *obj; /* the entry parsed last: the server slice points into it */
};

/* One entry, read: the payload into out. */
struct cs_entry {
	int64_t ts_ms;
	struct slice server;
};

/* The string at o.k1.k2.k3 (k2, k3 may be NULL), or NULL. */
static json_t *get_path(json_t *o, const char *k1, const char *k2, const char *k3)
{
	json_t *v = json_object_get(o, k1);
	if (k2)
		v = json_object_get(v, k2);
	if (k3)
		v = json_object_get(v, k3);
	return json_is_string(v) ? v : NULL;
}

/* Read the entry o: textPayload appended to out.  False when o has none. */
static bool cs_read(json_t *o, struct sbuf *out, struct cs_entry *ce)
{
	json_t *text = get_path(o, "textPayload", NULL, NULL);
	if (!text)
		return false;
	size_t n = json_string_length(text);
	const char *t = json_string_value(text);
	while (n && (t[n - 1] == '\n' || t[n - 1] == '\r'))
		n--;
	sbuf_add(out, t, n);
	json_t *ts = get_path(o, "timestamp", NULL, NULL);
	size_t used;
	if (!ts ||
	    ts_parse_rfc3339(json_string_value(ts), json_string_length(ts), &ce->ts_ms, &used) < 0)
		ce->ts_ms = TS_UNKNOWN;
	json_t *db = get_path(o, "resource", "labels", "database_id");
	ce->server = db ? slice_make(json_string_value(db), json_string_length(db)) : SLICE_NULL;
	return true;
}

/* Read the entry p[0..n) as cs_read does, without jansson: the plain
 * entry Cloud Logging writes (textPayload a string, the other fields
 * unescaped).  False when the scanner is not sure: jansson then reads it. */
static bool cs_scan(const char *p, size_t n, struct sbuf *out, struct cs_entry *ce)
{
	struct slice ts, db;
	size_t mark = out->len, used;
	if (!wrap_json_string(p, n, CS_KEY, out))
		return false;
	while (out->len > mark &&
	       (out->buf[out->len - 1] == '\n' || out->buf[out->len - 1] == '\r'))
		out->buf[--out->len] = '\0';
	ce->ts_ms = TS_UNKNOWN;
	if (wrap_json_value(p, n, "\"timestamp\":\"", &ts) &&
	    ts_parse_rfc3339(ts.p, ts.len, &ce->ts_ms, &used) < 0)
		ce->ts_ms = TS_UNKNOWN;
	ce->server = wrap_json_value(p, n, "\"database_id\":\"", &db) ? db : SLICE_NULL;
	return true;
}

/* wrap_unwrap_fn: a sample entry's textPayload. */
static bool unwrap(void *transport, const char *line, size_t n, struct sbuf *out)
{
	json_t *o = json_loadb(line, n, 0, NULL);
	struct cs_entry ce;
	bool ok = o && cs_read(o, out, &ce);
	(void)transport;
	json_decref(o);
	return ok;
}

static void *ops_new(const char *prefix, const char **err)
{
	struct cloudsql_parser *cp = xcalloc(1, sizeof(*cp));
	if (wrap_init(&cp->w, prefix, err) < 0) {
		free(cp);
		return NULL;
	}
	return cp;
}

static void ops_free(void *parser)
{
	struct cloudsql_parser *cp = parser;
	if (!cp)
		return;
	json_decref(cp->obj);
	wrap_release(&cp->w);
	free(cp);
}

static enum logfmt_status ops_next(void *parser, const char *buf, size_t len, bool at_eof,
				   struct pg_entry *e, size_t *used, const char **why)
{
	struct cloudsql_parser *cp = parser;
	size_t n;
	struct cs_entry ce;

	if (why)
		*why = NULL;
	if (!wrap_line(buf, len, at_eof, &n, used))
		return LOGFMT_NEED_MORE;
	pg_entry_clear(e);
	json_decref(cp->obj);
	cp->obj = NULL;
	if (!(n && buf[0] == '{' && buf[n - 1] == '}' &&
	      cs_scan(buf, n, wrap_payload(&cp->w), &ce))) {
		cp->obj = json_loadb(buf, n, 0, NULL);
		if (!json_is_object(cp->obj)) {
			if (why)
				*why = "invalid JSON, skipped";
			return LOGFMT_BAD;
		}
		if (!cs_read(cp->obj, wrap_payload(&cp->w), &ce)) {
			e->kind = ENTRY_FOREIGN;
			return LOGFMT_OK;
		}
	}
	enum logfmt_status st = wrap_parse(&cp->w, e, why);
	if (st != LOGFMT_OK)
		return st;
	e->server = ce.server;
	if (e->kind == ENTRY_MESSAGE && e->ts_ms == TS_UNKNOWN)
		e->ts_ms = ce.ts_ms;
	return LOGFMT_OK;
}

static int ops_infer(void *parser, const char *sample, size_t len)
{
	struct cloudsql_parser *cp = parser;
	return wrap_infer(&cp->w, sample, len, unwrap, cp);
}

/* The fast path (see logfmt_fast_skip_fn): a textPayload without escapes,
 * in place (wrap_fast_json_string). */
static bool fast_skip(const char *buf, size_t len, logfmt_interest_fn interest,
		      struct logfmt_skip *sk)
{
	const char *nl = memchr(buf, '\n', len);
	const char *k = nl ? memmem(buf, (size_t)(nl - buf), CS_KEY, CS_KEY_LEN) : NULL;
	return k && wrap_fast_json_string(stderr_ops.fast_skip, buf, len,
					  (size_t)(k - buf) + CS_KEY_LEN, false, interest, sk);
}

/* A LogEntry of Cloud SQL: a JSON object naming the resource type or the
 * log of Cloud SQL's PostgreSQL. */
static bool sniff(const char *line, size_t n)
{
	static const char *const marks[] = {"\"cloudsql_database\"",
					    "cloudsql.googleapis.com%2Fpostgres", NULL};
	if (n < 2 || line[0] != '{' || line[1] != '"')
		return false;
	for (const char *const *m = marks; *m; m++)
		if (memmem(line, n, *m, strlen(*m)))
			return true;
	return false;
}

static const char *const aliases[] = {"cloud-sql", NULL};

const struct logfmt_ops cloudsql_ops = {
    .id = LOGFMT_CLOUDSQL,
    .name = "cloudsql",
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
