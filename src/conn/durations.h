/* SPDX-License-Identifier: PostgreSQL */
/*
 * durations: the session durations of the disconnections counted, in fixed
 * buckets from 10 ms to a day -- the figures of a Prometheus histogram
 * (view/metrics.c).  Unlike the history's per-application log-scale bins
 * (conn/history.h), which answer quantiles over a window, these buckets
 * never change, so a scraper can subtract two scrapes and aggregate across
 * servers.  Memory is fixed: one counter per bucket.
 */
#ifndef PGTAIL_DURATIONS_H
#define PGTAIL_DURATIONS_H

#include <stddef.h>
#include <stdint.h>

/* Buckets, not counting the last one (longer than a day, "+Inf"). */
#define DURATIONS_BOUNDS 18

/* The upper bound of bucket i (i < DURATIONS_BOUNDS), in ms, ascending. */
extern const int64_t durations_bound_ms[DURATIONS_BOUNDS];

struct durations {
	int64_t bucket[DURATIONS_BOUNDS + 1]; /* sessions that lasted at most
						 durations_bound_ms[i] and more
						 than the bound before (not
						 cumulative); the last: longer
						 than every bound */
	int64_t count;                        /* sessions observed: sum of bucket[] */
	int64_t sum_ms;                       /* their durations added up */
};

/* Count one session that lasted ms (a negative ms is not counted: unknown). */
void durations_add(struct durations *d, int64_t ms);

#endif
