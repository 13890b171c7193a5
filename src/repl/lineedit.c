/* SPDX-License-Identifier: PostgreSQL */
/*
 * The line editor shim over libedit's readline interface.  Only calls that
 * libedit implements faithfully are used: blocking readline() with a getc
 * hook (its callback interface does not redraw the prompt reliably),
 * history, and the completion hook.
 */
#include "repl/lineedit.h"

#include <stdlib.h>
#include <string.h>

#include <editline/readline.h>

/* libedit keeps its state in globals and its hooks take no context
 * argument, so the shim keeps the one editor's hooks and context here;
 * nothing outside this file sees them. */
static struct {
	char *history;
	lineedit_complete_fn complete;
	lineedit_getc_fn getc_fn;
	void *ctx;
} le;

static int le_getc(FILE *in)
{
	return le.getc_fn(le.ctx, in);
}

/* readline's layout: [0] the common prefix of the matches, then each. */
static char **readline_matches(char **c)
{
	size_t n = 0;
	while (c[n])
		n++;
	if (n == 1)
		return c;
	char **out = malloc((n + 2) * sizeof(*out));
	if (!out) {
		for (size_t i = 0; i < n; i++)
			free(c[i]);
		free(c);
		return NULL;
	}
	size_t common = strlen(c[0]);
	for (size_t i = 1; i < n; i++) {
		size_t k = 0;
		while (k < common && c[i][k] == c[0][k])
			k++;
		common = k;
	}
	out[0] = strndup(c[0], common);
	memcpy(out + 1, c, (n + 1) * sizeof(*c));
	free(c);
	return out;
}

static char **le_attempt(const char *text, int start, int end)
{
	(void)end;
	int files = 0;
	rl_attempted_completion_over = 1;
	if (!le.complete)
		return NULL;
	char **m = le.complete(le.ctx, text, rl_line_buffer ? rl_line_buffer : "", start, &files);
	if (files) { /* let the editor complete file names */
		rl_attempted_completion_over = 0;
		return NULL;
	}
	if (!m || !m[0]) {
		free(m);
		return NULL;
	}
	/* "--app=" wants the name right after it, not a space. */
	size_t n = strlen(m[0]);
	rl_completion_append_character = (!m[1] && n && m[0][n - 1] == '=') ? '\0' : ' ';
	return readline_matches(m);
}

void lineedit_start(const char *history_path, lineedit_complete_fn complete,
		    lineedit_getc_fn getc_fn, void *ctx)
{
	le.history = history_path ? strdup(history_path) : NULL;
	le.complete = complete;
	le.getc_fn = getc_fn;
	le.ctx = ctx;
	rl_readline_name = "pgtail";
	rl_catch_signals = 0;
	rl_attempted_completion_function = le_attempt;
	rl_completer_word_break_characters = " \t";
	rl_basic_word_break_characters = " \t";
	if (getc_fn)
		rl_getc_function = le_getc;
	using_history();
	stifle_history(1000);
	if (le.history)
		read_history(le.history);
}

char *lineedit_readline(const char *prompt)
{
	return readline(prompt);
}

void lineedit_redisplay(void)
{
	rl_forced_update_display();
}

void lineedit_add_history(const char *line)
{
	add_history(line);
}

void lineedit_stop(void)
{
	if (le.history)
		write_history(le.history);
	free(le.history);
	memset(&le, 0, sizeof(le));
}
