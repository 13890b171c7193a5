/* SPDX-License-Identifier: PostgreSQL */
/*
 * cnpg: the transport of CloudNativePG's logs (wrap.h's pattern, though no
 * inner parser is run): the instance manager turns the server's csvlog
 * into one JSON object per line on the pod's stdout,
 *   {"level":"info","ts":1669575482.0935373,"logger":"postgres",
 *    "msg":"record","logging_pod":"pg-1","record":{"log_time":"...",
 *    "user_name":"app","process_id":"600",...,"message":"..."}}
 * the record's keys the csvlog column names, every value a string, empty
 * columns left out.  The record is mapped as jsonlog maps its objects
 * (jsonlog_map_object) under those names, connection_from split as csvlog
 * splits it.  Only the "postgres" logger's lines are the server's records
 * (the first releases wrote "msg":"postgres" and no logger); the others
 * (instance manager, wal-archive, pg_controldata, pgaudit) are
 * ENTRY_FOREIGN.  A line as CloudNativePG writes it (the record last, no
 * escapes in the outer keys read) is read by jsonlog's scanner; any other
 * goes to jansson.  "ts" is epoch seconds (older releases) or an RFC 3339
 * string; it is the time when the record has no log_time.  The server is
 * the pod ("logging_pod", "logging_podName" in the docs of 1.17-1.21).
 */
#include "logfmt/formats.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "logfmt/jsonscan.h"
#include "logfmt/ts.h"
#include "logfmt/wrap.h"
#include "util/xalloc.h"

/* The csvlog column that carries each field jsonlog maps. */
static const char *const record_keys[JSCAN_NKEYS] = {
    [JSCAN_TIMESTAMP] = "log_time",
    [JSCAN_USER] = "user_name",
    [JSCAN_DBNAME] = "database_name",
    [JSCAN_PID] = "process_id",
    [JSCAN_REMOTE_HOST] = "connection_from", /* host:port, split after */
    [JSCAN_REMOTE_PORT] = NULL,
    [JSCAN_SESSION_ID] = "session_id",
    [JSCAN_ERROR_SEVERITY] = "error_severity",
    [JSCAN_STATE_CODE] = "sql_state_code",
    [JSCAN_MESSAGE] = "message",
    [JSCAN_APPLICATION_NAME] = "application_name",
    [JSCAN_BACKEND_TYPE] = "backend_type",
};

/* The keys naming the pod, in the order tried. */
static const char *const pod_keys[] = {"logging_pod", "logging_podName", NULL};

struct cnpg_parser {
	json_t *obj; /* the line parsed last by jansson: the entry's slices
			point into it, or into scan */
	char port[24];
	char *scan; /* the record's strings as jscan_object unescaped them */
	size_t scan_alloc;
};

/* Where the record begins in a line as CloudNativePG writes it (its last
 * key: the line ends with the record's '}' and the line's). */
#define REC_KEY "\"record\":{"
#define REC_KEY_LEN (sizeof(REC_KEY) - 1)
/* How far into a line the fast path looks for the logger: it follows
 * "level" and "ts" (a line whose logger comes later goes to the parser). */
#define CNPG_HEAD 160

static const char *str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Is the line's object a record of the server? */
static bool is_server_record(json_t *o)
{
	const char *logger = str(o, "logger");
	if (logger)
		return strcmp(logger, "postgres") == 0;
	const char *msg = str(o, "msg");
	return msg && strcmp(msg, "postgres") == 0;
}

/* "ts": epoch seconds as a number, or an RFC 3339 string; TS_UNKNOWN. */
static int64_t ts_of(json_t *o)
{
	json_t *t = json_object_get(o, "ts");
	int64_t ms;
	size_t used;
	if (json_is_number(t)) {
		double s = json_number_value(t);
		return s > 0 && s < 1e13 ? (int64_t)(s * 1000.0) : TS_UNKNOWN;
	}
	if (json_is_string(t) &&
	    ts_parse_rfc3339(json_string_value(t), json_string_length(t), &ms, &used) == 0)
		return ms;
	return TS_UNKNOWN;
}

/*
 * The plain line CloudNativePG writes, read without jansson: the outer keys
 * (logger, pod) found in the text before the record, the record -- the
 * line's last key -- read by jsonlog's scanner under the csvlog names.
 * 1 with e filled, 0 for another logger's line (ENTRY_FOREIGN), -1 when
 * the line is not of that plain shape or has no log_time (jansson then
 * reads it).
 */
static int scan_line(struct cnpg_parser *cp, const char *buf, size_t n, struct pg_entry *e)
{
	if (n < REC_KEY_LEN + 4 || buf[n - 1] != '}' || buf[n - 2] != '}')
		return -1;
	const char *rec = memmem(buf, n, REC_KEY, REC_KEY_LEN);
	if (!rec)
		return -1;
	size_t head = (size_t)(rec - buf);
	struct slice logger, pod;
	if (!wrap_json_value(buf, head, "\"logger\":\"", &logger))
		return -1;
	if (!slice_eq(logger, "postgres"))
		return 0;
	const char *r = rec + REC_KEY_LEN - 1;
	size_t rn = (size_t)(buf + n - 1 - r);
	if (cp->scan_alloc < rn) {
		free(cp->scan);
		cp->scan_alloc = rn < 4096 ? 4096 : rn;
		cp->scan = xmalloc(cp->scan_alloc);
	}
	struct jscan_value v[JSCAN_NKEYS];
	if (!jscan_object(r, rn, cp->scan, record_keys, v) ||
	    v[JSCAN_TIMESTAMP].type != JSCAN_STRING)
		return -1;
	jsonlog_map_values(v, e, cp->port);
	if (wrap_json_value(buf, head, "\"logging_pod\":\"", &pod) ||
	    wrap_json_value(buf, head, "\"logging_podName\":\"", &pod))
		e->server = pod;
	return 1;
}

static void *ops_new(const char *prefix, const char **err)
{
	(void)prefix;
	(void)err;
	return xcalloc(1, sizeof(struct cnpg_parser));
}

static void ops_free(void *parser)
{
	struct cnpg_parser *cp = parser;
	if (!cp)
		return;
	json_decref(cp->obj);
	free(cp->scan);
	free(cp);
}

static enum logfmt_status ops_next(void *parser, const char *buf, size_t len, bool at_eof,
				   struct pg_entry *e, size_t *used, const char **why)
{
	struct cnpg_parser *cp = parser;
	size_t n;

	if (why)
		*why = NULL;
	if (!wrap_line(buf, len, at_eof, &n, used))
		return LOGFMT_NEED_MORE;
	pg_entry_clear(e);
	while (n && buf[n - 1] == ' ')
		n--;
	if (n == 0) {
		e->kind = ENTRY_OTHER;
		return LOGFMT_OK;
	}
	json_decref(cp->obj);
	cp->obj = NULL;
	int scanned = scan_line(cp, buf, n, e);
	if (scanned == 0) {
		e->kind = ENTRY_FOREIGN;
		return LOGFMT_OK;
	}
	if (scanned > 0) {
		if (e->kind == ENTRY_MESSAGE)
			csvlog_split_connection(e->host, &e->host, &e->port);
		return LOGFMT_OK;
	}
	cp->obj = json_loadb(buf, n, 0, NULL);
	if (!json_is_object(cp->obj)) {
		if (why)
			*why = "invalid JSON, skipped";
		return LOGFMT_BAD;
	}
	if (!is_server_record(cp->obj)) {
		e->kind = ENTRY_FOREIGN;
		return LOGFMT_OK;
	}
	json_t *rec = json_object_get(cp->obj, "record");
	if (!json_is_object(rec)) {
		if (why)
			*why = "a postgres logger line without its record, skipped";
		return LOGFMT_BAD;
	}
	jsonlog_map_object(rec, record_keys, e, cp->port);
	if (e->kind != ENTRY_MESSAGE)
		return LOGFMT_OK;
	csvlog_split_connection(e->host, &e->host, &e->port);
	if (e->ts_ms == TS_UNKNOWN)
		e->ts_ms = ts_of(cp->obj);
	for (const char *const *k = pod_keys; *k; k++) {
		json_t *pod = json_object_get(cp->obj, *k);
		if (json_is_string(pod)) {
			e->server = slice_make(json_string_value(pod), json_string_length(pod));
			break;
		}
	}
	return LOGFMT_OK;
}

/*
 * The fast path (see logfmt_fast_skip_fn): a "postgres" logger's line, as
 * CloudNativePG writes it, goes to jsonlog's fast path whole -- the
 * record's "error_severity", "sql_state_code" and "message" follow each
 * other as in a jsonlog line, and the outer object's keys come before
 * them.  Other lines go to the parser.
 */
static bool fast_skip(const char *buf, size_t len, logfmt_interest_fn interest,
		      struct logfmt_skip *sk)
{
	static const char kl[] = "\"logger\":\"postgres\"";
	const char *nl = memchr(buf, '\n', len);
	/* The logger is among the first keys: looked for there only. */
	size_t head = nl ? (size_t)(nl - buf) : 0;
	if (!nl || !memmem(buf, head < CNPG_HEAD ? head : CNPG_HEAD, kl, sizeof(kl) - 1))
		return false;
	return wrap_fast_inner(jsonlog_ops.fast_skip, buf, len, 0, interest, sk);
}

/* A JSON object with CloudNativePG's own keys: the pod's, or a logger and
 * a msg. */
static bool sniff(const char *line, size_t n)
{
	static const char *const keys[] = {"\"logging_pod", "\"logger\":\"", NULL};
	if (n < 2 || line[0] != '{' || line[1] != '"')
		return false;
	for (const char *const *k = keys; *k; k++)
		if (memmem(line, n, *k, strlen(*k)) && memmem(line, n, "\"msg\":\"", 7))
			return true;
	return false;
}

static const char *const aliases[] = {"cloudnativepg", NULL};

const struct logfmt_ops cnpg_ops = {
    .id = LOGFMT_CNPG,
    .name = "cnpg",
    .aliases = aliases,
    .transport = true,
    .suffix = "",
    .suffix_decides = false,
    .sniff = sniff,
    .new = ops_new,
    .free = ops_free,
    .infer = NULL,
    .next = ops_next,
    .fast_skip = fast_skip,
    .set_env = NULL,
    .note = NULL,
};
