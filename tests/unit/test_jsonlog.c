/* SPDX-License-Identifier: PostgreSQL */
/*
 * Unit tests for the jsonlog parser (src/logfmt/jsonlog.c): the real lines of
 * a PostgreSQL 15 server, omitted keys, numbers given as strings, lines cut
 * in half, values that are not objects, and a whole real log file; and the
 * scanner of jsonscan.c: escapes, surrogate pairs, and the lines it leaves
 * to jansson (each checked against the parser with the scanner off); the
 * fast path's search for its two keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "logfmt/formats.h"
#include "logfmt/jsonscan.h"

#ifndef FIXTURE_DIR
#error "FIXTURE_DIR must name tests/fixtures (set by tests/meson.build)"
#endif

/* Assert that slice s holds exactly the string want ("" means absent). */
#define assert_slice(s, want)                                                                      \
	do {                                                                                       \
		struct slice s_ = (s);                                                             \
		const char *w_ = (want);                                                           \
		if (!slice_eq(s_, w_))                                                             \
			fail_msg("%s is \"%.*s\", expected \"%s\"", #s, (int)s_.len,               \
				 s_.p ? s_.p : "", w_);                                            \
	} while (0)

/* The jsonlog lines quoted in the reference (PostgreSQL 15). */
static const char ref_authorized[] =
    "{\"timestamp\":\"2026-11-29 01:20:10.650 UTC\",\"user\":\"alice\",\"dbname\":\"postgres\","
    "\"pid\":25674,\"remote_host\":\"127.0.0.1\",\"remote_port\":35310,\"session_id\":"
    "\"6b0b7dca.644a\",\"line_num\":3,\"ps\":\"authentication\",\"session_start\":"
    "\"2026-11-29 01:20:10 UTC\",\"vxid\":\"3/16\",\"txid\":0,\"error_severity\":\"LOG\","
    "\"message\":\"connection authorized: user=alice database=postgres "
    "application_name=app_tcp\",\"backend_type\":\"client backend\",\"query_id\":0}\n";
static const char ref_disconnection[] =
    "{\"timestamp\":\"2026-11-29 01:20:10.653 UTC\",\"user\":\"alice\",\"dbname\":\"postgres\","
    "\"pid\":25674,\"remote_host\":\"127.0.0.1\",\"remote_port\":35310,\"session_id\":"
    "\"6b0b7dca.644a\",\"line_num\":4,\"ps\":\"idle\",\"session_start\":"
    "\"2026-11-29 01:20:10 UTC\",\"txid\":0,\"error_severity\":\"LOG\",\"message\":"
    "\"disconnection: session time: 0:00:00.022 user=alice database=postgres host=127.0.0.1 "
    "port=35310\",\"application_name\":\"app_tcp\",\"backend_type\":\"client backend\","
    "\"query_id\":0}\n";
static const char ref_received_local[] =
    "{\"timestamp\":\"2026-11-29 01:20:10.186 UTC\",\"pid\":25669,\"remote_host\":\"[local]\","
    "\"session_id\":\"6b0b7dca.6445\",\"line_num\":1,\"ps\":\"\",\"session_start\":"
    "\"2026-11-29 01:20:10 UTC\",\"txid\":0,\"error_severity\":\"LOG\",\"message\":"
    "\"connection received: host=[local]\",\"backend_type\":\"not initialized\","
    "\"query_id\":0}\n";
static const char ref_walsender[] =
    "{\"timestamp\":\"2026-11-29 01:20:23.547 UTC\",\"user\":\"repl\",\"dbname\":\"\","
    "\"pid\":25903,\"remote_host\":\"127.0.0.1\",\"remote_port\":53666,\"session_id\":"
    "\"6b0b7dd7.652f\",\"line_num\":3,\"ps\":\"authentication\",\"session_start\":"
    "\"2026-11-29 01:20:23 UTC\",\"vxid\":\"3/47\",\"txid\":0,\"error_severity\":\"LOG\","
    "\"message\":\"replication connection authorized: user=repl application_name=psql\","
    "\"backend_type\":\"walsender\",\"query_id\":0}\n";
static const char ref_terminated[] =
    "{\"timestamp\":\"2026-11-29 01:20:35.434 UTC\",\"user\":\"alice\",\"dbname\":\"postgres\","
    "\"pid\":26101,\"remote_host\":\"127.0.0.1\",\"remote_port\":39756,\"session_id\":"
    "\"6b0b7de2.65f5\",\"line_num\":4,\"ps\":\"SELECT\",\"session_start\":"
    "\"2026-11-29 01:20:34 UTC\",\"vxid\":\"3/55\",\"txid\":0,\"error_severity\":\"FATAL\","
    "\"state_code\":\"57P01\",\"message\":\"terminating connection due to administrator "
    "command\",\"statement\":\"select pg_sleep(30)\",\"application_name\":\"victim\","
    "\"backend_type\":\"client backend\",\"query_id\":0}\n";

struct fixture {
	struct json_parser *jp;
	struct pg_entry e;
	size_t used;
	const char *why;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	f->jp = json_parser_new();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	json_parser_free(f->jp);
	free(f);
	return 0;
}

/* Parse the NUL-terminated s. */
static enum logfmt_status parse(struct fixture *f, const char *s, bool at_eof)
{
	return json_parser_next(f->jp, s, strlen(s), at_eof, &f->e, &f->used, &f->why);
}

static void test_reference_authorized(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, ref_authorized, false), LOGFMT_OK);
	assert_int_equal(f->used, strlen(ref_authorized));
	assert_int_equal(f->e.kind, ENTRY_MESSAGE);
	assert_int_equal(f->e.ts_ms, INT64_C(1795915210650));
	assert_slice(f->e.user, "alice");
	assert_slice(f->e.database, "postgres");
	assert_int_equal(f->e.pid, 25674);
	assert_slice(f->e.host, "127.0.0.1");
	assert_slice(f->e.port, "35310");
	assert_slice(f->e.session_id, "6b0b7dca.644a");
	assert_int_equal(f->e.sev, SEV_LOG);
	assert_slice(f->e.sev_word, "LOG");
	assert_int_equal(f->e.sqlstate.len, 0); /* omitted for 00000 */
	assert_slice(
	    f->e.message,
	    "connection authorized: user=alice database=postgres application_name=app_tcp");
	assert_int_equal(f->e.application.len, 0);
	assert_slice(f->e.backend_type, "client backend");
}

static void test_reference_disconnection(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, ref_disconnection, false), LOGFMT_OK);
	assert_slice(f->e.application, "app_tcp");
	assert_int_equal(f->e.ts_ms, INT64_C(1795915210653));
}

/* Before the startup packet: no user, dbname or remote_port keys. */
static void test_local_missing_keys(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, ref_received_local, false), LOGFMT_OK);
	assert_int_equal(f->e.user.len, 0);
	assert_int_equal(f->e.database.len, 0);
	assert_slice(f->e.host, "[local]");
	assert_int_equal(f->e.port.len, 0);
	assert_int_equal(f->e.pid, 25669);
	assert_slice(f->e.backend_type, "not initialized");
}

static void test_walsender_empty_dbname(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, ref_walsender, false), LOGFMT_OK);
	assert_slice(f->e.user, "repl");
	assert_int_equal(f->e.database.len, 0);
	assert_slice(f->e.backend_type, "walsender");
	assert_slice(f->e.port, "53666");
}

static void test_fatal_state_code(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, ref_terminated, false), LOGFMT_OK);
	assert_int_equal(f->e.sev, SEV_FATAL);
	assert_slice(f->e.sqlstate, "57P01");
	assert_slice(f->e.application, "victim");
	assert_slice(f->e.message, "terminating connection due to administrator command");
	assert_int_equal(f->e.ts_ms, INT64_C(1795915235434));
}

/* Lines back to back; each call takes exactly one. */
static void test_sequence(void **state)
{
	struct fixture *f = *state;
	const char *lines[] = {ref_received_local, ref_authorized, ref_walsender, ref_terminated,
			       ref_disconnection};
	char all[4096] = "";
	size_t off = 0, n = 0, total;

	for (size_t i = 0; i < 5; i++)
		strcat(all, lines[i]);
	total = strlen(all);
	while (off < total) {
		assert_int_equal(json_parser_next(f->jp, all + off, total - off, false, &f->e,
						  &f->used, &f->why),
				 LOGFMT_OK);
		assert_int_equal(f->used, strlen(lines[n]));
		off += f->used;
		n++;
	}
	assert_int_equal(n, 5);
}

/* Almost nothing: the fields are absent, not garbage. */
static void test_missing_keys(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{\"message\":\"hello\"}\n", false), LOGFMT_OK);
	assert_int_equal(f->e.kind, ENTRY_MESSAGE);
	assert_slice(f->e.message, "hello");
	assert_int_equal(f->e.pid, PID_UNKNOWN);
	assert_int_equal(f->e.ts_ms, TS_UNKNOWN);
	assert_int_equal(f->e.sev, SEV_UNKNOWN);
	assert_int_equal(f->e.sev_word.len, 0);
	assert_int_equal(f->e.user.len, 0);
	assert_int_equal(f->e.host.len, 0);
	assert_int_equal(f->e.port.len, 0);
	assert_int_equal(f->e.session_id.len, 0);

	/* An object with nothing of a log record is not a message. */
	assert_int_equal(parse(f, "{}\n", false), LOGFMT_OK);
	assert_int_equal(f->e.kind, ENTRY_OTHER);
	assert_int_equal(parse(f, "{\"a\":1}", true), LOGFMT_OK);
	assert_int_equal(f->e.kind, ENTRY_OTHER);
}

static void test_numbers_as_strings(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f,
			       "{\"pid\":\"4242\",\"remote_port\":\"5432\",\"remote_host\":"
			       "\"::1\",\"error_severity\":\"ERROR\",\"message\":\"m\"}\n",
			       false),
			 LOGFMT_OK);
	assert_int_equal(f->e.pid, 4242);
	assert_slice(f->e.port, "5432");
	assert_slice(f->e.host, "::1");
	assert_int_equal(f->e.sev, SEV_ERROR);

	/* wrong types and junk give absent fields */
	assert_int_equal(parse(f,
			       "{\"pid\":\"12x\",\"remote_port\":-1,\"user\":5,\"dbname\":null,"
			       "\"timestamp\":17,\"message\":[\"m\"]}\n",
			       false),
			 LOGFMT_OK);
	assert_int_equal(f->e.pid, PID_UNKNOWN);
	assert_int_equal(f->e.port.len, 0);
	assert_int_equal(f->e.user.len, 0);
	assert_int_equal(f->e.database.len, 0);
	assert_int_equal(f->e.ts_ms, TS_UNKNOWN);
	assert_int_equal(f->e.message.len, 0);
}

/* A translated message with an untranslated severity. */
static void test_translated_message(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f,
			       "{\"error_severity\":\"FATAL\",\"message\":"
			       "\"\\u043f\\u0430\\u0440\\u043e\\u043b\\u044c\\nline 2\"}\n",
			       false),
			 LOGFMT_OK);
	assert_int_equal(f->e.sev, SEV_FATAL);
	assert_slice(f->e.message, "пароль\nline 2");
}

static void test_cut_in_half(void **state)
{
	struct fixture *f = *state;
	size_t half = strlen(ref_authorized) / 2;

	assert_int_equal(
	    json_parser_next(f->jp, ref_authorized, half, false, &f->e, &f->used, &f->why),
	    LOGFMT_NEED_MORE);
	assert_int_equal(
	    json_parser_next(f->jp, ref_authorized, half, true, &f->e, &f->used, &f->why),
	    LOGFMT_BAD);
	assert_int_equal(f->used, half);
	assert_string_equal(f->why, "invalid JSON in jsonlog line");

	/* the first half of a line followed by the next whole line */
	char buf[2048];
	snprintf(buf, sizeof(buf), "%.*s\n%s", (int)half, ref_authorized, ref_disconnection);
	assert_int_equal(parse(f, buf, false), LOGFMT_BAD);
	assert_int_equal(f->used, half + 1);
	assert_int_equal(parse(f, buf + f->used, false), LOGFMT_OK);
	assert_slice(f->e.application, "app_tcp");
}

static void test_last_line_without_newline(void **state)
{
	struct fixture *f = *state;
	size_t n = strlen(ref_terminated) - 1;

	assert_int_equal(
	    json_parser_next(f->jp, ref_terminated, n, false, &f->e, &f->used, &f->why),
	    LOGFMT_NEED_MORE);
	assert_int_equal(json_parser_next(f->jp, ref_terminated, n, true, &f->e, &f->used, &f->why),
			 LOGFMT_OK);
	assert_int_equal(f->used, n);
	assert_slice(f->e.sqlstate, "57P01");
}

static void test_not_an_object(void **state)
{
	struct fixture *f = *state;
	const char *bad[] = {
	    "[1,2]\n",          "\"str\"\n",           "42\n", "null\n", "{\"a\":1} x\n",
	    "LOG:  not json\n", "{\"a\":1}{\"b\":2}\n"};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(f, bad[i], false) != LOGFMT_BAD)
			fail_msg("'%s' was not BAD", bad[i]);
		assert_int_equal(f->used, strlen(bad[i]));
		assert_non_null(f->why);
	}
	/* why may be NULL */
	assert_int_equal(json_parser_next(f->jp, "[]\n", 3, false, &f->e, &f->used, NULL),
			 LOGFMT_BAD);
}

static void test_blank_lines(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "\n{}", false), LOGFMT_OK);
	assert_int_equal(f->e.kind, ENTRY_OTHER);
	assert_int_equal(f->used, 1);
	assert_int_equal(parse(f, "  \r\n", false), LOGFMT_OK);
	assert_int_equal(f->e.kind, ENTRY_OTHER);
	assert_int_equal(f->used, 4);
	assert_int_equal(parse(f, "", true), LOGFMT_OK);
	assert_int_equal(f->e.kind, ENTRY_OTHER);
	assert_int_equal(f->used, 0);
	assert_int_equal(parse(f, "", false), LOGFMT_NEED_MORE);
}

/* A raw NUL byte is invalid JSON; an escaped one is kept in the slice. */
static void test_nul(void **state)
{
	struct fixture *f = *state;
	const char raw[] = "{\"message\":\"a\0b\"}\nx";
	const char esc[] = "{\"message\":\"a\\u0000b\"}\n";

	assert_int_equal(
	    json_parser_next(f->jp, raw, sizeof(raw) - 1, false, &f->e, &f->used, &f->why),
	    LOGFMT_BAD);
	assert_int_equal(f->used, sizeof(raw) - 2);
	assert_int_equal(parse(f, esc, false), LOGFMT_OK);
	assert_int_equal(f->e.message.len, 3);
	assert_memory_equal(f->e.message.p, "a\0b", 3);
}

/* Bytes of a non-UTF-8 database encoding (here LATIN1 "é") do not lose the
 * record: they come back as U+FFFD. */
static void test_invalid_utf8(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(
	    parse(f, "{\"error_severity\":\"LOG\",\"pid\":1,\"message\":\"caf\xe9\"}\n", false),
	    LOGFMT_OK);
	assert_slice(f->e.message, "caf\xEF\xBF\xBD");
	assert_int_equal(f->e.pid, 1);
}

/* Whether the scanner alone accepts the NUL-terminated line s. */
static bool scanner_accepts(const char *s)
{
	struct jscan_value v[JSCAN_NKEYS];
	size_t n = strlen(s);
	char *out = malloc(n + 1);
	bool ok = jscan_line(s, n, out, v);

	free(out);
	return ok;
}

/* Parse s as f does, then with the scanner off, and check both agree. */
static enum logfmt_status parse_both(struct fixture *f, const char *s)
{
	struct json_parser *slow = json_parser_new();
	struct pg_entry e;
	size_t used;
	const char *why;

	json_parser_use_scanner(slow, false);
	enum logfmt_status st = parse(f, s, true);
	assert_int_equal(json_parser_next(slow, s, strlen(s), true, &e, &used, &why), st);
	assert_int_equal(used, f->used);
	if (st == LOGFMT_OK) {
		const struct slice a[] = {f->e.session_id,  f->e.sev_word, f->e.message,
					  f->e.sqlstate,    f->e.user,     f->e.database,
					  f->e.application, f->e.host,     f->e.port,
					  f->e.backend_type};
		const struct slice b[] = {e.session_id, e.sev_word,    e.message,     e.sqlstate,
					  e.user,       e.database,    e.application, e.host,
					  e.port,       e.backend_type};
		assert_int_equal(f->e.kind, e.kind);
		assert_int_equal(f->e.pid, e.pid);
		assert_int_equal(f->e.ts_ms, e.ts_ms);
		assert_int_equal(f->e.sev, e.sev);
		for (size_t i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
			assert_int_equal(a[i].len, b[i].len);
			assert_int_equal(a[i].p == NULL, b[i].p == NULL);
			if (a[i].len)
				assert_memory_equal(a[i].p, b[i].p, a[i].len);
		}
	}
	json_parser_free(slow);
	return st;
}

/* Every escape JSON has, read by the scanner itself. */
static void test_scan_escapes(void **state)
{
	struct fixture *f = *state;
	const char *s = "{\"error_severity\":\"LOG\",\"message\":\"q\\\" b\\\\ s\\/ "
			"\\b\\f\\n\\r\\t e\\u00e9 \\u20AC \\u0041\\u0000z\",\"user\":\"\"}\n";

	assert_true(scanner_accepts(s));
	assert_int_equal(parse_both(f, s), LOGFMT_OK);
	const char want[] = "q\" b\\ s/ \b\f\n\r\t e\xC3\xA9 \xE2\x82\xAC A\0z";
	assert_int_equal(f->e.message.len, sizeof(want) - 1);
	assert_memory_equal(f->e.message.p, want, sizeof(want) - 1);
	/* an empty string is present, not absent */
	assert_non_null(f->e.user.p);
	assert_int_equal(f->e.user.len, 0);
}

/* A surrogate pair is one code point; a lone half is jansson's error. */
static void test_scan_surrogates(void **state)
{
	struct fixture *f = *state;
	const char *pair = "{\"message\":\"x\\ud83d\\ude00y\\uD834\\uDD1E\"}\n";

	assert_true(scanner_accepts(pair));
	assert_int_equal(parse_both(f, pair), LOGFMT_OK);
	assert_slice(f->e.message, "x\xF0\x9F\x98\x80y\xF0\x9D\x84\x9E");

	const char *lone[] = {"{\"message\":\"\\ud83d\"}\n",        "{\"message\":\"\\ude00x\"}\n",
			      "{\"message\":\"\\ud83d\\u0041\"}\n", "{\"message\":\"\\ud83dz\"}\n",
			      "{\"message\":\"\\u12G4\"}\n",        "{\"message\":\"\\x\"}\n"};
	for (size_t i = 0; i < sizeof(lone) / sizeof(lone[0]); i++) {
		assert_false(scanner_accepts(lone[i]));
		if (parse_both(f, lone[i]) != LOGFMT_BAD)
			fail_msg("'%s' was not BAD", lone[i]);
	}
}

/* Numbers and numbers given as strings, through the scanner. */
static void test_scan_numbers(void **state)
{
	struct fixture *f = *state;
	const char *s = "{\"timestamp\":\"2026-11-29 01:20:10.650 UTC\",\"pid\":\"25674\","
			"\"remote_port\":\"35310\",\"error_severity\":\"LOG\",\"message\":\"m\","
			"\"query_id\":-9223372036854775808,\"txid\":9223372036854775807}\n";

	assert_true(scanner_accepts(s));
	assert_int_equal(parse_both(f, s), LOGFMT_OK);
	assert_int_equal(f->e.pid, 25674);
	assert_slice(f->e.port, "35310");
	assert_true(f->e.ts_ms != TS_UNKNOWN);

	assert_true(scanner_accepts("{\"pid\":-0,\"remote_port\":0,\"message\":\"m\"}"));
	assert_int_equal(parse_both(f, "{\"pid\":-0,\"remote_port\":0,\"message\":\"m\"}"),
			 LOGFMT_OK);
	assert_int_equal(f->e.pid, 0);
	assert_slice(f->e.port, "0");

	/* reals, out of range and malformed numbers are left to jansson */
	const char *odd[] = {"{\"message\":\"m\",\"pid\":1.5}\n",
			     "{\"message\":\"m\",\"pid\":1e3}\n",
			     "{\"message\":\"m\",\"txid\":9223372036854775808}\n",
			     "{\"message\":\"m\",\"txid\":-9223372036854775809}\n",
			     "{\"message\":\"m\",\"pid\":012}\n",
			     "{\"message\":\"m\",\"pid\":-}\n"};
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		assert_false(scanner_accepts(odd[i]));
		parse_both(f, odd[i]);
	}
	assert_int_equal(parse_both(f, odd[0]), LOGFMT_OK);
	assert_int_equal(f->e.pid, PID_UNKNOWN);
	assert_int_equal(parse_both(f, odd[2]), LOGFMT_BAD);
}

/* null (and booleans) leave fields absent, but a null key is still there. */
static void test_scan_null_values(void **state)
{
	struct fixture *f = *state;
	const char *s =
	    "{\"user\":null,\"dbname\":null,\"pid\":null,\"remote_port\":true,"
	    "\"error_severity\":\"LOG\",\"message\":\"m\",\"application_name\":false}\n";

	assert_true(scanner_accepts(s));
	assert_int_equal(parse_both(f, s), LOGFMT_OK);
	assert_null(f->e.user.p);
	assert_null(f->e.database.p);
	assert_null(f->e.port.p);
	assert_null(f->e.application.p);
	assert_int_equal(f->e.pid, PID_UNKNOWN);
	assert_slice(f->e.message, "m");

	/* a record whose only known key is null is still a record */
	assert_true(scanner_accepts("{\"message\":null}"));
	assert_int_equal(parse_both(f, "{\"message\":null}\n"), LOGFMT_OK);
	assert_int_equal(f->e.kind, ENTRY_MESSAGE);
	assert_int_equal(parse_both(f, " { } \n"), LOGFMT_OK);
	assert_int_equal(f->e.kind, ENTRY_OTHER);
}

/* Nested values are left to jansson, which reads the rest of the record. */
static void test_scan_nested_falls_back(void **state)
{
	struct fixture *f = *state;
	const char *s = "{\"error_severity\":\"LOG\",\"x\":{\"a\":[1,{\"b\":null}]},"
			"\"message\":\"m\",\"user\":[\"u\"]}\n";

	assert_false(scanner_accepts(s));
	assert_int_equal(parse_both(f, s), LOGFMT_OK);
	assert_slice(f->e.message, "m");
	assert_null(f->e.user.p);
	assert_int_equal(f->e.sev, SEV_LOG);
	/* and broken ones are jansson's errors */
	assert_int_equal(parse_both(f, "{\"message\":\"m\",\"x\":[1,}\n"), LOGFMT_BAD);
}

/* A key of interest given twice: jansson keeps the last. */
static void test_scan_duplicate_keys_fall_back(void **state)
{
	struct fixture *f = *state;
	const char *s = "{\"error_severity\":\"LOG\",\"message\":\"first\",\"message\":\"last\"}\n";

	assert_false(scanner_accepts(s));
	assert_int_equal(parse_both(f, s), LOGFMT_OK);
	assert_slice(f->e.message, "last");
	/* an unknown key twice does not matter */
	const char *u = "{\"message\":\"m\",\"ps\":\"a\",\"ps\":\"b\"}\n";
	assert_true(scanner_accepts(u));
	assert_int_equal(parse_both(f, u), LOGFMT_OK);
	/* nor does an escaped key of interest escape jansson */
	const char *e = "{\"message\":\"m\",\"mess\\u0061ge\":\"n\"}\n";
	assert_false(scanner_accepts(e));
	assert_int_equal(parse_both(f, e), LOGFMT_OK);
	assert_slice(f->e.message, "n");
}

/* Invalid UTF-8 is left to the U+FFFD path. */
static void test_scan_invalid_utf8_falls_back(void **state)
{
	struct fixture *f = *state;
	const char *s =
	    "{\"error_severity\":\"LOG\",\"message\":\"caf\xe9\",\"user\":\"\xc3\xa9\"}\n";

	assert_false(scanner_accepts(s));
	assert_true(scanner_accepts("{\"message\":\"caf\xc3\xa9\"}"));
	assert_int_equal(parse_both(f, s), LOGFMT_OK);
	assert_slice(f->e.message, "caf\xEF\xBF\xBD");
	assert_slice(f->e.user, "\xc3\xa9");
}

/* Read a whole file into memory; fails the test if it cannot. */
static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		fail_msg("cannot open '%s'", path);
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, fp) != (size_t)n)
		fail_msg("cannot read '%s'", path);
	fclose(fp);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/* The real jsonlog of a PostgreSQL 15 server: every line parses. */
static void test_corpus(void **state)
{
	struct fixture *f = *state;
	size_t len, off = 0, records = 0, authorized = 0, no_ts = 0;
	char *buf = slurp(FIXTURE_DIR "/default-prefix/postgresql-2026-11-29_004152.json", &len);

	while (off < len) {
		enum logfmt_status s =
		    json_parser_next(f->jp, buf + off, len - off, true, &f->e, &f->used, &f->why);
		if (s != LOGFMT_OK)
			fail_msg("line at byte %zu: status %d (%s)", off, (int)s,
				 f->why ? f->why : "");
		assert_int_equal(f->e.kind, ENTRY_MESSAGE);
		assert_true(f->e.pid > 0);
		assert_true(f->e.sev != SEV_UNKNOWN);
		if (slice_starts(f->e.message, "connection authorized"))
			authorized++;
		if (f->e.ts_ms == TS_UNKNOWN)
			no_ts++;
		records++;
		off += f->used;
	}
	free(buf);
	assert_int_equal(records, 4168);
	assert_int_equal(authorized, 1366); /* grep -c '"message":"connection authorized' */
	assert_int_equal(no_ts, 0);
}

/* What the tests' fast path must not let go: connection messages. */
static bool interest(enum pg_sev sev, const char *msg, size_t len)
{
	return len >= 10 && memcmp(msg, "connection", 10) == 0;
}

/* The fast path finds "error_severity" and "message" wherever they are,
 * whatever the values before them hold ('y's, the words of the keys). */
static void test_fast_path_keys(void **state)
{
	struct logfmt_skip sk;
	static const char plain[] =
	    "{\"timestamp\":\"2026-12-07 09:18:05.374 UTC\",\"user\":\"yyy\",\"dbname\":\"y\","
	    "\"pid\":1,\"ps\":\"error_severity y\",\"txid\":0,\"error_severity\":\"LOG\","
	    "\"message\":\"duration: 0.033 ms  statement: SELECT 1\",\"query_id\":0}\n";
	static const char coded[] =
	    "{\"timestamp\":\"2026-12-07 09:18:05.374 UTC\",\"pid\":1,\"error_severity\":\"LOG\","
	    "\"state_code\":\"57P01\",\"message\":\"duration: 0.033 ms  statement: SELECT 1\"}\n";
	static const char conn[] =
	    "{\"timestamp\":\"2026-12-07 09:18:05.374 UTC\",\"pid\":1,\"error_severity\":\"LOG\","
	    "\"state_code\":\"00000\",\"message\":\"connection received: host=[local]\"}\n";
	static const char nomsg[] =
	    "{\"timestamp\":\"2026-12-07 09:18:05.374 UTC\",\"pid\":1,\"error_severity\":\"LOG\","
	    "\"ps\":\"message\"}\n";

	assert_true(jsonlog_ops.fast_skip(plain, strlen(plain), interest, &sk));
	assert_int_equal(sk.used, strlen(plain));
	assert_true(jsonlog_ops.fast_skip(coded, strlen(coded), interest, &sk));
	assert_false(jsonlog_ops.fast_skip(conn, strlen(conn), interest, &sk));
	assert_false(jsonlog_ops.fast_skip(nomsg, strlen(nomsg), interest, &sk));
	assert_false(jsonlog_ops.fast_skip(plain, strlen(plain) - 1, interest, &sk));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_reference_authorized, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reference_disconnection, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_local_missing_keys, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_walsender_empty_dbname, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fatal_state_code, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sequence, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_missing_keys, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_numbers_as_strings, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_translated_message, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cut_in_half, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_last_line_without_newline, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_not_an_object, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_blank_lines, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nul, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_invalid_utf8, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scan_escapes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scan_surrogates, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scan_numbers, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scan_null_values, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scan_nested_falls_back, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scan_duplicate_keys_fall_back, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scan_invalid_utf8_falls_back, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_corpus, setup, teardown),
	    cmocka_unit_test(test_fast_path_keys),
	};
	return cmocka_run_group_tests_name("jsonlog", tests, NULL, NULL);
}
