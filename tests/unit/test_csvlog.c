/* SPDX-License-Identifier: PostgreSQL */
/*
 * Unit tests for the csvlog parser (src/logfmt/csvlog.c): CSV quoting,
 * records spanning lines, the 23/24/26-column layouts, connection_from
 * splitting, incomplete and malformed records, a whole real log file, and
 * the fast path (its bit masks, its shapes, and a differential run against
 * the parser over records cut and spliced at every 64-byte seam).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "logfmt/csvscan.h"
#include "logfmt/formats.h"

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

/* The csvlog lines quoted in the reference (PostgreSQL 15, 26 columns). */
static const char ref_authorized[] =
    "2026-11-29 01:20:10.650 UTC,\"alice\",\"postgres\",25674,\"127.0.0.1:35310\","
    "6b0b7dca.644a,3,\"authentication\",2026-11-29 01:20:10 UTC,3/16,0,LOG,00000,"
    "\"connection authorized: user=alice database=postgres application_name=app_tcp\","
    ",,,,,,,,\"\",\"client backend\",,0\n";
static const char ref_disconnection[] =
    "2026-11-29 01:20:10.653 UTC,\"alice\",\"postgres\",25674,\"127.0.0.1:35310\","
    "6b0b7dca.644a,4,\"idle\",2026-11-29 01:20:10 UTC,,0,LOG,00000,"
    "\"disconnection: session time: 0:00:00.022 user=alice database=postgres "
    "host=127.0.0.1 port=35310\",,,,,,,,,\"app_tcp\",\"client backend\",,0\n";
static const char ref_received_local[] =
    "2026-11-29 01:20:10.186 UTC,,,25669,\"[local]\",6b0b7dca.6445,1,\"\","
    "2026-11-29 01:20:10 UTC,,0,LOG,00000,\"connection received: host=[local]\","
    ",,,,,,,,\"\",\"not initialized\",,0\n";
static const char ref_password_failed[] =
    "2026-11-29 01:20:10.914 UTC,\"bob\",\"postgres\",25692,\"127.0.0.1:35346\","
    "6b0b7dca.645c,2,\"authentication\",2026-11-29 01:20:10 UTC,3/27,0,FATAL,28P01,"
    "\"password authentication failed for user \"\"bob\"\"\",\"Password does not "
    "match for user \"\"bob\"\".\n"
    "Connection matched pg_hba.conf line 5: \"\"host    all             bob       "
    "      127.0.0.1/32            md5\"\"\",,,,,,,,\"\",\"client backend\",,0\n";
static const char ref_killed_cet[] =
    "2026-11-29 02:21:00.343 CET,,,26724,,6b0b7df9.6864,7,,2026-11-29 02:20:57 CET,,0,"
    "LOG,00000,\"server process (PID 26747) was terminated by signal 9: Killed\","
    "\"Failed process was running: select pg_sleep(30)\",,,,,,,,\"\",\"postmaster\",,0\n";

/* 9.6-12 layout: 23 columns, no backend_type. */
static const char line23[] =
    "2019-03-01 10:00:00.000 UTC,\"alice\",\"shop\",4242,\"10.0.0.7:50000\","
    "5c790000.1092,2,\"authentication\",2019-03-01 10:00:00 UTC,3/5,0,LOG,00000,"
    "\"connection authorized: user=alice database=shop\",,,,,,,,,\"\"\n";
/* 13 layout: 24 columns. */
static const char line24[] =
    "2020-10-01 10:00:00.000 UTC,\"alice\",\"shop\",4243,\"10.0.0.7:50001\","
    "5f75a9a0.1093,2,\"authentication\",2020-10-01 10:00:00 UTC,3/6,0,LOG,00000,"
    "\"connection authorized: user=alice database=shop\",,,,,,,,,\"psql\","
    "\"client backend\"\n";

struct fixture {
	struct csv_parser *cp;
	struct pg_entry e;
	size_t used;
	const char *why;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	f->cp = csv_parser_new();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	csv_parser_free(f->cp);
	free(f);
	return 0;
}

/* Parse the NUL-terminated s as a whole file. */
static enum logfmt_status parse(struct fixture *f, const char *s, bool at_eof)
{
	return csv_parser_next(f->cp, s, strlen(s), at_eof, &f->e, &f->used, &f->why);
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
	assert_slice(f->e.sqlstate, "00000");
	assert_slice(
	    f->e.message,
	    "connection authorized: user=alice database=postgres application_name=app_tcp");
	assert_slice(f->e.application, "");
	assert_slice(f->e.backend_type, "client backend");
}

static void test_reference_disconnection(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, ref_disconnection, false), LOGFMT_OK);
	assert_int_equal(f->used, strlen(ref_disconnection));
	assert_slice(f->e.application, "app_tcp");
	assert_slice(f->e.message, "disconnection: session time: 0:00:00.022 user=alice "
				   "database=postgres host=127.0.0.1 port=35310");
	assert_int_equal(f->e.ts_ms, INT64_C(1795915210653));
}

static void test_local_and_empty_user_db(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, ref_received_local, false), LOGFMT_OK);
	assert_int_equal(f->e.user.len, 0);
	assert_int_equal(f->e.database.len, 0);
	assert_int_equal(f->e.pid, 25669);
	assert_slice(f->e.host, "[local]");
	assert_int_equal(f->e.port.len, 0);
	assert_slice(f->e.backend_type, "not initialized");
	assert_slice(f->e.message, "connection received: host=[local]");
}

/* A DETAIL with a raw newline: one record over two physical lines, with
 * doubled quotes in message and detail. */
static void test_multiline_detail(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, ref_password_failed, false), LOGFMT_OK);
	assert_int_equal(f->used, strlen(ref_password_failed));
	assert_int_equal(f->e.sev, SEV_FATAL);
	assert_slice(f->e.sqlstate, "28P01");
	assert_slice(f->e.message, "password authentication failed for user \"bob\"");
	assert_slice(f->e.user, "bob");
	assert_slice(f->e.backend_type, "client backend");
	assert_int_equal(f->e.ts_ms, INT64_C(1795915210914));
}

/* No connection_from (a background process) and a CET log_time. */
static void test_postmaster_cet(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, ref_killed_cet, false), LOGFMT_OK);
	assert_int_equal(f->e.host.len, 0);
	assert_int_equal(f->e.port.len, 0);
	assert_slice(f->e.backend_type, "postmaster");
	assert_int_equal(f->e.pid, 26724);
	assert_int_equal(f->e.ts_ms, INT64_C(1795915260343));
}

/* Several records back to back, the multi-line one among them. */
static void test_sequence(void **state)
{
	struct fixture *f = *state;
	const char *lines[] = {ref_received_local, ref_authorized, ref_password_failed,
			       ref_disconnection, ref_killed_cet};
	char all[4096] = "";
	size_t off = 0, n = 0, total;

	for (size_t i = 0; i < 5; i++)
		strcat(all, lines[i]);
	total = strlen(all);
	while (off < total) {
		assert_int_equal(
		    csv_parser_next(f->cp, all + off, total - off, false, &f->e, &f->used, &f->why),
		    LOGFMT_OK);
		assert_int_equal(f->used, strlen(lines[n]));
		off += f->used;
		n++;
	}
	assert_int_equal(n, 5);
}

static void test_23_columns(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, line23, true), LOGFMT_OK);
	assert_int_equal(f->used, strlen(line23));
	assert_int_equal(f->e.pid, 4242);
	assert_slice(f->e.database, "shop");
	assert_slice(f->e.host, "10.0.0.7");
	assert_slice(f->e.port, "50000");
	assert_slice(f->e.message, "connection authorized: user=alice database=shop");
	assert_int_equal(f->e.application.len, 0);
	assert_int_equal(f->e.backend_type.len, 0);
}

static void test_24_columns(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, line24, true), LOGFMT_OK);
	assert_slice(f->e.application, "psql");
	assert_slice(f->e.backend_type, "client backend");
	assert_slice(f->e.session_id, "5f75a9a0.1093");
}

/* Columns past 26 (a future version) are accepted and ignored. */
static void test_extra_columns(void **state)
{
	struct fixture *f = *state;
	char buf[1024];

	snprintf(buf, sizeof(buf), "%.*s,\"x\",7\n", (int)strlen(ref_authorized) - 1,
		 ref_authorized);
	assert_int_equal(parse(f, buf, false), LOGFMT_OK);
	assert_slice(f->e.backend_type, "client backend");
	assert_slice(f->e.user, "alice");
}

static void test_ipv6(void **state)
{
	struct fixture *f = *state;
	const char *line =
	    "2026-11-29 01:20:10.650 UTC,\"alice\",\"postgres\",25674,\"::1:5432\","
	    "6b0b7dca.644a,3,\"authentication\",2026-11-29 01:20:10 UTC,3/16,0,LOG,00000,"
	    "\"connection authorized: user=alice\",,,,,,,,,\"\",\"client backend\",,0\n";
	const char *line2 =
	    "2026-11-29 01:20:10.650 UTC,\"alice\",\"postgres\",25674,"
	    "\"2001:db8::7:33000\",6b0b7dca.644a,3,\"\",,,0,LOG,00000,"
	    "\"connection received: host=2001:db8::7 port=33000\",,,,,,,,,\"\",\"\",,0\n";

	assert_int_equal(parse(f, line, false), LOGFMT_OK);
	assert_slice(f->e.host, "::1");
	assert_slice(f->e.port, "5432");
	assert_int_equal(parse(f, line2, false), LOGFMT_OK);
	assert_slice(f->e.host, "2001:db8::7");
	assert_slice(f->e.port, "33000");
	assert_int_equal(f->e.backend_type.len, 0);
}

/* Quoted commas, doubled quotes and a quoted newline in the message. */
static void test_quoting(void **state)
{
	struct fixture *f = *state;
	const char *line =
	    "2026-11-29 01:20:10.650 UTC,\"a,b\",\"d\"\"b\",1,,s.1,1,,,,0,ERROR,42601,"
	    "\"syntax error at or near \"\",\"\"\nsecond line, "
	    "too\",,,,,,,,,\"\"\"app\"\"\",\"c\"\n"
	    "next";

	assert_int_equal(parse(f, line, false), LOGFMT_OK);
	assert_int_equal(f->used, strlen(line) - 4);
	assert_slice(f->e.user, "a,b");
	assert_slice(f->e.database, "d\"b");
	assert_slice(f->e.message, "syntax error at or near \",\"\nsecond line, too");
	assert_slice(f->e.application, "\"app\"");
	assert_slice(f->e.backend_type, "c");
	assert_int_equal(f->e.sev, SEV_ERROR);
	assert_slice(f->e.sqlstate, "42601");
	assert_int_equal(f->e.ts_ms, INT64_C(1795915210650));
}

/* A translated severity is known and keeps its word; an unknown one too. */
static void test_unknown_severity(void **state)
{
	struct fixture *f = *state;
	const char *line = "2026-11-29 01:20:10.650 UTC,,,7,,s.1,1,,,,0,СООБЩЕНИЕ,00000,"
			   "\"привет\",,,,,,,,,\"\",\"postmaster\",,0\n";
	const char *other = "2026-11-29 01:20:10.650 UTC,,,7,,s.1,1,,,,0,DZIENNIK,00000,"
			    "\"witaj\",,,,,,,,,\"\",\"postmaster\",,0\n";

	assert_int_equal(parse(f, other, false), LOGFMT_OK);
	assert_int_equal(f->e.sev, SEV_UNKNOWN);
	assert_slice(f->e.sev_word, "DZIENNIK");
	assert_int_equal(parse(f, line, false), LOGFMT_OK);
	assert_int_equal(f->e.sev, SEV_LOG);
	assert_slice(f->e.sev_word, "СООБЩЕНИЕ");
	assert_slice(f->e.message, "привет");
}

static void test_crlf(void **state)
{
	struct fixture *f = *state;
	char buf[1024];
	size_t n = strlen(ref_authorized);

	memcpy(buf, ref_authorized, n - 1);
	memcpy(buf + n - 1, "\r\n", 3);
	assert_int_equal(parse(f, buf, false), LOGFMT_OK);
	assert_int_equal(f->used, n + 1);
	assert_slice(f->e.backend_type, "client backend");

	/* unquoted last column before the \r */
	assert_int_equal(
	    parse(f, "2026-11-29 01:20:10.650 UTC,,,7,,s.1,1,,,,0,LOG,00000,m,x\r\n", false),
	    LOGFMT_OK);
	assert_slice(f->e.message, "m");
}

/* Every proper prefix of a record is NEED_MORE when more may come, and never
 * NEED_MORE at end of file. */
static void test_need_more(void **state)
{
	struct fixture *f = *state;
	size_t n = strlen(ref_password_failed);

	for (size_t k = 0; k < n; k++) {
		enum logfmt_status s =
		    csv_parser_next(f->cp, ref_password_failed, k, false, &f->e, &f->used, &f->why);
		if (s != LOGFMT_NEED_MORE)
			fail_msg("prefix of %zu bytes: status %d, expected NEED_MORE", k, (int)s);
		if (k == 0)
			continue;
		s = csv_parser_next(f->cp, ref_password_failed, k, true, &f->e, &f->used, &f->why);
		assert_int_not_equal(s, LOGFMT_NEED_MORE);
		assert_true(f->used > 0 && f->used <= k);
	}
}

/* A final record without its newline is accepted at end of file. */
static void test_last_line_without_newline(void **state)
{
	struct fixture *f = *state;
	size_t n = strlen(ref_authorized) - 1;

	assert_int_equal(csv_parser_next(f->cp, ref_authorized, n, false, &f->e, &f->used, &f->why),
			 LOGFMT_NEED_MORE);
	assert_int_equal(csv_parser_next(f->cp, ref_authorized, n, true, &f->e, &f->used, &f->why),
			 LOGFMT_OK);
	assert_int_equal(f->used, n);
	assert_slice(f->e.backend_type, "client backend");
}

static void test_unterminated_quote_at_eof(void **state)
{
	struct fixture *f = *state;
	const char *s = "2026-11-29 01:20:10.650 UTC,,,7,,s.1,1,,,,0,LOG,00000,\"never closed,,,\n"
			"more text\n";

	assert_int_equal(parse(f, s, false), LOGFMT_NEED_MORE);
	assert_int_equal(parse(f, s, true), LOGFMT_BAD);
	assert_int_equal(f->used, strlen(s));
	assert_string_equal(f->why, "unterminated quoted field at end of file");
}

/* A stray quote runs a record on into the next: it is cut at the line where
 * the next record starts, and that record is read whole. */
static void test_unbalanced_quote_midfile(void **state)
{
	struct fixture *f = *state;
	const char *broken =
	    "2026-11-29 01:20:10.100 UTC,,,7,,s.1,1,,,,0,LOG,00000,\"statement: cut\n";
	char buf[2048];

	snprintf(buf, sizeof(buf), "%s%s%s", broken, ref_received_local, ref_authorized);
	assert_int_equal(parse(f, buf, false), LOGFMT_BAD);
	assert_int_equal(f->used, strlen(broken));
	assert_string_equal(f->why,
			    "unbalanced quotes in csvlog record, skipped to the next record");
	assert_int_equal(parse(f, buf + f->used, false), LOGFMT_OK);
	assert_slice(f->e.message, "connection received: host=[local]");
	assert_int_equal(f->e.pid, 25669);
}

/* The same at end of file: the records after the open quote still count. */
static void test_unterminated_quote_before_records(void **state)
{
	struct fixture *f = *state;
	const char *broken =
	    "2026-11-29 01:20:10.100 UTC,,,7,,s.1,1,,,,0,LOG,00000,\"never closed\n";
	const char *tail =
	    "2026-11-29 01:20:10.200 UTC,,,8,,s.2,1,,,,0,LOG,00000,\"also \"\"open\n";
	char buf[2048];

	snprintf(buf, sizeof(buf), "%s%s", broken, tail);
	assert_int_equal(parse(f, buf, true), LOGFMT_BAD);
	assert_int_equal(f->used, strlen(broken));
	assert_string_equal(f->why,
			    "unbalanced quotes in csvlog record, skipped to the next record");
	assert_int_equal(parse(f, buf + f->used, true), LOGFMT_BAD);
	assert_int_equal(f->used, strlen(tail));
	assert_string_equal(f->why, "unterminated quoted field at end of file");
}

/* A real record may hold a line that looks like a timestamp inside quotes:
 * with 26 fields it is whole and is not cut. */
static void test_timestamp_inside_quotes(void **state)
{
	struct fixture *f = *state;
	const char *s =
	    "2026-11-29 01:20:10.650 UTC,\"alice\",\"postgres\",25674,\"127.0.0.1:35310\","
	    "6b0b7dca.644a,3,\"idle\",2026-11-29 01:20:10 UTC,3/16,0,LOG,00000,"
	    "\"statement: copy t from stdin\n2026-11-29 01:00:00,x\",,,,,,,,,"
	    "\"psql\",\"client backend\",,0\n";

	assert_int_equal(parse(f, s, false), LOGFMT_OK);
	assert_int_equal(f->used, strlen(s));
	assert_slice(f->e.message, "statement: copy t from stdin\n2026-11-29 01:00:00,x");
	assert_slice(f->e.application, "psql");
}

static void test_too_few_columns(void **state)
{
	struct fixture *f = *state;
	const char *s = "pg_ctl: server started, waiting\n2026-...";

	assert_int_equal(parse(f, s, false), LOGFMT_BAD);
	assert_int_equal(f->used, strlen("pg_ctl: server started, waiting\n"));
	assert_string_equal(f->why, "not a csvlog record");

	/* why may be NULL */
	assert_int_equal(csv_parser_next(f->cp, s, strlen(s), false, &f->e, &f->used, NULL),
			 LOGFMT_BAD);
}

static void test_blank_line(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "\nx", false), LOGFMT_OK);
	assert_int_equal(f->e.kind, ENTRY_OTHER);
	assert_int_equal(f->used, 1);
	assert_int_equal(parse(f, "", true), LOGFMT_OK);
	assert_int_equal(f->e.kind, ENTRY_OTHER);
	assert_int_equal(f->used, 0);
	assert_int_equal(parse(f, "", false), LOGFMT_NEED_MORE);
}

/* A record past the 64 MB cap is skipped up to its end. */
static void test_too_long(void **state)
{
	struct fixture *f = *state;
	const char *head = "2026-11-29 01:20:10.650 UTC,,,7,,s.1,1,,,,0,LOG,00000,\"";
	size_t big = (size_t)65 * 1024 * 1024, hl = strlen(head);
	char *buf = malloc(hl + big + 64);

	memcpy(buf, head, hl);
	memset(buf + hl, 'x', big);
	buf[hl + 100] = '\n'; /* a quoted newline must not end it */
	memcpy(buf + hl + big, "\",,,\nnext\n", 11);
	size_t n = strlen(buf);

	assert_int_equal(csv_parser_next(f->cp, buf, n, false, &f->e, &f->used, &f->why),
			 LOGFMT_BAD);
	assert_string_equal(f->why, "csvlog record too long");
	assert_int_equal(f->used, n - 5);

	/* cut before its end: skip what is there rather than wait */
	assert_int_equal(csv_parser_next(f->cp, buf, hl + big - 1, false, &f->e, &f->used, &f->why),
			 LOGFMT_BAD);
	assert_int_equal(f->used, hl + big - 1);
	free(buf);

	/* the parser still works afterwards */
	assert_int_equal(parse(f, ref_authorized, false), LOGFMT_OK);
	assert_slice(f->e.user, "alice");
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

/* The real csvlog of a PostgreSQL 15 server: every record parses. */
static void test_corpus(void **state)
{
	struct fixture *f = *state;
	size_t len, off = 0, records = 0, authorized = 0, no_ts = 0;
	char *buf = slurp(FIXTURE_DIR "/default-prefix/postgresql-2026-11-29_004152.csv", &len);

	while (off < len) {
		enum logfmt_status s =
		    csv_parser_next(f->cp, buf + off, len - off, true, &f->e, &f->used, &f->why);
		if (s != LOGFMT_OK)
			fail_msg("record at byte %zu: status %d (%s)", off, (int)s,
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
	assert_int_equal(authorized, 1366); /* grep -c '"connection authorized' */
	assert_int_equal(no_ts, 0);
}

/* csvscan's masks are the bytes' own, at every length and alignment. */
static void test_scan_masks(void **state)
{
	char buf[200];
	uint32_t x = 12345;
	for (int round = 0; round < 2000; round++) {
		for (size_t i = 0; i < sizeof(buf); i++) {
			x = x * 1103515245 + 12345;
			static const char pick[] = "\"\",,\n\na\r\0\xff";
			buf[i] = pick[(x >> 16) % (sizeof(pick) - 1)];
		}
		size_t off = (size_t)round % 64, n = (size_t)round % 65;
		struct csvscan_masks a, b;
		csvscan_block_bytewise(buf + off, n, &b);
		for (size_t i = 0; i < n; i++)
			assert_int_equal((b.quote >> i) & 1, buf[off + i] == '"');
		/* Every way this CPU has gives the same masks. */
		for (int isa = CSVSCAN_BYTEWISE; isa <= (int)csvscan_best(); isa++) {
			csvscan_block_isa((enum csvscan_isa)isa, buf + off, n, &a);
			assert_true(a.quote == b.quote && a.comma == b.comma && a.nl == b.nl);
			if (n < 64)
				assert_true(((a.quote | a.comma | a.nl) >> n) == 0);
		}
	}
}

/* What the tests' fast path must not let go: connection messages, FATAL. */
static bool interest(enum pg_sev sev, const char *msg, size_t len)
{
	return sev >= SEV_FATAL || (len >= 10 && memcmp(msg, "connection", 10) == 0);
}

static bool fast(const char *s, size_t len, struct logfmt_skip *sk)
{
	return csvlog_ops.fast_skip(s, len, interest, sk);
}

static const char stmt[] =
    "2026-12-07 09:26:34.489 UTC,\"app\",\"app\",19599,\"[local]\",6b167bba.4c8f,10991,"
    "\"SELECT\",2026-12-07 09:26:18 UTC,3/0,0,LOG,00000,\"duration: 0.030 ms  statement: "
    "SELECT abalance FROM pgbench_accounts WHERE aid = 835940;\",,,,,,,,,\"pgbench\","
    "\"client backend\",,0\n";

/* Does the fast path let go of stmt with its first 'from' made 'to' (in
 * buf, 1024 bytes)?  The whole record, as the parser frames it, or nothing. */
static bool fast_variant(char *buf, const char *from, const char *to)
{
	struct logfmt_skip sk;
	const char *at = strstr(stmt, from);
	assert_non_null(at);
	snprintf(buf, 1024, "%.*s%s%s", (int)(at - stmt), stmt, to, at + strlen(from));
	if (!fast(buf, strlen(buf), &sk))
		return false;
	assert_int_equal(sk.used, strlen(buf));
	return true;
}

/* The shapes the fast path lets go, and those it leaves to the parser. */
static void test_fast_path_shapes(void **state)
{
	struct logfmt_skip sk;
	char buf[1024];

	assert_true(fast(stmt, strlen(stmt), &sk));
	assert_int_equal(sk.used, strlen(stmt));
	assert_int_equal(sk.lines, 1);
	assert_true(sk.message);
	/* Not whole yet. */
	assert_false(fast(stmt, strlen(stmt) - 1, &sk));
	/* What matters. */
	assert_false(fast(ref_authorized, strlen(ref_authorized), &sk));
	assert_false(fast(ref_received_local, strlen(ref_received_local), &sk));
	assert_false(fast(ref_password_failed, strlen(ref_password_failed), &sk));
	/* A killed server process: LOG, and of no interest here; its record
	 * has a quoted field after the message. */
	assert_true(fast(ref_killed_cet, strlen(ref_killed_cet), &sk));
	assert_int_equal(sk.used, strlen(ref_killed_cet));
	/* Newlines and doubled quotes inside the message. */
	static const char multi[] = "2026-11-29 01:20:10.650 UTC,,,7,,s.1,1,,,,0,LOG,00000,\"a "
				    "message long enough to carry its first "
				    "quote past forty bytes: \"\"spans\"\"\n lines, and \"\"\"\" "
				    "more\n\",,,,,,,,,\"\",\"x\",,0\n";
	assert_true(fast(multi, strlen(multi), &sk));
	assert_int_equal(sk.used, strlen(multi));
	assert_int_equal(sk.lines, 3);
	/* 23 and 24 columns. */
	assert_false(fast(line23, strlen(line23), &sk)); /* connection authorized */
	assert_true(fast_variant(buf, ",,0\n", "\n"));   /* 24 columns */
	/* 25 columns: the parser reports it. */
	assert_false(fast_variant(buf, ",,0\n", ",0\n"));
	/* A quote inside an unquoted field; text after a closing quote; a
	 * quoted severity; a quoted last field before \r\n: to the parser.
	 * An unquoted one before \r\n is read as the parser reads it. */
	assert_false(fast_variant(buf, "6b167bba", "6b\"67bba"));
	assert_false(fast_variant(buf, "\"SELECT\",", "\"SELECT\"x,"));
	assert_false(fast_variant(buf, ",LOG,", ",\"LOG\","));
	assert_false(fast_variant(buf, "backend\",,0\n", "backend\"\r\n"));
	assert_true(fast_variant(buf, ",,0\n", ",,0\r\n"));
	/* A blank line, a line of something else. */
	assert_false(fast("\n", 1, &sk));
	assert_false(fast("hello, world\n", 13, &sk));
}

/* Every place a record may sit against the 64-byte blocks, and records made
 * of random pieces (quotes, doubled quotes, commas, newlines, severities,
 * messages that matter or not): wherever the fast path lets a record go,
 * the parser reads the same bytes as one record that does not matter. */
static void test_fast_path_differential(void **state)
{
	struct fixture *f = *state;
	static const char *const pieces[] = {"\"",
					     "\"\"",
					     ",",
					     ",",
					     ",,,,,,,,,,,,",
					     "\n",
					     "\r",
					     "LOG",
					     "FATAL",
					     "abc",
					     "12345",
					     "\" ",
					     "\",",
					     ",\"",
					     "\"\n",
					     "\n\"",
					     "connection received: host=x",
					     "duration: 0.030 ms  statement: SELECT 1;",
					     "2026-12-07 09:26:34.489 UTC",
					     "0123456789012345678901234567890123456789"};
	size_t npieces = sizeof(pieces) / sizeof(pieces[0]);
	char buf[4096];
	uint32_t x = 7;
	size_t skipped = 0;

	for (int round = 0; round < 20000; round++) {
		/* A line of padding that shifts the records against the
		 * blocks, three real records, then a few random pieces
		 * written over them or inserted. */
		size_t len, pad = (size_t)round % 64;
		memset(buf, 'x', pad);
		buf[pad] = '\n';
		len = pad + 1;
		for (int r = 0; r < 3 && len + sizeof(stmt) < sizeof(buf); r++) {
			memcpy(buf + len, stmt, sizeof(stmt) - 1);
			len += sizeof(stmt) - 1;
		}
		x = x * 1103515245 + 12345;
		int mutations = (int)((x >> 16) % 4);
		for (int k = 0; k < mutations; k++) {
			x = x * 1103515245 + 12345;
			size_t at = (x >> 8) % len;
			x = x * 1103515245 + 12345;
			const char *pc = pieces[(x >> 16) % npieces];
			size_t pl = strlen(pc);
			if (len + pl >= sizeof(buf))
				break;
			x = x * 1103515245 + 12345;
			if ((x >> 16) & 1) { /* insert */
				memmove(buf + at + pl, buf + at, len - at);
				len += pl;
			}
			memcpy(buf + at, pc, pl);
			if (at + pl > len)
				len = at + pl;
		}
		for (size_t off = 0; off < len;) {
			struct logfmt_skip sk;
			bool skip = fast(buf + off, len - off, &sk);
			enum logfmt_status st = csv_parser_next(f->cp, buf + off, len - off, true,
								&f->e, &f->used, &f->why);
			assert_true(f->used > 0 && f->used <= len - off);
			if (skip) {
				size_t nl = 0;
				for (size_t i = 0; i < f->used; i++)
					nl += buf[off + i] == '\n';
				assert_int_equal(sk.used, f->used);
				assert_int_equal(sk.lines, nl);
				assert_int_equal(st, LOGFMT_OK);
				assert_int_equal(f->e.kind, ENTRY_MESSAGE);
				assert_false(interest(f->e.sev, f->e.message.p, f->e.message.len));
				skipped++;
			}
			off += f->used;
		}
	}
	assert_true(skipped > 20000); /* the plain records went the fast way */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_reference_authorized, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reference_disconnection, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_local_and_empty_user_db, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_multiline_detail, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_postmaster_cet, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sequence, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_23_columns, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_24_columns, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_extra_columns, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ipv6, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_quoting, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unknown_severity, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_crlf, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_need_more, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_last_line_without_newline, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unterminated_quote_at_eof, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unbalanced_quote_midfile, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unterminated_quote_before_records, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_timestamp_inside_quotes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_too_few_columns, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_blank_line, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_too_long, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_corpus, setup, teardown),
	    cmocka_unit_test(test_scan_masks),
	    cmocka_unit_test(test_fast_path_shapes),
	    cmocka_unit_test_setup_teardown(test_fast_path_differential, setup, teardown),
	};
	return cmocka_run_group_tests_name("csvlog", tests, NULL, NULL);
}
