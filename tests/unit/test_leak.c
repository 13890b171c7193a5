/* SPDX-License-Identifier: PostgreSQL */
/* Unit tests for the leak rule (conn/leak.h) on synthetic series: the
 * shapes the rule exists for, and each numbered rule at its threshold.
 * The series stand for rows of an hour's window unless a test says
 * otherwise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conn/leak.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define HOUR_MS (3600 * 1000LL)

static bool judge_covering(const int64_t *open, size_t n, int64_t opened, int64_t closed,
			   int64_t steps, int64_t covered_ms, struct leak_verdict *v)
{
	struct leak_series s = {.open = open,
				.n = n,
				.opened = opened,
				.closed = closed,
				.growth_steps = steps,
				.covered_ms = covered_ms};
	bool r = leak_judge(&s, v);
	assert_true(r == v->flagged);
	return r;
}

static bool judge(const int64_t *open, size_t n, int64_t opened, int64_t closed, int64_t steps,
		  struct leak_verdict *v)
{
	return judge_covering(open, n, opened, closed, steps, HOUR_MS, v);
}

/* +2 per row for 10 rows, nothing closed, every open its own step. */
static void test_steady_leak(void **state)
{
	int64_t open[11];
	for (int i = 0; i < 11; i++)
		open[i] = 2 * i;
	struct leak_verdict v;
	assert_true(judge(open, N(open), 20, 0, 20, &v));
	assert_int_equal(v.growth, 20);
	assert_int_equal(v.max_open, 20);
	assert_true(v.growth_per_row == 2.0);
}

/* The same leak on top of a steady base of 15 that does not move. */
static void test_steady_leak_over_base(void **state)
{
	int64_t open[11];
	for (int i = 0; i < 11; i++)
		open[i] = 15 + 2 * i;
	struct leak_verdict v;
	assert_true(judge(open, N(open), 22, 2, 20, &v));
	assert_int_equal(v.growth, 20);
	assert_int_equal(v.max_open, 35);
	assert_true(v.growth_per_row == 2.0);
}

/* A pool opens 20 at once, then holds them: one step (rule 3). */
static void test_burst_then_flat(void **state)
{
	int64_t open[] = {0, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20};
	struct leak_verdict v;
	assert_false(judge(open, N(open), 20, 0, 1, &v));
	assert_int_equal(v.growth, 20);
	assert_int_equal(v.max_open, 20);
	assert_true(v.growth_per_row == 2.0);
}

/* Thousands of short sessions matched by closes; a few more open at the
 * end is a tiny share of what was opened (rule 2). */
static void test_churn(void **state)
{
	int64_t open[] = {10, 14, 9, 12, 18, 11, 13, 15, 12, 16, 15};
	struct leak_verdict v;
	assert_false(judge(open, N(open), 5000, 4995, 4000, &v));
	assert_int_equal(v.growth, 5);
	assert_int_equal(v.max_open, 18);
	assert_true(v.growth_per_row == 0.5);
}

/* A warm pool: 20 open throughout, nothing opened (rule 1). */
static void test_flat_pool(void **state)
{
	int64_t open[] = {20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20};
	struct leak_verdict v;
	assert_false(judge(open, N(open), 0, 0, 0, &v));
	assert_int_equal(v.growth, 0);
	assert_int_equal(v.max_open, 20);
	assert_true(v.growth_per_row == 0.0);
}

/* A pool that grew steadily, then fell back by more than 10 % (rule 4),
 * though rules 1-3 hold. */
static void test_pool_shrinks_back(void **state)
{
	int64_t open[] = {0, 5, 10, 15, 20, 25, 30, 26, 22, 20, 20};
	struct leak_verdict v;
	assert_false(judge(open, N(open), 30, 10, 30, &v));
	assert_int_equal(v.growth, 20);
	assert_int_equal(v.max_open, 30);
	assert_true(v.growth_per_row == 2.0);
}

/* Fewer open at the end than at the start. */
static void test_shrinking(void **state)
{
	int64_t open[] = {30, 25, 20, 15, 10};
	struct leak_verdict v;
	assert_false(judge(open, N(open), 10, 30, 10, &v));
	assert_int_equal(v.growth, -20);
	assert_int_equal(v.max_open, 30);
	assert_true(v.growth_per_row == -5.0);
}

/* Rule 1 at its threshold: growth exactly LEAK_MIN_GROWTH flags, one less
 * does not. */
static void test_rule1_boundary(void **state)
{
	struct leak_verdict v;
	int64_t at[] = {0, 1, 2, LEAK_MIN_GROWTH};
	assert_true(judge(at, N(at), LEAK_MIN_GROWTH, 0, LEAK_MIN_GROWTH, &v));
	assert_int_equal(v.growth, LEAK_MIN_GROWTH);
	int64_t below[] = {0, 1, 2, LEAK_MIN_GROWTH - 1};
	assert_false(judge(below, N(below), LEAK_MIN_GROWTH - 1, 0, LEAK_MIN_GROWTH, &v));
	assert_int_equal(v.growth, LEAK_MIN_GROWTH - 1);
}

/* Rule 2 at its threshold: growth * 3 == opened flags, one more open does
 * not. */
static void test_rule2_boundary(void **state)
{
	int64_t open[] = {0, 3, 6, 10};
	struct leak_verdict v;
	assert_true(judge(open, N(open), 30, 20, 10, &v));
	assert_false(judge(open, N(open), 31, 21, 10, &v));
	assert_int_equal(v.growth, 10);
	/* Growth 3 (rule 1's minimum) with 9 opened is still a leak; 10 is not. */
	int64_t small[] = {0, 1, 2, 3};
	assert_true(judge(small, N(small), 9, 6, 3, &v));
	assert_false(judge(small, N(small), 10, 7, 3, &v));
}

/* Rule 3 at its threshold: LEAK_MIN_GROWTH_STEPS separate steps flag,
 * one fewer does not. */
static void test_rule3_boundary(void **state)
{
	int64_t open[] = {0, 4, 8, 12};
	struct leak_verdict v;
	assert_true(judge(open, N(open), 12, 0, LEAK_MIN_GROWTH_STEPS, &v));
	assert_false(judge(open, N(open), 12, 0, LEAK_MIN_GROWTH_STEPS - 1, &v));
	assert_false(judge(open, N(open), 12, 0, 0, &v));
}

/* Rule 4 at its threshold: exactly 90 % of the most open flags, below
 * does not. */
static void test_rule4_boundary(void **state)
{
	struct leak_verdict v;
	int64_t at[] = {0, 10, 20, 18}; /* 18 * 10 == 20 * 9 */
	assert_true(judge(at, N(at), 20, 2, 10, &v));
	assert_int_equal(v.max_open, 20);
	int64_t below[] = {0, 10, 20, 17}; /* 170 < 180 */
	assert_false(judge(below, N(below), 20, 3, 10, &v));
	assert_int_equal(v.max_open, 20);
	int64_t small_at[] = {0, 5, 10, 9}; /* 90 == 90 */
	assert_true(judge(small_at, N(small_at), 10, 1, 5, &v));
	int64_t small_below[] = {0, 5, 10, 8};
	assert_false(judge(small_below, N(small_below), 10, 2, 5, &v));
	/* The most open only in the middle of the window is what counts. */
	int64_t peak_mid[] = {0, 3, 100, 6};
	assert_false(judge(peak_mid, N(peak_mid), 6, 0, 6, &v));
	assert_int_equal(v.max_open, 100);
}

/* Rule 5 at its threshold: a window covering LEAK_MIN_COVER_MS flags, a
 * millisecond less does not, whatever the growth. */
static void test_rule5_boundary(void **state)
{
	int64_t open[] = {0, 4, 8, 12};
	struct leak_verdict v;
	assert_true(judge_covering(open, N(open), 12, 0, 12, LEAK_MIN_COVER_MS, &v));
	assert_false(judge_covering(open, N(open), 12, 0, 12, LEAK_MIN_COVER_MS - 1, &v));
	/* The verdict's figures are filled all the same. */
	assert_int_equal(v.growth, 12);
	assert_int_equal(v.max_open, 12);
	/* The field report: 5 open after 4.5 s. */
	int64_t early[] = {0, 5};
	assert_false(judge_covering(early, N(early), 5, 0, 5, 4500, &v));
	assert_false(judge_covering(open, N(open), 12, 0, 12, 0, &v));
}

/* Each rule failing alone, from a series that passes all five. */
static void test_each_rule_alone(void **state)
{
	int64_t ok[] = {0, 4, 8, 12, 16};
	struct leak_verdict v;
	assert_true(judge(ok, N(ok), 16, 0, 16, &v));
	/* 1: no growth (the end equals the start), though everything else holds. */
	int64_t flat_ends[] = {16, 4, 8, 12, 16};
	assert_false(judge(flat_ends, N(flat_ends), 0, 0, 16, &v));
	/* 2: closes keep up. */
	assert_false(judge(ok, N(ok), 49, 33, 16, &v));
	/* 3: one burst. */
	assert_false(judge(ok, N(ok), 16, 0, 1, &v));
	/* 4: fell back. */
	int64_t fell[] = {0, 4, 8, 30, 16};
	assert_false(judge(fell, N(fell), 30, 14, 16, &v));
	/* 5: too short a window. */
	assert_false(judge_covering(ok, N(ok), 16, 0, 16, LEAK_MIN_COVER_MS / 2, &v));
}

/* Rule 3's steps: the first open is one, and so is each open
 * LEAK_STEP_MS or more after the one before; the times come in any order. */
static void test_count_steps(void **state)
{
	assert_int_equal(leak_count_steps(NULL, 0), 0);
	int64_t one[] = {123};
	assert_int_equal(leak_count_steps(one, N(one)), 1);

	const int64_t t0 = 100000;
	int64_t spaced[] = {
	    t0,                              /* first: a step */
	    t0 + 500,                        /* no */
	    t0 + 500 + LEAK_STEP_MS,         /* exactly a step: yes */
	    t0 + 500 + 2 * LEAK_STEP_MS - 1, /* 999 ms after: no */
	};
	assert_int_equal(leak_count_steps(spaced, N(spaced)), 2);

	/* Out of order: sorted first, the same answer. */
	int64_t shuffled[] = {t0 + 500 + 2 * LEAK_STEP_MS - 1, t0, t0 + 500 + LEAK_STEP_MS,
			      t0 + 500};
	assert_int_equal(leak_count_steps(shuffled, N(shuffled)), 2);
	assert_true(shuffled[0] == t0 && shuffled[3] == t0 + 500 + 2 * LEAK_STEP_MS - 1);

	/* A pool of 20 opening within 190 ms, then one more a second after the
	 * last of them. */
	int64_t pool[21];
	for (int i = 0; i < 20; i++)
		pool[i] = 200000 + i * 10;
	pool[20] = 200000 + 190 + LEAK_STEP_MS;
	assert_int_equal(leak_count_steps(pool, N(pool)), 2);

	/* A chain of opens each under a second after the one before is one
	 * step however long it runs: the gap counts, not the span. */
	int64_t chain[30];
	for (int i = 0; i < 30; i++)
		chain[i] = i * (LEAK_STEP_MS - 1);
	assert_int_equal(leak_count_steps(chain, N(chain)), 1);

	/* Equal times are one step. */
	int64_t same[] = {5000, 5000, 5000};
	assert_int_equal(leak_count_steps(same, N(same)), 1);
}

/* Degenerate series: one row (no growth is possible), none. */
static void test_short_series(void **state)
{
	struct leak_verdict v;
	int64_t one[] = {42};
	assert_false(judge(one, 1, 42, 0, 42, &v));
	assert_int_equal(v.growth, 0);
	assert_true(v.growth_per_row == 0.0);
	assert_int_equal(v.max_open, 42);

	struct leak_series none = {.open = one, .n = 0, .opened = 5, .growth_steps = 5};
	v.flagged = true;
	v.growth = 7;
	v.max_open = 7;
	assert_false(leak_judge(&none, &v));
	assert_false(v.flagged);
	assert_int_equal(v.growth, 0);
	assert_int_equal(v.max_open, 0);
	assert_true(v.growth_per_row == 0.0);

	/* Two rows: the whole growth in one row. */
	int64_t two[] = {1, 7};
	assert_true(judge(two, N(two), 6, 0, 6, &v));
	assert_true(v.growth_per_row == 6.0);
}

/* growth_per_row is fractional, and max_open is the most at any row. */
static void test_verdict_values(void **state)
{
	int64_t open[] = {3, 5, 4, 9, 8, 10};
	struct leak_verdict v;
	judge(open, N(open), 7, 0, 7, &v);
	assert_int_equal(v.growth, 7);
	assert_true(v.growth_per_row == 7.0 / 5.0);
	assert_int_equal(v.max_open, 10);
	assert_true(v.flagged);

	int64_t max_first[] = {50, 1, 2};
	judge(max_first, N(max_first), 2, 0, 2, &v);
	assert_int_equal(v.max_open, 50);
	assert_int_equal(v.growth, -48);
	assert_true(v.growth_per_row == -24.0);
	assert_false(v.flagged);

	/* A verdict reused from a flagged series is reset, not merged. */
	int64_t leak[] = {0, 5, 10};
	assert_true(judge(leak, N(leak), 10, 0, 10, &v));
	int64_t flat[] = {2, 2, 2};
	assert_false(judge(flat, N(flat), 0, 0, 0, &v));
	assert_int_equal(v.max_open, 2);
	assert_int_equal(v.growth, 0);
}

/* Large counts do not overflow the rule's arithmetic. */
static void test_large_counts(void **state)
{
	int64_t open[] = {0, 1000000000LL, 2000000000LL, 3000000000LL};
	struct leak_verdict v;
	assert_true(judge(open, N(open), 9000000000LL, 6000000000LL, 3, &v));
	assert_false(judge(open, N(open), 9000000001LL, 6000000001LL, 3, &v));
	assert_int_equal(v.max_open, 3000000000LL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_steady_leak),     cmocka_unit_test(test_steady_leak_over_base),
	    cmocka_unit_test(test_burst_then_flat), cmocka_unit_test(test_churn),
	    cmocka_unit_test(test_flat_pool),       cmocka_unit_test(test_pool_shrinks_back),
	    cmocka_unit_test(test_shrinking),       cmocka_unit_test(test_rule1_boundary),
	    cmocka_unit_test(test_rule2_boundary),  cmocka_unit_test(test_rule3_boundary),
	    cmocka_unit_test(test_rule4_boundary),  cmocka_unit_test(test_rule5_boundary),
	    cmocka_unit_test(test_each_rule_alone), cmocka_unit_test(test_count_steps),
	    cmocka_unit_test(test_short_series),    cmocka_unit_test(test_verdict_values),
	    cmocka_unit_test(test_large_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
