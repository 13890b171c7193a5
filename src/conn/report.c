/* SPDX-License-Identifier: PostgreSQL */
/* The --history report: rows, totals, leaks and durations; see report.h. */
#include "conn/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logfmt/ts.h"
#include "util/xalloc.h"

/* An application is "short-lived and frequent" -- the pooler signal --
 * when its median session is under a second and it connects at least
 * POOLER_RATE_PER_MIN times a minute over the window, or at least
 * POOLER_PEAK_PER_MIN times in its busiest minute.  The average alone
 * hides bursts: 40 s at 2,500 a minute in an hour averages 28 a minute,
 * yet that burst is where backend starts pile up and max_connections is
 * reached.  The peak's threshold is ten times the average's (5 a second),
 * so one busy minute of a job that otherwise connects now and then does
 * not earn the hint on its own. */
#define POOLER_MEDIAN_MS 1000
#define POOLER_RATE_PER_MIN 30.0
#define POOLER_PEAK_PER_MIN 300

int64_t history_default_bucket(int64_t window_ms)
{
	static const int64_t steps[] = {10000,    30000,    60000,    120000,   300000,
					600000,   900000,   1800000,  3600000,  7200000,
					10800000, 21600000, 43200000, 86400000, 604800000};
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (window_ms / steps[i] <= 12)
			return steps[i];
	return steps[sizeof(steps) / sizeof(steps[0]) - 1];
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static int64_t align_up(int64_t t, int64_t step)
{
	return floor_div(t + step - 1, step) * step;
}

/* Open count at instant b (a cell boundary). */
static int64_t open_at(const struct history *h, int64_t b)
{
	int64_t no = floor_div(b, h->cell_ms) - 1;
	if (h->first_ts == TS_UNKNOWN || b <= h->first_ts)
		return 0;
	if (no >= h->head)
		return h->active;
	const struct history_cell *c = history_cell_at(h, no);
	return c ? c->active_end : 0;
}

/* An application's open count at instant b: rebuilt from its open count
 * now and the opens and closes since. */
static int64_t app_open_at(const struct history *h, const struct app_hist *a, int64_t b)
{
	int64_t open = a->open;
	if (h->first_ts == TS_UNKNOWN || b <= h->first_ts)
		return 0;
	for (int64_t k = floor_div(b, h->cell_ms); k <= h->head; k++) {
		const struct app_cell *c = history_app_cell_at(h, a, k);
		if (c)
			open -= c->opened - c->closed;
	}
	return open < 0 ? 0 : open;
}

/* Sum the global cells covering [from, to). */
static void sum_cells(const struct history *h, int64_t from, int64_t to, int64_t *conn,
		      int64_t *disc, int64_t *fail, int64_t *max_open, int64_t *max_at)
{
	*conn = *disc = *fail = 0;
	for (int64_t k = floor_div(from, h->cell_ms); k * h->cell_ms < to && k <= h->head; k++) {
		const struct history_cell *c = history_cell_at(h, k);
		if (!c)
			continue;
		*conn += c->connects;
		*disc += c->disconnects;
		*fail += c->failed;
		if (max_open && c->active_max > *max_open) {
			*max_open = c->active_max;
			*max_at = k * h->cell_ms;
		}
	}
}

static int cmp_dur(const void *a, const void *b)
{
	const struct dur_item *x = a, *y = b;
	if (x->sessions != y->sessions)
		return x->sessions > y->sessions ? -1 : 1;
	return x->app < y->app ? -1 : x->app > y->app;
}

/* An open session's open time, under the application slot of the history
 * it is counted in. */
struct open_time {
	uint32_t app; /* the slot's app: the session's, or HISTORY_OTHER_APPS */
	int64_t ts;
};

static int cmp_open_time(const void *a, const void *b)
{
	const struct open_time *x = a, *y = b;
	if (x->app != y->app)
		return x->app < y->app ? -1 : 1;
	return x->ts < y->ts ? -1 : x->ts > y->ts;
}

/*
 * The open times, at or after from, of the sessions the history counts as
 * open (client sessions that match the filter), sorted by slot then time,
 * into *ts (n of them; the caller frees it), with *slots naming each one's
 * slot.  Both are as long as the open sessions: the tracker holds those
 * anyway, so this is bounded by the same.
 */
static size_t open_times(const struct history *h, const struct tracker *t, int64_t from,
			 int64_t **ts, uint32_t **slots)
{
	struct open_time *v = xcalloc(t->pool_len ? t->pool_len : 1, sizeof(*v));
	size_t n = 0;
	for (uint32_t k = 0; k < t->pool_len; k++) {
		const struct session *ss = &t->pool[k];
		if (ss->state != SESS_OPEN || ss->replication || !ss->matches ||
		    ss->t_open == TS_UNKNOWN || ss->t_open < from)
			continue;
		v[n].app = history_has_app(h, ss->app) ? ss->app : HISTORY_OTHER_APPS;
		v[n].ts = ss->t_open;
		n++;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_open_time);
	*ts = xcalloc(n ? n : 1, sizeof(**ts));
	*slots = xcalloc(n ? n : 1, sizeof(**slots));
	for (size_t i = 0; i < n; i++) {
		(*ts)[i] = v[i].ts;
		(*slots)[i] = v[i].app;
	}
	free(v);
	return n;
}

/* Rule 3's steps for the slot of app: among its open sessions' open times
 * (ts and slots from open_times, n of them). */
static int64_t growth_steps(int64_t *ts, const uint32_t *slots, size_t n, uint32_t app)
{
	size_t lo = 0, hi = n;
	while (lo < hi) { /* the first of app's */
		size_t mid = lo + (hi - lo) / 2;
		if (slots[mid] < app)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (end < n && slots[end] == app)
		end++;
	return leak_count_steps(ts + lo, end - lo);
}

static void build_leaks(struct history_report *r)
{
	const struct history *h = r->h;
	const struct tracker *t = r->t;
	int64_t *series = xcalloc(r->nrows + 1, sizeof(*series));
	/* The growth counts the opens from the start of the window's first
	 * cell (as the open counts and the opened/closed sums do); rule 3's
	 * steps count the sessions still open among them. */
	int64_t first_cell = floor_div(r->window_start, h->cell_ms);
	int64_t *ts;
	uint32_t *slots;
	size_t nts = open_times(h, t, first_cell * h->cell_ms, &ts, &slots);

	r->leaks = xcalloc(h->napps ? h->napps : 1, sizeof(*r->leaks));
	for (size_t i = 0; i < h->napps; i++) {
		const struct app_hist *a = &h->apps[i];
		struct leak_series s = {.open = series, .n = 0};
		/* The series: open at the window start, at each row, now. */
		series[s.n++] = app_open_at(h, a, r->window_start);
		for (size_t k = 0; k < r->nrows; k++)
			series[s.n++] =
			    r->rows[k].is_now ? a->open : app_open_at(h, a, r->rows[k].at);
		for (int64_t k = first_cell; k <= h->head; k++) {
			const struct app_cell *c = history_app_cell_at(h, a, k);
			if (!c)
				continue;
			s.opened += c->opened;
			s.closed += c->closed;
		}
		s.growth_steps = growth_steps(ts, slots, nts, a->app);
		s.covered_ms = r->now - r->window_start;
		struct leak_verdict v;
		if (!leak_judge(&s, &v))
			continue;
		struct leak_item *L = &r->leaks[r->nleaks++];
		memset(L, 0, sizeof(*L));
		L->app = a->app;
		L->v = v;
		L->opened = s.opened;
		L->closed = s.closed;
		L->open_now = a->open;
		L->oldest_open_ms = TS_UNKNOWN;
		/* Evidence from its open sessions. */
		bool first = true, one_user = true, one_db = true, one_host = true;
		uint32_t seen_hosts[16];
		size_t nseen = 0;
		for (uint32_t k = 0; k < t->pool_len; k++) {
			const struct session *ss = &t->pool[k];
			if (ss->state != SESS_OPEN || ss->replication || !ss->matches)
				continue;
			bool mine = a->app == HISTORY_OTHER_APPS ? !history_has_app(h, ss->app)
								 : ss->app == a->app;
			if (!mine)
				continue;
			if (ss->t_open != TS_UNKNOWN &&
			    (L->oldest_open_ms == TS_UNKNOWN || ss->t_open < L->oldest_open_ms))
				L->oldest_open_ms = ss->t_open;
			if (first) {
				L->user = ss->user;
				L->db = ss->db;
				L->host = ss->host;
				first = false;
			}
			one_user &= ss->user == L->user;
			one_db &= ss->db == L->db;
			one_host &= ss->host == L->host;
			bool known = false;
			for (size_t j = 0; j < nseen; j++)
				known |= seen_hosts[j] == ss->host;
			if (!known && nseen < 16)
				seen_hosts[nseen++] = ss->host;
		}
		if (!one_user)
			L->user = 0;
		if (!one_db)
			L->db = 0;
		if (!one_host)
			L->host = 0;
		size_t off = 0;
		for (size_t j = 0; j < nseen && off < sizeof(L->hosts) - 1; j++) {
			int n = snprintf(L->hosts + off, sizeof(L->hosts) - off, "%s%s",
					 j ? ", " : "", tracker_name(t, seen_hosts[j]));
			if (n < 0)
				break;
			off += (size_t)n;
		}
		/* Mark the rows where it grew. */
		for (size_t k = 0; k < r->nrows; k++)
			if (series[k + 1] > series[k])
				r->rows[k].leak_marker = true;
	}
	free(ts);
	free(slots);
	free(series);
}

/*
 * An application's connects in its busiest minute of the window, from its
 * cells: the most opened in any run of cells a minute long, sliding a cell
 * at a time -- six 10 s cells, so a minute starting on any 10 s boundary,
 * and a burst of 50 s or less is seen whole wherever it falls, even across
 * a clock minute; with 1-minute cells (windows over 6 h), a clock minute.  10-minute cells
 * (windows over 7 days) cannot show a minute: the busiest cell's average
 * per minute, rounded up.  A window shorter than a minute gives all its
 * connects.  The window's first cell may begin before the window; what it
 * holds from before is not the window's, so the figure never exceeds the
 * window's connects.
 */
static int64_t peak_minute(const struct history_report *r, const struct app_hist *a)
{
	const struct history *h = r->h;
	int64_t per = h->cell_ms < 60000 ? 60000 / h->cell_ms : 1;
	int64_t first = floor_div(r->window_start, h->cell_ms);
	int64_t last = floor_div(r->now, h->cell_ms);
	int64_t best = 0, run = 0;
	if (last > h->head)
		last = h->head;
	for (int64_t k = first; k <= last; k++) {
		const struct app_cell *c = history_app_cell_at(h, a, k);
		run += c ? c->opened : 0;
		if (k - per >= first) {
			const struct app_cell *o = history_app_cell_at(h, a, k - per);
			run -= o ? o->opened : 0;
		}
		if (run > best)
			best = run;
	}
	if (h->cell_ms > 60000)
		best = (best * 60000 + h->cell_ms - 1) / h->cell_ms;
	return best < a->connects_window ? best : a->connects_window;
}

static void build_durations(struct history_report *r)
{
	const struct history *h = r->h;
	double minutes = (double)(r->now - r->window_start) / 60000.0;
	r->durs = xcalloc(h->napps ? h->napps : 1, sizeof(*r->durs));
	for (size_t i = 0; i < h->napps; i++) {
		const struct app_hist *a = &h->apps[i];
		if (!a->dur_count && !a->connects_window)
			continue;
		struct dur_item *d = &r->durs[r->ndurs++];
		d->app = a->app;
		d->sessions = a->dur_count;
		d->median_ms = history_duration_quantile(a, 0.5);
		d->p95_ms = history_duration_quantile(a, 0.95);
		d->max_ms = a->dur_count ? a->dur_max_ms : -1;
		d->connects_per_min = minutes > 0 ? (double)a->connects_window / minutes : 0;
		d->peak_per_min = peak_minute(r, a);
		d->pooler_hint = d->median_ms >= 0 && d->median_ms < POOLER_MEDIAN_MS &&
				 (d->connects_per_min >= POOLER_RATE_PER_MIN ||
				  d->peak_per_min >= POOLER_PEAK_PER_MIN);
	}
	if (r->ndurs > 1)
		qsort(r->durs, r->ndurs, sizeof(*r->durs), cmp_dur);
}

/* The sparkline's columns: the most open in each run of cells. */
static void build_spark(struct history_report *r)
{
	const struct history *h = r->h;
	int64_t first = floor_div(r->window_start, h->cell_ms);
	int64_t last = floor_div(r->now, h->cell_ms);
	int64_t n = last - first + 1;
	int width = 48;
	int64_t per = n > width ? (n + width - 1) / width : 1;

	r->nspark = 0;
	for (int64_t k = first; k <= last && r->nspark < REPORT_SPARK_MAX; k += per) {
		int64_t m = 0;
		for (int64_t j = k; j < k + per && j <= last; j++) {
			const struct history_cell *c = j <= h->head ? history_cell_at(h, j) : NULL;
			int64_t v = c ? c->active_max : (j > h->head ? h->active : 0);
			if (v > m)
				m = v;
		}
		r->spark[r->nspark++] = m;
	}
}

/* Resolve the name ids of the leaks and durations for the renderers. */
static void name_items(struct history_report *r)
{
	const struct tracker *t = r->t;
	for (size_t i = 0; i < r->nleaks; i++) {
		struct leak_item *L = &r->leaks[i];
		L->app_name = tracker_name(t, L->app);
		L->user_name = L->user ? tracker_name(t, L->user) : NULL;
		L->db_name = L->db ? tracker_name(t, L->db) : NULL;
		L->host_name = L->host ? tracker_name(t, L->host) : NULL;
	}
	for (size_t i = 0; i < r->ndurs; i++)
		r->durs[i].app_name = tracker_name(t, r->durs[i].app);
}

void history_report_build(struct history_report *r, const struct tracker *t,
			  const struct history *h, int64_t now, int64_t window_start,
			  int64_t window_ms, int64_t bucket_ms)
{
	memset(r, 0, sizeof(*r));
	r->t = t;
	r->h = h;
	r->now = now;
	r->window_ms = window_ms;
	r->bucket_ms = bucket_ms;
	r->window_start = window_start != TS_UNKNOWN ? window_start : now - window_ms;
	if (h->first_ts != TS_UNKNOWN && r->window_start < h->first_ts) {
		r->window_start = h->first_ts;
		r->clipped = true;
	}
	filter_describe(&t->filter, r->filter_desc, sizeof(r->filter_desc));

	/* Rows: every aligned boundary in the window, then "now". */
	size_t cap = 16;
	r->rows = xcalloc(cap, sizeof(*r->rows));
	int64_t prev = r->window_start;
	for (int64_t b = align_up(r->window_start, bucket_ms);; b += bucket_ms) {
		bool is_now = b >= now;
		if (is_now)
			b = now;
		if (r->nrows == cap) {
			cap *= 2;
			r->rows = xreallocarray(r->rows, cap, sizeof(*r->rows));
		}
		struct hrow *row = &r->rows[r->nrows++];
		memset(row, 0, sizeof(*row));
		row->at = b;
		row->is_now = is_now;
		row->active = is_now ? h->active : open_at(h, b);
		sum_cells(h, prev, is_now ? b + 1 : b, &row->connects, &row->disconnects,
			  &row->failed, NULL, NULL);
		prev = b;
		if (is_now)
			break;
	}
	int64_t dummy_max = 0, dummy_at = 0;
	sum_cells(h, r->window_start, now + 1, &r->connects, &r->disconnects, &r->failed,
		  &dummy_max, &dummy_at);
	if (t->peak_at != TS_UNKNOWN && t->since_ms != TS_UNKNOWN) {
		r->peak = t->peak;
		r->peak_at = t->peak_at;
	} else {
		r->peak = dummy_max;
		r->peak_at = dummy_at;
	}
	r->open_start = open_at(h, r->window_start);
	build_spark(r);
	build_leaks(r);
	build_durations(r);
	name_items(r);
}

int64_t history_report_net(const struct history_report *r)
{
	return r->h->active - r->open_start;
}

void history_report_release(struct history_report *r)
{
	free(r->rows);
	free(r->leaks);
	free(r->durs);
}
