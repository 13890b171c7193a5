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

/* libedit keeps its state in globals; so must the shim, for the history
 * path and the completion callback it hands to it. */
static char *le_history;
static lineedit_complete_fn le_complete;

static char **le_attempt(const char *text, int start, int end)
{
	(void)end;
	rl_attempted_completion_over = 1; /* never fall back to file names */
	if (!le_complete)
		return NULL;
	char **m = le_complete(text, rl_line_buffer ? rl_line_buffer : "", start);
	/* "--app=" wants the name right after it, not a space. */
	size_t n = m && m[0] ? strlen(m[0]) : 0;
	rl_completion_append_character = (m && !m[1] && n && m[0][n - 1] == '=') ? '\0' : ' ';
	return m;
}

void lineedit_start(const char *history_path, lineedit_complete_fn complete,
		    lineedit_getc_fn getc_fn)
{
	le_history = history_path ? strdup(history_path) : NULL;
	le_complete = complete;
	rl_readline_name = "pgtail";
	rl_catch_signals = 0;
	rl_attempted_completion_function = le_attempt;
	rl_completer_word_break_characters = " \t";
	rl_basic_word_break_characters = " \t";
	if (getc_fn)
		rl_getc_function = getc_fn;
	using_history();
	stifle_history(1000);
	if (le_history)
		read_history(le_history);
}

char *lineedit_readline(const char *prompt)
{
	return readline(prompt);
}

void lineedit_add_history(const char *line)
{
	add_history(line);
}

void lineedit_stop(void)
{
	if (le_history)
		write_history(le_history);
	free(le_history);
	le_history = NULL;
}
