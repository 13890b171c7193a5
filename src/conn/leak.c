/* SPDX-License-Identifier: PostgreSQL */
/* The leak rule; see leak.h for it in plain words. */
#include "conn/leak.h"

#include <stdlib.h>

bool leak_judge(const struct leak_series *s, struct leak_verdict *v)
{
	v->flagged = false;
	v->growth = 0;
	v->growth_per_row = 0;
	v->max_open = 0;
	if (s->n == 0)
		return false;
	for (size_t i = 0; i < s->n; i++)
		if (s->open[i] > v->max_open)
			v->max_open = s->open[i];
	v->growth = s->open[s->n - 1] - s->open[0];
	if (s->n > 1)
		v->growth_per_row = (double)v->growth / (double)(s->n - 1);
	v->flagged = v->growth >= LEAK_MIN_GROWTH &&              /* 1 */
		     v->growth * 3 >= s->opened &&                /* 2 */
		     s->growth_steps >= LEAK_MIN_GROWTH_STEPS &&  /* 3 */
		     s->open[s->n - 1] * 10 >= v->max_open * 9 && /* 4 */
		     s->covered_ms >= LEAK_MIN_COVER_MS;          /* 5 */
	return v->flagged;
}

static int cmp_ts(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

int64_t leak_count_steps(int64_t *ts, size_t n)
{
	int64_t steps = 0;
	if (n > 1)
		qsort(ts, n, sizeof(*ts), cmp_ts);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || ts[i] - ts[i - 1] >= LEAK_STEP_MS)
			steps++;
	return steps;
}
