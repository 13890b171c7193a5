/* SPDX-License-Identifier: PostgreSQL */
/* Unit tests for the dashboard's view model (model/dash.h), on the corpus
 * log at a minute boundary, and for its layout (view/top_layout.h): what a
 * grid of each size holds, with no terminal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conn/classify.h"
#include "logfmt/ts.h"
#include "model/dash.h"
#include "source/paths.h"
#include "view/top_layout.h"

#define LOG FIXTURE_DIR "/default-prefix/postgresql-2026-11-29_004152.log"
/* 2026-11-29T00:45:00Z, a minute boundary of the corpus's truth.json */
#define AT_0045 INT64_C(1795913100000)

static const struct dash_row *row(const struct dash *d, enum dash_dim dim, const char *name)
{
	for (size_t i = 0; i < d->g[dim].n; i++)
		if (!strcmp(d->g[dim].v[i].name, name))
			return &d->g[dim].v[i];
	return NULL;
}

/* The model replayed up to 00:45:00 with a recorder, as the dashboard does. */
static void build_at(struct model *m, struct dash_rec *r, struct dash *d, int64_t at)
{
	char *args[] = {LOG};
	struct path_list pl = {0};
	struct reader_opts ro = {.interest = classify_maybe};
	paths_expand(args, 1, NULL, NULL, &pl);
	model_init(m, 6 * 3600 * 1000LL);
	tracker_set_window(&m->t, TS_UNKNOWN, at);
	dash_rec_attach(r, m, at - 3 * DASH_MINUTE);
	model_replay(m, &pl, &ro);
	path_list_release(&pl);
	dash_build(d, r, at, 300000, DASH_BY_COUNT);
}

/* truth.json at 00:45:00: 42 open, myapp 31 (7 at 00:44:00), 127.0.0.5 30. */
static void test_dash_at_minute(void **state)
{
	struct model m;
	struct dash_rec r;
	struct dash d;
	build_at(&m, &r, &d, AT_0045);
	assert_int_equal(d.active, 42);
	assert_true(d.complete);
	assert_true(d.minute_known);
	const struct dash_row *w = row(&d, DASH_APP, "myapp");
	assert_non_null(w);
	assert_int_equal(w->count, 31);
	assert_int_equal(w->change, 24);
	assert_int_equal(w->trend[0], 7);
	assert_int_equal(w->trend[DASH_TREND - 1], 31);
	/* Flagged as 'connections' flags it over the last hour, and the chart
	 * marks where it grew (00:43:53-00:44:23). */
	assert_true(w->leak);
	bool marked = false;
	for (size_t i = 0; i < d.nchart; i++)
		if (d.chart[i].leak)
			marked |=
			    d.chart[i].at > AT_0045 - 70000 && d.chart[i].at <= AT_0045 - 30000;
	assert_true(marked);
	assert_string_equal(d.g[DASH_APP].v[0].name, "myapp"); /* by count */
	w = row(&d, DASH_HOST, "127.0.0.5");
	assert_non_null(w);
	assert_int_equal(w->count, 30);
	/* The minute's counters add up to the change of the open count. */
	assert_int_equal(d.connects - d.disconnects, 42 - 18);
	assert_true(d.nchart > 0);
	assert_true(d.nevents > 0);
	assert_true(d.events[d.nevents - 1].x.at <= AT_0045);
	dash_release(&d);
	dash_rec_release(&r);
	model_release(&m);
}

static void test_filter_words(void **state)
{
	enum dash_dim d;
	const char *p;
	assert_int_equal(dash_parse_filter_word("app=my*", &d, &p), 0);
	assert_int_equal(d, DASH_APP);
	assert_string_equal(p, "my*");
	assert_int_equal(dash_parse_filter_word("database=x", &d, &p), 0);
	assert_int_equal(d, DASH_DB);
	assert_int_equal(dash_parse_filter_word("apps=x", &d, &p), -1);
	assert_int_equal(dash_parse_filter_word("host", &d, &p), -1);
}

/* A small view model by hand. */
static struct dash_row app_rows[] = {
    {.name = "myapp", .count = 31, .change = 24, .trend = {7, 10, 14, 18, 22, 26, 29, 31}},
    {.name = "evil\x1b[2Jname", .count = 2, .change = -1},
};
static struct dash_point points[] = {{.at = AT_0045 - 20000, .active = 10},
				     {.at = AT_0045 - 10000, .active = 40, .failed = 2},
				     {.at = AT_0045, .active = 42}};

static void fake(struct dash *d)
{
	memset(d, 0, sizeof(*d));
	d->now = AT_0045;
	d->newest = AT_0045 + 42000;
	d->complete = true;
	d->active = 42;
	d->peak = 50;
	d->peak_at = AT_0045 - 24000;
	d->connects = 43;
	d->disconnects = 19;
	d->failed = 20;
	d->g[DASH_APP] = (struct dash_group){app_rows, 2};
	d->chart = points;
	d->nchart = 3;
	d->window_ms = 60000;
	d->cell_ms = 10000;
}

static int find_line(const struct top_grid *g, const char *needle)
{
	char buf[2048];
	for (int y = 0; y < g->rows; y++) {
		top_grid_line(g, y, buf, sizeof(buf));
		if (strstr(buf, needle))
			return y;
	}
	return -1;
}

static void test_layout_sizes(void **state)
{
	static const int sizes[][2] = {{20, 60}, {60, 200}, {8, 40}};
	struct dash d;
	struct top_ui ui = {.target = "pg.log", .past = true, .dim = DASH_APP, .row = -1};
	fake(&d);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct top_grid g;
		char buf[2048];
		top_grid_init(&g, sizes[i][0], sizes[i][1]);
		top_layout(&g, &d, &ui);
		top_grid_line(&g, 0, buf, sizeof(buf));
		assert_true(!strncmp(buf, "pgtail top ", 11));
		if (g.cols >= 60) {
			assert_true(!strncmp(buf, "pgtail top pg.log", 17));
			assert_non_null(strstr(buf, "as of 2026-11-29 00:45:00"));
		}
		top_grid_line(&g, 1, buf, sizeof(buf));
		assert_true(!strncmp(buf, "Open 42 exact  last min +43 -19 !20", 35));
		assert_true(find_line(&g, "Application (2)") >= 2);
		top_grid_line(&g, g.rows - 1, buf, sizeof(buf));
		assert_true(!strncmp(buf, "? help", 6));
		/* Only ASCII without UTF-8, and no control character anywhere. */
		for (int k = 0; k < g.rows * g.cols; k++) {
			assert_true((unsigned char)g.c[k].ch[0] >= 32);
			assert_true((unsigned char)g.c[k].ch[0] < 128);
		}
		top_grid_release(&g);
	}
}

/* Following a log whose newest record is older than the window: the header
 * says how old it is; not when the newest record is inside the window, nor
 * when looking at the past. */
static void test_layout_newest_age(void **state)
{
	struct dash d;
	struct top_ui ui = {.target = "pg.log", .live = true, .dim = DASH_APP, .row = -1};
	struct top_grid g;
	char buf[2048];
	(void)state;
	fake(&d);
	top_grid_init(&g, 20, 120);
	d.window_ms = 300000;
	d.newest = d.now - (3 * 3600 + 12 * 60 + 5) * 1000LL;
	top_layout(&g, &d, &ui);
	top_grid_line(&g, 1, buf, sizeof(buf));
	assert_non_null(strstr(buf, "newest 21:32:55 (3h12m ago)"));
	d.newest = d.now - 2 * 86400000LL - 3 * 3600000LL;
	top_layout(&g, &d, &ui);
	top_grid_line(&g, 1, buf, sizeof(buf));
	assert_non_null(strstr(buf, "(2d3h ago)"));
	d.newest = d.now - 120000; /* inside the 5-minute window */
	top_layout(&g, &d, &ui);
	top_grid_line(&g, 1, buf, sizeof(buf));
	assert_null(strstr(buf, "ago)"));
	d.newest = d.now - 3600000;
	ui.past = true;
	top_layout(&g, &d, &ui);
	top_grid_line(&g, 1, buf, sizeof(buf));
	assert_null(strstr(buf, "ago)"));
	top_grid_release(&g);
}

static void test_layout_rows(void **state)
{
	struct dash d;
	struct top_ui ui = {.target = "x", .dim = DASH_APP, .row = 0, .utf8 = true};
	struct top_grid g;
	char buf[2048];
	fake(&d);
	top_grid_init(&g, 60, 200);
	top_layout(&g, &d, &ui);
	/* Four boxes side by side: their titles on one line. */
	int y = find_line(&g, "Application (2)");
	top_grid_line(&g, y, buf, sizeof(buf));
	assert_non_null(strstr(buf, "Database (0)"));
	assert_non_null(strstr(buf, "Host (0)"));
	y = find_line(&g, "myapp");
	top_grid_line(&g, y, buf, sizeof(buf));
	assert_non_null(strstr(buf, "31  +24 ▁▁▃▄▅▆▇█"));
	/* The selected row is reversed. */
	const char *p = strstr(buf, "myapp");
	int x = 0;
	for (const char *q = buf; q < p; q++)
		x += ((unsigned char)*q & 0xc0) != 0x80;
	assert_int_equal(top_grid_at(&g, y, x)->attr, TA_SEL);
	/* A name from the log cannot drive the terminal. */
	assert_true(find_line(&g, "evil\\x1b[2Jname") > 0);
	/* The chart's failures are marked. */
	assert_true(find_line(&g, "!") > 0);
	ui.help = true;
	top_layout(&g, &d, &ui);
	assert_true(find_line(&g, "Keys") == 2);
	ui.help = false;
	ui.expanded = true;
	top_layout(&g, &d, &ui);
	assert_int_equal(find_line(&g, "Application (2)"), 2);
	assert_int_equal(find_line(&g, "Events"), -1);
	top_grid_release(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dash_at_minute), cmocka_unit_test(test_filter_words),
	    cmocka_unit_test(test_layout_sizes),   cmocka_unit_test(test_layout_newest_age),
	    cmocka_unit_test(test_layout_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
