/* SPDX-License-Identifier: PostgreSQL */
/* Unit tests for logfmt/ts.c: timestamp parsing, zones, formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "logfmt/ts.h"

/* 2026-11-29 00:00:00 UTC in ms */
#define DAY_MS 1795910400000LL

/* Parse s (all of it must be one timestamp); return ms, check used. */
static int64_t parse_all(const char *s, int *known)
{
	int64_t ms = 0;
	size_t used = 0;
	assert_int_equal(ts_parse(s, strlen(s), &ms, &used, known), 0);
	assert_int_equal(used, strlen(s));
	return ms;
}

static void test_days_from_civil(void **state)
{
	(void)state;
	assert_int_equal(ts_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(ts_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(ts_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(ts_days_from_civil(2026, 11, 29), 20786);
	assert_int_equal(ts_days_from_civil(2024, 2, 29) + 1, ts_days_from_civil(2024, 3, 1));
}

static void test_utc_variants(void **state)
{
	(void)state;
	int known = -1;
	assert_int_equal(parse_all("2026-11-29 00:45:42.699 UTC", &known), DAY_MS + 2742699);
	assert_int_equal(known, 1);
	assert_int_equal(parse_all("2026-11-29 00:45:42 GMT", &known), DAY_MS + 2742000);
	assert_int_equal(known, 1);
	assert_int_equal(parse_all("2026-11-29 00:45:42 UCT", &known), DAY_MS + 2742000);
	assert_int_equal(parse_all("2026-11-29 00:45:42 Z", &known), DAY_MS + 2742000);
	assert_int_equal(known, 1);
}

static void test_named_zones(void **state)
{
	(void)state;
	int known = -1;
	/* The reference's rich-prefix line: 02:20:59.222 CET = %n 1795915259.222 */
	assert_int_equal(parse_all("2026-11-29 02:20:59.222 CET", &known), 1795915259222LL);
	assert_int_equal(known, 1);
	assert_int_equal(parse_all("2026-07-01 14:00:00 CEST", &known),
			 parse_all("2026-07-01 12:00:00 UTC", NULL));
	assert_int_equal(known, 1);
	assert_int_equal(parse_all("2026-11-29 00:00:00 EST", NULL), DAY_MS + 5 * 3600000LL);
	assert_int_equal(parse_all("2026-11-29 00:00:00 PDT", NULL), DAY_MS + 7 * 3600000LL);
	assert_int_equal(parse_all("2026-11-29 09:00:00 JST", NULL), DAY_MS);
	assert_int_equal(parse_all("2026-11-29 11:00:00 AEDT", NULL), DAY_MS);
	assert_int_equal(parse_all("2026-11-29 01:00:00 BST", NULL), DAY_MS);
	assert_int_equal(parse_all("2026-11-29 02:00:00 EET", NULL), DAY_MS);
	assert_int_equal(parse_all("2026-11-28 14:00:00 HST", NULL), DAY_MS);
}

static void test_ambiguous_and_unknown_zones(void **state)
{
	(void)state;
	int known = -1;
	/* IST: taken as India (+05:30) but flagged */
	assert_int_equal(parse_all("2026-11-29 05:30:00 IST", &known), DAY_MS);
	assert_int_equal(known, 0);
	assert_int_equal(parse_all("2026-11-28 18:00:00 CST", &known), DAY_MS);
	assert_int_equal(known, 0);
	/* Unknown capitals: UTC, flagged */
	known = -1;
	assert_int_equal(parse_all("2026-11-29 00:00:00 XYZT", &known), DAY_MS);
	assert_int_equal(known, 0);
}

static void test_numeric_zones(void **state)
{
	(void)state;
	int known = -1;
	assert_int_equal(parse_all("2026-11-29 05:30:00 +05:30", &known), DAY_MS);
	assert_int_equal(known, 1);
	/* America/Sao_Paulo prints "-03" */
	assert_int_equal(parse_all("2026-11-28 21:00:00 -03", &known), DAY_MS);
	assert_int_equal(known, 1);
	assert_int_equal(parse_all("2026-11-29 05:45:00 +0545", NULL), DAY_MS);
	assert_int_equal(parse_all("2026-11-29 05:00:00.5 +05", NULL), DAY_MS + 500);
}

static void test_missing_zone(void **state)
{
	(void)state;
	int64_t ms;
	size_t used;
	int known = -1;
	const char *s = "2026-11-29 00:00:01";
	assert_int_equal(ts_parse(s, strlen(s), &ms, &used, &known), 0);
	assert_int_equal(ms, DAY_MS + 1000);
	assert_int_equal(used, 19);
	assert_int_equal(known, 0);
	/* A severity word is not a zone */
	s = "2026-11-29 00:00:01.250 LOG:  x";
	assert_int_equal(ts_parse(s, strlen(s), &ms, &used, &known), 0);
	assert_int_equal(ms, DAY_MS + 1250);
	assert_int_equal(used, 23);
	assert_int_equal(known, 0);
	/* The zone ends before '|' and ']' */
	s = "2026-11-29 00:00:01 UTC|x";
	assert_int_equal(ts_parse(s, strlen(s), &ms, &used, NULL), 0);
	assert_int_equal(used, 23);
	/* A lowercase word is not a zone */
	s = "2026-11-29 00:00:01 postgres@db LOG:  x";
	assert_int_equal(ts_parse(s, strlen(s), &ms, &used, &known), 0);
	assert_int_equal(used, 19);
}

static void test_rejects(void **state)
{
	(void)state;
	int64_t ms;
	size_t used;
	const char *bad[] = {
	    "2026-11-29 00:00",
	    "2026/11/29 00:00:00 UTC",
	    "2026-13-29 00:00:00 UTC",
	    "2026-11-29 24:00:00 UTC",
	    "2026-11-29 00:60:00 UTC",
	    "x026-11-29 00:00:00 UTC",
	    "LOG:  hello",
	    "",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(ts_parse(bad[i], strlen(bad[i]), &ms, &used, NULL), -1);
	/* Length is honoured: a valid timestamp cut short does not parse. */
	assert_int_equal(ts_parse("2026-11-29 00:00:00", 18, &ms, &used, NULL), -1);
}

/* Timestamps one after another, as a log gives them: each reads as it does
 * alone, whatever the one before (the parser remembers the last minute and
 * zone). */
static void test_sequence(void **state)
{
	(void)state;
	int64_t ms;
	size_t used;
	int known = -1;
	assert_int_equal(parse_all("2026-11-29 00:00:01 UTC", &known), DAY_MS + 1000);
	assert_int_equal(parse_all("2026-11-29 00:00:59.5 UTC", &known), DAY_MS + 59500);
	assert_int_equal(known, 1);
	/* Same minute, another zone */
	assert_int_equal(parse_all("2026-11-29 01:00:00 CET", &known), DAY_MS);
	assert_int_equal(parse_all("2026-11-29 01:00:00 CEST", &known), DAY_MS - 3600000);
	/* The next minute, the next day */
	assert_int_equal(parse_all("2026-11-29 00:01:00 UTC", NULL), DAY_MS + 60000);
	assert_int_equal(parse_all("2026-11-30 00:00:00 UTC", NULL), DAY_MS + 86400000);
	/* A bad time after a good one of the same day */
	assert_int_equal(ts_parse("2026-11-30 00:00:61 UTC", 23, &ms, &used, NULL), -1);
	assert_int_equal(ts_parse("2026-11-30 00:0x:00 UTC", 23, &ms, &used, NULL), -1);
	/* An unknown word read as a zone, then the same word before ':' (a
	 * severity, or a user): no zone */
	assert_int_equal(parse_all("2026-11-29 00:00:00 XYZT", &known), DAY_MS);
	assert_int_equal(known, 0);
	const char *s = "2026-11-29 00:00:00 XYZT: x";
	assert_int_equal(ts_parse(s, strlen(s), &ms, &used, &known), 0);
	assert_int_equal(used, 19);
	/* A zone word then a longer word starting with it */
	assert_int_equal(parse_all("2026-11-29 00:00:00 UTC", NULL), DAY_MS);
	s = "2026-11-29 00:00:00 UTCX";
	assert_int_equal(ts_parse(s, strlen(s), &ms, &used, &known), 0);
	assert_int_equal(used, 24);
	assert_int_equal(known, 0);
}

static void test_epoch(void **state)
{
	(void)state;
	int64_t ms;
	size_t used;
	assert_int_equal(ts_parse_epoch("1795915259.222|", 15, &ms, &used), 0);
	assert_int_equal(ms, 1795915259222LL);
	assert_int_equal(used, 14);
	assert_int_equal(ts_parse_epoch("1795915259 x", 12, &ms, &used), 0);
	assert_int_equal(ms, 1795915259000LL);
	assert_int_equal(used, 10);
	assert_int_equal(ts_parse_epoch("x1", 2, &ms, &used), -1);
	assert_int_equal(ts_parse_epoch("", 0, &ms, &used), -1);
	assert_int_equal(ts_parse_epoch("12345678901234", 14, &ms, &used), -1);
}

/* RFC 3339 as container runtimes and log services write it. */
static void test_rfc3339(void **state)
{
	(void)state;
	int64_t ms, base;
	size_t used;
	assert_int_equal(ts_parse("2024-01-15 10:23:45.123 UTC", 27, &base, &used, NULL), 0);
	assert_int_equal(ts_parse_rfc3339("2024-01-15T10:23:45.123456789Z x", 32, &ms, &used), 0);
	assert_int_equal(ms, base);
	assert_int_equal(used, 30);
	assert_int_equal(ts_parse_rfc3339("2024-01-15T10:23:45.123Z", 24, &ms, &used), 0);
	assert_int_equal(ms, base);
	assert_int_equal(ts_parse_rfc3339("2024-01-15T12:23:45.123+02:00", 29, &ms, &used), 0);
	assert_int_equal(ms, base);
	assert_int_equal(used, 29);
	assert_int_equal(ts_parse_rfc3339("2024-01-15T05:23:45.123-0500", 28, &ms, &used), 0);
	assert_int_equal(ms, base);
	assert_int_equal(ts_parse_rfc3339("2024-01-15T10:23:45+00:00", 25, &ms, &used), 0);
	assert_int_equal(ms, base - 123);
	/* No zone, a space for the T, a cut offset: not RFC 3339. */
	assert_int_equal(ts_parse_rfc3339("2024-01-15T10:23:45.123", 23, &ms, &used), -1);
	assert_int_equal(ts_parse_rfc3339("2024-01-15 10:23:45.123Z", 24, &ms, &used), -1);
	assert_int_equal(ts_parse_rfc3339("2024-01-15T10:23:45+02:", 23, &ms, &used), -1);
}

static void test_format(void **state)
{
	(void)state;
	char buf[32];
	ts_format_iso(DAY_MS + 2742699, buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-29T00:45:42.699Z");
	ts_format_hms(DAY_MS + 2742699, buf, sizeof(buf));
	assert_string_equal(buf, "00:45:42");
	ts_format_iso(-1, buf, sizeof(buf));
	assert_string_equal(buf, "1969-12-31T23:59:59.999Z");
	ts_format_iso(0, buf, sizeof(buf));
	assert_string_equal(buf, "1970-01-01T00:00:00.000Z");
	/* Round trip through parse */
	ts_format_iso(parse_all("2024-02-29 23:59:59.001 UTC", NULL), buf, sizeof(buf));
	assert_string_equal(buf, "2024-02-29T23:59:59.001Z");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_days_from_civil),
	    cmocka_unit_test(test_utc_variants),
	    cmocka_unit_test(test_named_zones),
	    cmocka_unit_test(test_ambiguous_and_unknown_zones),
	    cmocka_unit_test(test_numeric_zones),
	    cmocka_unit_test(test_missing_zone),
	    cmocka_unit_test(test_rejects),
	    cmocka_unit_test(test_sequence),
	    cmocka_unit_test(test_epoch),
	    cmocka_unit_test(test_rfc3339),
	    cmocka_unit_test(test_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
