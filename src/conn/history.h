/* SPDX-License-Identifier: PostgreSQL */
/*
 * history: how the open-session count moved, kept as aggregates rather than
 * events, so memory is bounded by the retention window, the number of
 * applications and the open sessions -- never by the size of the log.
 *
 * Time is cut into clock-aligned cells (10 s for windows up to 6 h, 1 min up
 * to 7 days, 10 min beyond).  A ring holds the cells of the retention
 * window: for each, the connects, disconnects and failures in it and the
 * number of sessions open at its end (and the most open at once inside
 * it).  Each application (up to HISTORY_MAX_APPS; the rest are pooled as
 * one) has its own ring of sessions opened and closed per cell, from which
 * its open count at any row boundary is rebuilt backwards from its open
 * count now.  Session durations go into a log-scale histogram per
 * application (median and p95 within 6 %, max exact).
 *
 * The tracker feeds it as it applies events, in timestamp order; only
 * sessions that match the tracker's filter and are not replication
 * connections are counted.
 */
#ifndef PGTAIL_HISTORY_H
#define PGTAIL_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HISTORY_MAX_APPS 256
/* The pseudo-application id of the slot shared by applications past the cap. */
#define HISTORY_OTHER_APPS UINT32_MAX
#define HISTORY_DUR_BINS 201

struct history_cell {
	int32_t connects, disconnects, failed;
	int32_t active_end; /* open at the end of the cell */
	int32_t active_max; /* most open at once within the cell */
};

struct app_cell {
	int32_t opened, closed;
};

struct app_hist {
	uint32_t app;                       /* intern id of the application (0 = unset) */
	int64_t open;                       /* open now */
	struct app_cell *cells;             /* ring, parallel to history.cells */
	int64_t dur_bins[HISTORY_DUR_BINS]; /* durations of sessions ended in the window */
	int64_t dur_count;
	int64_t dur_max_ms;
	int64_t connects_window; /* connects since window_start */
};

struct history {
	int64_t cell_ms;            /* cell length */
	size_t ncells;              /* ring length: retention / cell_ms + 1 */
	struct history_cell *cells; /* ring indexed by (cell number % ncells) */
	int64_t head;               /* cell number of the newest cell, or INT64_MIN before any */
	int64_t active;             /* open now (filtered, client sessions) */
	int64_t window_start;       /* durations/connect rates count from here (TS_UNKNOWN: all) */
	int64_t first_ts;           /* first event seen */
	struct app_hist *apps;      /* per application */
	size_t napps, apps_alloc;
	bool apps_overflow; /* more than HISTORY_MAX_APPS: the rest share the last slot,
			       whose app is HISTORY_OTHER_APPS */
};

/* Cell length for a retention window of window_ms. */
int64_t history_cell_ms(int64_t window_ms);

/* Keep retention_ms of history (the window asked for, at least one cell).
 * (Not history_init: libedit exports a function of that name.) */
void history_setup(struct history *h, int64_t retention_ms);
void history_release(struct history *h);

/* Events, in timestamp order (ts may be TS_UNKNOWN: then only the totals
 * and durations move, no cell). */
void history_open(struct history *h, int64_t ts, uint32_t app);
/* A session ended after duration_ms (-1: unknown, e.g. ended by a crash). */
void history_close(struct history *h, int64_t ts, uint32_t app, int64_t duration_ms);
/* An authorization taken back (refused after the reorder window): undo the
 * open of the session opened at ts_open. */
void history_unopen(struct history *h, int64_t ts_open, int64_t ts_now, uint32_t app);
/* A connect whose end the log will not show (log_disconnections was off):
 * counted in the cell's connects and the application's connect rate, never
 * as open. */
void history_connect(struct history *h, int64_t ts, uint32_t app);
/* A session counted open whose end the log will not show after all: it
 * stops counting as open from ts, without a disconnect or a duration. */
void history_forget(struct history *h, int64_t ts, uint32_t app);
void history_fail(struct history *h, int64_t ts);
/* Bring the ring up to ts (cells in between get the current open count). */
void history_advance(struct history *h, int64_t ts);

/* Whether app has a slot of its own (else it is counted in the
 * HISTORY_OTHER_APPS slot, once the cap is reached). */
bool history_has_app(const struct history *h, uint32_t app);

/* The cell holding ts, or NULL when outside the retained ring. */
const struct history_cell *history_cell_at(const struct history *h, int64_t cell_no);
const struct app_cell *history_app_cell_at(const struct history *h, const struct app_hist *a,
					   int64_t cell_no);

/* Duration quantile q (0..1) of an application's sessions, in ms (-1: none). */
int64_t history_duration_quantile(const struct app_hist *a, double q);

#endif
