/* SPDX-License-Identifier: PostgreSQL */
/* The leak rule; see leak.h for it in plain words. */
#include "conn/leak.h"

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
	v->flagged = v->growth >= LEAK_MIN_GROWTH && /* 1 */
		     v->growth * 3 >= s->opened &&       /* 2 */
		     s->growth_steps >= LEAK_MIN_GROWTH_STEPS && /* 3 */
		     s->open[s->n - 1] * 10 >= v->max_open * 9;  /* 4 */
	return v->flagged;
}
