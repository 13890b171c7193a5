/* SPDX-License-Identifier: PostgreSQL */
/* Unit tests for the shell's word splitting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "repl/repl.h"

static void test_split(void **state)
{
	const char *err = NULL;
	int n;
	char **w = repl_split("  connections  --app='my app' \"db=a b\" x\\ y  ", &n, &err);
	assert_non_null(w);
	assert_int_equal(n, 4);
	assert_string_equal(w[0], "connections");
	assert_string_equal(w[1], "--app=my app");
	assert_string_equal(w[2], "db=a b");
	assert_string_equal(w[3], "x y");
	assert_null(w[4]);
	repl_free_words(w);

	w = repl_split("", &n, &err);
	assert_non_null(w);
	assert_int_equal(n, 0);
	repl_free_words(w);

	w = repl_split("tail 'unterminated", &n, &err);
	assert_null(w);
	assert_string_equal(err, "unterminated quote");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
