/* SPDX-License-Identifier: PostgreSQL */
/* Unit tests for the shell's word splitting and completion. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "repl/complete.h"
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

static void free_cands(char **c)
{
	if (!c)
		return;
	for (char **p = c; *p; p++)
		free(*p);
	free(c);
}

static bool has(char **c, const char *s)
{
	for (char **p = c ? c + 1 : NULL; p && *p; p++)
		if (!strcmp(*p, s))
			return true;
	return c && c[0] && !c[1] && !strcmp(c[0], s);
}

static void test_complete_commands(void **state)
{
	char **c = complete_candidates("con", "con", 0, NULL);
	assert_non_null(c);
	assert_string_equal(c[0], "connections"); /* the only match */
	assert_null(c[1]);
	free_cands(c);

	c = complete_candidates("", "", 0, NULL);
	assert_true(has(c, "tail"));
	assert_true(has(c, "help"));
	assert_true(has(c, "quit"));
	free_cands(c);

	c = complete_candidates("--h", "connections --h", 12, NULL);
	assert_true(has(c, "--history"));
	assert_true(has(c, "--host="));
	assert_false(has(c, "--json"));
	free_cands(c);

	assert_null(complete_candidates("zz", "zz", 0, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_complete_commands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
