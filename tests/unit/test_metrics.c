/* SPDX-License-Identifier: PostgreSQL */
/* Unit tests for the metrics exposition: several sources, label escaping,
 * the caps, the duration buckets and the size cap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/groups.h"
#include "model/model.h"
#include "util/sbuf.h"
#include "view/metrics.h"

/* One event for m's tracker; a name given as NULL is left out. */
static void feed(struct model *m, enum ev_kind k, int64_t ts, int64_t pid, const char *user,
		 const char *app, const char *host, int64_t session_ms)
{
	struct conn_event e = {.kind = k, .ts_ms = ts, .pid = pid, .other_pid = -1};
	e.session_ms = session_ms;
	if (user) {
		e.user = slice_make(user, strlen(user));
		e.database = slice_make("db", 2);
	}
	if (app)
		e.application = slice_make(app, strlen(app));
	if (host) {
		e.host = slice_make(host, strlen(host));
		e.port = slice_make("5432", 4);
	}
	tracker_feed(&m->t, &e);
}

/* A session of user/app from host, opened at ts by pid. */
static void open_session(struct model *m, int64_t ts, int64_t pid, const char *user,
			 const char *app, const char *host)
{
	feed(m, EV_RECEIVED, ts, pid, NULL, NULL, host, -1);
	feed(m, EV_AUTHORIZED, ts + 1, pid, user, app, NULL, -1);
}

/* Server a: three sessions of "web" from two hosts, one of "batch", and an
 * application whose name needs escaping; one session of 5 ms and one of
 * two days ended. */
static void model_a(struct model *m)
{
	model_init(m, 3600 * 1000LL);
	feed(m, EV_SERVER_START, 0, 1, NULL, NULL, NULL, -1);
	open_session(m, 1000, 10, "alice", "web", "10.0.0.1");
	open_session(m, 1100, 11, "alice", "web", "10.0.0.1");
	open_session(m, 1200, 12, "alice", "web", "10.0.0.2");
	open_session(m, 1300, 13, "bob", "batch", "10.0.0.3");
	open_session(m, 1400, 14, "bob", "q\"x\\y\nz\xff\x1b", "[local]");
	open_session(m, 1500, 15, "carol", "short", "10.0.0.9");
	feed(m, EV_DISCONNECTED, 1505, 15, "carol", NULL, "10.0.0.9", 5);
	open_session(m, 1600, 16, "carol", "long", "10.0.0.9");
	feed(m, EV_DISCONNECTED, 1601 + 2 * 86400000LL, 16, "carol", NULL, "10.0.0.9",
	     2 * 86400000LL);
	tracker_finish(&m->t);
}

/* Server b: one session. */
static void model_b(struct model *m)
{
	model_init(m, 3600 * 1000LL);
	feed(m, EV_SERVER_START, 0, 1, NULL, NULL, NULL, -1);
	open_session(m, 1000, 20, "dave", "web", "10.1.0.1");
	tracker_finish(&m->t);
}

static char *render(const struct metrics_source *src, size_t n, bool om, int max_hosts,
		    int max_apps)
{
	struct metrics_opts o = {.openmetrics = om, .max_hosts = max_hosts, .max_apps = max_apps};
	struct sbuf b;
	sbuf_init(&b, METRICS_MAX_BYTES);
	assert_int_equal(metrics_render(&b, src, n, &o), 0);
	return sbuf_detach(&b, NULL);
}

/* Server a alone, without a server label. */
static char *render_a(bool om, int max_hosts, int max_apps)
{
	struct model a;
	model_a(&a);
	struct metrics_source src = {.m = &a};
	char *t = render(&src, 1, om, max_hosts, max_apps);
	model_release(&a);
	return t;
}

/* Lines of text that start with prefix. */
static int count_lines(const char *text, const char *prefix)
{
	int n = 0;
	size_t len = strlen(prefix);
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		n += !strncmp(p, prefix, len);
	return n;
}

/* Two servers: every family once, every sample labelled, server a's
 * samples of a family before server b's. */
static void test_two_servers(void **state)
{
	struct model a, b;
	(void)state;
	model_a(&a);
	model_b(&b);
	struct metrics_source src[] = {{.server = "a", .m = &a}, {.server = "b", .m = &b}};
	char *t = render(src, 2, false, METRICS_MAX_HOSTS, METRICS_MAX_APPS);

	assert_int_equal(count_lines(t, "# TYPE pgtail_connections_total counter"), 1);
	assert_int_equal(count_lines(t, "# TYPE pgtail_sessions_open gauge"), 1);
	/* Every sample carries the server label, and there is no other line. */
	int samples = 0, lines = 0;
	for (const char *p = t; *p; p = strchr(p, '\n') + 1) {
		lines++;
		if (*p == '#')
			continue;
		samples++;
		const char *brace = strchr(p, '{');
		assert_non_null(brace);
		assert_true(!strncmp(brace, "{server=\"a\"", 11) ||
			    !strncmp(brace, "{server=\"b\"", 11));
	}
	assert_true(samples > 40);
	assert_non_null(strstr(t, "pgtail_connections_total{server=\"a\"} 7\n"
				  "pgtail_connections_total{server=\"b\"} 1\n"));
	assert_non_null(strstr(t,
			       "pgtail_sessions_open{server=\"b\",datname=\"db\",usename=\"dave\","
			       "application_name=\"web\",client_addr=\"10.1.0.1\"} 1\n"));
	assert_non_null(strstr(t, "client_addr=\"10.0.0.1\"} 2\n"));
	assert_null(strstr(t, "# EOF"));
	free(t);
	model_release(&a);
	model_release(&b);
}

/* A name with a quote, a backslash, a newline and a byte that is not
 * UTF-8: escaped as the text format says, the byte as the text \xff. */
static void test_escaping(void **state)
{
	(void)state;
	char *t = render_a(false, METRICS_MAX_HOSTS, METRICS_MAX_APPS);
	assert_non_null(strstr(t, "application_name=\"q\\\"x\\\\y\\nz\\\\xff\\\\x1b\""));
	/* No server label with one source and none given. */
	assert_null(strstr(t, "server="));
	free(t);
}

/* max_apps 1: the application with the most sessions keeps its name, the
 * rest are "other" and summed; max_hosts 0: no client_addr label. */
static void test_caps(void **state)
{
	struct model a;
	struct summary s;
	struct groups g;
	(void)state;
	model_a(&a);
	summary_build(&s, &a);
	groups_build(&g, &a, &s, 1, 0);
	int64_t web = 0, other = 0, total = 0;
	for (size_t i = 0; i < g.n; i++) {
		assert_null(g.v[i].host);
		total += g.v[i].count;
		if (!strcmp(g.v[i].app, "web"))
			web += g.v[i].count;
		else if (!strcmp(g.v[i].app, GROUPS_OTHER))
			other += g.v[i].count;
		else
			fail_msg("application '%s' past the cap", g.v[i].app);
	}
	assert_int_equal(web, 3);
	assert_int_equal(other, 2);
	assert_int_equal(total, s.active);
	groups_release(&g);
	summary_release(&s);
	model_release(&a);

	char *t = render_a(false, 0, 1);
	assert_null(strstr(t, "client_addr="));
	assert_non_null(strstr(t, "usename=\"alice\",application_name=\"web\"} 3\n"));
	assert_non_null(strstr(t, "usename=\"bob\",application_name=\"other\"} 2\n"));
	free(t);
}

/* 5 ms falls in the first bucket, two days only in +Inf; both counted. */
static void test_duration_buckets(void **state)
{
	(void)state;
	char *t = render_a(true, METRICS_MAX_HOSTS, METRICS_MAX_APPS);
	assert_non_null(strstr(t, "pgtail_session_duration_seconds_bucket{le=\"0.01\"} 1\n"));
	assert_non_null(strstr(t, "pgtail_session_duration_seconds_bucket{le=\"86400.0\"} 1\n"
				  "pgtail_session_duration_seconds_bucket{le=\"+Inf\"} 2\n"
				  "pgtail_session_duration_seconds_count 2\n"
				  "pgtail_session_duration_seconds_sum 172800.005\n"));
	/* OpenMetrics: the counter family without _total, its sample with. */
	assert_non_null(strstr(t, "# TYPE pgtail_connections counter\n"));
	assert_non_null(strstr(t, "\npgtail_connections_total 7\n"));
	assert_non_null(strstr(t, "# UNIT pgtail_session_duration_seconds seconds\n"));
	size_t len = strlen(t);
	assert_true(len > 6 && !strcmp(t + len - 6, "# EOF\n"));
	free(t);
}

/* A buffer too small: -1, never a silently cut exposition. */
static void test_size_cap(void **state)
{
	struct model a;
	struct metrics_opts o = {.max_hosts = 5, .max_apps = 5};
	struct sbuf b;
	(void)state;
	model_a(&a);
	struct metrics_source src = {.m = &a};
	sbuf_init(&b, 1000);
	assert_int_equal(metrics_render(&b, &src, 1, &o), -1);
	sbuf_release(&b);
	model_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_two_servers), cmocka_unit_test(test_escaping),
	    cmocka_unit_test(test_caps),        cmocka_unit_test(test_duration_buckets),
	    cmocka_unit_test(test_size_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
