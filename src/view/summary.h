/* SPDX-License-Identifier: PostgreSQL */
/*
 * summary: the view model of "connections" (open sessions by database, user,
 * application and host, counters, peak, caveats), built once from the
 * tracker and rendered as text or JSON from the same data.
 */
#ifndef PGTAIL_SUMMARY_H
#define PGTAIL_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>

#include "conn/tracker.h"
#include "util/out.h"

struct name_count {
	const char *name; /* display name ("unknown" for unset), owned by the tracker */
	int64_t count;
};

struct breakdown {
	struct name_count *v; /* sorted by count descending, then name */
	size_t n;
};

struct summary {
	const struct tracker *t;
	int64_t now_ms;          /* time of the state shown, TS_UNKNOWN without timestamps */
	int64_t window_start_ms; /* first event counted, TS_UNKNOWN */
	struct breakdown by_db, by_user, by_app, by_host;
	char filter_desc[512];   /* "" when no filter */
	uint64_t files;          /* files read */
	uint64_t lines;          /* physical lines read */
	uint64_t skipped;        /* lines/records that could not be parsed */
	bool non_english;        /* the log seems written in another language */
	const char *prefix;      /* log_line_prefix used for stderr, NULL if none/mixed */
};

/* Fill s from t; breakdowns count open client sessions that match t's filter. */
void summary_build(struct summary *s, const struct tracker *t);
void summary_release(struct summary *s);
/* True when the log held no connection event at all. */
bool summary_empty(const struct summary *s);
void summary_print_text(const struct summary *s, struct out *o);
/* hr (may be NULL) supplies the "leaks" array. */
struct history_report;
void summary_print_json(const struct summary *s, const struct history_report *hr, struct out *o);

#endif
