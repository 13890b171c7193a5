/* SPDX-License-Identifier: PostgreSQL */
/*
 * jsonscan: a strict, allocation-free scanner for one jsonlog line, the fast
 * path of the jsonlog parser.  It understands exactly one flat JSON object
 * whose values are strings, integers, null, true or false, as PostgreSQL's
 * jsonlog writes them, and extracts the keys the parser maps.  For anything
 * else (nested values, reals, duplicate keys of interest, escaped keys,
 * invalid UTF-8, trailing junk, ...) it gives up, and the caller falls back
 * to jansson, which then decides.
 */
#ifndef PGTAIL_JSONSCAN_H
#define PGTAIL_JSONSCAN_H

#include <stdbool.h>
#include <stddef.h>

struct json_parser;

/* The keys extracted, in the order of jscan_key_names. */
enum jscan_key {
	JSCAN_TIMESTAMP = 0,
	JSCAN_USER,
	JSCAN_DBNAME,
	JSCAN_PID,
	JSCAN_REMOTE_HOST,
	JSCAN_REMOTE_PORT,
	JSCAN_SESSION_ID,
	JSCAN_ERROR_SEVERITY,
	JSCAN_STATE_CODE,
	JSCAN_MESSAGE,
	JSCAN_APPLICATION_NAME,
	JSCAN_BACKEND_TYPE,
	JSCAN_NKEYS
};

/* The JSON key of each enum jscan_key. */
extern const char *const jscan_key_names[JSCAN_NKEYS];

enum jscan_type {
	JSCAN_ABSENT = 0, /* the key is not in the object */
	JSCAN_STRING,     /* p[0..len) holds the unescaped UTF-8 (may contain NUL) */
	JSCAN_INT,        /* n holds the value */
	JSCAN_OTHER,      /* present but neither a string nor an integer */
};

struct jscan_value {
	enum jscan_type type;
	const char *p;
	size_t len;
	long long n;
};

/*
 * Scan the line p[0..n) (no newline in it).  On success return true with
 * v[k] describing each key; string values are unescaped into out, which must
 * hold at least n bytes, and v[k].p points there.  Return false (v and out
 * unspecified) when the line is not a flat object the scanner fully
 * understands; the caller must then parse it some other way.
 */
bool jscan_line(const char *p, size_t n, char *out, struct jscan_value v[JSCAN_NKEYS]);

/* jscan_line for an object whose keys are named as names[] has them (one
 * per enum jscan_key, NULL for a field not carried): CloudNativePG's
 * record, under the csvlog column names. */
bool jscan_object(const char *p, size_t n, char *out, const char *const *names,
		  struct jscan_value v[JSCAN_NKEYS]);

/*
 * Unescape one JSON string value: p is just after its opening quote, end
 * the end of the line.  On success return true with *next just past the
 * closing quote and the unescaped bytes (never more than end - p) written
 * to out and counted in *olen.  False (out unspecified) when the scanner is
 * not sure of it: no closing quote, a raw control byte, invalid UTF-8, an
 * unknown escape or a lone surrogate.  For the transports whose payload is
 * a JSON string (Docker's "log", Cloud Logging's "textPayload").
 */
bool jscan_string(const char *p, const char *end, char *out, size_t *olen, const char **next);

/* For tests and the differential fuzzer: turn the scanner off (false) so
 * json_parser_next() always uses jansson, or back on (true, the default). */
void json_parser_use_scanner(struct json_parser *jp, bool on);

#endif
