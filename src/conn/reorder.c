/* SPDX-License-Identifier: PostgreSQL */
/* The short holding buffer that restores timestamp order and takes back
 * authorizations that were refused a moment later.  See reorder.h. */
#include "conn/reorder.h"

#include <stdlib.h>
#include <string.h>

#include "logfmt/entry.h"
#include "util/xalloc.h"

/* Never hold more than this many events, whatever the timestamps say. */
#define REORDER_HARD_CAP 65536

/* An event moves back at most this many places.  Backends' lines interleave
 * out of order by a few milliseconds, a few events at a time; a log whose
 * every other line goes back in time would otherwise cost a walk over the
 * whole window per event. */
#define REORDER_MAX_WALK 128

void reorder_init(struct reorder *r, int64_t window_ms, reorder_emit_fn emit, void *ctx)
{
	r->cap = 256;
	r->ring = xcalloc(r->cap, sizeof(*r->ring));
	r->head = r->count = 0;
	r->window_ms = window_ms;
	r->max_events = 64;
	r->newest_ts = TS_UNKNOWN;
	r->emit = emit;
	r->ctx = ctx;
}

void reorder_release(struct reorder *r)
{
	for (size_t i = 0; i < r->count; i++)
		free(r->ring[(r->head + i) & (r->cap - 1)].message);
	free(r->ring);
	memset(r, 0, sizeof(*r));
}

static struct tevent *at(struct reorder *r, size_t i)
{
	return &r->ring[(r->head + i) & (r->cap - 1)];
}

static void grow(struct reorder *r)
{
	struct tevent *n = xcalloc(r->cap * 2, sizeof(*n));
	for (size_t i = 0; i < r->count; i++)
		n[i] = *at(r, i);
	free(r->ring);
	r->ring = n;
	r->head = 0;
	r->cap *= 2;
}

static void emit_head(struct reorder *r)
{
	struct tevent ev = *at(r, 0);
	r->head = (r->head + 1) & (r->cap - 1);
	r->count--;
	r->emit(r->ctx, &ev);
	free(ev.message);
}

/* Is the authorization a the one the refusal f takes back? */
static bool refused_by(const struct tevent *a, const struct tevent *f)
{
	if (a->kind != EV_AUTHORIZED || a->cancelled)
		return false;
	if (f->pid != PID_UNKNOWN || a->pid != PID_UNKNOWN)
		return a->pid == f->pid;
	/* No PIDs: the newest authorization naming the same user/database. */
	if (f->user && a->user != f->user)
		return false;
	if (f->db && a->db != f->db)
		return false;
	return true;
}

static void take_back(struct reorder *r, struct tevent *f)
{
	for (size_t i = r->count; i-- > 0;) {
		struct tevent *a = at(r, i);
		if (f->pid != PID_UNKNOWN && a->pid == f->pid && a->kind == EV_RECEIVED)
			return; /* reached this backend's start: nothing to take back */
		if (!refused_by(a, f))
			continue;
		a->cancelled = true;
		if (!f->user)
			f->user = a->user;
		if (!f->db)
			f->db = a->db;
		if (!f->app)
			f->app = a->app;
		return;
	}
}

static bool due(const struct reorder *r, const struct tevent *h)
{
	if (r->count > REORDER_HARD_CAP)
		return true;
	if (h->ts_ms == TS_UNKNOWN || r->newest_ts == TS_UNKNOWN)
		return r->count > r->max_events;
	return r->newest_ts - h->ts_ms > r->window_ms;
}

void reorder_push(struct reorder *r, struct tevent *ev)
{
	if (ev->kind == EV_FAILED && ev->after_auth)
		take_back(r, ev);
	if (r->count == r->cap)
		grow(r);
	/* Insert in (ts, seq) order; usually at the tail. */
	size_t i = r->count;
	/* A timestamp far behind the newest (a clock stepped back, lines of
	 * another time mixed in) is not a few milliseconds of skew between
	 * backends: keep it where the log put it. */
	bool jump = ev->ts_ms != TS_UNKNOWN && r->newest_ts != TS_UNKNOWN &&
		    ev->ts_ms < r->newest_ts - r->window_ms;
	if (ev->ts_ms != TS_UNKNOWN && !jump) {
		size_t stop = r->count > REORDER_MAX_WALK ? r->count - REORDER_MAX_WALK : 0;
		while (i > stop) {
			struct tevent *p = at(r, i - 1);
			if (p->ts_ms == TS_UNKNOWN || p->ts_ms <= ev->ts_ms)
				break;
			*at(r, i) = *p;
			i--;
		}
		if (r->newest_ts == TS_UNKNOWN || ev->ts_ms > r->newest_ts)
			r->newest_ts = ev->ts_ms;
	}
	*at(r, i) = *ev;
	r->count++;
	ev->message = NULL; /* owned by r now */
	while (r->count && due(r, at(r, 0)))
		emit_head(r);
}

void reorder_flush(struct reorder *r)
{
	while (r->count)
		emit_head(r);
}

void reorder_flush_arrived(struct reorder *r, int64_t cutoff)
{
	while (r->count && at(r, 0)->arrived_ms <= cutoff)
		emit_head(r);
}
