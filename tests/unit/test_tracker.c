/* SPDX-License-Identifier: PostgreSQL */
/* Unit tests for the session tracker: the traps of real logs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conn/reorder.h"
#include "conn/filter.h"
#include "conn/tracker.h"
#include "model/model.h"
#include "model/summary.h"

/* Build and feed events tersely. */
static struct conn_event ev(enum ev_kind k, int64_t ts, int64_t pid)
{
	struct conn_event e;
	memset(&e, 0, sizeof(e));
	e.kind = k;
	e.ts_ms = ts;
	e.pid = pid;
	e.session_ms = -1;
	e.other_pid = -1;
	return e;
}

static struct slice S(const char *s) {
	return slice_make(s, strlen(s));
}

static void
received(struct tracker *t, int64_t ts, int64_t pid, const char *host, const char *port)
{
	struct conn_event e = ev(EV_RECEIVED, ts, pid);
	e.host = S(host);
	e.port = S(port);
	tracker_feed(t, &e);
}

static void authorized(struct tracker *t, int64_t ts, int64_t pid, const char *user, const char *db,
		       const char *app)
{
	struct conn_event e = ev(EV_AUTHORIZED, ts, pid);
	e.user = S(user);
	e.database = S(db);
	e.application = S(app);
	tracker_feed(t, &e);
}

static void disconnected(struct tracker *t, int64_t ts, int64_t pid, int64_t session_ms,
			 const char *user, const char *db, const char *host, const char *port)
{
	struct conn_event e = ev(EV_DISCONNECTED, ts, pid);
	e.session_ms = session_ms;
	e.user = S(user);
	e.database = S(db);
	e.host = S(host);
	e.port = S(port);
	tracker_feed(t, &e);
}

static void failed(struct tracker *t, int64_t ts, int64_t pid, enum fail_reason r, bool after_auth,
		   const char *user, const char *db)
{
	struct conn_event e = ev(EV_FAILED, ts, pid);
	e.reason = r;
	e.after_auth = after_auth;
	e.user = S(user);
	e.database = S(db);
	e.message = S("some failure");
	tracker_feed(t, &e);
}

static void server(struct tracker *t, enum ev_kind k, int64_t ts)
{
	struct conn_event e = ev(k, ts, 100);
	tracker_feed(t, &e);
}

static void session(struct tracker *t, int64_t ts, int64_t pid, const char *user, const char *db,
		    const char *app, const char *host)
{
	received(t, ts, pid, host, strcmp(host, "[local]") ? "5432" : "");
	authorized(t, ts + 1, pid, user, db, app);
}

/* The postmaster's line after a reload that changed a logging setting. */
static void setting(struct tracker *t, int64_t ts, enum log_setting which, bool on)
{
	struct conn_event e = ev(EV_SETTING, ts, 100);
	e.setting = which;
	e.setting_on = on;
	tracker_feed(t, &e);
}

static int64_t count_state(const struct tracker *t, enum session_state st)
{
	int64_t n = 0;
	for (uint32_t i = 0; i < t->pool_len; i++)
		n += t->pool[i].state == st;
	return n;
}

static void test_open_and_close(void **state)
{
	struct tracker t;
	tracker_init(&t);
	server(&t, EV_SERVER_START, 0);
	session(&t, 1000, 11, "alice", "prod", "rails", "10.0.0.1");
	session(&t, 1100, 12, "bob", "prod", "", "[local]");
	disconnected(&t, 5000, 11, 4000, "alice", "prod", "10.0.0.1", "5432");
	tracker_finish(&t);
	assert_int_equal(t.active, 1);
	assert_int_equal(t.connects, 2);
	assert_int_equal(t.disconnects, 1);
	assert_int_equal(t.peak, 2);
	assert_int_equal(t.peak_at, 1101);
	assert_true(t.complete);
	/* The open one is bob's, host from his "connection received". */
	for (uint32_t i = 0; i < t.pool_len; i++)
		if (t.pool[i].state == SESS_OPEN) {
			assert_string_equal(tracker_name(&t, t.pool[i].user), "bob");
			assert_string_equal(tracker_name(&t, t.pool[i].host), "[local]");
			assert_string_equal(tracker_name(&t, t.pool[i].app), "unknown");
		}
	tracker_release(&t);
}

/* Authorized, then "database does not exist": a failure, never a session,
 * and never part of a peak. */
static void test_refused_after_authorization(void **state)
{
	struct tracker t;
	tracker_init(&t);
	server(&t, EV_SERVER_START, 0);
	session(&t, 1000, 11, "alice", "prod", "rails", "10.0.0.1");
	session(&t, 2000, 12, "alice", "nosuchdb", "psql", "10.0.0.2");
	failed(&t, 2002, 12, FAIL_NO_DATABASE, true, "", "nosuchdb");
	tracker_finish(&t);
	assert_int_equal(t.active, 1);
	assert_int_equal(t.connects, 1);
	assert_int_equal(t.failed, 1);
	assert_int_equal(t.failed_by_reason[FAIL_NO_DATABASE], 1);
	assert_int_equal(t.peak, 1);
	tracker_release(&t);
}

/* The refusal arrives after the reorder window: still undone. */
static void test_refused_late(void **state)
{
	struct tracker t;
	tracker_init(&t);
	server(&t, EV_SERVER_START, 0);
	session(&t, 1000, 12, "carol", "prod", "x", "10.0.0.2");
	session(&t, 9000, 13, "dave", "prod", "y", "10.0.0.3");
	failed(&t, 9500, 12, FAIL_ROLE_LIMIT, true, "carol", "");
	tracker_finish(&t);
	assert_int_equal(t.active, 1);
	assert_int_equal(t.connects, 1);
	assert_int_equal(t.failed_by_reason[FAIL_ROLE_LIMIT], 1);
	tracker_release(&t);
}

/* A crash ends every session without a line; the next sessions are exact. */
static void test_crash_resets(void **state)
{
	struct tracker t;
	tracker_init(&t);
	server(&t, EV_SERVER_START, 0);
	session(&t, 1000, 11, "a", "d", "x", "[local]");
	session(&t, 1000, 12, "a", "d", "x", "[local]");
	server(&t, EV_SERVER_CRASH, 5000);
	session(&t, 9000, 13, "a", "d", "x", "[local]");
	tracker_finish(&t);
	assert_int_equal(t.active, 1);
	assert_int_equal(t.ended_by_reset, 2);
	assert_int_equal(t.connects, 3);
	tracker_release(&t);
}

/* A receipt cut short by a crash can no longer become a session: abandoned. */
static void test_receipt_before_crash(void **state)
{
	struct tracker t;
	tracker_init(&t);
	server(&t, EV_SERVER_START, 0);
	received(&t, 5000, 11, "10.0.0.1", "4000");
	server(&t, EV_SERVER_CRASH, 5009);
	tracker_finish(&t);
	assert_int_equal(t.abandoned, 1);
	assert_int_equal(t.active, 0);
	assert_int_equal(t.connects, 0);
	tracker_release(&t);
}

/* A disconnection for a session that began before the log: reported, not
 * subtracted from anyone; without a server start the count is a lower bound. */
static void test_unmatched_and_lower_bound(void **state)
{
	struct tracker t;
	tracker_init(&t);
	session(&t, 1000, 11, "a", "d", "x", "[local]");
	disconnected(&t, 2000, 99, 3600000, "old", "d", "[local]", "");
	tracker_finish(&t);
	assert_int_equal(t.active, 1);
	assert_int_equal(t.unmatched_disconnects, 1);
	assert_int_equal(t.disconnects, 0);
	assert_false(t.complete);
	tracker_release(&t);
}

/* A session whose disconnection is read before its authorization (they
 * were in two files, read at different moments): closed when the
 * authorization comes; a disconnection of a session that began long before
 * is not taken for it. */
static void test_disconnect_read_first(void **state)
{
	struct tracker t;
	tracker_init(&t);
	server(&t, EV_SERVER_START, 0);
	received(&t, 1000, 21, "[local]", "");
	reorder_flush(&t.reorder);
	disconnected(&t, 3000, 21, 1990, "u", "d", "[local]", "");
	disconnected(&t, 3000, 22, 3600000, "u", "d", "[local]", "");
	reorder_flush(&t.reorder);
	assert_int_equal(t.unmatched_disconnects, 2);
	authorized(&t, 1010, 21, "u", "d", "late");
	authorized(&t, 2000, 22, "u", "d", "other");
	tracker_finish(&t);
	assert_int_equal(t.connects, 2);
	assert_int_equal(t.disconnects, 1);
	assert_int_equal(t.active, 1); /* 22's session, not the one that ended */
	assert_int_equal(t.unmatched_disconnects, 1);
	assert_int_equal(t.early_closed, 1);
	tracker_release(&t);
}

/* A PID reused for a new session whose predecessor left no line. */
static void test_pid_reuse(void **state)
{
	struct tracker t;
	tracker_init(&t);
	server(&t, EV_SERVER_START, 0);
	session(&t, 1000, 11, "a", "d", "x", "[local]");
	session(&t, 50000, 11, "b", "d", "y", "[local]");
	tracker_finish(&t);
	assert_int_equal(t.active, 1);
	assert_int_equal(t.lost_by_reuse, 1);
	tracker_release(&t);
}

/* Out-of-order lines (a few ms) are applied in timestamp order. */
static void test_reordered_lines(void **state)
{
	struct tracker t;
	tracker_init(&t);
	server(&t, EV_SERVER_START, 0);
	session(&t, 1000, 11, "a", "d", "x", "[local]");
	/* 12 connects at 2000 but its line is written after 11's disconnect at
	 * 2003: in file order the peak would be 1, in time order 2. */
	disconnected(&t, 2003, 11, 1003, "a", "d", "[local]", "");
	session(&t, 2000, 12, "a", "d", "x", "[local]");
	tracker_finish(&t);
	assert_int_equal(t.peak, 2);
	assert_int_equal(t.active, 1);
	tracker_release(&t);
}

struct order {
	uint64_t seq[512];
	size_t n;
};

static void record_order(void *ctx, struct tevent *ev)
{
	struct order *o = ctx;
	if (o->n < 512)
		o->seq[o->n++] = ev->seq;
}

/* Push n events at ts 1000, then one at 999; return where it came out. */
static size_t late_event_place(size_t n)
{
	struct reorder r;
	struct order o = {.n = 0};
	reorder_init(&r, 2000, record_order, &o);
	for (size_t i = 0; i <= n; i++) {
		struct tevent ev = {.kind = EV_RECEIVED,
				    .ts_ms = i < n ? 1000 : 999,
				    .pid = (int64_t)i + 1,
				    .seq = i};
		reorder_push(&r, &ev);
	}
	reorder_flush(&r);
	reorder_release(&r);
	assert_int_equal(o.n, n + 1);
	for (size_t i = 0; i < o.n; i++)
		if (o.seq[i] == n)
			return i;
	fail_msg("late event not emitted");
	return 0;
}

/* A late line moves back before the lines it is older than, but at most
 * 128 places: a log that keeps going back in time costs no more than that
 * per line. */
static void test_reorder_walk_bound(void **state)
{
	assert_int_equal(late_event_place(10), 0);
	assert_int_equal(late_event_place(128), 0);
	assert_int_equal(late_event_place(200), 200 - 128);
}

/* Past its limit the name table gives new names one shared id and counts
 * them; names it already holds keep theirs. */
static void test_intern_limit(void **state)
{
	struct intern in;
	intern_init(&in);
	intern_set_max(&in, 4, "(other names)"); /* "", "(other names)", a, b */
	uint32_t a = intern_get(&in, "a", 1), b = intern_get(&in, "b", 1);
	uint32_t c = intern_get(&in, "c", 1), d = intern_get(&in, "d", 1);
	assert_string_equal(intern_str(&in, a), "a");
	assert_string_equal(intern_str(&in, b), "b");
	assert_int_equal(c, d);
	assert_string_equal(intern_str(&in, c), "(other names)");
	assert_int_equal(intern_get(&in, "a", 1), a);
	assert_int_equal(in.refused, 2);
	assert_int_equal(intern_count(&in), 4);
	intern_release(&in);
}

/* Filters narrow every figure. */
static void count_name(void *ctx, const char *name)
{
	char *seen = ctx;
	size_t n = strlen(seen);
	snprintf(seen + n, 256 - n, "%s%s", n ? "," : "", name);
}

/* Completion's names: each once, in the role it was seen in, also from
 * attempts that failed (the names of open sessions only, once per session,
 * were offered before). */
static void test_model_names(void **state)
{
	struct model m;
	char seen[256] = "";
	model_init(&m, 3600 * 1000LL);
	for (int pid = 1; pid <= 5; pid++) {
		received(&m.t, 1000 + pid, pid, "10.0.0.1", "5000");
		authorized(&m.t, 1000 + pid, pid, "alice", "prod", "leaky");
	}
	struct conn_event e = ev(EV_FAILED, 2000, 9);
	e.user = S("ghost");
	e.database = S("prod");
	e.reason = FAIL_NO_ROLE;
	tracker_feed(&m.t, &e);
	tracker_finish(&m.t);
	model_names(&m, MODEL_APP, count_name, seen);
	assert_string_equal(seen, "leaky");
	seen[0] = '\0';
	model_names(&m, MODEL_USER, count_name, seen);
	assert_string_equal(seen, "alice,ghost");
	seen[0] = '\0';
	model_names(&m, MODEL_HOST, count_name, seen);
	assert_string_equal(seen, "10.0.0.1");
	model_release(&m);
}

/* '*' and '?' are the only wildcards: "[local]" is a name (issue: the
 * unix socket's host matched nothing when '[' began a bracket set). */
static void test_filter_patterns(void **state)
{
	struct filter f;
	filter_init(&f);
	f.host = strdup("[local]");
	assert_true(filter_match(&f, NULL, NULL, NULL, "[local]"));
	assert_false(filter_match(&f, NULL, NULL, NULL, "l"));
	free(f.host);
	f.host = strdup("10.0.*");
	assert_true(filter_match(&f, NULL, NULL, NULL, "10.0.1.5"));
	assert_false(filter_match(&f, NULL, NULL, NULL, "10.1.0.5"));
	free(f.host);
	f.host = strdup("*.?.*5");
	assert_true(filter_match(&f, NULL, NULL, NULL, "10.0.1.5"));
	assert_true(filter_match(&f, NULL, NULL, NULL, "a.b.5"));
	assert_false(filter_match(&f, NULL, NULL, NULL, "a.bc.6"));
	free(f.host);
	f.host = NULL;
	f.app = strdup("*");
	assert_true(filter_match(&f, NULL, NULL, NULL, NULL)); /* "unknown" */
	free(f.app);
	f.app = strdup("a**b?");
	assert_true(filter_match(&f, "ab!", NULL, NULL, NULL));
	assert_true(filter_match(&f, "axxbyb!", NULL, NULL, NULL));
	assert_false(filter_match(&f, "ab", NULL, NULL, NULL));
	filter_release(&f);
}

static void test_filter(void **state)
{
	struct tracker t;
	tracker_init(&t);
	t.filter.app = strdup("my*");
	server(&t, EV_SERVER_START, 0);
	session(&t, 1000, 11, "a", "d", "myapp", "[local]");
	session(&t, 1000, 12, "a", "d", "rails", "[local]");
	session(&t, 1000, 13, "a", "nosuch", "myapp", "[local]");
	failed(&t, 1003, 13, FAIL_NO_DATABASE, true, "", "nosuch");
	session(&t, 1000, 14, "a", "nosuch", "rails", "[local]");
	failed(&t, 1003, 14, FAIL_NO_DATABASE, true, "", "nosuch");
	tracker_finish(&t);
	assert_int_equal(t.active, 1);
	assert_int_equal(t.connects, 1);
	assert_int_equal(t.failed, 1);
	assert_int_equal(t.open_total, 2);
	tracker_release(&t);
}

/* --since counts only what happens after it; --until shows the state then. */
static void test_window(void **state)
{
	struct tracker t;
	tracker_init(&t);
	tracker_set_window(&t, 5000, 20000);
	server(&t, EV_SERVER_START, 0);
	session(&t, 1000, 11, "a", "d", "x", "[local]");
	session(&t, 6000, 12, "a", "d", "x", "[local]");
	disconnected(&t, 7000, 11, 6000, "a", "d", "[local]", "");
	session(&t, 30000, 13, "a", "d", "x", "[local]");
	tracker_finish(&t);
	assert_int_equal(t.connects, 1);
	assert_int_equal(t.disconnects, 1);
	assert_int_equal(t.active, 1);
	assert_int_equal(t.peak, 2);
	tracker_release(&t);
}

/* A log without PIDs: receipts pair with the authorization that follows,
 * disconnections with the session of the same user/db/host/port. */
static void test_no_pids(void **state)
{
	struct tracker t;
	tracker_init(&t);
	server(&t, EV_SERVER_START, TS_UNKNOWN);
	received(&t, TS_UNKNOWN, PID_UNKNOWN, "10.0.0.1", "4001");
	authorized(&t, TS_UNKNOWN, PID_UNKNOWN, "a", "d", "one");
	received(&t, TS_UNKNOWN, PID_UNKNOWN, "10.0.0.2", "4002");
	authorized(&t, TS_UNKNOWN, PID_UNKNOWN, "a", "d", "two");
	received(&t, TS_UNKNOWN, PID_UNKNOWN, "10.0.0.3", "4003");
	authorized(&t, TS_UNKNOWN, PID_UNKNOWN, "a", "ghostdb", "three");
	failed(&t, TS_UNKNOWN, PID_UNKNOWN, FAIL_NO_DATABASE, true, "", "ghostdb");
	disconnected(&t, TS_UNKNOWN, PID_UNKNOWN, 10, "a", "d", "10.0.0.1", "4001");
	tracker_finish(&t);
	assert_int_equal(t.active, 1);
	assert_int_equal(t.connects, 2);
	assert_int_equal(t.failed, 1);
	assert_int_equal(t.disconnects, 1);
	for (uint32_t i = 0; i < t.pool_len; i++)
		if (t.pool[i].state == SESS_OPEN) {
			assert_string_equal(tracker_name(&t, t.pool[i].app), "two");
			assert_string_equal(tracker_name(&t, t.pool[i].host), "10.0.0.2");
		}
	tracker_release(&t);
}

/* Replication connections are counted apart. */
static void test_replication(void **state)
{
	struct tracker t;
	tracker_init(&t);
	server(&t, EV_SERVER_START, 0);
	received(&t, 10, 20, "10.0.0.9", "5000");
	struct conn_event e = ev(EV_AUTHORIZED, 11, 20);
	e.user = S("repl");
	e.replication = true;
	tracker_feed(&t, &e);
	session(&t, 20, 21, "a", "d", "x", "[local]");
	tracker_finish(&t);
	assert_int_equal(t.active, 1);
	assert_int_equal(t.replication_active, 1);
	assert_int_equal(t.connects, 1);
	tracker_release(&t);
}

/* Memory stays bounded by open sessions: a million short sessions reuse
 * the same few pool slots. */
static void test_bounded(void **state)
{
	struct tracker t;
	tracker_init(&t);
	server(&t, EV_SERVER_START, 0);
	for (int64_t i = 0; i < 200000; i++) {
		session(&t, 1000 + i * 10, 1000 + (i % 50000), "a", "d", "x", "10.0.0.1");
		disconnected(&t, 1000 + i * 10 + 5, 1000 + (i % 50000), 5, "a", "d", "10.0.0.1",
			     "5432");
	}
	tracker_finish(&t);
	assert_int_equal(t.connects, 200000);
	assert_int_equal(t.disconnects, 200000);
	assert_int_equal(t.active, 0);
	assert_true(t.pool_len < 1024);
	tracker_release(&t);
}

/*
 * log_disconnections off, then on again (the field test's ghosts): a session
 * started while it was off never logs its end, not even after it is turned
 * on; one started before still does.  The silent ones are not open, leave
 * uncounted when their PID is reused or the server restarts, and never get
 * a duration.
 */
static void test_disconnections_gap(void **state)
{
	struct model m;
	model_init(&m, 3600 * 1000LL);
	struct tracker *t = &m.t;
	server(t, EV_SERVER_START, 0);
	session(t, 1000, 11, "a", "d", "before", "[local]");
	session(t, 1100, 12, "a", "d", "before", "[local]");
	setting(t, 2000, SETTING_LOG_DISCONNECTIONS, false);
	session(t, 3000, 21, "a", "d", "during", "[local]");
	session(t, 3100, 22, "a", "d", "during", "10.0.0.2");
	session(t, 3200, 23, "a", "d", "during", "[local]");
	disconnected(t, 4000, 11, 3000, "a", "d", "[local]", "");
	setting(t, 5000, SETTING_LOG_DISCONNECTIONS, true);
	session(t, 6000, 31, "a", "d", "after", "[local]");
	session(t, 7000, 21, "b", "d", "after", "[local]"); /* 21's PID again */
	tracker_finish(t);
	assert_int_equal(t->active, 3); /* 12, 31 and the new 21 */
	assert_int_equal(t->silent, 2); /* 22, 23: still held, maybe open */
	assert_int_equal(t->connects, 7);
	assert_int_equal(t->disconnects, 1);
	assert_int_equal(t->lost_by_reuse, 0);
	assert_int_equal(t->peak, 3);
	assert_int_equal(count_state(t, SESS_SILENT), 2);
	assert_int_equal(t->disc_gaps.n, 1);
	assert_true(t->disc_gaps.v[0].from == 2000 && t->disc_gaps.v[0].to == 5000);
	assert_false(t->disc_gaps.off);
	assert_false(t->unseen);
	assert_int_equal(m.hist.active, 3); /* the history never held them open */

	struct summary s;
	summary_build(&s, &m);
	assert_int_equal(s.active, 3);
	assert_int_equal(s.active_unknown, 2);
	assert_true(s.complete);
	assert_int_equal(s.by_app.n, 2); /* before 1, after 2: none "during" */
	const struct caveat *c = summary_caveat(&s, CAVEAT_DISCONNECTIONS_GAP);
	assert_non_null(c);
	assert_int_equal(c->n, 2);
	assert_int_equal(c->nspans, 1);
	assert_true(c->spans[0].from == 2000 && c->spans[0].to == 5000);
	assert_null(summary_caveat(&s, CAVEAT_CONNECTIONS_GAP));
	summary_release(&s);

	/* A restart ends the open sessions; the silent ones leave uncounted. */
	server(t, EV_SERVER_START, 9000);
	tracker_finish(t);
	assert_int_equal(t->ended_by_reset, 3);
	assert_int_equal(t->silent, 0);
	assert_int_equal(count_state(t, SESS_SILENT), 0);
	model_release(&m);
}

/* A backend has the settings of its fork, which its receipt marks: received
 * before the change, authorized after it, it still logs its end (and the
 * other way round). */
static void test_disconnections_gap_fork_time(void **state)
{
	struct tracker t;
	tracker_init(&t);
	server(&t, EV_SERVER_START, 0);
	received(&t, 1000, 11, "10.0.0.1", "4001");
	setting(&t, 1005, SETTING_LOG_DISCONNECTIONS, false);
	authorized(&t, 1010, 11, "a", "d", "x");
	received(&t, 2000, 12, "10.0.0.1", "4002");
	setting(&t, 2005, SETTING_LOG_DISCONNECTIONS, true);
	authorized(&t, 2010, 12, "a", "d", "x");
	tracker_finish(&t);
	assert_int_equal(t.active, 1);
	assert_int_equal(t.silent, 1);
	for (uint32_t i = 0; i < t.pool_len; i++) {
		if (t.pool[i].key == 11)
			assert_int_equal(t.pool[i].state, SESS_OPEN);
		if (t.pool[i].key == 12)
			assert_int_equal(t.pool[i].state, SESS_SILENT);
	}
	/* A silent session that logs its end after all is a disconnect. */
	disconnected(&t, 3000, 12, 1000, "a", "d", "10.0.0.1", "4002");
	tracker_finish(&t);
	assert_int_equal(t.silent, 0);
	assert_int_equal(t.disconnects, 1);
	assert_int_equal(t.unmatched_disconnects, 0);
	tracker_release(&t);
}

/* Turned on with no line turning it off: it was off before the log said so,
 * and the sessions open then are silent. */
static void test_disconnections_on_without_off(void **state)
{
	struct tracker t;
	tracker_init(&t);
	server(&t, EV_SERVER_START, 0);
	session(&t, 1000, 11, "a", "d", "x", "[local]");
	session(&t, 1100, 12, "a", "d", "x", "[local]");
	setting(&t, 5000, SETTING_LOG_DISCONNECTIONS, true);
	session(&t, 6000, 13, "a", "d", "x", "[local]");
	/* On again (another spelling): nothing changes. */
	setting(&t, 6500, SETTING_LOG_DISCONNECTIONS, true);
	tracker_finish(&t);
	assert_int_equal(t.active, 1);
	assert_int_equal(t.silent, 2);
	assert_int_equal(t.open_total, 1);
	assert_int_equal(t.connects, 3);
	assert_int_equal(t.disc_gaps.n, 1);
	assert_true(t.disc_gaps.v[0].from == TS_UNKNOWN && t.disc_gaps.v[0].to == 5000);
	tracker_release(&t);
}

/* log_connections off, then on: the sessions started then are not seen,
 * their disconnections are unmatched, and the open count is a lower bound
 * until the next server start -- unless it is still off then. */
static void test_connections_gap(void **state)
{
	struct tracker t;
	tracker_init(&t);
	server(&t, EV_SERVER_START, 0);
	session(&t, 1000, 11, "a", "d", "x", "[local]");
	setting(&t, 2000, SETTING_LOG_CONNECTIONS, false);
	disconnected(&t, 3000, 40, 500, "a", "d", "[local]", "");
	setting(&t, 4000, SETTING_LOG_CONNECTIONS, true);
	session(&t, 5000, 12, "a", "d", "x", "[local]");
	tracker_finish(&t);
	assert_int_equal(t.active, 2);
	assert_int_equal(t.unmatched_disconnects, 1);
	assert_true(t.unseen);
	assert_true(t.complete);
	assert_int_equal(t.conn_gaps.n, 1);
	assert_true(t.conn_gaps.v[0].from == 2000 && t.conn_gaps.v[0].to == 4000);
	server(&t, EV_SERVER_START, 6000);
	tracker_finish(&t);
	assert_false(t.unseen);
	setting(&t, 7000, SETTING_LOG_CONNECTIONS, false);
	server(&t, EV_SERVER_START, 8000);
	tracker_finish(&t);
	assert_true(t.unseen);
	assert_true(t.conn_gaps.off);
	assert_int_equal(t.conn_gaps.n, 2);
	assert_true(t.conn_gaps.v[1].to == TS_UNKNOWN);
	tracker_release(&t);
}

/* In 18, log_connections = 'receipt' logs receipts and no authorization:
 * such a receipt is not an abandoned attempt.  And an 'authorization' to
 * 'all' change (on to on) after authorizations were logged is no gap. */
static void test_connections_receipt_only(void **state)
{
	struct tracker t;
	tracker_init(&t);
	server(&t, EV_SERVER_START, 0);
	session(&t, 500, 10, "a", "d", "x", "[local]");
	setting(&t, 600, SETTING_LOG_CONNECTIONS, true);
	assert_int_equal(t.conn_gaps.n, 0);
	setting(&t, 1000, SETTING_LOG_CONNECTIONS, false);
	received(&t, 2000, 11, "10.0.0.1", "4001");
	received(&t, 2100, 12, "10.0.0.1", "4002");
	received(&t, 3000, 11, "10.0.0.1", "4003"); /* 11 reused */
	tracker_finish(&t);
	server(&t, EV_SERVER_STOPPED, 900000);
	tracker_finish(&t);
	assert_int_equal(t.abandoned, 0);
	assert_int_equal(t.conn_gaps.n, 1);
	tracker_release(&t);
}

/* Without PIDs nothing could release a silent session: it is only counted,
 * until a reset. */
static void test_silent_without_pids(void **state)
{
	struct tracker t;
	tracker_init(&t);
	server(&t, EV_SERVER_START, TS_UNKNOWN);
	setting(&t, TS_UNKNOWN, SETTING_LOG_DISCONNECTIONS, false);
	for (int i = 0; i < 100; i++) {
		received(&t, TS_UNKNOWN, PID_UNKNOWN, "10.0.0.1", "4001");
		authorized(&t, TS_UNKNOWN, PID_UNKNOWN, "a", "d", "x");
	}
	tracker_finish(&t);
	assert_int_equal(t.silent, 100);
	assert_int_equal(t.active, 0);
	assert_int_equal(t.connects, 100);
	assert_int_equal(count_state(&t, SESS_SILENT), 0);
	assert_int_equal(count_state(&t, SESS_RECEIVED), 0);
	server(&t, EV_SERVER_START, TS_UNKNOWN);
	tracker_finish(&t);
	assert_int_equal(t.silent, 0);
	tracker_release(&t);
}

/* The periods kept are bounded: past TRACKER_MAX_GAPS the last one
 * stretches over the rest. */
static void test_gaps_bounded(void **state)
{
	struct tracker t;
	tracker_init(&t);
	for (int i = 0; i < 20; i++) {
		setting(&t, 1000 + i * 100, SETTING_LOG_DISCONNECTIONS, false);
		setting(&t, 1050 + i * 100, SETTING_LOG_DISCONNECTIONS, true);
	}
	tracker_finish(&t);
	assert_int_equal(t.disc_gaps.n, TRACKER_MAX_GAPS);
	assert_int_equal(t.disc_gaps.count, 20);
	assert_true(t.disc_gaps.v[TRACKER_MAX_GAPS - 1].from ==
		    1000 + (TRACKER_MAX_GAPS - 1) * 100);
	assert_true(t.disc_gaps.v[TRACKER_MAX_GAPS - 1].to == 1050 + 19 * 100);
	tracker_release(&t);
}

/* The message texts, through the classifier into the model: the ghosts of
 * the field test are not counted open. */
static void feed_line(struct model *m, int64_t ts, int64_t pid, const char *msg)
{
	struct pg_entry e;
	pg_entry_clear(&e);
	e.kind = ENTRY_MESSAGE;
	e.ts_ms = ts;
	e.pid = pid;
	e.sev = SEV_LOG;
	e.message = S(msg);
	model_entry(m, &e);
}

static void test_gap_from_log_lines(void **state)
{
	struct model m;
	model_init(&m, 3600 * 1000LL);
	feed_line(&m, 0, 1, "database system is ready to accept connections");
	feed_line(&m, 10, 1, "starting PostgreSQL 15.18");
	feed_line(&m, 1000, 11, "connection authorized: user=a database=d application_name=x");
	feed_line(&m, 2000, 1, "received SIGHUP, reloading configuration files");
	feed_line(&m, 2000, 1, "parameter \"log_disconnections\" changed to \"off\"");
	feed_line(&m, 3000, 21, "connection authorized: user=a database=d application_name=y");
	feed_line(&m, 3100, 22, "connection authorized: user=a database=d application_name=y");
	feed_line(&m, 5000, 1, "parameter \"log_disconnections\" changed to \"on\"");
	feed_line(&m, 6000, 31, "connection authorized: user=a database=d application_name=z");
	tracker_finish(&m.t);
	assert_int_equal(m.t.active, 2);
	assert_int_equal(m.t.connects, 4);
	assert_int_equal(m.t.silent, 2);
	model_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_open_and_close),
	    cmocka_unit_test(test_refused_after_authorization),
	    cmocka_unit_test(test_refused_late),
	    cmocka_unit_test(test_crash_resets),
	    cmocka_unit_test(test_receipt_before_crash),
	    cmocka_unit_test(test_unmatched_and_lower_bound),
	    cmocka_unit_test(test_disconnect_read_first),
	    cmocka_unit_test(test_pid_reuse),
	    cmocka_unit_test(test_reordered_lines),
	    cmocka_unit_test(test_reorder_walk_bound),
	    cmocka_unit_test(test_intern_limit),
	    cmocka_unit_test(test_filter_patterns),
	    cmocka_unit_test(test_model_names),
	    cmocka_unit_test(test_filter),
	    cmocka_unit_test(test_window),
	    cmocka_unit_test(test_no_pids),
	    cmocka_unit_test(test_replication),
	    cmocka_unit_test(test_bounded),
	    cmocka_unit_test(test_disconnections_gap),
	    cmocka_unit_test(test_disconnections_gap_fork_time),
	    cmocka_unit_test(test_disconnections_on_without_off),
	    cmocka_unit_test(test_connections_gap),
	    cmocka_unit_test(test_connections_receipt_only),
	    cmocka_unit_test(test_silent_without_pids),
	    cmocka_unit_test(test_gaps_bounded),
	    cmocka_unit_test(test_gap_from_log_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
