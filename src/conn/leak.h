/* SPDX-License-Identifier: PostgreSQL */
/*
 * leak: the rule that flags an application as a potential connection leak.
 *
 * In plain words: over the window, an application leaks when
 *   1. it has at least LEAK_MIN_GROWTH (3) more sessions open at the end
 *      than at the start,
 *   2. its closes do not keep up: the growth is at least a third of the
 *      sessions it opened in the window (opens far exceed closes),
 *   3. the growth is sustained, not one burst: its sessions were opened in
 *      at least LEAK_MIN_GROWTH_STEPS (3) separate steps, a second or more
 *      apart, and
 *   4. it has not fallen back: it is still within 10 % of the most it had
 *      open in the window.
 * A busy application whose thousands of short sessions are matched by
 * closes fails rule 2 (a few more open at the end than at the start is a
 * tiny share of what it opened); a pool that opens its connections at once and holds
 * them fails rule 3 (and, once warm, rule 1); a pool that shrinks back
 * fails rule 4.
 */
#ifndef PGTAIL_LEAK_H
#define PGTAIL_LEAK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LEAK_MIN_GROWTH 3
#define LEAK_MIN_GROWTH_STEPS 3

struct leak_series {
	const int64_t *open;  /* open count at each row boundary, oldest first; last is now */
	size_t n;             /* rows (>= 1) */
	int64_t opened;       /* sessions opened in the window */
	int64_t closed;       /* sessions that ended in the window */
	int64_t growth_steps; /* opens in the window at least a second after the previous one */
};

struct leak_verdict {
	bool flagged;
	int64_t growth;        /* open at the end minus open at the start */
	double growth_per_row; /* growth / (rows - 1), 0 with one row */
	int64_t max_open;      /* most open at a row boundary */
};

/* Judge one application's series; fills *v and returns v->flagged. */
bool leak_judge(const struct leak_series *s, struct leak_verdict *v);

#endif
