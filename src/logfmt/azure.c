/* SPDX-License-Identifier: PostgreSQL */
/*
 * azure: the transport of Azure Database for PostgreSQL - Flexible Server's
 * logs as Azure Monitor's diagnostic settings export them (wrap.h,
 * wrapjson.h): one record per line (a storage account's PT1H.json, an
 * Event Hub's, a Log Analytics query's rows),
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

#include <stdio.h>
#include <string.h>

#include "logfmt/ts.h"
#include "logfmt/wrapjson.h"

#define AZ_KEY "\"message\":\""
#define AZ_KEY_LEN (sizeof(AZ_KEY) - 1)
#define AZ_CATEGORY "PostgreSQLLogs"

/* The keys that name the server, in the order tried (Log Analytics' column,
 * with and without its "_s"), before resourceId. */
static const char *const server_keys[] = {"LogicalServerName", "LogicalServerName_s", NULL};

/* The record's time, RFC 3339 text, into *ms (left alone when unreadable). */
static void record_time(const char *p, size_t n, int64_t *ms)
{
	size_t used;
	int64_t t;
	if (ts_parse_rfc3339(p, n, &t, &used) == 0)
		*ms = t;
}

/* The server's name in a resourceId: its last part. */
static struct slice resource_name(const char *p, size_t n)
{
	size_t s = n;
	while (s > 0 && p[s - 1] != '/')
		s--;
	return slice_make(p + s, n - s);
}

/* wrapjson_reader.scan: the plain record, its fields found by key.  A
 * record of another category goes to read. */
static bool scan(const char *p, size_t n, struct sbuf *out, struct wrap_outer *o)
{
	struct slice v;
	if (!wrap_json_value(p, n, "\"category\":\"", &v) || !slice_eq(v, AZ_CATEGORY) ||
	    !wrap_json_string(p, n, AZ_KEY, out))
		return false;
	const char *k = memmem(p, n, "\"processId\":", 12);
	if (k) {
		int64_t pid = 0;
		size_t i = (size_t)(k - p) + 12, d = i;
		while (i < n && i - d < 18 && p[i] >= '0' && p[i] <= '9')
			pid = pid * 10 + (p[i++] - '0');
		if (i > d)
			o->pid = pid;
	}
	if (wrap_json_value(p, n, "\"time\":\"", &v))
		record_time(v.p, v.len, &o->ts_ms);
	for (const char *const *nm = server_keys; *nm && !o->server.len; nm++) {
		char key[32];
		snprintf(key, sizeof(key), "\"%s\":\"", *nm);
		wrap_json_value(p, n, key, &o->server);
	}
	if (!o->server.len && wrap_json_value(p, n, "\"resourceId\":\"", &v))
		o->server = resource_name(v.p, v.len);
	return true;
}

/* wrapjson_reader.read: a record of the PostgreSQL logs' category (or of
 * none) with a message. */
static bool read_record(json_t *obj, struct sbuf *out, struct wrap_outer *o)
{
	json_t *props = json_object_get(obj, "properties");
	json_t *msg = wrapjson_string(props, "message", NULL, NULL);
	json_t *cat = wrapjson_string(obj, "category", NULL, NULL);
	if (!msg || (cat && strcmp(json_string_value(cat), AZ_CATEGORY) != 0))
		return false;
	wrapjson_add_line(out, msg);
	json_t *pid = json_object_get(props, "processId");
	if (json_is_integer(pid) && json_integer_value(pid) >= 0)
		o->pid = (int64_t)json_integer_value(pid);
	json_t *ts = wrapjson_string(obj, "time", NULL, NULL);
	if (ts)
		record_time(json_string_value(ts), json_string_length(ts), &o->ts_ms);
	for (const char *const *k = server_keys; *k; k++) {
		json_t *v = wrapjson_string(obj, *k, NULL, NULL);
		if (!v)
			v = wrapjson_string(props, *k, NULL, NULL);
		if (v) {
			o->server = slice_make(json_string_value(v), json_string_length(v));
			return true;
		}
	}
	json_t *id = wrapjson_string(obj, "resourceId", NULL, NULL);
	if (id)
		o->server = resource_name(json_string_value(id), json_string_length(id));
	return true;
}

static const struct wrapjson_reader reader = {.scan = scan, .read = read_record};

static void *ops_new(const char *prefix, const char **err)
{
	return wrapjson_new(&reader, prefix, err);
}

/* The fast path (see logfmt_fast_skip_fn): a record's message without
 * escapes, in place (wrap_fast_json_string).  Its category is not looked
 * at (it comes last): a record of another category that interest rejects
 * is counted as a message let go, where the parser would leave it out. */
static bool fast_skip(const char *buf, size_t len, logfmt_interest_fn interest,
		      struct logfmt_skip *sk)
{
	return wrapjson_fast_skip(AZ_KEY, AZ_KEY_LEN, buf, len, interest, sk);
}

/* A record of Azure's PostgreSQL logs: a JSON object of that category, or
 * one with the LogicalServerName of Log Analytics and a message. */
static bool sniff(const char *line, size_t n)
{
	if (n < 2 || line[0] != '{' || line[1] != '"')
		return false;
	return memmem(line, n, "\"" AZ_CATEGORY "\"", sizeof(AZ_CATEGORY) + 1) ||
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
    .free = wrapjson_free,
    .infer = wrapjson_infer,
    .next = wrapjson_next,
    .fast_skip = fast_skip,
    .set_env = NULL,
    .note = NULL,
};
