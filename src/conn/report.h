/* SPDX-License-Identifier: PostgreSQL */
/*
 * report: what "connections --history" shows, computed from the tracker and
 * its history -- rows of the open count on clock-aligned boundaries with
 * the events between them, the window's totals and peak, the applications
 * the leak rule (leak.h) flags with their evidence, and each application's
 * session durations and connect rate (on average and in its busiest
 * minute).  Built once; view/history_view.c renders it as text or JSON
 * without looking at the tracker.  Names in it are owned by the tracker and
 * valid while it lives.
 */
#ifndef PGTAIL_REPORT_H
#define PGTAIL_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "conn/history.h"
#include "conn/leak.h"
#include "conn/tracker.h"

/* The most columns of the sparkline. */
#define REPORT_SPARK_MAX 64

struct hrow {
	int64_t at; /* boundary (ms); the last row is "now" */
	bool is_now;
	int64_t active;                        /* open at that instant */
	int64_t connects, disconnects, failed; /* since the previous row */
	bool leak_marker;                      /* a flagged application grew in this row */
};

struct leak_item {
	uint32_t app; /* its name id; app_name is the name */
	const char *app_name;
	struct leak_verdict v;
	int64_t opened, closed, open_now;
	int64_t oldest_open_ms;  /* open time of its oldest open session, TS_UNKNOWN */
	uint32_t user, db, host; /* when all its open sessions share one, else 0 */
	const char *user_name, *db_name, *host_name; /* their names, or NULL for 0 */
	char hosts[256]; /* its open sessions' source hosts, ", "-separated */
};

struct dur_item {
	uint32_t app;
	const char *app_name;
	int64_t sessions, median_ms, p95_ms, max_ms;
	double connects_per_min; /* its connects in the window / the window's minutes */
	int64_t peak_per_min;    /* its connects in its busiest minute (see report.c) */
	bool pooler_hint;        /* short-lived, and frequent on average or at the peak */
};

struct history_report {
	const struct tracker *t;
	const struct history *h;
	int64_t now;          /* newest event (or --until) */
	int64_t window_start; /* start of the window shown (clipped to the log) */
	int64_t window_ms;    /* asked for */
	bool clipped;         /* the log began after now - window */
	int64_t bucket_ms;
	struct hrow *rows;
	size_t nrows;
	int64_t connects, disconnects, failed; /* in the window */
	int64_t peak, peak_at;
	int64_t open_start;              /* open at window_start */
	int64_t spark[REPORT_SPARK_MAX]; /* the most open in each column of the sparkline */
	int nspark;
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
#endif
