/* SPDX-License-Identifier: PostgreSQL */
/* Unit tests for the bounded history of the open count (conn/history.h):
 * the cells, the per-application rings, the duration histograms, and the
 * memory bound. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conn/history.h"
#include "conn/tracker.h"
#include "logfmt/entry.h"
#include "view/history_view.h"

#define SEC 1000LL
#define MIN (60 * SEC)
#define HOUR (60 * MIN)
#define DAY (24 * HOUR)

static const struct app_hist *app_of(const struct history *h, uint32_t app)
{
	for (size_t i = 0; i < h->napps; i++)
		if (h->apps[i].app == app)
			return &h->apps[i];
	return NULL;
}

static const struct history_cell *cell(const struct history *h, int64_t no)
{
	const struct history_cell *c = history_cell_at(h, no);
	assert_non_null(c);
	return c;
}

static const struct app_cell *app_cell(const struct history *h, uint32_t app, int64_t no)
{
	const struct app_hist *a = app_of(h, app);
	assert_non_null(a);
	const struct app_cell *c = history_app_cell_at(h, a, no);
	assert_non_null(c);
	return c;
}

/* ---- cell size and ring length ---- */

static void test_cell_size(void **state)
{
	assert_int_equal(history_cell_ms(1), 10 * SEC);
	assert_int_equal(history_cell_ms(1 * HOUR), 10 * SEC);
	assert_int_equal(history_cell_ms(6 * HOUR), 10 * SEC);
	assert_int_equal(history_cell_ms(6 * HOUR + 1), MIN);
	assert_int_equal(history_cell_ms(7 * DAY), MIN);
	assert_int_equal(history_cell_ms(7 * DAY + 1), 10 * MIN);
	assert_int_equal(history_cell_ms(365 * DAY), 10 * MIN);

	/* The ring covers the retention window and the cell in progress. */
	static const int64_t windows[] = {1, 10 * SEC, 15 * MIN, HOUR, 6 * HOUR, DAY, 30 * DAY};
	for (size_t i = 0; i < sizeof(windows) / sizeof(windows[0]); i++) {
		struct history h;
		history_setup(&h, windows[i]);
		assert_int_equal(h.cell_ms, history_cell_ms(windows[i]));
		assert_true((int64_t)h.ncells * h.cell_ms >= windows[i] + h.cell_ms);
		/* ...and no more than a couple of cells beyond it. */
		assert_true((int64_t)h.ncells <= windows[i] / h.cell_ms + 3);
		assert_int_equal(h.active, 0);
		assert_int_equal(h.napps, 0);
		assert_null(history_cell_at(&h, 0));
		history_release(&h);
	}
}

/* ---- the global cells ---- */

/* Cells with no events carry the open count across the gap. */
static void test_active_across_gaps(void **state)
{
	struct history h;
	history_setup(&h, HOUR);
	history_open(&h, 1 * SEC, 1);
	history_open(&h, 2 * SEC, 1);
	history_advance(&h, 55 * SEC); /* cell 5 */
	assert_int_equal(h.head, 5);
	assert_int_equal(cell(&h, 0)->connects, 2);
	assert_int_equal(cell(&h, 0)->active_end, 2);
	for (int64_t k = 1; k <= 5; k++) {
		const struct history_cell *c = cell(&h, k);
		assert_int_equal(c->active_end, 2);
		assert_int_equal(c->active_max, 2);
		assert_int_equal(c->connects, 0);
		assert_int_equal(c->disconnects, 0);
		assert_int_equal(c->failed, 0);
	}
	/* A close after the gap: only its cell moves. */
	history_close(&h, 71 * SEC, 1, 70 * SEC);
	history_advance(&h, 95 * SEC);
	assert_int_equal(cell(&h, 6)->active_end, 2);
	assert_int_equal(cell(&h, 7)->active_end, 1);
	assert_int_equal(cell(&h, 7)->active_max, 2); /* open at the cell's start */
	assert_int_equal(cell(&h, 7)->disconnects, 1);
	assert_int_equal(cell(&h, 8)->active_end, 1);
	assert_int_equal(cell(&h, 9)->active_end, 1);
	assert_int_equal(cell(&h, 9)->active_max, 1);
	/* Not yet reached. */
	assert_null(history_cell_at(&h, 10));
	history_release(&h);
}

/* The most open at once inside a cell, not just at its end. */
static void test_active_max_within_cell(void **state)
{
	struct history h;
	history_setup(&h, HOUR);
	history_open(&h, 100, 1);
	history_open(&h, 200, 1);
	history_open(&h, 300, 2);
	history_close(&h, 400, 1, 300);
	history_close(&h, 500, 2, 200);
	history_open(&h, 600, 1);
	history_fail(&h, 700);
	const struct history_cell *c = cell(&h, 0);
	assert_int_equal(c->connects, 4);
	assert_int_equal(c->disconnects, 2);
	assert_int_equal(c->failed, 1);
	assert_int_equal(c->active_end, 2);
	assert_int_equal(c->active_max, 3);
	assert_int_equal(h.active, 2);
	/* The next cell starts at the count carried over. */
	history_close(&h, 10 * SEC + 1, 1, 10 * SEC);
	c = cell(&h, 1);
	assert_int_equal(c->active_max, 2);
	assert_int_equal(c->active_end, 1);
	history_release(&h);
}

/* A gap longer than the ring: every old cell is gone, the new ones are
 * clean (global and per application), and the open count carries. */
static void test_gap_longer_than_ring(void **state)
{
	struct history h;
	history_setup(&h, MIN); /* 10 s cells, a short ring */
	int64_t n = (int64_t)h.ncells;
	history_open(&h, 1 * SEC, 7);
	history_open(&h, 2 * SEC, 7);
	history_close(&h, 3 * SEC, 7, 1 * SEC);
	history_fail(&h, 4 * SEC);
	assert_int_equal(cell(&h, 0)->connects, 2);

	/* Land on the same ring slot as cell 0, far later. */
	int64_t far = 1000 * n;
	history_advance(&h, far * 10 * SEC + 5 * SEC);
	assert_int_equal(h.head, far);
	assert_null(history_cell_at(&h, 0));
	assert_null(history_cell_at(&h, far - n));
	for (int64_t k = far - n + 1; k <= far; k++) {
		const struct history_cell *c = cell(&h, k);
		assert_int_equal(c->connects, 0);
		assert_int_equal(c->disconnects, 0);
		assert_int_equal(c->failed, 0);
		assert_int_equal(c->active_end, 1);
		assert_int_equal(c->active_max, 1);
		const struct app_cell *ac = app_cell(&h, 7, k);
		assert_int_equal(ac->opened, 0);
		assert_int_equal(ac->closed, 0);
	}
	assert_null(history_app_cell_at(&h, app_of(&h, 7), 0));
	assert_int_equal(h.active, 1);
	assert_int_equal(app_of(&h, 7)->open, 1);

	/* A gap of exactly the ring's length: only the newest cell of the old
	 * ring would survive, and it is the one just reused. */
	history_open(&h, far * 10 * SEC + 6 * SEC, 7);
	history_advance(&h, (far + n) * 10 * SEC);
	assert_null(history_cell_at(&h, far));
	assert_int_equal(cell(&h, far + 1)->connects, 0);
	assert_int_equal(cell(&h, far + 1)->active_end, 2);
	assert_int_equal(cell(&h, far + n)->connects, 0);
	history_release(&h);
}

/* Events a little out of order: counted in the newest cell, never lost,
 * and never reopening an older cell. */
static void test_late_events(void **state)
{
	struct history h;
	history_setup(&h, HOUR);
	history_open(&h, 21 * SEC, 1); /* cell 2 */
	history_advance(&h, 25 * SEC);
	history_open(&h, 24 * SEC, 1); /* late, same cell */
	history_close(&h, 22 * SEC, 1, 1 * SEC);
	assert_int_equal(h.head, 2);
	assert_int_equal(cell(&h, 2)->connects, 2);
	assert_int_equal(cell(&h, 2)->disconnects, 1);
	assert_int_equal(cell(&h, 2)->active_end, 1);
	assert_int_equal(cell(&h, 2)->active_max, 2);
	/* Late into an earlier cell: still the newest one. */
	history_fail(&h, 19 * SEC);
	history_open(&h, 18 * SEC, 1);
	assert_int_equal(h.head, 2);
	assert_int_equal(cell(&h, 2)->failed, 1);
	assert_int_equal(cell(&h, 2)->connects, 3);
	assert_int_equal(cell(&h, 2)->active_end, 2);
	assert_int_equal(app_cell(&h, 1, 2)->opened, 3);
	/* Before the first cell nothing happened: no cell, or an empty one. */
	const struct history_cell *before = history_cell_at(&h, 1);
	if (before) {
		assert_int_equal(before->connects, 0);
		assert_int_equal(before->failed, 0);
	}
	assert_int_equal(h.active, 2);
	history_release(&h);
}

/* Events without a time move the totals, never a cell. */
static void test_unknown_time(void **state)
{
	struct history h;
	history_setup(&h, HOUR);
	history_open(&h, TS_UNKNOWN, 1);
	history_fail(&h, TS_UNKNOWN);
	assert_int_equal(h.active, 1);
	assert_int_equal(app_of(&h, 1)->open, 1);
	assert_null(history_cell_at(&h, 0));
	history_open(&h, 5 * SEC, 1);
	assert_int_equal(cell(&h, 0)->connects, 1);
	assert_int_equal(cell(&h, 0)->active_end, 2);
	history_close(&h, TS_UNKNOWN, 1, 100);
	assert_int_equal(h.active, 1);
	assert_int_equal(cell(&h, 0)->disconnects, 0);
	assert_int_equal(app_of(&h, 1)->dur_count, 1);
	history_release(&h);
}

/* Closing more than was opened (sessions from before the log) never makes
 * a count negative. */
static void test_no_negative_counts(void **state)
{
	struct history h;
	history_setup(&h, HOUR);
	history_close(&h, 1 * SEC, 1, 5 * SEC);
	history_close(&h, 2 * SEC, 1, 5 * SEC);
	assert_int_equal(h.active, 0);
	assert_int_equal(app_of(&h, 1)->open, 0);
	assert_int_equal(cell(&h, 0)->active_end, 0);
	assert_int_equal(cell(&h, 0)->disconnects, 2);
	history_release(&h);
}

/* ---- taking an authorization back ---- */

/* The ring already reached the refusal (as the tracker drives it): the
 * open's cell loses its connect, and every cell from it up to now its
 * open session; cells before the open are untouched. */
static void test_unopen(void **state)
{
	struct history h;
	history_setup(&h, HOUR);
	history_open(&h, 1 * SEC, 1);  /* B, cell 0, stays */
	history_open(&h, 15 * SEC, 2); /* A, cell 1, refused later */
	history_open(&h, 16 * SEC, 1); /* C, cell 1, stays */
	history_advance(&h, 45 * SEC); /* cell 4 */
	assert_int_equal(cell(&h, 3)->active_end, 3);
	history_unopen(&h, 15 * SEC, 45 * SEC, 2);
	assert_int_equal(h.active, 2);
	assert_int_equal(app_of(&h, 2)->open, 0);
	assert_int_equal(app_of(&h, 1)->open, 2);
	assert_int_equal(cell(&h, 0)->connects, 1);
	assert_int_equal(cell(&h, 0)->active_end, 1);
	assert_int_equal(cell(&h, 1)->connects, 1);
	assert_int_equal(app_cell(&h, 2, 1)->opened, 0);
	assert_int_equal(app_cell(&h, 1, 1)->opened, 1);
	for (int64_t k = 1; k <= 4; k++)
		assert_int_equal(cell(&h, k)->active_end, 2);
	history_release(&h);
}

/* A refusal in the same cell as its open. */
static void test_unopen_same_cell(void **state)
{
	struct history h;
	history_setup(&h, HOUR);
	history_open(&h, 11 * SEC, 1);
	history_open(&h, 12 * SEC, 2);
	history_unopen(&h, 12 * SEC, 15 * SEC, 2);
	assert_int_equal(cell(&h, 1)->connects, 1);
	assert_int_equal(cell(&h, 1)->active_end, 1);
	assert_int_equal(h.active, 1);
	/* A later cell starts from the corrected count. */
	history_advance(&h, 25 * SEC);
	assert_int_equal(cell(&h, 2)->active_end, 1);
	assert_int_equal(cell(&h, 2)->active_max, 1);
	history_release(&h);
}

/* The refusal is the first event of a later cell: history_unopen moves the
 * ring itself.  The cells it opens must not lose the session twice.
 * FIXME: fails: history_unopen lowers the open count, then opens cells 2-4
 * at the lowered count, then lowers cells 1-3 again: cells 2 and 3 end at 1,
 * not 2.  The tracker always advances the ring first, so it does not hit
 * this; a direct caller does. */
static void test_unopen_moves_ring(void **state)
{
	struct history h;
	history_setup(&h, HOUR);
	history_open(&h, 1 * SEC, 1);  /* stays, cell 0 */
	history_open(&h, 2 * SEC, 1);  /* stays */
	history_open(&h, 3 * SEC, 2);  /* refused at 45 s */
	history_advance(&h, 15 * SEC); /* cell 1 */
	history_unopen(&h, 3 * SEC, 45 * SEC, 2);
	assert_int_equal(h.head, 4);
	assert_int_equal(h.active, 2);
	assert_int_equal(cell(&h, 0)->connects, 2);
	for (int64_t k = 0; k <= 4; k++)
		assert_int_equal(cell(&h, k)->active_end, 2);
	history_release(&h);
}

/* A refusal whose open has left the ring, or had no time: only the
 * totals move. */
static void test_unopen_outside_ring(void **state)
{
	struct history h;
	history_setup(&h, MIN);
	history_open(&h, 1 * SEC, 1);
	history_open(&h, 2 * SEC, 2);
	int64_t later = ((int64_t)h.ncells + 5) * 10 * SEC;
	history_advance(&h, later);
	history_unopen(&h, 2 * SEC, later, 2);
	assert_int_equal(h.active, 1);
	assert_int_equal(cell(&h, h.head)->active_end, 1);
	assert_int_equal(cell(&h, h.head - 1)->active_end, 2); /* left as it was seen */
	history_open(&h, TS_UNKNOWN, 3);
	history_unopen(&h, TS_UNKNOWN, later + 1, 3);
	assert_int_equal(h.active, 1);
	assert_int_equal(cell(&h, h.head)->active_end, 1);
	history_release(&h);
}

/* ---- per application ---- */

/* Per-application cells rebuild the open count: opens and closes land in
 * the application's own ring. */
static void test_app_cells(void **state)
{
	struct history h;
	history_setup(&h, HOUR);
	history_open(&h, 1 * SEC, 1);
	history_open(&h, 2 * SEC, 2);
	history_open(&h, 12 * SEC, 1);
	history_close(&h, 13 * SEC, 2, 11 * SEC);
	history_close(&h, 33 * SEC, 1, 32 * SEC);
	assert_int_equal(app_cell(&h, 1, 0)->opened, 1);
	assert_int_equal(app_cell(&h, 2, 0)->opened, 1);
	assert_int_equal(app_cell(&h, 1, 1)->opened, 1);
	assert_int_equal(app_cell(&h, 2, 1)->closed, 1);
	assert_int_equal(app_cell(&h, 1, 1)->closed, 0);
	assert_int_equal(app_cell(&h, 1, 2)->opened, 0);
	assert_int_equal(app_cell(&h, 1, 3)->closed, 1);
	assert_int_equal(app_of(&h, 1)->open, 1);
	assert_int_equal(app_of(&h, 2)->open, 0);
	/* An application first seen late has clean cells for the past. */
	history_open(&h, 34 * SEC, 9);
	assert_int_equal(app_cell(&h, 9, 0)->opened, 0);
	assert_int_equal(app_cell(&h, 9, 3)->opened, 1);
	history_release(&h);
}

/* ---- durations ---- */

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* The q quantile as history_duration_quantile defines it: the
 * ceil(q * n)-th smallest. */
static int64_t exact_quantile(int64_t *v, size_t n, double q)
{
	qsort(v, n, sizeof(*v), cmp_i64);
	size_t want = (size_t)(q * (double)n + 0.999999);
	if (want < 1)
		want = 1;
	return v[want - 1];
}

static void assert_within(int64_t got, int64_t want, double rel)
{
	double d = (double)(got > want ? got - want : want - got);
	if (d > rel * (double)want + 0.5)
		fail_msg("quantile %lld not within %.0f %% of %lld", (long long)got, rel * 100,
			 (long long)want);
}

/* Feed n durations to app 1 of a fresh history, then compare the median,
 * p95 and max with the exact ones. */
static void check_quantiles(int64_t *v, size_t n)
{
	struct history h;
	history_setup(&h, HOUR);
	for (size_t i = 0; i < n; i++) {
		history_open(&h, 1000, 1);
		history_close(&h, 2000, 1, v[i]);
	}
	const struct app_hist *a = app_of(&h, 1);
	assert_int_equal(a->dur_count, (int64_t)n);
	int64_t med = exact_quantile(v, n, 0.5);
	int64_t p95 = exact_quantile(v, n, 0.95);
	int64_t max = v[n - 1];
	int64_t gmed = history_duration_quantile(a, 0.5);
	int64_t gp95 = history_duration_quantile(a, 0.95);
	assert_within(gmed, med, 0.06);
	assert_within(gp95, p95, 0.06);
	assert_int_equal(a->dur_max_ms, max);
	assert_true(gmed <= gp95);
	assert_true(gp95 <= max);
	/* The top quantile is the last bin's middle, capped by the max. */
	assert_true(history_duration_quantile(a, 1.0) <= max);
	assert_within(history_duration_quantile(a, 1.0), max, 0.06);
	history_release(&h);
}

static void test_duration_quantiles(void **state)
{
	enum {
		N = 20000
	};
	int64_t *v = malloc(N * sizeof(*v));
	assert_non_null(v);

	/* Uniform 1 ms .. 20 s. */
	for (size_t i = 0; i < N; i++)
		v[i] = 1 + (int64_t)i;
	check_quantiles(v, N);

	/* Every session the same length. */
	for (size_t i = 0; i < N; i++)
		v[i] = 1234;
	check_quantiles(v, N);

	/* Geometric: lengths spread over five decades. */
	for (size_t i = 0; i < N; i++)
		v[i] = 10 + (int64_t)((double)i * (double)i * (double)i / 8e6);
	check_quantiles(v, N);

	/* Bimodal: 90 % short web requests, 10 % long batch sessions, the p95
	 * in the upper mode. */
	srand(42);
	for (size_t i = 0; i < N; i++)
		v[i] = i % 10 ? 5 + rand() % 40 : 60000 + rand() % 240000;
	check_quantiles(v, N);

	/* A handful, with a max far above the rest. */
	int64_t few[] = {120, 80, 100, 7 * 86400 * 1000LL, 90};
	check_quantiles(few, 5);

	/* One session: median, p95 and max all the same, within 6 %. */
	int64_t one[] = {268};
	check_quantiles(one, 1);
	free(v);
}

/* Durations: unknown ones are not counted, zero is, and only sessions that
 * ended inside the window count once it is set. */
static void test_duration_edges(void **state)
{
	struct history h;
	history_setup(&h, HOUR);
	history_open(&h, 1000, 1);
	history_close(&h, 2000, 1, -1);
	const struct app_hist *a = app_of(&h, 1);
	assert_int_equal(a->dur_count, 0);
	assert_int_equal(history_duration_quantile(a, 0.5), -1);
	history_open(&h, 2000, 1);
	history_close(&h, 2000, 1, 0);
	assert_int_equal(a->dur_count, 1);
	assert_int_equal(history_duration_quantile(a, 0.5), 0);
	assert_int_equal(a->dur_max_ms, 0);
	history_release(&h);

	history_setup(&h, HOUR);
	h.window_start = 10 * SEC;
	history_open(&h, 1 * SEC, 1);
	history_close(&h, 5 * SEC, 1, 4 * SEC); /* before the window */
	history_open(&h, 11 * SEC, 1);
	history_close(&h, 12 * SEC, 1, 1 * SEC);
	a = app_of(&h, 1);
	assert_int_equal(a->dur_count, 1);
	assert_int_equal(a->dur_max_ms, 1 * SEC);
	assert_int_equal(a->connects_window, 1);
	history_release(&h);
}

/* ---- memory ---- */

/* Ten million sessions over six days with a one-hour ring and a thousand
 * application names: the ring never grows and applications stop at
 * HISTORY_MAX_APPS, the rest pooled. */
static void test_memory_bounded(void **state)
{
	struct history h;
	history_setup(&h, HOUR);
	size_t ncells = h.ncells;
	const struct history_cell *cells = h.cells;
	const int64_t pairs = 10 * 1000 * 1000, gap = 50;
	for (int64_t i = 0; i < pairs; i++) {
		uint32_t app = i < 100000 ? 1 + (uint32_t)(i % 1000) : 1 + (uint32_t)(i % 4);
		history_open(&h, i * gap, app);
		history_close(&h, i * gap + 20, app, 20);
	}
	assert_int_equal(h.ncells, ncells);
	assert_ptr_equal(h.cells, cells);
	assert_int_equal(h.napps, HISTORY_MAX_APPS);
	assert_true(h.apps_alloc <= HISTORY_MAX_APPS);
	assert_true(h.apps_overflow);
	assert_int_equal(h.active, 0);
	int64_t durs = 0;
	for (size_t i = 0; i < h.napps; i++) {
		assert_int_equal(h.apps[i].open, 0);
		durs += h.apps[i].dur_count;
	}
	assert_int_equal(durs, pairs);
	/* 200 sessions in each 10 s cell, one open at a time. */
	int64_t last = (pairs - 1) * gap / h.cell_ms;
	assert_int_equal(h.head, last);
	for (int64_t k = last - (int64_t)ncells + 1; k <= last; k++) {
		const struct history_cell *c = cell(&h, k);
		assert_int_equal(c->connects, 200);
		assert_int_equal(c->disconnects, 200);
		assert_int_equal(c->active_end, 0);
		assert_int_equal(c->active_max, 1);
	}
	assert_null(history_cell_at(&h, last - (int64_t)ncells));
	history_release(&h);
}

/* ---- fed by the tracker ---- */

static struct slice S(const char *s) {
	return slice_make(s, strlen(s));
}

static void
feed(struct tracker *t, enum ev_kind k, int64_t ts, int64_t pid, const char *app)
{
	struct conn_event e;
	memset(&e, 0, sizeof(e));
	e.kind = k;
	e.ts_ms = ts;
	e.pid = pid;
	e.session_ms = -1;
	e.other_pid = -1;
	if (k == EV_RECEIVED) {
		e.host = S("10.0.0.1");
		e.port = S("5000");
	}
	if (k == EV_AUTHORIZED) {
		e.user = S("u");
		e.database = S("d");
		e.application = S(app);
	}
	if (k == EV_FAILED) {
		e.reason = FAIL_ROLE_LIMIT;
		e.after_auth = true;
		e.user = S("u");
		e.message = S("too many connections for role \"u\"");
	}
	tracker_feed(t, &e);
}

static void open_session(struct tracker *t, int64_t ts, int64_t pid, const char *app)
{
	feed(t, EV_RECEIVED, ts, pid, app);
	feed(t, EV_AUTHORIZED, ts + 1, pid, app);
}

static const struct app_hist *named(const struct tracker *t, const struct history *h,
				    const char *app)
{
	for (size_t i = 0; i < h->napps; i++)
		if (strcmp(tracker_name(t, h->apps[i].app), app) == 0)
			return &h->apps[i];
	return NULL;
}

/* Authorized, then refused long after the reorder window (a role limit
 * noticed late): the session never shows in the cells -- no connect, not
 * in the open count of any cell after it, not in the most open of a cell
 * it spanned entirely.
 * FIXME: fails: history_unopen corrects active_end but not active_max, so
 * cells 2 and 3 keep a most-open of 3; the report's peak (taken from
 * active_max without --since) counts the refused session. */
static void test_tracker_refused_late(void **state)
{
	struct tracker t;
	struct history h;
	tracker_init(&t);
	history_setup(&h, HOUR);
	t.history = &h;
	feed(&t, EV_SERVER_START, 0, 100, "");
	open_session(&t, 1 * SEC, 11, "keep");     /* cell 0 */
	open_session(&t, 12 * SEC, 12, "refused"); /* cell 1 */
	open_session(&t, 25 * SEC, 13, "keep");    /* cell 2 */
	open_session(&t, 45 * SEC, 14, "keep");    /* cell 4 */
	feed(&t, EV_FAILED, 46 * SEC, 12, "");     /* cell 4: 34 s after authorization */
	tracker_finish(&t);

	assert_int_equal(t.active, 3);
	assert_int_equal(t.connects, 3);
	assert_int_equal(h.active, 3);
	assert_int_equal(h.head, 4);
	assert_int_equal(cell(&h, 0)->connects, 1);
	assert_int_equal(cell(&h, 0)->active_end, 1);
	assert_int_equal(cell(&h, 1)->connects, 0);
	assert_int_equal(cell(&h, 1)->active_end, 1);
	assert_int_equal(cell(&h, 2)->connects, 1);
	assert_int_equal(cell(&h, 2)->active_end, 2);
	assert_int_equal(cell(&h, 3)->connects, 0);
	assert_int_equal(cell(&h, 3)->active_end, 2);
	assert_int_equal(cell(&h, 4)->connects, 1);
	assert_int_equal(cell(&h, 4)->failed, 1);
	assert_int_equal(cell(&h, 4)->active_end, 3);
	const struct app_hist *r = named(&t, &h, "refused");
	if (r) {
		assert_int_equal(r->open, 0);
		assert_int_equal(r->dur_count, 0);
		for (int64_t k = 0; k <= 4; k++) {
			assert_int_equal(history_app_cell_at(&h, r, k)->opened, 0);
			assert_int_equal(history_app_cell_at(&h, r, k)->closed, 0);
		}
	}
	const struct app_hist *keep = named(&t, &h, "keep");
	assert_non_null(keep);
	assert_int_equal(keep->open, 3);
	/* Cells 2 and 3 lay wholly inside the refused session's false life:
	 * their most open at once is what the real sessions reached. */
	assert_int_equal(cell(&h, 2)->active_max, 2);
	assert_int_equal(cell(&h, 3)->active_max, 2);

	t.history = NULL;
	history_release(&h);
	tracker_release(&t);
}

/* Refused within the reorder window: the tracker never applies the open,
 * so the history never hears of it. */
static void test_tracker_refused_at_once(void **state)
{
	struct tracker t;
	struct history h;
	tracker_init(&t);
	history_setup(&h, HOUR);
	t.history = &h;
	feed(&t, EV_SERVER_START, 0, 100, "");
	open_session(&t, 1 * SEC, 11, "keep");
	open_session(&t, 5 * SEC, 12, "refused");
	feed(&t, EV_FAILED, 5 * SEC + 3, 12, "");
	feed(&t, EV_DISCONNECTED, 8 * SEC, 11, "");
	tracker_finish(&t);
	assert_int_equal(h.active, 0);
	assert_int_equal(cell(&h, 0)->connects, 1);
	assert_int_equal(cell(&h, 0)->disconnects, 1);
	assert_int_equal(cell(&h, 0)->failed, 1);
	assert_int_equal(cell(&h, 0)->active_max, 1);
	assert_int_equal(cell(&h, 0)->active_end, 0);
	const struct app_hist *r = named(&t, &h, "refused");
	if (r)
		assert_int_equal(history_app_cell_at(&h, r, 0)->opened, 0);
	/* The session's duration, from open to close, went to its app. */
	const struct app_hist *keep = named(&t, &h, "keep");
	assert_non_null(keep);
	assert_int_equal(keep->dur_count, 1);
	assert_int_equal(keep->dur_max_ms, 8 * SEC - (1 * SEC + 1));
	t.history = NULL;
	history_release(&h);
	tracker_release(&t);
}

/* More applications than HISTORY_MAX_APPS: the ones past the cap share a
 * slot, and the report must not blame the application that happened to
 * take the last slot for what the others did.
 * FIXME: fails: the shared slot keeps the 256th application's id, so the
 * leak is reported as app256's, with no oldest open and no hosts, and
 * app256 gets the others' durations.  Here app001..app300 each
 * have one 20 ms session, then app300 opens one every 20 s for 40 minutes
 * and never closes them. */
static void test_report_past_app_cap(void **state)
{
	struct tracker t;
	struct history h;
	char name[16];
	tracker_init(&t);
	history_setup(&h, HOUR);
	t.history = &h;
	feed(&t, EV_SERVER_START, 0, 100, "");
	int64_t pid = 1000;
	for (int i = 1; i <= 300; i++) {
		snprintf(name, sizeof(name), "app%03d", i);
		open_session(&t, i * 100, ++pid, name);
		feed(&t, EV_DISCONNECTED, i * 100 + 20, pid, "");
	}
	int64_t last = 0;
	for (int k = 0; k < 120; k++) {
		last = MIN + k * 20 * SEC;
		open_session(&t, last, ++pid, "app300");
	}
	tracker_finish(&t);
	assert_int_equal(t.active, 120);
	assert_int_equal(h.napps, HISTORY_MAX_APPS);

	struct history_report r;
	history_report_build(&r, &t, &h, last + 1, TS_UNKNOWN, HOUR, 5 * MIN);
	assert_int_equal(r.nleaks, 1);
	/* The leak is app300's (or a pooled "other applications"), never
	 * app256's, which had one 20 ms session. */
	const char *who = r.leaks[0].app ? tracker_name(&t, r.leaks[0].app) : "(pooled)";
	if (strcmp(who, "app256") == 0)
		fail_msg("app300's leak reported as app256's");
	/* Its evidence comes from its own open sessions. */
	assert_true(r.leaks[0].oldest_open_ms == MIN + 1);
	assert_string_equal(r.leaks[0].hosts, "10.0.0.1");
	for (size_t i = 0; i < r.ndurs; i++)
		if (r.durs[i].app && strcmp(tracker_name(&t, r.durs[i].app), "app256") == 0)
			assert_int_equal(r.durs[i].sessions, 1);
	history_report_release(&r);
	t.history = NULL;
	history_release(&h);
	tracker_release(&t);
}

/* The leak report for an application: the item, or NULL when not flagged. */
static const struct leak_item *leak_of(const struct tracker *t, const struct history_report *r,
				       const char *app)
{
	for (size_t i = 0; i < r->nleaks; i++)
		if (r->leaks[i].app && strcmp(tracker_name(t, r->leaks[i].app), app) == 0)
			return &r->leaks[i];
	return NULL;
}

static const struct dur_item *dur_of(const struct tracker *t, const struct history_report *r,
				     const char *app)
{
	for (size_t i = 0; i < r->ndurs; i++)
		if (r->durs[i].app && strcmp(tracker_name(t, r->durs[i].app), app) == 0)
			return &r->durs[i];
	return NULL;
}

/* A pool of 5 opened at once (within 40 ms) and held, plus a health check
 * under the same application name every `every` ms, each closed 30 ms
 * later, until `until`; then the report for the last hour. */
static void pool_with_health_checks(struct tracker *t, struct history *h, int64_t every,
				    int64_t until, struct history_report *r)
{
	tracker_init(t);
	history_setup(h, HOUR);
	t->history = h;
	feed(t, EV_SERVER_START, 0, 100, "");
	int64_t pid = 1000;
	for (int i = 0; i < 5; i++)
		open_session(t, 200 + i * 10, ++pid, "orders");
	for (int64_t at = 1 * SEC; at <= until; at += every) {
		open_session(t, at, ++pid, "orders");
		feed(t, EV_DISCONNECTED, at + 30, pid, "");
	}
	tracker_finish(t);
	history_report_build(r, t, h, until + 500, TS_UNKNOWN, HOUR, 5 * MIN);
}

static void pool_release(struct tracker *t, struct history *h, struct history_report *r)
{
	history_report_release(r);
	t->history = NULL;
	history_release(h);
	tracker_release(t);
}

/* The field report: a pool that opened its 5 sessions at once, plus short
 * health checks under the same name, was flagged after 4.5 s.  The health
 * checks are separate opens, but they closed: they are not the growth.
 * Two minutes of it (health checks every 30 s, so the closes alone do not
 * keep up, rule 2) isolate the steps of rule 3 from the minimum window. */
static void test_report_pool_with_health_checks(void **state)
{
	struct tracker t;
	struct history h;
	struct history_report r;

	pool_with_health_checks(&t, &h, 1 * SEC, 4 * SEC, &r);
	assert_int_equal(h.active, 5);
	assert_null(leak_of(&t, &r, "orders"));
	pool_release(&t, &h, &r);

	pool_with_health_checks(&t, &h, 30 * SEC, 2 * MIN, &r);
	assert_int_equal(h.active, 5);
	assert_null(leak_of(&t, &r, "orders"));
	for (size_t k = 0; k < r.nrows; k++)
		assert_false(r.rows[k].leak_marker);
	pool_release(&t, &h, &r);
}

/* Sessions opened `gap` ms apart from 1 s on and never closed, until
 * `until`; the report for the last hour. */
static void steady_opens(struct tracker *t, struct history *h, int64_t gap, int64_t until,
			 struct history_report *r)
{
	tracker_init(t);
	history_setup(h, HOUR);
	t->history = h;
	feed(t, EV_SERVER_START, 0, 100, "");
	int64_t pid = 1000;
	for (int64_t at = 1 * SEC; at <= until; at += gap)
		open_session(t, at, ++pid, "leaky");
	tracker_finish(t);
	history_report_build(r, t, h, until + 1, TS_UNKNOWN, HOUR, 5 * MIN);
}

/* A minimum age: 15 sessions opened 2 s apart and held look like a leak
 * and like a pool filling up; 30 s of log cannot tell them apart.  Once
 * the window covers LEAK_MIN_COVER_MS the same growth is flagged. */
static void test_report_leak_minimum_age(void **state)
{
	struct tracker t;
	struct history h;
	struct history_report r;

	steady_opens(&t, &h, 2 * SEC, 30 * SEC, &r);
	assert_int_equal(h.active, 15);
	assert_null(leak_of(&t, &r, "leaky"));
	pool_release(&t, &h, &r);

	steady_opens(&t, &h, 2 * SEC, 61 * SEC, &r);
	assert_int_equal(h.active, 31);
	const struct leak_item *L = leak_of(&t, &r, "leaky");
	assert_non_null(L);
	assert_int_equal(L->v.growth, 31);
	assert_int_equal(L->open_now, 31);
	pool_release(&t, &h, &r);
}

/* Rule 3's steps are counted per application: two applications opening
 * turn about, half a second apart, each open their own sessions a second
 * apart -- three steps each, both flagged.  (Counted together, the opens
 * would be one step.)  A third opens its 3 sessions within a second: one
 * step, not flagged. */
static void test_report_steps_per_app(void **state)
{
	struct tracker t;
	struct history h;
	struct history_report r;
	tracker_init(&t);
	history_setup(&h, HOUR);
	t.history = &h;
	feed(&t, EV_SERVER_START, 0, 100, "");
	int64_t pid = 1000;
	for (int i = 0; i < 3; i++) {
		open_session(&t, 10 * SEC + i * SEC, ++pid, "a");
		open_session(&t, 10 * SEC + i * SEC + 500, ++pid, "b");
		open_session(&t, 10 * SEC + i * 300, ++pid, "c");
	}
	open_session(&t, 90 * SEC, ++pid, "other");
	feed(&t, EV_DISCONNECTED, 90 * SEC + 20, pid, "");
	tracker_finish(&t);
	history_report_build(&r, &t, &h, 90 * SEC + 20, TS_UNKNOWN, HOUR, 5 * MIN);
	assert_int_equal(r.nleaks, 2);
	assert_non_null(leak_of(&t, &r, "a"));
	assert_non_null(leak_of(&t, &r, "b"));
	assert_null(leak_of(&t, &r, "c"));
	history_report_release(&r);
	t.history = NULL;
	history_release(&h);
	tracker_release(&t);
}

/* A burst of one connect every 24 ms (2,500 a minute) for 40 s, in an hour
 * that has otherwise one connect a minute: the hour's average is 28/min,
 * under the pooler threshold; the busiest minute holds the whole burst.
 * The burst straddles a clock minute (00:10:40 to 00:11:20): a sliding
 * minute sees all of it, clock minutes would split it in two. */
static void test_report_peak_minute(void **state)
{
	struct tracker t;
	struct history h;
	struct history_report r;
	tracker_init(&t);
	history_setup(&h, HOUR);
	t.history = &h;
	feed(&t, EV_SERVER_START, 0, 100, "");
	int64_t pid = 1000, burst = 0, last = 0;
	/* In time order: the steady one at hh:mm:30, the burst between its
	 * 00:10:30 and 00:11:30 connects. */
	for (int64_t at = 30 * SEC; at < HOUR; at += MIN) {
		open_session(&t, at, ++pid, "steady");
		feed(&t, EV_DISCONNECTED, at + 20, pid, "");
		last = at + 20;
		if (at != 10 * MIN + 30 * SEC)
			continue;
		for (int64_t b = 10 * MIN + 40 * SEC; b < 10 * MIN + 80 * SEC; b += 24) {
			open_session(&t, b, ++pid, "burst");
			feed(&t, EV_DISCONNECTED, b + 10, pid, "");
			burst++;
		}
	}
	tracker_finish(&t);
	assert_int_equal(burst, 1667);
	history_report_build(&r, &t, &h, last, TS_UNKNOWN, HOUR, 5 * MIN);
	const struct dur_item *b = dur_of(&t, &r, "burst");
	assert_non_null(b);
	assert_int_equal(b->sessions, 1667);
	assert_true(b->connects_per_min > 27.0 && b->connects_per_min < 29.0);
	assert_int_equal(b->peak_per_min, 1667);
	/* Short-lived, and a burst of them: worth a pooler. */
	assert_true(b->pooler_hint);
	const struct dur_item *s = dur_of(&t, &r, "steady");
	assert_non_null(s);
	assert_int_equal(s->peak_per_min, 1);
	assert_false(s->pooler_hint);
	history_report_release(&r);
	t.history = NULL;
	history_release(&h);
	tracker_release(&t);
}

/* The burst of test_report_peak_minute (1,667 connects from 00:10:40 to
 * 00:11:20, 834 of them before 00:11) kept for a window of window_ms;
 * returns the burst's busiest minute. */
static int64_t burst_peak(int64_t window_ms, int64_t window_start, int64_t now)
{
	struct tracker t;
	struct history h;
	struct history_report r;
	tracker_init(&t);
	history_setup(&h, window_ms);
	h.window_start = window_start;
	t.history = &h;
	feed(&t, EV_SERVER_START, 0, 100, "");
	int64_t pid = 1000;
	for (int64_t at = 10 * MIN + 40 * SEC; at < 10 * MIN + 80 * SEC; at += 24) {
		open_session(&t, at, ++pid, "burst");
		feed(&t, EV_DISCONNECTED, at + 10, pid, "");
	}
	open_session(&t, now - 20, ++pid, "steady");
	feed(&t, EV_DISCONNECTED, now, pid, "");
	tracker_finish(&t);
	history_report_build(&r, &t, &h, now, window_start, window_ms, history_cell_ms(window_ms));
	const struct dur_item *b = dur_of(&t, &r, "burst");
	int64_t peak = b ? b->peak_per_min : -1;
	history_report_release(&r);
	t.history = NULL;
	history_release(&h);
	tracker_release(&t);
	return peak;
}

/* The busiest minute with each cell length: a sliding minute of 10 s cells
 * holds the whole burst; 1-minute cells are clock minutes, which cut it;
 * 10-minute cells give their average per minute, rounded up.  A window
 * that begins inside a cell counts no more than its own connects. */
static void test_report_peak_minute_cells(void **state)
{
	assert_int_equal(burst_peak(HOUR, TS_UNKNOWN, HOUR), 1667);
	assert_int_equal(burst_peak(DAY, TS_UNKNOWN, HOUR), 834);
	assert_int_equal(burst_peak(8 * DAY, TS_UNKNOWN, HOUR), 167);
	/* From 00:11:00: the cell 00:11:00-00:11:10 onwards, 833 connects. */
	assert_int_equal(burst_peak(HOUR, 11 * MIN, 30 * MIN), 833);
	/* From 00:11:15, inside a cell holding 417 connects, 208 of them from
	 * 00:11:15 on: the window's first cell counts in full, but the figure
	 * stays within the window's 208. */
	assert_int_equal(burst_peak(HOUR, 11 * MIN + 15 * SEC, 30 * MIN), 208);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cell_size),
	    cmocka_unit_test(test_active_across_gaps),
	    cmocka_unit_test(test_active_max_within_cell),
	    cmocka_unit_test(test_gap_longer_than_ring),
	    cmocka_unit_test(test_late_events),
	    cmocka_unit_test(test_unknown_time),
	    cmocka_unit_test(test_no_negative_counts),
	    cmocka_unit_test(test_unopen),
	    cmocka_unit_test(test_unopen_same_cell),
	    cmocka_unit_test(test_unopen_moves_ring),
	    cmocka_unit_test(test_unopen_outside_ring),
	    cmocka_unit_test(test_app_cells),
	    cmocka_unit_test(test_duration_quantiles),
	    cmocka_unit_test(test_duration_edges),
	    cmocka_unit_test(test_memory_bounded),
	    cmocka_unit_test(test_tracker_refused_late),
	    cmocka_unit_test(test_tracker_refused_at_once),
	    cmocka_unit_test(test_report_past_app_cap),
	    cmocka_unit_test(test_report_pool_with_health_checks),
	    cmocka_unit_test(test_report_leak_minimum_age),
	    cmocka_unit_test(test_report_steps_per_app),
	    cmocka_unit_test(test_report_peak_minute),
	    cmocka_unit_test(test_report_peak_minute_cells),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
