/* SPDX-License-Identifier: PostgreSQL */
/* clock: the two clocks pgtail reads, in milliseconds. */
#ifndef PGTAIL_CLOCK_H
#define PGTAIL_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Monotonic time, for waits, budgets and how long ago something was read. */
static inline int64_t clock_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wall-clock time (UTC ms since the epoch), for "now" in a log's time. */
static inline int64_t clock_wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif
