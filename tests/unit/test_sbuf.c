/* SPDX-License-Identifier: PostgreSQL */
/* Unit tests for sbuf, intern and hashmap: the containers under the model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/hashmap.h"
#include "util/intern.h"
#include "util/sbuf.h"

static void test_sbuf_cap(void **state)
{
	struct sbuf sb;
	sbuf_init(&sb, 8);
	assert_string_equal(sb.buf, "");
	assert_int_equal(sbuf_addstr(&sb, "abcd"), 0);
	assert_int_equal(sbuf_addf(&sb, "%d", 123), 0);
	assert_string_equal(sb.buf, "abcd123");
	/* Past the cap: refused, unchanged. */
	assert_int_equal(sbuf_addstr(&sb, "xy"), -1);
	assert_string_equal(sb.buf, "abcd123");
	assert_int_equal(sbuf_addch(&sb, 'z'), 0);
	assert_int_equal(sb.len, 8);
	sbuf_reset(&sb);
	assert_int_equal(sb.len, 0);
	size_t n;
	char *p = sbuf_detach(&sb, &n);
	assert_int_equal(n, 0);
	free(p);
	sbuf_release(&sb);
}

static void test_intern(void **state)
{
	struct intern in;
	intern_init(&in);
	assert_int_equal(intern_get(&in, "", 0), 0);
	uint32_t a = intern_get(&in, "rails", 5);
	uint32_t b = intern_get(&in, "my app", 6);
	assert_int_not_equal(a, b);
	assert_int_equal(intern_get(&in, "rails!!", 5), a);
	assert_string_equal(intern_str(&in, b), "my app");
	/* Many names: ids stay stable through growth. */
	char buf[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(buf, sizeof(buf), "user%d", i);
		intern_get(&in, buf, strlen(buf));
	}
	assert_int_equal(intern_get(&in, "rails", 5), a);
	assert_int_equal(intern_count(&in), 5003);
	/* Names with NUL bytes are distinct by length. */
	assert_int_not_equal(intern_get(&in, "a\0b", 3), intern_get(&in, "a", 1));
	intern_release(&in);
}

static void test_hashmap(void **state)
{
	struct hashmap m;
	uint32_t v;
	hashmap_init(&m);
	assert_false(hashmap_get(&m, 42, &v));
	for (int64_t k = 0; k < 100000; k++)
		hashmap_put(&m, k * 7, (uint32_t)k);
	for (int64_t k = 0; k < 100000; k += 2)
		assert_true(hashmap_del(&m, k * 7));
	assert_false(hashmap_del(&m, 0));
	for (int64_t k = 0; k < 100000; k++) {
		bool found = hashmap_get(&m, k * 7, &v);
		assert_int_equal(found, k % 2 == 1);
		if (found)
			assert_int_equal(v, (uint32_t)k);
	}
	/* Churn through tombstones does not grow without bound. */
	for (int64_t k = 0; k < 1000000; k++) {
		hashmap_put(&m, -5 - k, 1);
		hashmap_del(&m, -5 - k);
	}
	assert_true(m.cap <= 262144);
	hashmap_put(&m, -1, 9);
	assert_true(hashmap_get(&m, -1, &v));
	assert_int_equal(v, 9);
	hashmap_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sbuf_cap),
	    cmocka_unit_test(test_intern),
	    cmocka_unit_test(test_hashmap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
