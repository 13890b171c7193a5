/* SPDX-License-Identifier: PostgreSQL */
/* Unit tests for logfmt/stderr.c and stderr_infer.c: line records, severities,
 * the fast path, prefix inference. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "logfmt/formats.h"

/* 2026-11-29 00:00:00 UTC in ms */
#define DAY_MS 1795910400000LL

#define assert_slice(s, str)                                                                       \
	do {                                                                                       \
		assert_int_equal((s).len, strlen(str));                                            \
		if ((s).len)                                                                       \
			assert_memory_equal((s).p, (str), (s).len);                                \
	} while (0)

static struct stderr_parser *new_parser(const char *prefix)
{
	const char *err = NULL;
	struct stderr_parser *sp = stderr_parser_new(prefix, &err);
	assert_non_null(sp);
	return sp;
}

/* Parse the first record of buf (at EOF); check it uses `want_used` bytes. */
static void next1(struct stderr_parser *sp, const char *buf, size_t len, struct pg_entry *e,
		  size_t want_used)
{
	size_t used = 0;
	const char *why = "x";
	assert_int_equal(stderr_parser_next(sp, buf, len, true, e, &used, &why), LOGFMT_OK);
	assert_int_equal(used, want_used);
	assert_null(why);
}

/* Infer from sample and return the settled prefix ("(none)" when -1). */
static const char *infer(struct stderr_parser *sp, const char *sample)
{
	if (stderr_parser_infer(sp, sample, strlen(sample)) != 0)
		return "(none)";
	return stderr_parser_prefix(sp);
}

static void test_records(void **state)
{
	(void)state;
	struct stderr_parser *sp = new_parser("%m [%p] %q%u@%d ");
	struct pg_entry e;
	const char *buf = "2026-11-29 00:37:35.142 UTC [6181] reporting@production FATAL:  "
			  "password authentication failed for user \"reporting\"\n"
			  "2026-11-29 00:37:35.142 UTC [6181] reporting@production DETAIL:  "
			  "Connection matched pg_hba.conf line 4: \"host\"\n"
			  "\tsecond line of detail\n"
			  "\n"
			  "pg_ctl: another server might be running\n";
	size_t off = 0, used;
	assert_int_equal(stderr_parser_next(sp, buf, strlen(buf), false, &e, &used, NULL),
			 LOGFMT_OK);
	assert_int_equal(e.kind, ENTRY_MESSAGE);
	assert_int_equal(e.sev, SEV_FATAL);
	assert_slice(e.sev_word, "FATAL");
	assert_slice(e.message, "password authentication failed for user \"reporting\"");
	assert_slice(e.user, "reporting");
	assert_slice(e.database, "production");
	assert_int_equal(e.pid, 6181);
	assert_int_equal(e.ts_ms, DAY_MS + 37 * 60000 + 35142);
	off += used;
	assert_int_equal(
	    stderr_parser_next(sp, buf + off, strlen(buf + off), false, &e, &used, NULL),
	    LOGFMT_OK);
	assert_int_equal(e.sev, SEV_DETAIL);
	off += used;
	assert_int_equal(
	    stderr_parser_next(sp, buf + off, strlen(buf + off), false, &e, &used, NULL),
	    LOGFMT_OK);
	assert_int_equal(e.kind, ENTRY_CONTINUATION);
	assert_slice(e.message, "second line of detail");
	assert_int_equal(used, 23);
	off += used;
	assert_int_equal(
	    stderr_parser_next(sp, buf + off, strlen(buf + off), false, &e, &used, NULL),
	    LOGFMT_OK);
	assert_int_equal(e.kind, ENTRY_OTHER);
	assert_int_equal(used, 1);
	off += used;
	assert_int_equal(
	    stderr_parser_next(sp, buf + off, strlen(buf + off), false, &e, &used, NULL),
	    LOGFMT_OK);
	assert_int_equal(e.kind, ENTRY_OTHER);
	assert_slice(e.message, "pg_ctl: another server might be running");
	off += used;
	assert_int_equal(off, strlen(buf));
	stderr_parser_free(sp);
}

static void test_line_ends(void **state)
{
	(void)state;
	struct stderr_parser *sp = new_parser("%m [%p] ");
	struct pg_entry e;
	size_t used = 99;
	const char *partial = "2026-11-29 00:00:00.000 UTC [1] LOG:  no newline yet";

	/* No newline: need more unless at EOF */
	assert_int_equal(stderr_parser_next(sp, partial, strlen(partial), false, &e, &used, NULL),
			 LOGFMT_NEED_MORE);
	assert_int_equal(used, 0);
	next1(sp, partial, strlen(partial), &e, strlen(partial));
	assert_int_equal(e.kind, ENTRY_MESSAGE);
	assert_slice(e.message, "no newline yet");
	/* Nothing at all */
	assert_int_equal(stderr_parser_next(sp, "", 0, true, &e, &used, NULL), LOGFMT_NEED_MORE);

	/* CRLF */
	const char *crlf = "2026-11-29 00:00:00.000 UTC [1] LOG:  windows\r\nnext";
	next1(sp, crlf, strlen(crlf), &e, strlen(crlf) - 4);
	assert_slice(e.message, "windows");

	/* NUL inside a line */
	const char nul[] = "2026-11-29 00:00:00.000 UTC [7] LOG:  a\0b\nX";
	next1(sp, nul, sizeof(nul) - 1, &e, sizeof(nul) - 2);
	assert_int_equal(e.pid, 7);
	assert_int_equal(e.message.len, 3);
	assert_memory_equal(e.message.p, "a\0b", 3);

	/* Empty line, CR-only line */
	next1(sp, "\r\n", 2, &e, 2);
	assert_int_equal(e.kind, ENTRY_OTHER);
	stderr_parser_free(sp);
}

static void test_severities(void **state)
{
	(void)state;
	struct stderr_parser *sp = new_parser("%m [%p] ");
	struct pg_entry e;
	const char *l;

	/* log_error_verbosity=verbose */
	l = "2026-11-29 00:00:00.000 UTC [7] ERROR:  42P01: relation \"nope\" does not exist\n";
	next1(sp, l, strlen(l), &e, strlen(l));
	assert_int_equal(e.sev, SEV_ERROR);
	assert_slice(e.sqlstate, "42P01");
	assert_slice(e.message, "relation \"nope\" does not exist");
	l = "2026-11-29 00:00:00.000 UTC [7] LOG:  00000: connection received: host=[local]\n";
	next1(sp, l, strlen(l), &e, strlen(l));
	assert_slice(e.sqlstate, "00000");
	assert_slice(e.message, "connection received: host=[local]");
	/* Not a SQLSTATE: no digit */
	l = "2026-11-29 00:00:00.000 UTC [7] LOG:  ABORT: something\n";
	next1(sp, l, strlen(l), &e, strlen(l));
	assert_int_equal(e.sqlstate.len, 0);
	assert_slice(e.message, "ABORT: something");
	l = "2026-11-29 00:00:00.000 UTC [7] LOCATION:  exec_simple_query, postgres.c:1234\n";
	next1(sp, l, strlen(l), &e, strlen(l));
	assert_int_equal(e.sev, SEV_LOCATION);
	/* Translated severity: a catalog's word is known, the word kept */
	l = "2026-11-29 00:00:00.000 UTC [7] ОШИБКА:  отношение \"x\" не существует\n";
	next1(sp, l, strlen(l), &e, strlen(l));
	assert_int_equal(e.kind, ENTRY_MESSAGE);
	assert_int_equal(e.sev, SEV_ERROR);
	assert_slice(e.sev_word, "ОШИБКА");
	assert_int_equal(e.pid, 7);
	/* A word no catalog has: SEV_UNKNOWN, the word kept */
	l = "2026-11-29 00:00:00.000 UTC [7] BŁĄD:  x\n";
	next1(sp, l, strlen(l), &e, strlen(l));
	assert_int_equal(e.kind, ENTRY_MESSAGE);
	assert_int_equal(e.sev, SEV_UNKNOWN);
	assert_slice(e.sev_word, "BŁĄD");
	l = "2026-11-29 00:00:00.000 UTC [7] DEBUG2:  x\n";
	next1(sp, l, strlen(l), &e, strlen(l));
	assert_int_equal(e.sev, SEV_DEBUG);
	stderr_parser_free(sp);
}

static void test_infer_known(void **state)
{
	(void)state;
	static const struct {
		const char *want;
		const char *sample;
	} cases[] = {
	    {"%m [%p] ",
	     "2026-11-29 00:41:52.360 UTC [11753] LOG:  starting PostgreSQL 15.18\n"
	     "2026-11-29 00:41:52.373 UTC [11753] LOG:  database system is ready to accept "
	     "connections\n"
	     "2026-11-29 00:41:53.001 UTC [11760] LOG:  connection received: host=[local]\n"
	     "2026-11-29 00:41:53.002 UTC [11760] LOG:  connection authorized: user=postgres "
	     "database=postgres\n"
	     "2026-11-29 00:41:54.010 UTC [11761] FATAL:  password authentication failed for user "
	     "\"bob\"\n"
	     "2026-11-29 00:41:54.010 UTC [11761] DETAIL:  Connection matched pg_hba.conf line 5: "
	     "\"host all\"\n"
	     "\tcontinued\n"},
	    {"%m [%p] %q%u@%d ",
	     "2026-11-29 00:37:03.554 UTC [5546] LOG:  starting PostgreSQL 15.18\n"
	     "2026-11-29 00:37:03.568 UTC [5546] LOG:  database system is ready to accept "
	     "connections\n"
	     "2026-11-29 00:37:03.639 UTC [5557] [unknown]@[unknown] LOG:  connection received: "
	     "host=[local]\n"
	     "2026-11-29 00:37:03.640 UTC [5557] postgres@postgres LOG:  connection authorized: "
	     "user=postgres\n"},
	    {"%t [%p-%l] %q%u@%d ", "2026-11-29 00:37:03 UTC [5546-1] LOG:  database system is "
				    "ready to accept connections\n"
				    "2026-11-29 00:37:04 UTC [5557-1] [unknown]@[unknown] LOG:  "
				    "connection received: host=[local]\n"
				    "2026-11-29 00:37:04 UTC [5557-2] postgres@postgres LOG:  "
				    "connection authorized: user=postgres\n"
				    "2026-11-29 00:37:05 UTC [5557-3] postgres@postgres LOG:  "
				    "disconnection: session time: 0:00:01.000\n"},
	    {"%t [%p]: user=%u,db=%d,app=%a,client=%h ",
	     "2026-11-29 00:37:03 UTC [5546]: user=,db=,app=,client= LOG:  database system is "
	     "ready\n"
	     "2026-11-29 00:37:04 UTC [5557]: "
	     "user=[unknown],db=[unknown],app=[unknown],client=[local] LOG:  connection received: "
	     "host=[local]\n"
	     "2026-11-29 00:37:04 UTC [5557]: user=alice,db=shop,app=psql,client=[local] LOG:  "
	     "connection authorized: user=alice\n"},
	    {"%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ",
	     "2026-11-29 00:37:03 UTC [5546]: [1-1] user=,db=,app=,client= LOG:  database system "
	     "is ready\n"
	     "2026-11-29 00:37:04 UTC [5557]: [1-1] "
	     "user=[unknown],db=[unknown],app=[unknown],client=10.1.2.3 LOG:  connection received: "
	     "host=10.1.2.3 port=5\n"
	     "2026-11-29 00:37:04 UTC [5557]: [2-1] user=alice,db=shop,app=psql,client=10.1.2.3 "
	     "LOG:  connection authorized: user=alice\n"},
	    {"%m [%p] %q[user=%u,db=%d,app=%a] ",
	     "2026-11-29 00:37:03.100 UTC [5546] LOG:  database system is ready\n"
	     "2026-11-29 00:37:04.100 UTC [5557] [user=[unknown],db=[unknown],app=[unknown]] LOG:  "
	     "connection received: host=[local]\n"
	     "2026-11-29 00:37:04.200 UTC [5557] [user=alice,db=shop,app=my app] LOG:  connection "
	     "authorized: user=alice\n"},
	    {"%t ", "2026-11-29 00:37:03 UTC LOG:  database system is ready\n"
		    "2026-11-29 00:37:04 UTC LOG:  connection received: host=[local]\n"},
	    {"%m ", "2026-11-29 00:37:03.001 UTC LOG:  database system is ready\n"
		    "2026-11-29 00:37:04.002 UTC LOG:  connection received: host=[local]\n"},
	    {"%m %p ",
	     "2026-11-29 00:37:03.001 UTC 5546 LOG:  database system is ready\n"
	     "2026-11-29 00:37:04.002 UTC 5557 LOG:  connection received: host=[local]\n"},
	    {"", "LOG:  database system was shut down at 2026-11-29 00:37:03 UTC\n"
		 "LOG:  database system is ready to accept connections\n"
		 "FATAL:  role \"ghost\" does not exist\n"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct stderr_parser *sp = new_parser(NULL);
		assert_null(stderr_parser_prefix(sp));
		assert_string_equal(infer(sp, cases[i].sample), cases[i].want);
		/* Every non-continuation line of the sample parses as a message. */
		const char *p = cases[i].sample;
		size_t len = strlen(p), used;
		struct pg_entry e;
		while (len > 0) {
			assert_int_equal(stderr_parser_next(sp, p, len, true, &e, &used, NULL),
					 LOGFMT_OK);
			assert_int_not_equal(e.kind, ENTRY_OTHER);
			p += used;
			len -= used;
		}
		stderr_parser_free(sp);
	}
}

static void test_infer_structural(void **state)
{
	(void)state;
	struct stderr_parser *sp = new_parser(NULL);
	struct pg_entry e;
	const char *sample = "1795915258.022 [26724] 6b0b7dfa.6864 LOG:  database system is ready\n"
			     "1795915259.222 [26738] 6b0b7dfb.6872 alice@shop LOG:  connection "
			     "authorized: user=alice\n"
			     "1795915259.300 [26738] 6b0b7dfb.6872 alice@shop ERROR:  syntax error "
			     "at or near \"x\"\n";
	assert_string_equal(infer(sp, sample), "%n [%p] %c %q%u@%d ");
	const char *l = strchr(sample, '\n') + 1;
	next1(sp, l, strlen(l), &e, strchr(l, '\n') - l + 1);
	assert_int_equal(e.ts_ms, 1795915259222LL);
	assert_int_equal(e.pid, 26738);
	assert_slice(e.session_id, "6b0b7dfb.6872");
	assert_slice(e.user, "alice");
	assert_slice(e.database, "shop");
	assert_slice(e.message, "connection authorized: user=alice");
	stderr_parser_free(sp);

	sp = new_parser(NULL);
	sample = "2026-11-29 00:37:03.100 UTC [5546] host=db1 sess=6b0b7dfa.6864 LOG:  ready\n"
		 "2026-11-29 00:37:03.200 UTC [5547] host=db1 sess=6b0b7dfa.6865 WARNING:  hmm\n";
	assert_string_equal(infer(sp, sample), "%m [%p] host=%h sess=%c ");
	stderr_parser_free(sp);
}

static void test_infer_upgrade(void **state)
{
	(void)state;
	/* Only postmaster lines in the sample: the plain default wins, and the
	 * Debian %q form takes over at the first session line. */
	struct stderr_parser *sp = new_parser(NULL);
	struct pg_entry e;
	const char *sample = "2026-11-29 00:37:03.554 UTC [5546] LOG:  starting PostgreSQL 15.18\n"
			     "2026-11-29 00:37:03.568 UTC [5546] LOG:  database system is ready\n";
	assert_string_equal(infer(sp, sample), "%m [%p] ");
	const char *l = "2026-11-29 00:37:03.640 UTC [5557] postgres@postgres LOG:  connection "
			"authorized: user=postgres\n";
	next1(sp, l, strlen(l), &e, strlen(l));
	assert_int_equal(e.kind, ENTRY_MESSAGE);
	assert_slice(e.user, "postgres");
	assert_string_equal(stderr_parser_prefix(sp), "%m [%p] %q%u@%d ");
	stderr_parser_free(sp);
}

/* The same prefix settled with a session's line in the sample: no %q
 * superset is left to take over, so the guess is final (a large file can
 * be cut for --jobs); with postmaster lines only it is not. */
static void test_infer_settled(void **state)
{
	(void)state;
	const char *post = "2026-11-29 00:37:03.554 UTC [5546] LOG:  starting PostgreSQL 15.18\n"
			   "2026-11-29 00:37:03.568 UTC [5546] LOG:  database system is ready\n";
	const char *sess = "2026-11-29 00:37:03.554 UTC [5546] LOG:  starting PostgreSQL 15.18\n"
			   "2026-11-29 00:37:03.640 UTC [5557] LOG:  connection authorized: "
			   "user=postgres database=postgres\n";
	struct logfmt *lf = logfmt_new(LOGFMT_STDERR, NULL);
	assert_int_equal(logfmt_infer_prefix(lf, post, strlen(post)), 0);
	assert_false(logfmt_stable(lf));
	logfmt_free(lf);
	lf = logfmt_new(LOGFMT_STDERR, NULL);
	assert_int_equal(logfmt_infer_prefix(lf, sess, strlen(sess)), 0);
	assert_true(logfmt_stable(lf));
	/* What a part of the file is given instead of inferring again: a
	 * parser given it reads a line as the inferring one does. */
	assert_non_null(logfmt_prefix(lf));
	assert_string_equal(logfmt_prefix(lf), "%m [%p] ");
	struct logfmt *given = logfmt_new(LOGFMT_STDERR, logfmt_prefix(lf));
	assert_non_null(given);
	const char *line = "2026-11-29 00:37:04.001 UTC [5560] LOG:  connection authorized: "
			   "user=app database=shop\n";
	struct pg_entry a, b;
	size_t ua = 0, ub = 0;
	pg_entry_clear(&a);
	pg_entry_clear(&b);
	assert_int_equal(logfmt_next(lf, line, strlen(line), true, &a, &ua, NULL), LOGFMT_OK);
	assert_int_equal(logfmt_next(given, line, strlen(line), true, &b, &ub, NULL), LOGFMT_OK);
	assert_int_equal(ua, ub);
	assert_int_equal(a.pid, 5560);
	assert_int_equal(b.pid, 5560);
	assert_int_equal(a.ts_ms, b.ts_ms);
	assert_int_equal(a.message.len, b.message.len);
	logfmt_free(given);
	logfmt_free(lf);
	lf = logfmt_new(LOGFMT_CSV, NULL);
	assert_null(logfmt_prefix(lf));
	logfmt_free(lf);
}

static void test_infer_fails_generic(void **state)
{
	(void)state;
	struct stderr_parser *sp = new_parser(NULL);
	struct pg_entry e;
	const char *sample = "some random text\nmore: text\nthird line\n";
	assert_int_equal(stderr_parser_infer(sp, sample, strlen(sample)), -1);
	assert_null(stderr_parser_prefix(sp));
	/* generic parse: timestamp, [pid-...], known severity */
	const char *l = "2026-11-29 00:37:03 UTC host1 postgres[5546-2] extra LOG:  hello world\n";
	next1(sp, l, strlen(l), &e, strlen(l));
	assert_int_equal(e.kind, ENTRY_MESSAGE);
	assert_int_equal(e.sev, SEV_LOG);
	assert_int_equal(e.pid, 5546);
	assert_int_equal(e.ts_ms, DAY_MS + 37 * 60000 + 3000);
	assert_slice(e.message, "hello world");
	l = "Nov 29 01:20:10 host postgres[25669]: [3-1] ERROR:  42P01: x\n";
	next1(sp, l, strlen(l), &e, strlen(l));
	assert_int_equal(e.sev, SEV_ERROR);
	assert_int_equal(e.pid, 25669);
	assert_int_equal(e.ts_ms, TS_UNKNOWN);
	assert_slice(e.sqlstate, "42P01");
	/* unknown words are not severities in generic mode */
	l = "BLAH:  nothing\n";
	next1(sp, l, strlen(l), &e, strlen(l));
	assert_int_equal(e.kind, ENTRY_OTHER);
	stderr_parser_free(sp);
	/* An empty sample settles nothing either */
	sp = new_parser(NULL);
	assert_int_equal(stderr_parser_infer(sp, "", 0), -1);
	stderr_parser_free(sp);
}

static void test_given_prefix(void **state)
{
	(void)state;
	const char *err = NULL;
	struct stderr_parser *sp = new_parser("%t ");
	const char *sample = "2026-11-29 00:41:52.360 UTC [11753] LOG:  x\n";
	/* A given prefix is kept: inference is a no-op */
	assert_int_equal(stderr_parser_infer(sp, sample, strlen(sample)), 0);
	assert_string_equal(stderr_parser_prefix(sp), "%t ");
	stderr_parser_free(sp);
	char big[1024];
	memset(big, 0, sizeof(big));
	for (size_t i = 0; i + 3 < sizeof(big); i += 3)
		memcpy(big + i, "%p ", 3);
	assert_null(stderr_parser_new(big, &err));
	assert_non_null(err);
}

/* What the fast path last handed to the interest test. */
static struct {
	bool called;
	enum pg_sev sev;
	struct slice msg;
} seen;

static bool record_interest(enum pg_sev sev, const char *msg, size_t len)
{
	seen.called = true;
	seen.sev = sev;
	seen.msg = slice_make(msg, len);
	return false;
}

/*
 * The fast path and the parser read a line's severity and message the same
 * way, SQLSTATE-like tokens included: five of [0-9A-Z] with a digit is a
 * code ("42P01: " is stepped over), anything else is the message's first
 * word.  (The fast path once stepped over "ABORT: " too.)
 */
static void test_fast_path_sqlstate(void **state)
{
	(void)state;
	static const struct {
		const char *token;
		bool code;
	} tokens[] = {
	    {"42P01", true},  {"0A000", true},  {"XX000", true},  {"57P01", true},
	    {"12345", true},  {"HV00R", true},  {"P0001", true},  {"ABCDE", false},
	    {"ABORT", false}, {"42p01", false}, {"4200", false},  {"42P011", false},
	    {"-1234", false}, {"42 01", false}, {"ÉTAT1", false}, {"", false},
	};
	static const char *const sevs[] = {"LOG", "FATAL", "ERROR", "DETAIL"};
	static const char *const prefixes[] = {"%m [%p] ", NULL};
	char line[256];

	for (size_t p = 0; p < 2; p++) {
		struct stderr_parser *sp = new_parser(prefixes[p]);
		for (size_t s = 0; s < 4; s++) {
			for (size_t i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++) {
				int n = snprintf(line, sizeof(line),
						 "2026-11-29 00:41:52.444 UTC [11764] %s:  %s: "
						 "connection received: host=[local]\n\n",
						 sevs[s], tokens[i].token);
				size_t len = (size_t)n - 1; /* the line and its newline */
				struct pg_entry e;
				struct logfmt_skip sk;
				next1(sp, line, len, &e, len);
				memset(&seen, 0, sizeof(seen));
				assert_true(
				    stderr_ops.fast_skip(line, (size_t)n, record_interest, &sk));
				assert_true(seen.called);
				assert_int_equal(sk.used, len);
				assert_int_equal(seen.sev, e.sev);
				assert_ptr_equal(seen.msg.p, e.message.p);
				assert_int_equal(seen.msg.len, e.message.len);
				bool code = tokens[i].code && e.sev < SEV_DETAIL;
				assert_int_equal(e.sqlstate.len, code ? 5 : 0);
			}
		}
		stderr_parser_free(sp);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_records),          cmocka_unit_test(test_line_ends),
	    cmocka_unit_test(test_severities),       cmocka_unit_test(test_infer_known),
	    cmocka_unit_test(test_infer_structural), cmocka_unit_test(test_infer_upgrade),
	    cmocka_unit_test(test_infer_settled),    cmocka_unit_test(test_infer_fails_generic),
	    cmocka_unit_test(test_given_prefix),     cmocka_unit_test(test_fast_path_sqlstate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
