/* SPDX-License-Identifier: PostgreSQL */
/* The dashboard's view model; see dash.h. */
#include "model/dash.h"

#include <stdlib.h>
#include <string.h>

#include "conn/report.h"
#include "logfmt/ts.h"
#include "util/xalloc.h"

static uint32_t dim_id(const struct session *s, enum dash_dim d)
{
	return d == DASH_DB ? s->db : d == DASH_USER ? s->user : d == DASH_APP ? s->app : s->host;
}

/* The open sessions of t per name id of each dimension, sorted by id, into
 * the snapshot's arrays (which it then owns). */
static void tally(const struct tracker *t, struct dash_snap *sn)
{
	size_t nn = intern_count(&t->names) + 1;
	int64_t *cnt = xcalloc(nn * DASH__DIMS, sizeof(*cnt));

	for (uint32_t i = 0; i < t->pool_len; i++) {
		const struct session *s = &t->pool[i];
		if (s->state != SESS_OPEN || s->replication || !s->matches)
			continue;
		for (int d = 0; d < DASH__DIMS; d++)
			cnt[(size_t)d * nn + dim_id(s, d)]++;
	}
	for (int d = 0; d < DASH__DIMS; d++) {
		const int64_t *c = cnt + (size_t)d * nn;
		size_t n = 0;
		for (size_t id = 0; id < nn; id++)
			n += c[id] != 0;
		sn->v[d] = xcalloc(n ? n : 1, sizeof(*sn->v[d]));
		sn->n[d] = 0;
		for (size_t id = 0; id < nn; id++)
			if (c[id])
				sn->v[d][sn->n[d]++] = (struct dash_idc){(uint32_t)id, c[id]};
	}
	free(cnt);
}

static void snap_free(struct dash_snap *sn)
{
	for (int d = 0; d < DASH__DIMS; d++)
		free(sn->v[d]);
	memset(sn, 0, sizeof(*sn));
}

static void snap_take(struct dash_snap *sn, const struct tracker *t, int64_t from, int64_t to)
{
	sn->from = from;
	sn->to = to;
	sn->connects = t->connects;
	sn->disconnects = t->disconnects;
	sn->failed = t->failed;
	tally(t, sn);
}

/* The tracker's before_event: a snapshot before each new second's first event. */
static void rec_before(void *ctx, const struct tevent *ev)
{
	struct dash_rec *r = ctx;
	int64_t ts = ev->ts_ms;
	if (ts == TS_UNKNOWN)
		return;
	if (r->last_ts != TS_UNKNOWN && ts / 1000 <= r->last_ts / 1000) {
		r->last_ts = ts > r->last_ts ? ts : r->last_ts;
		return;
	}
	if (ts >= r->horizon) {
		struct dash_snap *sn;
		if (r->nsnaps == DASH_SNAPS) {
			sn = &r->snaps[r->snap_first];
			snap_free(sn);
			r->snap_first = (r->snap_first + 1) % DASH_SNAPS;
		} else {
			sn = &r->snaps[(r->snap_first + r->nsnaps++) % DASH_SNAPS];
		}
		snap_take(sn, &r->m->t, r->last_ts == TS_UNKNOWN ? INT64_MIN : r->last_ts, ts);
	}
	r->last_ts = ts;
}

/* The tracker's on_event: keep the events the stream shows. */
static void rec_event(void *ctx, const struct tevent *ev, const struct session *s)
{
	struct dash_rec *r = ctx;
	struct event_info x;
	event_info_fill(&x, &r->m->t, ev, s);
	if (x.shown == SHOWN_NONE || !event_info_matches(&x, &r->m->t.filter))
		return;
	/* A server start logs several lines: one event (as --watch shows it). */
	if (x.shown == SHOWN_SERVER && r->last_shown == SHOWN_SERVER && (int)x.kind == r->last_kind)
		return;
	r->last_shown = x.shown;
	r->last_kind = x.kind;
	struct dash_event *e;
	if (r->nev == DASH_EVENTS) {
		e = &r->ev[r->ev_first];
		r->ev_first = (r->ev_first + 1) % DASH_EVENTS;
	} else {
		e = &r->ev[(r->ev_first + r->nev++) % DASH_EVENTS];
	}
	e->x = x;
	e->msg[0] = '\0';
	if (x.message) {
		strncpy(e->msg, x.message, sizeof(e->msg) - 1);
		e->msg[sizeof(e->msg) - 1] = '\0';
		e->x.message = e->msg;
	}
}

void dash_rec_attach(struct dash_rec *r, struct model *m, int64_t horizon)
{
	memset(r, 0, sizeof(*r));
	r->m = m;
	r->horizon = horizon;
	r->last_ts = TS_UNKNOWN;
	r->ev = xcalloc(DASH_EVENTS, sizeof(*r->ev));
	m->t.before_event = rec_before;
	m->t.before_event_ctx = r;
	m->t.on_event = rec_event;
	m->t.on_event_ctx = r;
}

void dash_rec_release(struct dash_rec *r)
{
	if (r->m && r->m->t.before_event_ctx == r) {
		r->m->t.before_event = NULL;
		r->m->t.on_event = NULL;
	}
	for (size_t i = 0; i < r->nsnaps; i++)
		snap_free(&r->snaps[(r->snap_first + i) % DASH_SNAPS]);
	free(r->ev);
	memset(r, 0, sizeof(*r));
}

/* The snapshot that held the state at x, or NULL: the state now (no event
 * was applied after x).  Between two events of one second, the state
 * after that second's events. */
static const struct dash_snap *snap_at(const struct dash_rec *r, int64_t x)
{
	const struct dash_snap *best = NULL;
	for (size_t i = r->nsnaps; i-- > 0;) {
		const struct dash_snap *sn = &r->snaps[(r->snap_first + i) % DASH_SNAPS];
		if (sn->to <= x)
			break;
		best = sn;
	}
	return best;
}

static int64_t snap_count(const struct dash_snap *sn, enum dash_dim d, uint32_t id)
{
	size_t lo = 0, hi = sn->n[d];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (sn->v[d][mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < sn->n[d] && sn->v[d][lo].id == id ? sn->v[d][lo].count : 0;
}

static int cmp_row(const void *a, const void *b, void *arg)
{
	const struct dash_row *x = a, *y = b;
	enum dash_sort sort_key = *(const enum dash_sort *)arg;
	if (sort_key == DASH_BY_CHANGE && x->change != y->change)
		return x->change > y->change ? -1 : 1;
	if (sort_key != DASH_BY_NAME && x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The rows of dimension dim: the names open now, and those open a minute
 * ago (their change is negative). */
static void build_group(struct dash_group *g, const struct dash_rec *r, enum dash_dim dim,
			const struct dash_snap *now_sn, const struct dash_snap *ago,
			const struct dash_snap *const *trend)
{
	const struct tracker *t = &r->m->t;
	size_t cap = now_sn->n[dim] + (ago ? ago->n[dim] : 0);
	g->v = xcalloc(cap ? cap : 1, sizeof(*g->v));
	g->n = 0;
	for (size_t i = 0; i < now_sn->n[dim]; i++) {
		struct dash_row *w = &g->v[g->n++];
		w->id = now_sn->v[dim][i].id;
		w->count = now_sn->v[dim][i].count;
	}
	for (size_t i = 0; ago && i < ago->n[dim]; i++)
		if (!snap_count(now_sn, dim, ago->v[dim][i].id))
			g->v[g->n++].id = ago->v[dim][i].id;
	for (size_t i = 0; i < g->n; i++) {
		struct dash_row *w = &g->v[i];
		w->name = tracker_name(t, w->id);
		w->change = w->count - (ago ? snap_count(ago, dim, w->id) : w->count);
		for (int k = 0; k < DASH_TREND; k++)
			w->trend[k] = trend[k] ? snap_count(trend[k], dim, w->id) : w->count;
	}
}

/*
 * The leaks: judged as 'connections' judges them (the last hour, in its
 * default rows), so that both name the same applications; the chart's
 * cells in which a flagged application grew are marked.
 */
static void mark_leaks(struct dash *d, const struct dash_rec *r, int64_t now)
{
	const struct model *m = r->m;
	struct history_report hr;
	history_report_build(&hr, &m->t, &m->hist, now, TS_UNKNOWN, DASH_LEAK_WINDOW,
			     history_default_bucket(DASH_LEAK_WINDOW));
	for (size_t i = 0; i < hr.nleaks; i++)
		for (size_t j = 0; j < d->g[DASH_APP].n; j++)
			if (d->g[DASH_APP].v[j].id == hr.leaks[i].app)
				d->g[DASH_APP].v[j].leak = true;
	/* The cells in which a flagged application opened more than it closed. */
	for (size_t i = 0; i < hr.nleaks; i++)
		for (size_t a = 0; a < m->hist.napps; a++) {
			const struct app_hist *ah = &m->hist.apps[a];
			if (ah->app != hr.leaks[i].app)
				continue;
			for (size_t k = 0; k < d->nchart; k++) {
				int64_t no = d->chart[k].at / d->cell_ms - 1;
				const struct app_cell *c = history_app_cell_at(&m->hist, ah, no);
				if (c && c->opened > c->closed)
					d->chart[k].leak = true;
			}
		}
	history_report_release(&hr);
}

void dash_build(struct dash *d, const struct dash_rec *r, int64_t now, int64_t window_ms,
		enum dash_sort sort)
{
	const struct model *m = r->m;
	const struct tracker *t = &m->t;
	struct dash_snap cur = {0};

	memset(d, 0, sizeof(*d));
	d->now = now;
	d->newest = m->newest_ts;
	d->complete = t->complete && !t->unseen;
	d->active = t->active;
	d->peak = t->peak;
	d->peak_at = t->peak_at;
	filter_describe(&t->filter, d->filter_desc, sizeof(d->filter_desc));

	snap_take(&cur, t, now, now);
	const struct dash_snap *ago = NULL, *trend[DASH_TREND];
	if (now != TS_UNKNOWN) {
		int64_t x = now - DASH_MINUTE;
		ago = snap_at(r, x);
		/* No snapshot after x: no event came since, the state is now's. */
		d->minute_known = !ago || ago->from <= x;
		for (int k = 0; k < DASH_TREND; k++)
			trend[k] = snap_at(r, x + (int64_t)k * DASH_MINUTE / (DASH_TREND - 1));
	} else {
		for (int k = 0; k < DASH_TREND; k++)
			trend[k] = NULL;
	}
	const struct dash_snap *base = ago ? ago : &cur;
	d->connects = t->connects - base->connects;
	d->disconnects = t->disconnects - base->disconnects;
	d->failed = t->failed - base->failed;
	for (int k = 0; k < DASH_TREND; k++)
		if (!trend[k])
			trend[k] = &cur;
	for (int dim = 0; dim < DASH__DIMS; dim++)
		build_group(&d->g[dim], r, (enum dash_dim)dim, &cur, ago ? ago : &cur, trend);

	/* The chart: the history's cells over the window. */
	d->window_ms = window_ms;
	if (now != TS_UNKNOWN && m->hist.head != INT64_MIN) {
		struct history_report hr;
		int64_t cell = m->hist.cell_ms;
		history_report_build(&hr, t, &m->hist, now, TS_UNKNOWN, window_ms, cell);
		d->cell_ms = cell;
		d->chart = xcalloc(hr.nrows ? hr.nrows : 1, sizeof(*d->chart));
		for (size_t i = 0; i < hr.nrows; i++)
			d->chart[d->nchart++] = (struct dash_point){.at = hr.rows[i].at,
								    .active = hr.rows[i].active,
								    .failed = hr.rows[i].failed};
		history_report_release(&hr);
		mark_leaks(d, r, now);
	}
	snap_free(&cur);

	for (int dim = 0; dim < DASH__DIMS; dim++)
		if (d->g[dim].n > 1)
			qsort_r(d->g[dim].v, d->g[dim].n, sizeof(*d->g[dim].v), cmp_row, &sort);

	d->events = xcalloc(r->nev ? r->nev : 1, sizeof(*d->events));
	for (size_t i = 0; i < r->nev; i++) {
		const struct dash_event *e = &r->ev[(r->ev_first + i) % DASH_EVENTS];
		if (now != TS_UNKNOWN && e->x.at != TS_UNKNOWN && e->x.at > now)
			continue;
		struct dash_event *c = &d->events[d->nevents++];
		*c = *e;
		if (e->x.message)
			c->x.message = c->msg;
	}
}

void dash_release(struct dash *d)
{
	for (int dim = 0; dim < DASH__DIMS; dim++)
		free(d->g[dim].v);
	free(d->chart);
	free(d->events);
	memset(d, 0, sizeof(*d));
}

static const char *const dim_words[DASH__DIMS] = {
    [DASH_DB] = "db", [DASH_USER] = "user", [DASH_APP] = "app", [DASH_HOST] = "host"};

const char *dash_dim_word(enum dash_dim d)
{
	return dim_words[d];
}

int dash_parse_filter_word(const char *word, enum dash_dim *dim, const char **pattern)
{
	static const struct {
		const char *key;
		enum dash_dim dim;
	} keys[] = {{"db", DASH_DB},   {"database", DASH_DB},     {"user", DASH_USER},
		    {"app", DASH_APP}, {"application", DASH_APP}, {"host", DASH_HOST}};
	const char *eq = strchr(word, '=');
	if (!eq)
		return -1;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strlen(keys[i].key) == (size_t)(eq - word) &&
		    !strncmp(word, keys[i].key, (size_t)(eq - word))) {
			*dim = keys[i].dim;
			*pattern = eq + 1;
			return 0;
		}
	return -1;
}
