/* SPDX-License-Identifier: PostgreSQL */
/*
 * jsonlog: read one PostgreSQL jsonlog record (one JSON object per line,
 * PostgreSQL 15+) with jansson and map its keys to a pg_entry.  Keys the
 * server omitted (NULL values) leave the matching fields absent.
 */
#include "logfmt/formats.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "logfmt/ts.h"
#include "util/sbuf.h"
#include "util/xalloc.h"

/* A line longer than this is BAD rather than waited for. */
#define JSON_LINE_MAX ((size_t)64 * 1024 * 1024)

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
	free(jp);
}

/*
 * Length of the valid UTF-8 sequence at p[0..n), or 0 if p does not start
 * with one (a stray continuation byte, an overlong form, a surrogate, a code
 * point past U+10FFFF, or a sequence cut by n).
 */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	size_t k;
	unsigned min, cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		k = 2;
		min = 0x80;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		k = 3;
		min = 0x800;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		k = 4;
		min = 0x10000;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < k)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return k;
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

/* The string value of key in obj, or an absent slice if the key is missing,
 * null or not a string.  Points into obj. */
static struct slice get_str(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_string(v))
		return SLICE_NULL;
	return slice_make(json_string_value(v), json_string_length(v));
}

/* pid as a JSON integer or a string of digits; PID_UNKNOWN otherwise. */
static int64_t get_pid(json_t *obj)
{
	json_t *v = json_object_get(obj, "pid");

	if (json_is_integer(v)) {
		json_int_t n = json_integer_value(v);
		return n >= 0 ? (int64_t)n : PID_UNKNOWN;
	}
	struct slice s = get_str(obj, "pid");
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

/* remote_port as a JSON integer (printed into jp->port) or a string. */
static struct slice get_port(struct json_parser *jp, json_t *obj)
{
	json_t *v = json_object_get(obj, "remote_port");

	if (json_is_integer(v)) {
		json_int_t n = json_integer_value(v);
		if (n < 0)
			return SLICE_NULL;
		int w = snprintf(jp->port, sizeof(jp->port), "%" JSON_INTEGER_FORMAT, n);
		if (w <= 0 || (size_t)w >= sizeof(jp->port))
			return SLICE_NULL;
		return slice_make(jp->port, (size_t)w);
	}
	return get_str(obj, "remote_port");
}

/* Fill e from a jsonlog object. */
static void map_object(struct json_parser *jp, json_t *obj, struct pg_entry *e)
{
	struct slice s;
	int64_t ms;
	size_t n;

	e->kind = ENTRY_MESSAGE;
	s = get_str(obj, "timestamp");
	if (s.len && ts_parse(s.p, s.len, &ms, &n, NULL) == 0)
		e->ts_ms = ms;
	e->user = get_str(obj, "user");
	e->database = get_str(obj, "dbname");
	e->pid = get_pid(obj);
	e->host = get_str(obj, "remote_host");
	e->port = get_port(jp, obj);
	e->session_id = get_str(obj, "session_id");
	/* jsonlog writes the untranslated severity, so this maps even when the
	 * message is in another language. */
	e->sev_word = get_str(obj, "error_severity");
	if (e->sev_word.len)
		e->sev = pg_sev_from_word(e->sev_word.p, e->sev_word.len);
	e->sqlstate = get_str(obj, "state_code");
	e->message = get_str(obj, "message");
	e->application = get_str(obj, "application_name");
	e->backend_type = get_str(obj, "backend_type");
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
	if (!json_object_get(obj, "timestamp") && !json_object_get(obj, "error_severity") &&
	    !json_object_get(obj, "message")) {
		e->kind = ENTRY_OTHER;
		return LOGFMT_OK;
	}
	map_object(jp, obj, e);
	return LOGFMT_OK;
}
