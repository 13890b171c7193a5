/* SPDX-License-Identifier: PostgreSQL */
/*
 * Unit tests for the command layer: the table is the one source of every
 * command and option, so each option must appear in the help, be accepted
 * by the parser in the front ends it exists in (and refused in the other),
 * and be offered by completion; and the parser's rules hold.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/cli.h"
#include "cli/complete.h"
#include "cli/man.h"
#include "memout.h"

static const enum cmd_front fronts[] = {FRONT_ONESHOT, FRONT_SHELL};

static void free_words(char **c)
{
	for (char **p = c; p && *p; p++)
		free(*p);
	free(c);
}

static bool has(char **c, const char *s)
{
	for (char **p = c; p && *p; p++)
		if (!strcmp(*p, s))
			return true;
	return false;
}

/* The table itself is well formed. */
static void test_table_shape(void **state)
{
	for (size_t i = 0; cmd_table[i]; i++) {
		const struct cmd_def *c = cmd_table[i];
		assert_non_null(c->name);
		assert_non_null(c->summary);
		assert_non_null(c->description);
		assert_non_null(c->run);
		assert_true(c->fronts != 0);
		assert_true(c->nopts <= CMD_MAX_OPTS);
		assert_ptr_equal(cmd_find(c->name), c);
		assert_true((c->operands == OPERANDS_NONE) == (c->operand_meta == NULL));
		for (int k = 0; k < c->nopts; k++) {
			const struct opt_def *o = &c->opts[k];
			assert_non_null(o->name); /* no hole in the designated table */
			assert_non_null(o->help);
			assert_true((o->arg == ARG_NONE) == (o->metavar == NULL));
			assert_true((o->arg == ARG_CHOICE) == (opt_choices(o) != NULL));
			for (int j = 0; j < k; j++) {
				assert_string_not_equal(o->name, c->opts[j].name);
				if (o->alias)
					assert_string_not_equal(o->alias, c->opts[j].name);
			}
		}
	}
	assert_null(cmd_find("no-such-command"));
	assert_ptr_equal(cmd_find("exit"), cmd_find("quit"));
}

/* Every shown option is in the help and the completion; every option
 * parses in its front ends and is refused in the others. */
static void test_every_option_everywhere(void **state)
{
	for (size_t i = 0; cmd_table[i]; i++) {
		const struct cmd_def *c = cmd_table[i];
		for (size_t fi = 0; fi < 2; fi++) {
			enum cmd_front f = fronts[fi];
			struct memout help;
			mem_open(&help);
			cmd_print_help(&help.o, c, f);
			const char *text = mem_text(&help);
			assert_non_null(strstr(text, "Usage: "));
			assert_non_null(strstr(text, c->name));

			char line[128];
			snprintf(line, sizeof(line), "%s --", c->name);
			struct complete_src src = {.front = f};
			bool files;
			char **cands =
			    complete_words(&src, "--", line, (int)strlen(line) - 2, &files);
			snprintf(line, sizeof(line), "%s ", c->name);

			for (int k = 0; k < c->nopts; k++) {
				const struct opt_def *o = &c->opts[k];
				char shown[64], typed[80];
				opt_format(o, shown, sizeof(shown));
				bool visible = opt_shown(o, f);
				/* help */
				if (visible)
					assert_non_null(strstr(text, shown));
				else if (o->flags & OPT_HIDDEN)
					assert_null(strstr(text, shown));
				/* completion */
				if (!(o->flags & OPT_WORD)) {
					snprintf(typed, sizeof(typed), "--%s%s", o->name,
						 o->arg == ARG_NONE ? "" : "=");
					if (visible && cmd_in_front(c, f))
						assert_true(has(cands, typed));
					else
						assert_false(has(cands, typed));
				} else if (visible && cmd_in_front(c, f)) {
					char **w = complete_words(&src, "", line, (int)strlen(line),
								  &files);
					(void)w;
					free_words(w);
					char pre[8];
					snprintf(pre, sizeof(pre), "%.1s", o->name);
					w = complete_words(&src, pre, line, (int)strlen(line),
							   &files);
					assert_true(has(w, o->name));
					free_words(w);
				}
				/* the parser */
				if (o->flags & OPT_WORD)
					snprintf(typed, sizeof(typed), "%s", o->name);
				else if (o->arg == ARG_NONE)
					snprintf(typed, sizeof(typed), "--%s", o->name);
				else
					snprintf(typed, sizeof(typed), "--%s=%s", o->name,
						 o->choices            ? o->choices[0]
						 : o->arg == ARG_COUNT ? "1"
								       : "x1");
				char *argv[] = {(char *)c->name, typed, NULL};
				struct cmd_args a;
				struct memout err;
				mem_open(&err);
				enum cmd_parse r = cmd_parse(c, f, 2, argv, &a, &err.o);
				if (opt_in_front(o, f)) {
					assert_int_equal(r, PARSE_OK);
					assert_non_null(a.val[k]);
				} else {
					assert_int_equal(r, PARSE_USAGE);
					assert_non_null(strstr(mem_text(&err), "exists only"));
				}
				cmd_args_release(&a);
				mem_close(&err);
			}
			free_words(cands);
			mem_close(&help);
		}
	}
}

static const struct cmd_def *conn(void)
{
	const struct cmd_def *c = cmd_find("connections");
	assert_non_null(c);
	return c;
}

static int opt_index(const struct cmd_def *c, const char *name)
{
	for (int k = 0; k < c->nopts; k++)
		if (!strcmp(c->opts[k].name, name))
			return k;
	fail_msg("no option %s", name);
	return -1;
}

static enum cmd_parse parse(enum cmd_front f, struct cmd_args *a, struct memout *err, ...)
{
	char *argv[16] = {"connections"};
	int argc = 1;
	va_list ap;
	va_start(ap, err);
	for (char *s; (s = va_arg(ap, char *)) != NULL;)
		argv[argc++] = s;
	va_end(ap);
	mem_open(err);
	return cmd_parse(conn(), f, argc, argv, a, &err->o);
}

static void test_parser_rules(void **state)
{
	struct cmd_args a;
	struct memout err;
	const struct cmd_def *c = conn();

	/* The forms of a value, aliases, bare NAME=VALUE, operands. */
	assert_int_equal(parse(FRONT_ONESHOT, &a, &err, "--app=x", "--since", "15m", "db=prod",
			       "--application=y", "f.log", "-", NULL),
			 PARSE_OK);
	assert_string_equal(a.val[opt_index(c, "app")], "y");
	assert_string_equal(a.val[opt_index(c, "since")], "15m");
	assert_string_equal(a.val[opt_index(c, "db")], "prod");
	assert_int_equal(a.noperands, 2);
	assert_string_equal(a.operands[0], "f.log");
	assert_string_equal(a.operands[1], "-");
	cmd_args_release(&a);
	mem_close(&err);

	/* -- ends the options: a file named --json. */
	assert_int_equal(parse(FRONT_ONESHOT, &a, &err, "--", "--json", NULL), PARSE_OK);
	assert_null(a.val[opt_index(c, "json")]);
	assert_int_equal(a.noperands, 1);
	cmd_args_release(&a);
	mem_close(&err);

	/* --help anywhere before -- */
	assert_int_equal(parse(FRONT_SHELL, &a, &err, "--app=x", "--help", NULL), PARSE_HELP);
	cmd_args_release(&a);
	mem_close(&err);

	/* Refusals, each said. */
	const char *bad[][2] = {
	    {"--frobnicate", "unknown option '--frobnicate'"},
	    {"--json=yes", "takes no value"},
	    {"--window", "needs a value"},
	    {"--app=", "empty value for --app"},
	    {"-x", "unknown option '-x'"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(FRONT_ONESHOT, &a, &err, bad[i][0], NULL), PARSE_USAGE);
		assert_non_null(strstr(mem_text(&err), bad[i][1]));
		cmd_args_release(&a);
		mem_close(&err);
	}
	/* The word is a word only first, and only in the shell. */
	assert_int_equal(parse(FRONT_SHELL, &a, &err, "clear", NULL), PARSE_OK);
	assert_non_null(a.val[opt_index(c, "clear")]);
	cmd_args_release(&a);
	mem_close(&err);
	assert_int_equal(parse(FRONT_SHELL, &a, &err, "x.log", "clear", NULL), PARSE_OK);
	assert_null(a.val[opt_index(c, "clear")]);
	assert_int_equal(a.noperands, 2);
	cmd_args_release(&a);
	mem_close(&err);
	assert_int_equal(parse(FRONT_ONESHOT, &a, &err, "clear", NULL), PARSE_USAGE);
	assert_non_null(strstr(mem_text(&err), "exists only in the interactive shell"));
	cmd_args_release(&a);
	mem_close(&err);
}

static void test_complete(void **state)
{
	struct complete_src sh = {.front = FRONT_SHELL}, one = {.front = FRONT_ONESHOT};
	bool files;
	char **c = complete_words(&sh, "con", "con", 0, &files);
	assert_true(has(c, "connections"));
	assert_null(c[1]);
	free_words(c);

	c = complete_words(&sh, "", "", 0, &files);
	assert_true(has(c, "tail"));
	assert_true(has(c, "help"));
	assert_true(has(c, "quit"));
	assert_true(has(c, "stop"));
	assert_true(has(c, "clear"));
	free_words(c);
	c = complete_words(&one, "", "", 0, &files);
	assert_true(has(c, "connections"));
	assert_false(has(c, "tail"));
	free_words(c);

	c = complete_words(&sh, "--h", "connections --h", 12, &files);
	assert_true(has(c, "--history"));
	assert_true(has(c, "--host="));
	assert_false(has(c, "--json"));
	free_words(c);

	c = complete_words(&sh, "--format=cs", "connections --format=cs", 12, &files);
	assert_true(has(c, "--format=csvlog"));
	assert_null(c[1]);
	free_words(c);

	c = complete_words(&sh, "--window=1", "connections --window=1", 12, &files);
	assert_true(has(c, "--window=1h"));
	assert_true(has(c, "--window=1d"));
	free_words(c);

	c = complete_words(&sh, "ta", "help ta", 5, &files);
	assert_true(has(c, "tail"));
	free_words(c);

	c = complete_words(&sh, "", "connections ", 12, &files);
	assert_null(c);
	assert_true(files);

	assert_null(complete_words(&sh, "zz", "zz", 0, &files));
}

/* Names come from the names callback, after the option's prefix. */
static void names(void *ctx, enum opt_arg kind, complete_add_fn add, void *acc)
{
	(void)ctx;
	if (kind == ARG_APP) {
		add(acc, "myapp");
		add(acc, "rails");
		add(acc, "myapp");
	}
}

static void test_complete_names(void **state)
{
	struct complete_src src = {.front = FRONT_SHELL, .names = names};
	bool files;
	char **c = complete_words(&src, "--app=m", "connections --app=m", 12, &files);
	assert_true(has(c, "--app=myapp"));
	assert_null(c[1]);
	free_words(c);
	c = complete_words(&src, "app=", "connections app=", 12, &files);
	assert_true(has(c, "app=myapp"));
	assert_true(has(c, "app=rails"));
	assert_null(c[2]);
	free_words(c);
	assert_null(complete_words(&src, "--user=", "connections --user=", 12, &files));
}

/* The description given with candidate cand, or NULL when it is not one. */
static const char *desc_of(char **c, char **d, const char *cand)
{
	for (size_t i = 0; c && c[i]; i++)
		if (!strcmp(c[i], cand))
			return d[i];
	return NULL;
}

/* Every candidate has a description: a command's summary, the first
 * clause of an option's help, the kind of a name. */
static void test_complete_descriptions(void **state)
{
	struct complete_src src = {.front = FRONT_ONESHOT, .names = names};
	bool files;
	char **d = NULL;
	char **c = complete_words_desc(&src, "", "", 0, &files, &d);
	assert_non_null(d);
	assert_string_equal(desc_of(c, d, "connections"), cmd_find("connections")->summary);
	complete_free(c);
	complete_free(d);

	c = complete_words_desc(&src, "--", "connections --", 12, &files, &d);
	assert_string_equal(desc_of(c, d, "--json"), "one JSON object instead of text");
	assert_string_equal(desc_of(c, d, "--app="), "only sessions of this application");
	assert_string_equal(desc_of(c, d, "--bucket="), "the step between rows");
	/* A long first line is cut at a comma, a new sentence is left out. */
	assert_string_equal(desc_of(c, d, "--history"),
			    "the open count at clock-aligned rows over a window");
	assert_string_equal(desc_of(c, d, "--until="), "show the state at T");
	for (size_t i = 0; c[i]; i++) {
		assert_true(strlen(d[i]) > 0 && strlen(d[i]) <= 64);
		assert_null(strchr(d[i], '\n'));
	}
	complete_free(c);
	complete_free(d);

	c = complete_words_desc(&src, "app=r", "connections app=r", 12, &files, &d);
	assert_string_equal(desc_of(c, d, "app=rails"), "application");
	complete_free(c);
	complete_free(d);

	/* pgtail's own options, before a command. */
	c = complete_words_desc(&src, "--v", "--v", 0, &files, &d);
	assert_true(has(c, "--version"));
	assert_null(c[1]);
	complete_free(c);
	complete_free(d);

	/* Without descs, the same candidates. */
	c = complete_words(&src, "--", "connections --", 12, &files);
	assert_true(has(c, "--history"));
	complete_free(c);
}

/* The man page names every command and every shown option, in both their
 * forms, and holds nothing roff would take for a request. */
static void test_man_page(void **state)
{
	struct memout m;
	mem_open(&m);
	man_write(&m.o, "2026-01-02");
	const char *page = mem_text(&m);
	assert_non_null(strstr(page, ".TH PGTAIL 1 \"2026-01-02\""));
	for (size_t i = 0; man_sections[i].title; i++) {
		char sh[64];
		snprintf(sh, sizeof(sh), "\n.SH %s\n", man_sections[i].title);
		assert_non_null(strstr(page, sh));
	}
	for (size_t i = 0; cmd_table[i]; i++) {
		const struct cmd_def *c = cmd_table[i];
		char want[128];
		snprintf(want, sizeof(want), "\n.SS %s\n", c->name);
		if (c->hidden) {
			assert_null(strstr(page, want));
			continue;
		}
		assert_non_null(strstr(page, want));
		for (int k = 0; k < c->nopts; k++) {
			const struct opt_def *o = &c->opts[k];
			const char *dashes = o->flags & OPT_WORD ? "" : "\\-\\-";
			char name[64];
			size_t j = 0;
			/* roff: every '-' of the name as "\-" */
			for (const char *p = o->name; *p && j + 3 < sizeof(name); p++) {
				if (*p == '-')
					name[j++] = '\\';
				name[j++] = *p;
			}
			name[j] = '\0';
			snprintf(want, sizeof(want), "\\fB%s%s\\fR", dashes, name);
			if (o->flags & OPT_HIDDEN)
				assert_null(strstr(page, want));
			else
				assert_non_null(strstr(page, want));
		}
	}
	/* Every line is a request, a comment or text that starts as text. */
	for (const char *p = page; *p; p = strchr(p, '\n') + 1) {
		if (*p == '\'')
			fail_msg("a line starts with a quote: %.40s", p);
		if (!strchr(p, '\n'))
			fail_msg("the page does not end with a newline");
	}
	mem_close(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table_shape),    cmocka_unit_test(test_every_option_everywhere),
	    cmocka_unit_test(test_parser_rules),   cmocka_unit_test(test_complete),
	    cmocka_unit_test(test_complete_names), cmocka_unit_test(test_complete_descriptions),
	    cmocka_unit_test(test_man_page),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
