/* SPDX-License-Identifier: PostgreSQL */
/*
 * cloudsql: the transport of Google Cloud SQL's logs as Cloud Logging
 * exports them (wrap.h, wrapjson.h): one LogEntry per line (a sink's
 * files, or "gcloud logging read --format=json" with the array taken
 * apart),
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

#include <string.h>

#include "logfmt/ts.h"
#include "logfmt/wrapjson.h"

#define CS_KEY "\"textPayload\":\""
#define CS_KEY_LEN (sizeof(CS_KEY) - 1)

/* The entry's time, RFC 3339 text, into *ms (left alone when unreadable). */
static void entry_time(const char *p, size_t n, int64_t *ms)
{
	size_t used;
	int64_t t;
	if (ts_parse_rfc3339(p, n, &t, &used) == 0)
		*ms = t;
}

/* wrapjson_reader.scan: the plain entry, its fields found by key. */
static bool scan(const char *p, size_t n, struct sbuf *out, struct wrap_outer *o)
{
	struct slice ts, db;
	if (!wrap_json_string(p, n, CS_KEY, out))
		return false;
	if (wrap_json_value(p, n, "\"timestamp\":\"", &ts))
		entry_time(ts.p, ts.len, &o->ts_ms);
	if (wrap_json_value(p, n, "\"database_id\":\"", &db))
		o->server = db;
	return true;
}

/* wrapjson_reader.read: any entry with a textPayload. */
static bool read_entry(json_t *obj, struct sbuf *out, struct wrap_outer *o)
{
	json_t *text = wrapjson_string(obj, "textPayload", NULL, NULL);
	if (!text)
		return false;
	wrapjson_add_line(out, text);
	json_t *ts = wrapjson_string(obj, "timestamp", NULL, NULL);
	if (ts)
		entry_time(json_string_value(ts), json_string_length(ts), &o->ts_ms);
	json_t *db = wrapjson_string(obj, "resource", "labels", "database_id");
	if (db)
		o->server = slice_make(json_string_value(db), json_string_length(db));
	return true;
}

static const struct wrapjson_reader reader = {.scan = scan, .read = read_entry};

static void *ops_new(const char *prefix, const char **err)
{
	return wrapjson_new(&reader, prefix, err);
}

/* The fast path (see logfmt_fast_skip_fn): a textPayload without escapes,
 * in place (wrap_fast_json_string). */
static bool fast_skip(const char *buf, size_t len, logfmt_interest_fn interest,
		      struct logfmt_skip *sk)
{
	return wrapjson_fast_skip(CS_KEY, CS_KEY_LEN, buf, len, interest, sk);
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
    .free = wrapjson_free,
    .infer = wrapjson_infer,
    .next = wrapjson_next,
    .fast_skip = fast_skip,
    .set_env = NULL,
    .note = NULL,
};
