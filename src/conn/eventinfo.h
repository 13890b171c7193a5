/* SPDX-License-Identifier: PostgreSQL */
/*
 * eventinfo: a connection event as the event stream shows it -- its kind
 * for a viewer (connect, disconnect, failed, server), with the names that
 * belong to it resolved: a session's events carry the session's names (the
 * authorization's attributes, the host from its receipt), a failed attempt
 * those of the attempt.  Also whether it passes a filter, and how many open
 * sessions pass one: what --watch and its status line need, so that the
 * views themselves never look into the tracker.
 */
#ifndef PGTAIL_EVENTINFO_H
#define PGTAIL_EVENTINFO_H

#include <stdbool.h>
#include <stdint.h>

#include "conn/filter.h"
#include "conn/tevent.h"
#include "conn/tracker.h"

enum event_shown {
	SHOWN_NONE,       /* not shown in the stream (replication, other kinds) */
	SHOWN_CONNECT,    /* [+] */
	SHOWN_DISCONNECT, /* [-] */
	SHOWN_FAILED,     /* [!] */
	SHOWN_SERVER,     /* [!] a start, a crash or a stop */
};

struct event_info {
	enum event_shown shown;
	enum ev_kind kind;
	int64_t at;                  /* TS_UNKNOWN */
	int64_t pid;                 /* < 0 when unknown */
	const char *app, *user, *db; /* NULL when absent; owned by the tracker */
	const char *host;            /* NULL when unknown */
	int64_t duration_ms;         /* SHOWN_DISCONNECT: the session's length, -1 unknown */
	enum end_reason ending;      /* SHOWN_DISCONNECT: why the server ended it */
	enum fail_reason reason;     /* SHOWN_FAILED */
	const char *message;         /* SHOWN_FAILED: the server's message, or NULL */
};

/* Describe ev (s: its session, or NULL) as the stream shows it. */
void event_info_fill(struct event_info *x, const struct tracker *t, const struct tevent *ev,
		     const struct session *s);
/* Does the event pass f (an empty filter passes everything; server events
 * always pass)? */
bool event_info_matches(const struct event_info *x, const struct filter *f);
/* The open client sessions of t that pass f. */
int64_t tracker_count_open(const struct tracker *t, const struct filter *f);

#endif
