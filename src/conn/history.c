/* SPDX-License-Identifier: PostgreSQL */
/* Bounded history of the open-session count: cells in a ring. */
#include "conn/history.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "logfmt/entry.h"
#include "util/xalloc.h"

#define NO_CELL INT64_MIN

int64_t history_cell_ms(int64_t window_ms)
{
	if (window_ms <= 6 * 3600 * 1000LL)
		return 10 * 1000;
	if (window_ms <= 7 * 86400 * 1000LL)
		return 60 * 1000;
	return 600 * 1000;
}

void history_setup(struct history *h, int64_t retention_ms)
{
	memset(h, 0, sizeof(*h));
	h->cell_ms = history_cell_ms(retention_ms);
	h->ncells = (size_t)(retention_ms / h->cell_ms) + 2;
	h->cells = xcalloc(h->ncells, sizeof(*h->cells));
	h->head = NO_CELL;
	h->window_start = TS_UNKNOWN;
	h->first_ts = TS_UNKNOWN;
}

void history_release(struct history *h)
{
	for (size_t i = 0; i < h->napps; i++)
		free(h->apps[i].cells);
	free(h->apps);
	free(h->cells);
	memset(h, 0, sizeof(*h));
}

static int64_t cell_no(const struct history *h, int64_t ts)
{
	return ts >= 0 ? ts / h->cell_ms : (ts - h->cell_ms + 1) / h->cell_ms;
}

static size_t slot(const struct history *h, int64_t no)
{
	int64_t m = no % (int64_t)h->ncells;
	return (size_t)(m < 0 ? m + (int64_t)h->ncells : m);
}

bool history_has_app(const struct history *h, uint32_t app)
{
	for (size_t i = 0; i < h->napps; i++)
		if (h->apps[i].app == app)
			return true;
	return false;
}

static struct app_hist *app_get(struct history *h, uint32_t app)
{
	for (size_t i = 0; i < h->napps; i++)
		if (h->apps[i].app == app)
			return &h->apps[i];
	if (h->napps >= HISTORY_MAX_APPS - 1 && app != HISTORY_OTHER_APPS) {
		/* The last slot stands for every application past the cap. */
		h->apps_overflow = true;
		return app_get(h, HISTORY_OTHER_APPS);
	}
	if (h->napps == h->apps_alloc) {
		h->apps_alloc = h->apps_alloc ? h->apps_alloc * 2 : 16;
		h->apps = xreallocarray(h->apps, h->apps_alloc, sizeof(*h->apps));
	}
	struct app_hist *a = &h->apps[h->napps++];
	memset(a, 0, sizeof(*a));
	a->app = app;
	a->cells = xcalloc(h->ncells, sizeof(*a->cells));
	return a;
}

void history_advance(struct history *h, int64_t ts)
{
	if (ts == TS_UNKNOWN)
		return;
	if (h->first_ts == TS_UNKNOWN)
		h->first_ts = ts;
	int64_t no = cell_no(h, ts);
	if (h->head == NO_CELL) {
		h->head = no;
		struct history_cell *c = &h->cells[slot(h, no)];
		memset(c, 0, sizeof(*c));
		c->active_end = c->active_max = (int32_t)h->active;
		return;
	}
	if (no <= h->head)
		return; /* late by less than a cell: counted in the newest cell */
	/* Open every cell up to no; a gap longer than the ring clears it all. */
	int64_t from = h->head + 1;
	if (no - from >= (int64_t)h->ncells)
		from = no - (int64_t)h->ncells + 1;
	for (int64_t k = from; k <= no; k++) {
		struct history_cell *c = &h->cells[slot(h, k)];
		memset(c, 0, sizeof(*c));
		c->active_end = c->active_max = (int32_t)h->active;
		for (size_t i = 0; i < h->napps; i++)
			memset(&h->apps[i].cells[slot(h, k)], 0, sizeof(struct app_cell));
	}
	h->head = no;
}

/* The newest cell, after moving the ring up to ts; NULL without a time. */
static struct history_cell *cur(struct history *h, int64_t ts)
{
	if (ts == TS_UNKNOWN)
		return NULL;
	history_advance(h, ts);
	return &h->cells[slot(h, h->head)];
}

void history_open(struct history *h, int64_t ts, uint32_t app)
{
	struct history_cell *c = cur(h, ts);
	struct app_hist *a = app_get(h, app);
	h->active++;
	a->open++;
	if (h->window_start == TS_UNKNOWN || (ts != TS_UNKNOWN && ts >= h->window_start))
		a->connects_window++;
	if (!c)
		return;
	c->connects++;
	c->active_end = (int32_t)h->active;
	if (c->active_end > c->active_max)
		c->active_max = c->active_end;
	a->cells[slot(h, h->head)].opened++;
}

/* Log-scale bins: bin i covers durations in (10^((i-1)/20), 10^(i/20)] ms,
 * about 12 % wide, from 1 ms to 10^10 ms (115 days). */
#define DUR_BINS_PER_DECADE 20.0

static int dur_bin(int64_t ms)
{
	if (ms <= 1)
		return 0;
	int b = (int)ceil(log10((double)ms) * DUR_BINS_PER_DECADE);
	return b >= HISTORY_DUR_BINS ? HISTORY_DUR_BINS - 1 : b;
}

void history_close(struct history *h, int64_t ts, uint32_t app, int64_t duration_ms)
{
	struct history_cell *c = cur(h, ts);
	struct app_hist *a = app_get(h, app);
	if (h->active > 0)
		h->active--;
	if (a->open > 0)
		a->open--;
	if (duration_ms >= 0 &&
	    (h->window_start == TS_UNKNOWN || (ts != TS_UNKNOWN && ts >= h->window_start))) {
		a->dur_bins[dur_bin(duration_ms)]++;
		a->dur_count++;
		if (duration_ms > a->dur_max_ms)
			a->dur_max_ms = duration_ms;
	}
	if (!c)
		return;
	c->disconnects++;
	c->active_end = (int32_t)h->active;
	a->cells[slot(h, h->head)].closed++;
}

void history_unopen(struct history *h, int64_t ts_open, int64_t ts_now, uint32_t app)
{
	struct app_hist *a = app_get(h, app);
	if (a->connects_window > 0 && (h->window_start == TS_UNKNOWN ||
				       (ts_open != TS_UNKNOWN && ts_open >= h->window_start)))
		a->connects_window--;
	if (a->open > 0)
		a->open--;
	/* Correct the cells already closed while the session counted as open,
	 * before the ring moves on (new cells then start from the right count). */
	if (ts_open != TS_UNKNOWN && h->head != NO_CELL) {
		int64_t no = cell_no(h, ts_open);
		if (no <= h->head && h->head - no < (int64_t)h->ncells) {
			struct history_cell *c = &h->cells[slot(h, no)];
			if (c->connects > 0)
				c->connects--;
			struct app_cell *ac = &a->cells[slot(h, no)];
			if (ac->opened > 0)
				ac->opened--;
			for (int64_t k = no; k <= h->head; k++) {
				struct history_cell *x = &h->cells[slot(h, k)];
				if (x->active_end > 0)
					x->active_end--;
				/* Cells after the open one held it all along; in the
				 * open cell it counts only if the peak came after it. */
				if (x->active_max > x->active_end && (k > no || x->active_max > 0))
					x->active_max--;
				if (x->active_max < x->active_end)
					x->active_max = x->active_end;
			}
		}
	}
	if (h->active > 0)
		h->active--;
	struct history_cell *now = cur(h, ts_now);
	if (now)
		now->active_end = (int32_t)h->active;
}

void history_connect(struct history *h, int64_t ts, uint32_t app)
{
	struct history_cell *c = cur(h, ts);
	struct app_hist *a = app_get(h, app);
	if (h->window_start == TS_UNKNOWN || (ts != TS_UNKNOWN && ts >= h->window_start))
		a->connects_window++;
	if (c)
		c->connects++;
}

void history_forget(struct history *h, int64_t ts, uint32_t app)
{
	struct history_cell *c = cur(h, ts);
	struct app_hist *a = app_get(h, app);
	if (h->active > 0)
		h->active--;
	if (a->open > 0)
		a->open--;
	if (!c)
		return;
	c->active_end = (int32_t)h->active;
	/* The application's past open counts are rebuilt from its open count
	 * now: it was open until ts. */
	a->cells[slot(h, h->head)].closed++;
}

void history_fail(struct history *h, int64_t ts)
{
	struct history_cell *c = cur(h, ts);
	if (c)
		c->failed++;
}

const struct history_cell *history_cell_at(const struct history *h, int64_t no)
{
	if (h->head == NO_CELL || no > h->head || h->head - no >= (int64_t)h->ncells)
		return NULL;
	return &h->cells[slot(h, no)];
}

const struct app_cell *history_app_cell_at(const struct history *h, const struct app_hist *a,
					   int64_t no)
{
	if (h->head == NO_CELL || no > h->head || h->head - no >= (int64_t)h->ncells)
		return NULL;
	return &a->cells[slot(h, no)];
}

int64_t history_duration_quantile(const struct app_hist *a, double q)
{
	if (a->dur_count == 0)
		return -1;
	int64_t want = (int64_t)ceil(q * (double)a->dur_count);
	if (want < 1)
		want = 1;
	int64_t seen = 0;
	for (int i = 0; i < HISTORY_DUR_BINS; i++) {
		seen += a->dur_bins[i];
		if (seen >= want) {
			/* The bin's geometric middle (within 6 %), capped by the
			 * exact max. */
			int64_t mid =
			    i == 0 ? 1
				   : (int64_t)llround(pow(10.0, (i - 0.5) / DUR_BINS_PER_DECADE));
			return mid < a->dur_max_ms ? mid : a->dur_max_ms;
		}
	}
	return a->dur_max_ms;
}
