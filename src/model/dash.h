/* SPDX-License-Identifier: PostgreSQL */
/*
 * dash: the view model of the dashboard ('top') -- what one screen shows at
 * an instant, built from a model: the open count and whether it is exact,
 * the peak, the connects, disconnects and failures of the last minute, the
 * open sessions by database, user, application and host with each row's
 * change over the last minute and its trend, the open count over the
 * chart's window with the failures and leaks marked, and the newest
 * events of the stream.  view/top_layout.c lays it out; it never looks
 * into the tracker.
 *
 * What happened a minute ago is not in the tracker, which only knows the
 * present: a struct dash_rec hooked on the model's tracker keeps it.  Just
 * before the first event of each new second is applied, it snapshots the
 * open sessions per name and the counters (the state at every instant
 * since the event before), and it keeps the newest events as the stream
 * shows them.  Snapshots are taken only from the horizon on, so replaying
 * a long log costs none before the last minutes.  The state at an instant
 * is then read from the snapshot that held it, to the second.
 */
#ifndef PGTAIL_DASH_H
#define PGTAIL_DASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conn/eventinfo.h"
#include "model/model.h"
#include "util/out.h"

/* The groupings of the breakdowns, in the order shown. */
enum dash_dim {
	DASH_DB,
	DASH_USER,
	DASH_APP,
	DASH_HOST,
	DASH__DIMS
};

/* How the rows of a breakdown are sorted. */
enum dash_sort {
	DASH_BY_COUNT, /* most open first (then by name) */
	DASH_BY_CHANGE,
	DASH_BY_NAME,
	DASH__SORTS
};

#define DASH_SNAPS 128  /* snapshots kept: over two minutes of a busy log */
#define DASH_EVENTS 200 /* events of the stream kept */
#define DASH_TREND 8    /* points of a row's trend, over the last minute */
#define DASH_MINUTE 60000
/* The window the leak rule looks at: the last hour, as 'connections'. */
#define DASH_LEAK_WINDOW (3600 * 1000LL)

/* An open count per name id, sorted by id. */
struct dash_idc {
	uint32_t id;
	int64_t count;
};

struct dash_snap {
	int64_t from, to;                      /* the state held at every instant of [from, to) */
	int64_t connects, disconnects, failed; /* the tracker's counters then */
	struct dash_idc *v[DASH__DIMS];        /* owned */
	size_t n[DASH__DIMS];
};

/* An event of the stream, kept as the tracker applied it. */
struct dash_event {
	struct event_info x; /* names owned by the tracker; message points at msg */
	char msg[200];       /* the failure's message (cut) */
};

struct dash_rec {
	struct model *m;
	int64_t horizon;                    /* snapshots from this event time on */
	int64_t last_ts;                    /* of the last event applied, TS_UNKNOWN */
	struct dash_snap snaps[DASH_SNAPS]; /* ring, oldest at snap_first */
	size_t nsnaps, snap_first;
	struct dash_event *ev; /* ring of DASH_EVENTS, oldest at ev_first; owned */
	size_t nev, ev_first;
	int last_shown, last_kind; /* the last event kept (a server start's lines once) */
};

/* Hook r on m's tracker (its before_event and on_event, which must be
 * free); r and m must stay where they are while hooked. */
void dash_rec_attach(struct dash_rec *r, struct model *m, int64_t horizon);
/* Unhook and free. */
void dash_rec_release(struct dash_rec *r);

struct dash_row {
	const char *name; /* display name, owned by the tracker */
	uint32_t id;
	int64_t count;             /* open now */
	int64_t change;            /* since a minute ago */
	int64_t trend[DASH_TREND]; /* open over the last minute, oldest first */
	bool leak;                 /* an application the leak rule flags */
};

struct dash_group {
	struct dash_row *v; /* sorted as asked; owned */
	size_t n;
};

/* A point of the chart: a history cell. */
struct dash_point {
	int64_t at;     /* its end */
	int64_t active; /* open at its end */
	int64_t failed; /* failed attempts in it */
	bool leak;      /* a flagged application opened more than it closed in it */
};

struct dash {
	int64_t now;           /* the instant shown */
	int64_t newest;        /* the newest record read, TS_UNKNOWN */
	bool complete;         /* the open count is exact, not a lower bound */
	int64_t active;        /* open now (matching the filter) */
	int64_t peak, peak_at; /* the most open at once in the log (peak_at TS_UNKNOWN) */
	int64_t connects, disconnects, failed; /* in the last minute */
	bool minute_known;                     /* the state a minute ago was seen (else the changes
						  are since the first snapshot) */
	struct dash_group g[DASH__DIMS];
	struct dash_point *chart; /* oldest first; owned */
	size_t nchart;
	int64_t window_ms, cell_ms;
	struct dash_event *events; /* newest last; owned copies */
	size_t nevents;
	char filter_desc[512]; /* "" without a filter */
};

/*
 * Build d for the instant now from r's model (its tracker holds the state
 * at now: a live model, or one replayed --until now), with the chart over
 * window_ms before now and the rows sorted by sort.  Free with
 * dash_release.
 */
void dash_build(struct dash *d, const struct dash_rec *r, int64_t now, int64_t window_ms,
		enum dash_sort sort);
void dash_release(struct dash *d);

/* Parse "app=myapp", "host=10.0.*" (also application=, database=) into the
 * dimension and the pattern; -1 when it is not one. */
int dash_parse_filter_word(const char *word, enum dash_dim *dim, const char **pattern);
/* The word of each dimension: "db", "user", "app", "host". */
const char *dash_dim_word(enum dash_dim d);

#endif
