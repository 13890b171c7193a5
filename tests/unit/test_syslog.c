/* SPDX-License-Identifier: PostgreSQL */
/* Unit tests for the transports: logfmt/pgsyslog.c (the [N-k] marks),
 * syslog.c (headers, idents, escapes, joined pieces, traditional
 * timestamps) and journald.c with journald_scan.c (the scanner, the
 * jansson fallback, the journal's two copies of a record). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "logfmt/formats.h"
#include "logfmt/pgsyslog.h"

#define assert_slice(s, str)                                                                       \
	do {                                                                                       \
		assert_int_equal((s).len, strlen(str));                                            \
		if ((s).len)                                                                       \
			assert_memory_equal((s).p, (str), (s).len);                                \
	} while (0)

/* A parser of ops, its environment set (ident may be NULL), inferred from
 * text. */
static void *open_ops(const struct logfmt_ops *ops, const char *ident, int64_t mtime_ms,
		      const char *text)
{
	const char *err = NULL;
	void *p = ops->new (NULL, &err);
	assert_non_null(p);
	struct logfmt_env env = {.ident = ident, .file_mtime_ms = mtime_ms};
	ops->set_env(p, &env);
	ops->infer(p, text, strlen(text));
	return p;
}

/* The records of text, at EOF, each kind into kinds[] (at most n); returns
 * how many, and the last message entry in *last. */
static size_t read_all(const struct logfmt_ops *ops, void *p, const char *text,
		       enum entry_kind *kinds, size_t n, struct pg_entry *last, char *msg,
		       size_t msg_len)
{
	size_t off = 0, len = strlen(text), k = 0;
	while (off < len) {
		struct pg_entry e;
		size_t used = 0;
		const char *why = NULL;
		assert_int_equal(ops->next(p, text + off, len - off, true, &e, &used, &why),
				 LOGFMT_OK);
		assert_true(used > 0);
		if (k < n)
			kinds[k] = e.kind;
		k++;
		if (e.kind == ENTRY_MESSAGE) {
			*last = e;
			snprintf(msg, msg_len, "%.*s", (int)e.message.len, e.message.p);
		}
		off += used;
	}
	return k;
}

static void test_marks(void **state)
{
	(void)state;
	struct pgsyslog_mark m;
	assert_true(pgsyslog_mark("[12-3] x", 8, &m));
	assert_int_equal(m.seq, 12);
	assert_int_equal(m.chunk, 3);
	assert_int_equal(m.len, 7);
	assert_true(pgsyslog_mark("[4] x", 5, &m)); /* syslog_sequence_numbers = off */
	assert_int_equal(m.seq, -1);
	assert_int_equal(m.chunk, 4);
	assert_false(pgsyslog_mark("[12-] x", 7, &m));
	assert_int_equal(m.len, 0);
	assert_false(pgsyslog_mark("[0] x", 5, &m));
	assert_false(pgsyslog_mark("[12]x", 5, &m));
	assert_false(pgsyslog_mark("[12a] x", 7, &m));
}

static void test_shapes(void **state)
{
	(void)state;
	static const char *const lines[] = {
	    "2026-12-07T04:56:07.384220+00:00 vm postgres[30476]: [8-1] 2026-12-07 04:56:07.384 "
	    "UTC [30476] LOG:  connection authorized: user=app database=postgres\n",
	    "<134>1 2026-12-07T04:56:07.384220+00:00 vm postgres 30476 - -  [8-1] 2026-12-07 "
	    "04:56:07.384 UTC [30476] LOG:  connection authorized: user=app database=postgres\n",
	    "Dec  7 04:56:07 vm postgres[30476]: [8-1] 2026-12-07 04:56:07.384 UTC [30476] LOG:  "
	    "connection authorized: user=app database=postgres\n",
	    "2026-12-07T04:56:07+0000 vm postgres-15[30476]: 2026-12-07 04:56:07.384 UTC [30476] "
	    "LOG:  connection authorized: user=app database=postgres\n",
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		assert_true(syslog_ops.sniff(lines[i], strlen(lines[i]) - 1));
		void *p = open_ops(&syslog_ops, NULL, TS_UNKNOWN, lines[i]);
		enum entry_kind k[2];
		struct pg_entry e;
		char msg[200];
		assert_int_equal(read_all(&syslog_ops, p, lines[i], k, 2, &e, msg, sizeof(msg)), 1);
		assert_int_equal(k[0], ENTRY_MESSAGE);
		assert_int_equal(e.pid, 30476);
		assert_int_equal(e.ts_ms, 1796619367384LL);
		assert_slice(e.server, "vm");
		assert_string_equal(msg, "connection authorized: user=app database=postgres");
		syslog_ops.free(p);
	}
	/* Plain stderr is no syslog line, nor is a bare mark (a prefix's
	 * "[%p-%l] " would look the same). */
	assert_false(syslog_ops.sniff("2026-12-07 04:56:07.384 UTC [30476] LOG:  x", 43));
	assert_false(syslog_ops.sniff("[8-1] 2026-12-07 04:56:07.384 UTC LOG:  x", 41));
}

static void test_others_and_escapes(void **state)
{
	(void)state;
	const char *text =
	    "2026-12-07T04:56:08.000001+00:00 vm sshd[77]: Accepted publickey for root\n"
	    "2026-12-07T04:56:08.250313+00:00 vm postgres[30657]: [9-2] 2026-12-07 04:56:08.250 "
	    "UTC [30657] STATEMENT:  select\n"
	    "2026-12-07T04:56:08.250317+00:00 vm postgres[30657]: [9-3] #011  1/0\n"
	    "2026-12-07T04:56:18.541116+00:00 vm postgres[304]: 2026-12-07 04:56:18.540 UTC [304] "
	    "ERROR:  division by zero#0122026-12-07 04:56:18.540 UTC [304] STATEMENT:  select\n"
	    "-- Boot 2d7c371c06b84a44b21221bc8364b02a --\n";
	void *p = open_ops(&syslog_ops, NULL, TS_UNKNOWN, text);
	enum entry_kind k[5];
	struct pg_entry e;
	char msg[200];
	assert_int_equal(read_all(&syslog_ops, p, text, k, 5, &e, msg, sizeof(msg)), 5);
	assert_int_equal(k[0], ENTRY_FOREIGN);      /* another program */
	assert_int_equal(k[1], ENTRY_MESSAGE);      /* STATEMENT */
	assert_int_equal(k[2], ENTRY_CONTINUATION); /* its TAB-led line */
	assert_int_equal(k[3], ENTRY_MESSAGE);      /* split off: the first record */
	assert_int_equal(k[4], ENTRY_FOREIGN);      /* journalctl's boot line */
	assert_string_equal(msg, "division by zero");
	syslog_ops.free(p);

	/* --ident: only that program's lines. */
	p = open_ops(&syslog_ops, "sshd", TS_UNKNOWN, text);
	read_all(&syslog_ops, p, text, k, 5, &e, msg, sizeof(msg));
	assert_int_equal(k[1], ENTRY_FOREIGN);
	syslog_ops.free(p);
}

/* A line cut into pieces: joined again by host, pid and N, through another
 * process's line in between; a piece not yet read is waited for. */
static void test_pieces(void **state)
{
	(void)state;
	char first[1200], text[4096];
	char words[700] = "";
	for (int i = 0; i < 60; i++)
		strcat(words, "word_word ");
	words[strlen(words) - 1] = '\0';
	snprintf(first, sizeof(first),
		 "2026-12-07T04:56:08.0+00:00 vm postgres[5]: [3-1] 2026-12-07 04:56:08.000 UTC "
		 "[5] ERROR:  %s\n",
		 words);
	snprintf(
	    text, sizeof(text),
	    "%s2026-12-07T04:56:08.0+00:00 vm postgres[6]: [3-1] 2026-12-07 04:56:08.000 UTC "
	    "[6] LOG:  disconnection: session time: 0:00:00.001 user=a database=b host=[local]\n"
	    "2026-12-07T04:56:08.0+00:00 vm postgres[5]: [3-2]  tail end\n",
	    first);
	void *p = open_ops(&syslog_ops, NULL, TS_UNKNOWN, text);
	struct pg_entry e;
	size_t used = 0;
	const char *why = NULL;
	/* Only the first line there: more may come. */
	assert_int_equal(syslog_ops.next(p, first, strlen(first), false, &e, &used, &why),
			 LOGFMT_NEED_MORE);
	enum entry_kind k[3];
	char msg[1200];
	struct pg_entry last;
	size_t off = 0, len = strlen(text), n = 0;
	while (off < len) {
		assert_int_equal(syslog_ops.next(p, text + off, len - off, false, &e, &used, &why),
				 LOGFMT_OK);
		k[n++] = e.kind;
		if (n == 1) {
			last = e;
			snprintf(msg, sizeof(msg), "%.*s", (int)e.message.len, e.message.p);
		}
		off += used;
	}
	assert_int_equal(n, 3);
	assert_int_equal(k[0], ENTRY_MESSAGE);
	assert_int_equal(k[1], ENTRY_MESSAGE);
	assert_int_equal(k[2], ENTRY_CONTINUATION); /* joined already */
	assert_int_equal(last.sev, SEV_ERROR);
	assert_int_equal(strlen(msg), strlen(words) + strlen(" tail end"));
	assert_string_equal(msg + strlen(words), " tail end");
	syslog_ops.free(p);
}

/* "Dec 31 23:59:00" in a file last written on 2 January 2027: 2026. */
static void test_traditional_year(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	const char *text =
	    "Dec 31 23:59:00 vm postgres[9]: [1-1] [9] LOG:  connection received: host=[local]\n";
	void *p = open_ops(&syslog_ops, NULL, 1798848000000LL /* 2027-01-02 */, text);
	enum entry_kind k[1];
	struct pg_entry e;
	char msg[100];
	read_all(&syslog_ops, p, text, k, 1, &e, msg, sizeof(msg));
	assert_int_equal(e.ts_ms, 1798761540000LL); /* 2026-12-31T23:59:00Z */
	assert_non_null(syslog_ops.note(p));
	assert_non_null(strstr(syslog_ops.note(p), "2026"));
	syslog_ops.free(p);
}

static void test_journald(void **state)
{
	(void)state;
	const char *text =
	    "{\"_HOSTNAME\":\"vm\",\"_TRANSPORT\":\"syslog\",\"_PID\":\"7\",\"SYSLOG_IDENTIFIER\":"
	    "\"postgres\",\"__REALTIME_TIMESTAMP\":\"1796619339264095\",\"MESSAGE\":\"[6-1] [7] "
	    "LOG:  connection received: host=[local]\"}\n"
	    "{\"_HOSTNAME\":\"vm\",\"_TRANSPORT\":\"stdout\",\"_PID\":\"7\",\"SYSLOG_IDENTIFIER\":"
	    "\"postgres\",\"__REALTIME_TIMESTAMP\":\"1796619339264095\",\"MESSAGE\":\"[7] LOG:  "
	    "connection received: host=[local]\",\"N\":null,\"A\":[1,2]}\n"
	    "{\"_HOSTNAME\":\"vm\",\"_TRANSPORT\":\"stdout\",\"_PID\":\"7\",\"SYSLOG_IDENTIFIER\":"
	    "\"postgres\",\"MESSAGE\":[91,55,93,32,76,79,71,58,32,32,100,105,115,99,111,110,110,"
	    "101,99,116,105,111,110,58,32,115,101,115,115,105,111,110,32,255]}\n"
	    "{\"_TRANSPORT\":\"stdout\",\"SYSLOG_IDENTIFIER\":\"cron\",\"MESSAGE\":\"hello\"}\n";
	assert_true(journald_ops.sniff(text, strchr(text, '\n') - text));
	void *p = open_ops(&journald_ops, NULL, TS_UNKNOWN, text);
	enum entry_kind k[4];
	struct pg_entry e;
	char msg[100];
	assert_int_equal(read_all(&journald_ops, p, text, k, 4, &e, msg, sizeof(msg)), 4);
	assert_int_equal(k[0], ENTRY_FOREIGN); /* the syslog copy: stdout's is read */
	assert_int_equal(k[1], ENTRY_MESSAGE);
	assert_int_equal(k[2], ENTRY_MESSAGE); /* MESSAGE of bytes, not UTF-8 */
	assert_int_equal(k[3], ENTRY_FOREIGN); /* another program */
	assert_int_equal(e.pid, 7);            /* (e's slices are gone with the next record) */
	assert_string_equal(msg, "disconnection: session \xff");
	journald_ops.free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_marks),
	    cmocka_unit_test(test_shapes),
	    cmocka_unit_test(test_others_and_escapes),
	    cmocka_unit_test(test_pieces),
	    cmocka_unit_test(test_traditional_year),
	    cmocka_unit_test(test_journald),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
