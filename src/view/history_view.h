/* SPDX-License-Identifier: PostgreSQL */
/*
 * history_view: the view model of "connections --history" (rows of the open
 * count on clock-aligned boundaries, leak findings with their evidence,
 * session durations per application) and of "connections --sessions" (the
 * open sessions, oldest first), built once and rendered as text or JSON.
 */
#ifndef PGTAIL_HISTORY_VIEW_H
#define PGTAIL_HISTORY_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "conn/history.h"
#include "conn/leak.h"
#include "conn/tracker.h"
#include "util/out.h"

struct hrow {
	int64_t at;        /* boundary (ms); the last row is "now" */
	bool is_now;
	int64_t active;    /* open at that instant */
	int64_t connects, disconnects, failed; /* since the previous row */
	bool leak_marker;  /* a flagged application grew in this row */
};

struct leak_item {
	uint32_t app;
	struct leak_verdict v;
	int64_t opened, closed, open_now;
	int64_t oldest_open_ms;  /* open time of its oldest open session, TS_UNKNOWN */
	uint32_t user, db, host; /* when all its open sessions share one, else 0 */
	char hosts[256];         /* its open sessions' source hosts, ", "-separated */
};

struct dur_item {
	uint32_t app;
	int64_t sessions, median_ms, p95_ms, max_ms;
	double connects_per_min;
	bool pooler_hint;        /* short-lived and frequent */
};

struct history_report {
	const struct tracker *t;
	const struct history *h;
	int64_t now;             /* newest event (or --until) */
	int64_t window_start;    /* start of the window shown (clipped to the log) */
	int64_t window_ms;       /* asked for */
	bool clipped;            /* the log began after now - window */
	int64_t bucket_ms;
	struct hrow *rows;
	size_t nrows;
	int64_t connects, disconnects, failed; /* in the window */
	int64_t peak, peak_at;
	char spark[512];         /* UTF-8 sparkline of the open count */
	struct leak_item *leaks;
	size_t nleaks;
	struct dur_item *durs;
	size_t ndurs;
	char filter_desc[512];
};

/* A bucket giving 4-12 rows for window_ms. */
int64_t history_default_bucket(int64_t window_ms);

/*
 * Build the report for the window [now - window_ms, now] (window_start, if
 * not TS_UNKNOWN, overrides the start) with rows every bucket_ms.
 */
void history_report_build(struct history_report *r, const struct tracker *t,
			  const struct history *h, int64_t now, int64_t window_start,
			  int64_t window_ms, int64_t bucket_ms);
void history_report_release(struct history_report *r);
/* Change of the open count over the window (connects - disconnects - sessions
 * ended by a crash or restart). */
int64_t history_report_net(const struct history_report *r);
void history_report_print_text(const struct history_report *r, struct out *o);
void history_report_print_json(const struct history_report *r, struct out *o);

/* The leaks of a report as a JSON array (for the summary's --json too). */
struct json_t;
struct json_t *history_leaks_json(const struct history_report *r);

/* "connections --sessions": the open sessions, oldest first. */
void sessions_print_text(const struct tracker *t, int64_t now, struct out *o);
void sessions_print_json(const struct tracker *t, int64_t now, struct out *o);

/* "2.3s", "4m05s", "3h12m", "2d04h" */
void fmt_duration(int64_t ms, char *buf, size_t len);

#endif
