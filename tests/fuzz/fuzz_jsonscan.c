/* SPDX-License-Identifier: PostgreSQL */
/*
 * Differential libFuzzer target for the jsonlog scanner (jsonscan.c): for
 * every line of the input, whenever the scanner accepts it, jansson (as the
 * jsonlog parser calls it) must accept it too and give every extracted key
 * the same type and value.  And json_parser_next() must return the same
 * thing with the scanner on and off.  Any difference aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "logfmt/formats.h"
#include "logfmt/jsonscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Both absent, or the same bytes (a present empty string is not absent). */
static void same_slice(struct slice a, struct slice b)
{
	if ((a.p == NULL) != (b.p == NULL) || a.len != b.len ||
	    (a.len && memcmp(a.p, b.p, a.len) != 0))
		abort();
}

/* The scanner against jansson, on one line. */
static void check_scanner(const char *line, size_t n)
{
	static char *out;
	static size_t out_alloc;
	struct jscan_value v[JSCAN_NKEYS];

	if (out_alloc < n + 1) {
		free(out);
		out_alloc = n + 1;
		out = malloc(out_alloc);
		if (!out)
			abort();
	}
	if (!jscan_line(line, n, out, v))
		return;

	json_error_t err;
	json_t *obj = json_loadb(line, n, JSON_ALLOW_NUL, &err);
	if (!obj || !json_is_object(obj))
		abort(); /* the scanner accepted what jansson refuses */
	for (int k = 0; k < JSCAN_NKEYS; k++) {
		json_t *x = json_object_get(obj, jscan_key_names[k]);
		switch (v[k].type) {
		case JSCAN_ABSENT:
			if (x)
				abort();
			break;
		case JSCAN_STRING:
			if (!json_is_string(x) || json_string_length(x) != v[k].len ||
			    memcmp(json_string_value(x), v[k].p, v[k].len) != 0)
				abort();
			if (v[k].p < out || v[k].p + v[k].len > out + n)
				abort(); /* written past the promised n bytes */
			break;
		case JSCAN_INT:
			if (!json_is_integer(x) || json_integer_value(x) != v[k].n)
				abort();
			break;
		case JSCAN_OTHER:
			if (!json_is_null(x) && !json_is_boolean(x))
				abort();
			break;
		default:
			abort();
		}
	}
	json_decref(obj);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct json_parser *fast, *slow;
	const char *buf = (const char *)data;
	size_t off = 0;

	if (!fast) {
		fast = json_parser_new();
		slow = json_parser_new();
		json_parser_use_scanner(slow, false);
	}
	while (off < size) {
		const char *nl = memchr(buf + off, '\n', size - off);
		check_scanner(buf + off, nl ? (size_t)(nl - (buf + off)) : size - off);

		struct pg_entry a, b;
		size_t ua = 0, ub = 0;
		const char *wa = NULL, *wb = NULL;
		enum logfmt_status sa =
		    json_parser_next(fast, buf + off, size - off, true, &a, &ua, &wa);
		enum logfmt_status sb =
		    json_parser_next(slow, buf + off, size - off, true, &b, &ub, &wb);
		if (sa != sb || ua != ub || (wa == NULL) != (wb == NULL) ||
		    (wa && strcmp(wa, wb) != 0))
			abort();
		if (sa == LOGFMT_OK) {
			if (a.kind != b.kind || a.ts_ms != b.ts_ms || a.pid != b.pid ||
			    a.sev != b.sev)
				abort();
			same_slice(a.session_id, b.session_id);
			same_slice(a.sev_word, b.sev_word);
			same_slice(a.message, b.message);
			same_slice(a.sqlstate, b.sqlstate);
			same_slice(a.user, b.user);
			same_slice(a.database, b.database);
			same_slice(a.application, b.application);
			same_slice(a.host, b.host);
			same_slice(a.port, b.port);
			same_slice(a.backend_type, b.backend_type);
		}
		if (ua == 0)
			abort();
		off += ua;
	}
	return 0;
}
