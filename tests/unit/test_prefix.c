/* SPDX-License-Identifier: PostgreSQL */
/* Unit tests for logfmt/prefix.c: compiling log_line_prefix and matching lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "logfmt/prefix.h"
#include "logfmt/ts.h"

#define RICH                                                                                       \
	"%t|%m|%n|p=%p|P=%P|l=%l|c=%c|s=%s|v=%v|x=%x|e=%e|b=%b|%q|a=%a|u=%u|d=%d|r=%r|h=%h|i=%i|"  \
	"Q=%Q|pad=[%-10u][%10d]| "

/* 2026-11-29 00:00:00 UTC in ms */
#define DAY_MS 1795910400000LL

/* Match line against spec; the entry is cleared first.  Returns prefix_match's
 * result; *used gets the severity offset. */
static int match(const char *spec, const char *line, struct pg_entry *e, size_t *used)
{
	const char *err = NULL;
	struct prefix *px = prefix_compile(spec, &err);
	assert_non_null(px);
	assert_string_equal(prefix_spec(px), spec);
	pg_entry_clear(e);
	*used = 0;
	int rc = prefix_match(px, line, strlen(line), e, used);
	prefix_free(px);
	return rc;
}

#define assert_slice(s, str)                                                                       \
	do {                                                                                       \
		assert_int_equal((s).len, strlen(str));                                            \
		if ((s).len)                                                                       \
			assert_memory_equal((s).p, (str), (s).len);                                \
	} while (0)

static void test_default(void **state)
{
	(void)state;
	struct pg_entry e;
	size_t used;
	const char *l = "2026-11-29 00:41:52.360 UTC [11753] LOG:  starting PostgreSQL 15.18";
	assert_int_equal(match("%m [%p] ", l, &e, &used), 0);
	assert_int_equal(used, 36);
	assert_int_equal(e.ts_ms, DAY_MS + 41 * 60000 + 52360);
	assert_int_equal(e.pid, 11753);
	assert_int_equal(e.user.len, 0);
	/* No severity after the prefix: no match */
	assert_int_equal(match("%m [%p] ", "2026-11-29 00:41:52.360 UTC [11753] hello", &e, &used),
			 -1);
	assert_int_equal(match("%m [%p] ", "\tcontinuation", &e, &used), -1);
	/* %m needs milliseconds, %t must not have them */
	assert_int_equal(match("%t [%p] ", l, &e, &used), -1);
	assert_int_equal(match("%m [%p] ", "2026-11-29 00:41:52 UTC [1] LOG:  x", &e, &used), -1);
	assert_int_equal(match("%t [%p] ", "2026-11-29 00:41:52 UTC [1] LOG:  x", &e, &used), 0);
	assert_int_equal(e.ts_ms, DAY_MS + 41 * 60000 + 52000);
}

/* Azure's default '%t-%c-' has no %p: the pid is the session id's second
 * half ("%lx.%x", elog.c); a %p, when there is one, is kept. */
static void test_pid_from_session_id(void **state)
{
	(void)state;
	struct pg_entry e;
	size_t used;
	const char *l =
	    "2024-05-02 10:11:12 UTC-6633a1b0.1f4-LOG:  connection authorized: user=app";
	assert_int_equal(match("%t-%c-", l, &e, &used), 0);
	assert_slice(e.session_id, "6633a1b0.1f4");
	assert_int_equal(e.pid, 500);
	assert_int_equal(match("%c [%p] ", "6633a1b0.1f4 [77] LOG:  x", &e, &used), 0);
	assert_int_equal(e.pid, 77);
}

static void test_debian_q(void **state)
{
	(void)state;
	struct pg_entry e;
	size_t used;
	const char *spec = "%m [%p] %q%u@%d ";
	/* postmaster: the prefix stops at %q */
	const char *l1 = "2026-11-29 00:37:03.554 UTC [5546] LOG:  starting PostgreSQL";
	assert_int_equal(match(spec, l1, &e, &used), 0);
	assert_int_equal(used, 35);
	assert_int_equal(e.pid, 5546);
	assert_int_equal(e.user.len, 0);
	assert_int_equal(e.database.len, 0);
	/* session */
	const char *l2 = "2026-11-29 00:37:35.142 UTC [6181] reporting@production FATAL:  password "
			 "authentication failed";
	assert_int_equal(match(spec, l2, &e, &used), 0);
	assert_slice(e.user, "reporting");
	assert_slice(e.database, "production");
	assert_int_equal(e.pid, 6181);
	assert_memory_equal(l2 + used, "FATAL:  ", 8);
	/* [unknown] is absent */
	const char *l3 = "2026-11-29 00:37:03.639 UTC [5557] [unknown]@[unknown] LOG:  connection "
			 "received: host=[local]";
	assert_int_equal(match(spec, l3, &e, &used), 0);
	assert_int_equal(e.user.len, 0);
	assert_int_equal(e.database.len, 0);
	assert_memory_equal(l3 + used, "LOG:  ", 6);
	/* database names with spaces and '@': %d runs to the severity word */
	const char *l4 =
	    "2026-11-29 00:37:03.639 UTC [5557] bob@my db@x LOG:  connection authorized: x";
	assert_int_equal(match(spec, l4, &e, &used), 0);
	assert_slice(e.user, "bob");
	assert_slice(e.database, "my db@x");
	/* background process without %q: empty session values */
	assert_int_equal(match("%m [%p] %u@%d ",
			       "2026-11-29 00:37:03.639 UTC [5] @ LOG:  checkpoint", &e, &used),
			 0);
	assert_int_equal(e.user.len, 0);
	assert_int_equal(e.pid, 5);
}

static void test_old_debian_and_pgbadger(void **state)
{
	(void)state;
	struct pg_entry e;
	size_t used;
	assert_int_equal(
	    match(
		"%t [%p-%l] %q%u@%d ",
		"2026-11-29 00:37:03 UTC [5557-3] alice@shop ERROR:  relation \"x\" does not exist",
		&e, &used),
	    0);
	assert_int_equal(e.pid, 5557);
	assert_slice(e.user, "alice");
	assert_slice(e.database, "shop");
	assert_int_equal(e.ts_ms, DAY_MS + 37 * 60000 + 3000);

	const char *spec = "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ";
	assert_int_equal(match(spec,
			       "2026-11-29 00:37:03 UTC [42]: [7-1] user=alice,db=shop,app=psql, "
			       "the app,client=10.0.0.7 LOG:  connection authorized: x",
			       &e, &used),
			 0);
	assert_int_equal(e.pid, 42);
	assert_slice(e.user, "alice");
	assert_slice(e.database, "shop");
	assert_slice(e.application, "psql, the app");
	assert_slice(e.host, "10.0.0.7");
	assert_int_equal(match(spec,
			       "2026-11-29 00:37:03 UTC [42]: [1-1] user=,db=,app=,client= LOG:  "
			       "checkpoint starting: time",
			       &e, &used),
			 0);
	assert_int_equal(e.user.len, 0);
	assert_int_equal(e.host.len, 0);
}

static void test_rich_prefix(void **state)
{
	(void)state;
	struct pg_entry e;
	size_t used;
	const char *l1 =
	    "2026-11-29 02:20:59 CET|2026-11-29 02:20:59.222 "
	    "CET|1795915259.222|p=26738|P=|l=1|c=6b0b7dfb.6872|s=2026-11-29 02:20:59 "
	    "CET|v=|x=0|e=00000|b=not "
	    "initialized||a=[unknown]|u=[unknown]|d=[unknown]|r=127.0.0.1(34848)|h=127.0.0.1|i=|Q="
	    "0|pad=[[unknown] ][ [unknown]]| LOG:  connection received: host=127.0.0.1 port=34848";
	assert_int_equal(match(RICH, l1, &e, &used), 0);
	assert_memory_equal(l1 + used, "LOG:  connection received", 25);
	assert_int_equal(e.ts_ms, 1795915259222LL);
	assert_int_equal(e.pid, 26738);
	assert_slice(e.session_id, "6b0b7dfb.6872");
	assert_slice(e.sqlstate, "00000");
	assert_slice(e.backend_type, "not initialized");
	assert_int_equal(e.application.len, 0);
	assert_int_equal(e.user.len, 0);
	assert_int_equal(e.database.len, 0);
	assert_slice(e.host, "127.0.0.1");
	assert_slice(e.port, "34848");

	const char *l2 = "2026-11-29 02:20:59 CET|2026-11-29 02:20:59.247 "
			 "CET|1795915259.247|p=26738|P=|l=3|c=6b0b7dfb.6872|s=2026-11-29 02:20:59 "
			 "CET|v=3/3|x=0|e=00000|b=client "
			 "backend||a=[unknown]|u=alice|d=postgres|r=127.0.0.1(34848)|h=127.0.0.1|i="
			 "authentication|Q=0|pad=[alice     ][  postgres]| LOG:  connection "
			 "authorized: user=alice database=postgres application_name=richapp";
	assert_int_equal(match(RICH, l2, &e, &used), 0);
	assert_slice(e.user, "alice");
	assert_slice(e.database, "postgres");
	assert_slice(e.backend_type, "client backend");
	assert_int_equal(e.ts_ms, 1795915259247LL);

	const char *l3 =
	    "2026-11-29 02:20:59 CET|2026-11-29 02:20:59.249 "
	    "CET|1795915259.249|p=26738|P=|l=4|c=6b0b7dfb.6872|s=2026-11-29 02:20:59 "
	    "CET|v=|x=0|e=00000|b=client "
	    "backend||a=richapp|u=alice|d=postgres|r=127.0.0.1(34848)|h=127.0.0.1|i=idle|Q=0|pad=["
	    "alice     ][  postgres]| LOG:  disconnection: session time: 0:00:00.030";
	assert_int_equal(match(RICH, l3, &e, &used), 0);
	assert_slice(e.application, "richapp");

	/* postmaster: cut at %q */
	const char *l4 = "2026-11-29 02:21:00 CET|2026-11-29 02:21:00.343 "
			 "CET|1795915260.343|p=26724|P=|l=9|c=6b0b7df9.6864|s=2026-11-29 02:20:57 "
			 "CET|v=|x=0|e=00000|b=postmaster|LOG:  server process (PID 26747) was "
			 "terminated by signal 9: Killed";
	assert_int_equal(match(RICH, l4, &e, &used), 0);
	assert_int_equal(e.pid, 26724);
	assert_slice(e.backend_type, "postmaster");
	assert_int_equal(e.host.len, 0);
	assert_memory_equal(l4 + used, "LOG:  server process", 20);

	/* Without %n the CET %m is converted: 02:20:59.222 CET = 01:20:59.222 UTC */
	assert_int_equal(match("%t|%m|p=%p| ",
			       "2026-11-29 02:20:59 CET|2026-11-29 02:20:59.222 CET|p=1| LOG:  x",
			       &e, &used),
			 0);
	char iso[32];
	ts_format_iso(e.ts_ms, iso, sizeof(iso));
	assert_string_equal(iso, "2026-11-29T01:20:59.222Z");
}

static void test_each_escape(void **state)
{
	(void)state;
	struct pg_entry e;
	size_t used;
	assert_int_equal(match("%n ", "1795915259.222 LOG:  x", &e, &used), 0);
	assert_int_equal(e.ts_ms, 1795915259222LL);
	assert_int_equal(match("%c ", "6b0b7dfb.6872 LOG:  x", &e, &used), 0);
	assert_slice(e.session_id, "6b0b7dfb.6872");
	assert_int_equal(match("%c ", "6b0b7dfb LOG:  x", &e, &used), -1);
	assert_int_equal(match("%e ", "42P01 ERROR:  x", &e, &used), 0);
	assert_slice(e.sqlstate, "42P01");
	assert_int_equal(match("%e ", "42p01 ERROR:  x", &e, &used), -1);
	assert_int_equal(match("[%P] ", "[] LOG:  x", &e, &used), 0);
	assert_int_equal(match("[%P] ", "[77] LOG:  x", &e, &used), 0);
	assert_int_equal(match("[%p] ", "[] LOG:  x", &e, &used), -1);
	assert_int_equal(match("%l ", "12 LOG:  x", &e, &used), 0);
	assert_int_equal(match("%x ", "0 LOG:  x", &e, &used), 0);
	assert_int_equal(match("v=%v ", "v=3/17 LOG:  x", &e, &used), 0);
	assert_int_equal(match("v=%v ", "v= LOG:  x", &e, &used), 0);
	assert_int_equal(match("%Q ", "-4383736261228212853 LOG:  x", &e, &used), 0);
	assert_int_equal(match("%s ", "2026-11-29 02:20:57 CET LOG:  x", &e, &used), 0);
	assert_int_equal(e.ts_ms, TS_UNKNOWN); /* %s is the session start, not the time */
	assert_int_equal(match("%r ", "[local] LOG:  x", &e, &used), 0);
	assert_slice(e.host, "[local]");
	assert_int_equal(e.port.len, 0);
	assert_int_equal(match("%r ", "::1(5432) LOG:  x", &e, &used), 0);
	assert_slice(e.host, "::1");
	assert_slice(e.port, "5432");
	assert_int_equal(match("%h ", "[local] LOG:  x", &e, &used), 0);
	assert_slice(e.host, "[local]");
	assert_int_equal(match("%i %b ", "SELECT client backend LOG:  x", &e, &used), 0);
	assert_slice(e.backend_type, "client backend"); /* %i takes the first word */
	assert_int_equal(match("%L %a ", "[none] my app LOG:  x", &e, &used), 0);
	assert_slice(e.application, "my app");
	/* %% is a literal percent; unknown escapes print nothing */
	assert_int_equal(match("%%%p%z %Y", "%12 LOG:  x", &e, &used), 0);
	assert_int_equal(e.pid, 12);
	/* Two escapes in a row: a free-text one before a shaped one */
	assert_int_equal(match("%u%p ", "bob42 LOG:  x", &e, &used), 0);
	assert_slice(e.user, "bob");
	assert_int_equal(e.pid, 42);
}

static void test_padding(void **state)
{
	(void)state;
	struct pg_entry e;
	size_t used;
	assert_int_equal(match("[%-10u][%10d] ", "[alice     ][  postgres] LOG:  x", &e, &used), 0);
	assert_slice(e.user, "alice");
	assert_slice(e.database, "postgres");
	assert_int_equal(match("[%-10u][%10d] ", "[[unknown] ][ [unknown]] LOG:  x", &e, &used), 0);
	assert_int_equal(e.user.len, 0);
	assert_int_equal(e.database.len, 0);
	/* longer values are not cut */
	assert_int_equal(match("[%-3u] ", "[alexander] LOG:  x", &e, &used), 0);
	assert_slice(e.user, "alexander");
	/* padded shaped escapes */
	assert_int_equal(match("%8p|%-8p|", "     123|456     |LOG:  x", &e, &used), 0);
	assert_int_equal(e.pid, 456);
	/* left-aligned pid followed by a literal space */
	assert_int_equal(match("%-6p ", "123    LOG:  x", &e, &used), 0);
	assert_int_equal(e.pid, 123);
	assert_int_equal(used, 7);
}

static void test_empty_and_translated(void **state)
{
	(void)state;
	struct pg_entry e;
	size_t used;
	assert_int_equal(match("", "LOG:  database system is ready", &e, &used), 0);
	assert_int_equal(used, 0);
	assert_int_equal(e.pid, PID_UNKNOWN);
	assert_int_equal(match("", "pg_ctl: server started", &e, &used), -1);
	/* A translated severity word still ends the prefix */
	const char *l = "2026-11-29 00:00:00.000 UTC [9] СООБЩЕНИЕ:  система БД готова";
	assert_int_equal(match("%m [%p] ", l, &e, &used), 0);
	assert_int_equal(used, 32);
	/* Lines with NUL bytes: lengths, not strlen */
	const char nul[] = "2026-11-29 00:00:00.000 UTC [9] LOG:  a\0b";
	const char *err;
	struct prefix *px = prefix_compile("%m [%p] ", &err);
	pg_entry_clear(&e);
	assert_int_equal(prefix_match(px, nul, sizeof(nul) - 1, &e, &used), 0);
	assert_int_equal(e.pid, 9);
	const char nul2[] = "2026-11-29 00:00:00.000 UTC [\0] LOG:  a";
	assert_int_equal(prefix_match(px, nul2, sizeof(nul2) - 1, &e, &used), -1);
	prefix_free(px);
}

static void test_compile_edges(void **state)
{
	(void)state;
	const char *err = NULL;
	const char *specs[] = {"%", "%-", "%10", "%q%q%q", "%%%", "abc", "%-99999999999u "};
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		struct prefix *px = prefix_compile(specs[i], &err);
		assert_non_null(px);
		prefix_free(px);
	}
	char big[1024];
	memset(big, 0, sizeof(big));
	for (size_t i = 0; i + 3 < sizeof(big); i += 3)
		memcpy(big + i, "%p ", 3);
	assert_null(prefix_compile(big, &err));
	assert_non_null(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default),       cmocka_unit_test(test_pid_from_session_id),
	    cmocka_unit_test(test_debian_q),      cmocka_unit_test(test_old_debian_and_pgbadger),
	    cmocka_unit_test(test_rich_prefix),   cmocka_unit_test(test_each_escape),
	    cmocka_unit_test(test_padding),       cmocka_unit_test(test_empty_and_translated),
	    cmocka_unit_test(test_compile_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
