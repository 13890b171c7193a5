/* SPDX-License-Identifier: PostgreSQL */
/*
 * jsonlog: read one PostgreSQL jsonlog record (one JSON object per line,
 * PostgreSQL 15+) and map its keys to a pg_entry.  Keys the server omitted
 * (NULL values) leave the matching fields absent.
 *
 * The strict scanner of jsonscan.c reads the plain flat objects PostgreSQL
 * writes; any line it does not fully understand goes to jansson, which then
 * decides, so odd or hostile input gets exactly jansson's answer.  The
 * format's fast path reads the severity and the start of the message
 * straight from a line laid out as PostgreSQL writes it.
 */
#include "logfmt/formats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "logfmt/jsonscan.h"
#include "logfmt/ts.h"
#include "util/sbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* A line longer than this is BAD rather than waited for. */
#define JSON_LINE_MAX ((size_t)64 * 1024 * 1024)

/* Longer lines go straight to jansson, so the scanner's buffer stays small. */
#define SCAN_LINE_MAX ((size_t)1024 * 1024)

struct json_parser {
	/* The object of the last record returned, or NULL.  Entry slices point
	 * into its strings, so it lives until the next call (or _free). */
	json_t *obj;
	/* remote_port given as a number, printed as digits; e->port points here. */
	char port[24];
	/* The line with invalid UTF-8 replaced, when the server wrote bytes of a
	 * non-UTF-8 database encoding (jansson refuses those).  Capped at
	 * JSON_LINE_MAX * 3; the allocation is kept between calls. */
	struct sbuf fixed;
	/* The scanner's output: the unescaped strings of the last record it
	 * read.  Grown to the longest line scanned (at most SCAN_LINE_MAX). */
	char *scan;
	size_t scan_alloc;
	bool no_scan; /* json_parser_use_scanner(jp, false) */
};

struct json_parser *json_parser_new(void)
{
	struct json_parser *jp = xcalloc(1, sizeof(*jp));

	sbuf_init(&jp->fixed, JSON_LINE_MAX * 3);
	return jp;
}

void json_parser_free(struct json_parser *jp)
{
	if (!jp)
		return;
	json_decref(jp->obj);
	sbuf_release(&jp->fixed);
	free(jp->scan);
	free(jp);
}

void json_parser_use_scanner(struct json_parser *jp, bool on)
{
	jp->no_scan = !on;
}

/*
 * If p[0..n) is not valid UTF-8, copy it into jp->fixed with each invalid
 * byte replaced by U+FFFD and return 1; return 0 if it is valid (nothing
 * copied) and -1 if the copy would pass the cap.
 */
static int fix_utf8(struct json_parser *jp, const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t i = 0, k;

	while (i < n && (k = utf8_seq(u + i, n - i)) != 0)
		i += k;
	if (i == n)
		return 0;
	sbuf_reset(&jp->fixed);
	if (sbuf_add(&jp->fixed, p, i) < 0)
		return -1;
	while (i < n) {
		k = utf8_seq(u + i, n - i);
		if (k == 0) {
			if (sbuf_add(&jp->fixed, "\xEF\xBF\xBD", 3) < 0)
				return -1;
			i++;
		} else {
			if (sbuf_add(&jp->fixed, p + i, k) < 0)
				return -1;
			i += k;
		}
	}
	return 1;
}

/* The values of the keys we map, from a jansson object whose keys are
 * named as names[] has them (NULL: not carried); strings point into obj. */
static void values_from_object(json_t *obj, const char *const *names,
			       struct jscan_value v[JSCAN_NKEYS])
{
	for (int k = 0; k < JSCAN_NKEYS; k++) {
		json_t *x = names[k] ? json_object_get(obj, names[k]) : NULL;

		v[k] = (struct jscan_value){JSCAN_ABSENT, NULL, 0, 0};
		if (!x)
			continue;
		if (json_is_string(x)) {
			v[k].type = JSCAN_STRING;
			v[k].p = json_string_value(x);
			v[k].len = json_string_length(x);
		} else if (json_is_integer(x)) {
			v[k].type = JSCAN_INT;
			v[k].n = (long long)json_integer_value(x);
		} else {
			v[k].type = JSCAN_OTHER;
		}
	}
}

/* A string value, or an absent slice if the key is missing, null or not a
 * string. */
static struct slice get_str(const struct jscan_value *v)
{
	if (v->type != JSCAN_STRING)
		return SLICE_NULL;
	return slice_make(v->p, v->len);
}

/* pid as a JSON integer or a string of digits; PID_UNKNOWN otherwise. */
static int64_t get_pid(const struct jscan_value *v)
{
	if (v->type == JSCAN_INT)
		return v->n >= 0 ? (int64_t)v->n : PID_UNKNOWN;
	struct slice s = get_str(v);
	if (s.len == 0 || s.len > 18)
		return PID_UNKNOWN;
	int64_t n = 0;
	for (size_t i = 0; i < s.len; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return PID_UNKNOWN;
		n = n * 10 + (s.p[i] - '0');
	}
	return n;
}

/* remote_port as a JSON integer (printed into port, 24 bytes) or a
 * string. */
static struct slice get_port(char *port, const struct jscan_value *v)
{
	if (v->type == JSCAN_INT) {
		if (v->n < 0)
			return SLICE_NULL;
		int w = snprintf(port, 24, "%lld", v->n);
		if (w <= 0 || w >= 24)
			return SLICE_NULL;
		return slice_make(port, (size_t)w);
	}
	return get_str(v);
}

/* Fill e from the values of a jsonlog object.  An object with none of
 * timestamp, error_severity and message is ENTRY_OTHER. */
static void map_values(char *port, const struct jscan_value v[JSCAN_NKEYS], struct pg_entry *e)
{
	struct slice s;
	int64_t ms;
	size_t n;

	if (v[JSCAN_TIMESTAMP].type == JSCAN_ABSENT &&
	    v[JSCAN_ERROR_SEVERITY].type == JSCAN_ABSENT && v[JSCAN_MESSAGE].type == JSCAN_ABSENT) {
		e->kind = ENTRY_OTHER;
		return;
	}
	e->kind = ENTRY_MESSAGE;
	s = get_str(&v[JSCAN_TIMESTAMP]);
	if (s.len && ts_parse(s.p, s.len, &ms, &n, NULL) == 0)
		e->ts_ms = ms;
	e->user = get_str(&v[JSCAN_USER]);
	e->database = get_str(&v[JSCAN_DBNAME]);
	e->pid = get_pid(&v[JSCAN_PID]);
	e->host = get_str(&v[JSCAN_REMOTE_HOST]);
	e->port = get_port(port, &v[JSCAN_REMOTE_PORT]);
	e->session_id = get_str(&v[JSCAN_SESSION_ID]);
	/* jsonlog writes the untranslated severity, so this maps even when the
	 * message is in another language. */
	e->sev_word = get_str(&v[JSCAN_ERROR_SEVERITY]);
	if (e->sev_word.len)
		e->sev = pg_sev_from_word(e->sev_word.p, e->sev_word.len);
	e->sqlstate = get_str(&v[JSCAN_STATE_CODE]);
	e->message = get_str(&v[JSCAN_MESSAGE]);
	e->application = get_str(&v[JSCAN_APPLICATION_NAME]);
	e->backend_type = get_str(&v[JSCAN_BACKEND_TYPE]);
}

void jsonlog_map_object(json_t *obj, const char *const *names, struct pg_entry *e, char *port)
{
	struct jscan_value v[JSCAN_NKEYS];

	pg_entry_clear(e);
	values_from_object(obj, names, v);
	map_values(port, v, e);
}

void jsonlog_map_values(const struct jscan_value *v, struct pg_entry *e, char *port)
{
	pg_entry_clear(e);
	map_values(port, v, e);
}

static bool is_blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return false;
	return true;
}

/*
 * Parse one jsonlog line from the front of buf[0..len); the contract of
 * logfmt_next().  Returns:
 *   LOGFMT_OK        *e holds the record and *used the line's bytes (its
 *                    newline included).  A blank line, and an object with
 *                    none of timestamp, error_severity and message, come
 *                    back as ENTRY_OTHER.  At end of file with len == 0:
 *                    ENTRY_OTHER with *used = 0.
 *   LOGFMT_NEED_MORE no newline in buf and !at_eof.
 *   LOGFMT_BAD       the line (*used bytes) is not valid JSON (e.g. cut in
 *                    half, or holding a raw NUL byte), not an object, or has
 *                    no end within JSON_LINE_MAX bytes.
 * Bytes that are not valid UTF-8 are read as U+FFFD rather than rejected.
 * *e's slices point into jp and stay valid until the next call.
 */
enum logfmt_status json_parser_next(struct json_parser *jp, const char *buf, size_t len,
				    bool at_eof, struct pg_entry *e, size_t *used, const char **why)
{
	const char *dummy;
	json_error_t err;

	if (!why)
		why = &dummy;
	*why = NULL;
	*used = 0;
	pg_entry_clear(e);
	json_decref(jp->obj);
	jp->obj = NULL;

	const char *nl = memchr(buf, '\n', len);
	size_t line = nl ? (size_t)(nl - buf) : len;
	if (!nl && !at_eof) {
		if (len <= JSON_LINE_MAX)
			return LOGFMT_NEED_MORE;
		*used = len;
		*why = "jsonlog line too long";
		return LOGFMT_BAD;
	}
	*used = nl ? line + 1 : len;
	if (line > JSON_LINE_MAX) {
		*why = "jsonlog line too long";
		return LOGFMT_BAD;
	}
	if (is_blank(buf, line)) {
		e->kind = ENTRY_OTHER;
		return LOGFMT_OK;
	}

	struct jscan_value v[JSCAN_NKEYS];
	if (!jp->no_scan && line <= SCAN_LINE_MAX) {
		/* The scanner accepts only valid UTF-8, so a line it reads needs
		 * no fixing. */
		if (jp->scan_alloc < line) {
			size_t want = jp->scan_alloc ? jp->scan_alloc : 4096;
			while (want < line)
				want *= 2;
			free(jp->scan);
			jp->scan = xmalloc(want);
			jp->scan_alloc = want;
		}
		if (jscan_line(buf, line, jp->scan, v)) {
			map_values(jp->port, v, e);
			return LOGFMT_OK;
		}
	}

	const char *text = buf;
	int fixed = fix_utf8(jp, buf, line);
	if (fixed < 0) {
		*why = "jsonlog line too long";
		return LOGFMT_BAD;
	}
	if (fixed) {
		text = jp->fixed.buf;
		line = jp->fixed.len;
	}
	json_t *obj = json_loadb(text, line, JSON_ALLOW_NUL, &err);
	if (fixed)
		sbuf_reset(&jp->fixed);
	if (!obj) {
		*why = "invalid JSON in jsonlog line";
		return LOGFMT_BAD;
	}
	if (!json_is_object(obj)) {
		json_decref(obj);
		*why = "jsonlog line is not a JSON object";
		return LOGFMT_BAD;
	}
	jp->obj = obj;
	values_from_object(obj, jscan_key_names, v);
	map_values(jp->port, v, e);
	return LOGFMT_OK;
}

/*
 * The start of the string value of key (its first "key":" in line[0..len)),
 * or NULL: memmem's answer, found faster.  The candidates are the places of
 * key[rare], a byte the lines hold seldom before the key, found with memchr
 * (which looks at many bytes at a time); each is checked whole, in order,
 * so the first that matches is the first occurrence.
 */
static const char *fast_value(const char *line, size_t len, const char *key, size_t klen,
			      size_t rare)
{
	if (len < klen)
		return NULL;
	const char *p = line + rare, *stop = line + (len - klen) + rare + 1;
	while (p < stop && (p = memchr(p, key[rare], (size_t)(stop - p))) != NULL) {
		if (memcmp(p - rare, key, klen) == 0)
			return p - rare + klen;
		p++;
	}
	return NULL;
}

/*
 * The fast path (see logfmt_fast_skip_fn): "error_severity" and the start of
 * "message" read straight from the line (up to its first escape; an escape
 * in the first 40 bytes sends the line to the parser), and only for a whole
 * object whose keys are where PostgreSQL writes them.  It does not parse
 * the JSON: on a line PostgreSQL cannot have written (a key given twice, or
 * spelt with escapes) it may read another "message" than jansson, which
 * keeps the last.  Such a line is counted as a message, unread.
 */
static bool fast_skip(const char *buf, size_t len, logfmt_interest_fn interest,
		      struct logfmt_skip *sk)
{
	static const char ksev[] = "\"error_severity\":\"", kmsg[] = "\",\"message\":\"";
	const char *line = buf, *nl = memchr(buf, '\n', len);
	if (!nl)
		return false;
	const char *end = nl;
	while (end > line && (end[-1] == '\r' || end[-1] == ' '))
		end--;
	if (end == line || end[-1] != '}' || line[0] != '{')
		return false; /* not a whole object: the parser reports it */
	len = (size_t)(end - line);
	/* The 'y' of error_severity: no key before it has one. */
	const char *sv = fast_value(line, len, ksev, sizeof(ksev) - 1, 14);
	if (!sv)
		return false;
	const char *se = memchr(sv, '"', (size_t)(end - sv));
	if (!se)
		return false;
	enum pg_sev sev = pg_sev_from_word(sv, (size_t)(se - sv));
	if (sev == SEV_UNKNOWN)
		return false;
	/* "message" follows the severity (and "state_code", when set). */
	size_t mlen = sizeof(kmsg) - 1;
	const char *mv = (size_t)(end - se) >= mlen && memcmp(se, kmsg, mlen) == 0
			     ? se + mlen
			     : fast_value(se, (size_t)(end - se), kmsg, mlen, 3);
	if (!mv)
		return false;
	size_t avail = (size_t)(end - mv), n = 0;
	/* The classifier's test looks at the first words: 64 bytes are plenty. */
	while (n < avail && n < 64 && mv[n] != '"' && mv[n] != '\\')
		n++;
	/* An escape early in the message: the parser decides.  Later ones do
	 * not matter, the messages pgtail knows begin with plain words. */
	if (n < avail && n < 40 && mv[n] == '\\')
		return false;
	if (interest(sev, mv, n))
		return false;
	sk->used = (size_t)(nl - buf) + 1;
	sk->lines = 1;
	sk->message = true;
	return true;
}

/* A line that starts a JSON object with a key. */
static bool sniff(const char *line, size_t n)
{
	return n >= 2 && line[0] == '{' && line[1] == '"';
}

static void *ops_new(const char *prefix, const char **err)
{
	return json_parser_new();
}

static void ops_free(void *parser)
{
	json_parser_free(parser);
}

static enum logfmt_status ops_next(void *parser, const char *buf, size_t len, bool at_eof,
				   struct pg_entry *e, size_t *used, const char **why)
{
	return json_parser_next(parser, buf, len, at_eof, e, used, why);
}

static const char *const aliases[] = {"json", NULL};

const struct logfmt_ops jsonlog_ops = {
    .id = LOGFMT_JSON,
    .name = "jsonlog",
    .aliases = aliases,
    .suffix = ".json",
    .suffix_decides = true,
    .sniff = sniff,
    .new = ops_new,
    .free = ops_free,
    .infer = NULL,
    .next = ops_next,
    .fast_skip = fast_skip,
};
