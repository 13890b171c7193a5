/* SPDX-License-Identifier: PostgreSQL */
/*
 * reorder: a short holding buffer between the classifier and the tracker.
 *
 * It does two things the log's file order cannot:
 *  - puts events back in timestamp order: backends write through the logging
 *    collector's pipe in arrival order, so lines can be a few ms out of order;
 *  - takes back a "connection authorized" that the same backend refuses a
 *    moment later (database or role does not exist, a connection limit,
 *    reserved slots): the authorized event is marked cancelled and the
 *    failure inherits its user, database and application, so the tracker
 *    never counts it as a session, not even for an instant (peaks stay right).
 *
 * Events are held until they are window_ms older than the newest event seen
 * (or, in a log without timestamps, until more than max_events are held),
 * then handed on in (ts, arrival) order.  Memory is bounded by the connection
 * rate times window_ms.
 */
#ifndef PGTAIL_REORDER_H
#define PGTAIL_REORDER_H

#include <stddef.h>
#include <stdint.h>

#include "conn/tevent.h"

typedef void (*reorder_emit_fn)(void *ctx, struct tevent *ev);

struct reorder {
	struct tevent *ring;  /* held events, sorted by (ts, seq), oldest at head */
	size_t head;          /* index of the oldest */
	size_t count;         /* number held */
	size_t cap;           /* ring size (power of two) */
	int64_t window_ms;    /* how long to hold, in log time */
	size_t max_events;    /* hold at most this many without timestamps */
	int64_t newest_ts;    /* newest timestamp seen, TS_UNKNOWN before any */
	reorder_emit_fn emit; /* receives each event; it may keep nothing but
				 the values (ev->message is freed after) */
	void *ctx;
};

void reorder_init(struct reorder *r, int64_t window_ms, reorder_emit_fn emit, void *ctx);
void reorder_release(struct reorder *r);
/* Take ev (its message is owned by r from now on), emit what is due. */
void reorder_push(struct reorder *r, struct tevent *ev);
/* Emit everything held. */
void reorder_flush(struct reorder *r);
/* Live following: emit the held events that arrived at or before cutoff
 * (monotonic ms), oldest first, so an event is never held long in wall time
 * whatever its timestamp says. */
void reorder_flush_arrived(struct reorder *r, int64_t cutoff);

#endif
