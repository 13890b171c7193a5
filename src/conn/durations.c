/* SPDX-License-Identifier: PostgreSQL */
/* Session durations in fixed buckets; see durations.h. */
#include "conn/durations.h"

/* From a failed health check to a pooler's day-long connection: 10 ms ...
 * 1 s in 1-2.5-5 steps, then the minutes and hours an operator reasons in. */
const int64_t durations_bound_ms[DURATIONS_BOUNDS] = {
    10,    25,    50,    100,    250,    500,     1000,    2500,     5000,
    10000, 30000, 60000, 300000, 900000, 1800000, 3600000, 14400000, 86400000,
};

void durations_add(struct durations *d, int64_t ms)
{
	size_t i = 0;

	if (ms < 0)
		return;
	while (i < DURATIONS_BOUNDS && ms > durations_bound_ms[i])
		i++;
	d->bucket[i]++;
	d->count++;
	d->sum_ms += ms;
}
