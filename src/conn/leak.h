/* SPDX-License-Identifier: PostgreSQL */
/*
 * leak: the rule that flags an application as a potential connection leak.
 *
 * In plain words: over the window, an application leaks when
 *   1. it has at least LEAK_MIN_GROWTH (3) more sessions open at the end
 *      than at the start,
 *   2. its closes do not keep up: the growth is at least a third of the
 *      sessions it opened in the window (opens far exceed closes),
 *   3. the growth is sustained, not one burst: the sessions it opened in
 *      the window and still has open at the end -- the ones that make up
 *      the growth -- were opened in at least LEAK_MIN_GROWTH_STEPS (3)
 *      separate steps, each LEAK_STEP_MS (a second) or more after the one
 *      before (sessions that opened and closed again in between, such as
 *      health checks, are not steps),
 *   4. it has not fallen back: it is still within 10 % of the most it had
 *      open in the window, and
 *   5. the window covers at least LEAK_MIN_COVER_MS (a minute) of log.
 * A busy application whose thousands of short sessions are matched by
 * closes fails rule 2 (a few more open at the end than at the start is a
 * tiny share of what it opened); a pool that opens its connections at once
 * and holds them fails rule 3 (and, once warm, rule 1), however many short
 * sessions come and go beside it; a pool that shrinks back fails rule 4.
 *
 * Why rule 5, and why a minute: in the first seconds of a log a pool that
 * is still filling up and a leak look the same -- sessions opened and not
 * closed yet; only time tells them apart (a leak keeps growing, a pool
 * stops).  A pool fills within seconds of its application starting, and
 * health checks come every 10-30 s (Kubernetes probes default to 10 s,
 * PgBouncer's server_check_delay to 30 s), so a minute shows the pool warm
 * and a couple of those cycles.  Longer would hold back a real leak: one
 * leaking a session a second pins some 60 backends in a minute, more than
 * half the default max_connections (100).  It is the window that must
 * cover the minute, not the growth: a leak can be quick (a code path that
 * leaks a session a second while it runs for 9 s), and watching for a
 * minute is what shows that those sessions stayed open.
 */
#ifndef PGTAIL_LEAK_H
#define PGTAIL_LEAK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LEAK_MIN_GROWTH 3
#define LEAK_MIN_GROWTH_STEPS 3
/* Opens closer together than this are one step (a pool opening at once). */
#define LEAK_STEP_MS 1000
#define LEAK_MIN_COVER_MS (60 * 1000)

struct leak_series {
	const int64_t *open;  /* open count at each row boundary, oldest first; last is now */
	size_t n;             /* rows (>= 1) */
	int64_t opened;       /* sessions opened in the window */
	int64_t closed;       /* sessions that ended in the window */
	int64_t growth_steps; /* steps among the sessions opened in the window and open
				 at its end (leak_count_steps) */
	int64_t covered_ms;   /* how long the window covers: from its start, or the log's
				 first event if later, to now */
};

struct leak_verdict {
	bool flagged;
	int64_t growth;        /* open at the end minus open at the start */
	double growth_per_row; /* growth / (rows - 1), 0 with one row */
	int64_t max_open;      /* most open at a row boundary */
};

/* Judge one application's series; fills *v and returns v->flagged. */
bool leak_judge(const struct leak_series *s, struct leak_verdict *v);

/*
 * The steps of rule 3 among the open times ts[0..n) (ms; the caller's
 * array, sorted in place): the first open is a step, and so is each open
 * LEAK_STEP_MS or more after the open before it.  Returns 0 for n == 0.
 */
int64_t leak_count_steps(int64_t *ts, size_t n);

#endif
