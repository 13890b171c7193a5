/* SPDX-License-Identifier: PostgreSQL */
/*
 * watch: one line per connection event as it happens --
 *   [+] 10:23:45 myapp connected from 10.0.1.5 (user: app_user, db: production, pid 4711)
 *   [-] 10:23:47 myapp disconnected from 10.0.1.5 (user: app_user, db: production,
 *       pid 4711, duration: 2.3s)
 *   [!] 10:23:48 myapp connection failed from 10.0.1.6: too many connections ...
 * green, yellow and red on a colour terminal; or one JSON object per line.
 * Server crashes, restarts and stops are shown too, whatever the filter,
 * since they end every session; the several lines of one are shown once.
 */
#ifndef PGTAIL_WATCH_H
#define PGTAIL_WATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "conn/filter.h"
#include "conn/tevent.h"
#include "conn/tracker.h"
#include "util/out.h"

struct watch_view {
	struct out *o;
	const struct tracker *t;
	const struct filter *filter; /* events shown; may be empty */
	bool json;
	bool status;       /* keep a status line at the bottom (a terminal) */
	bool status_shown; /* a status line is on screen now */
	long long shown;   /* events printed */
	int64_t since_ms;  /* events before this are not shown (INT64_MAX: none;
			      TS_UNKNOWN: all) */
	int last_shown;    /* enum event_shown of the last event printed */
	int last_kind;     /* and its enum ev_kind */
};

/* The line the stream shows for x, "[+] 10:23:45 myapp connected from ...",
 * plain (names escaped, no colour), into buf (always NUL-terminated; its
 * first 3 bytes are the mark); returns the style of its mark. */
struct event_info;
enum out_style watch_format(const struct event_info *x, char *buf, size_t len);

/* A tracker_event_fn: print ev if it matches the filter. */
void watch_on_event(void *watch_view, const struct tevent *ev, const struct session *s);
/* The header line ("Watching connections for application: myapp"). */
void watch_header(struct watch_view *w);
/* Redraw the status line: the open count that matches the filter. */
void watch_status(struct watch_view *w);
/* Remove the status line (before leaving watch mode). */
void watch_clear_status(struct watch_view *w);

#endif
