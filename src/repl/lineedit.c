/* SPDX-License-Identifier: PostgreSQL */
/*
 * The line editor shim over libedit's readline interface.  libedit's
 * emulation differs from GNU readline in places; the calls used here are
 * the ones both provide (callback interface, history, completion).
 */
#include "repl/lineedit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <editline/readline.h>

/* The line editor keeps its own global state; these mirror what pgtail
 * gave it so it can be paused and resumed. */
static char *le_prompt;
static char *le_history;
static lineedit_line_fn le_on_line;
static lineedit_complete_fn le_complete;
static int le_installed;

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

static void le_line(char *line)
{
	le_on_line(line);
}

void lineedit_start(const char *prompt, const char *history_path, lineedit_line_fn on_line,
		    lineedit_complete_fn complete)
{
	le_prompt = strdup(prompt);
	le_history = history_path ? strdup(history_path) : NULL;
	le_on_line = on_line;
	le_complete = complete;
	rl_readline_name = "pgtail";
	rl_catch_signals = 0;
	rl_attempted_completion_function = le_attempt;
	rl_completer_word_break_characters = " \t";
	rl_basic_word_break_characters = " \t";
	using_history();
	stifle_history(1000);
	if (le_history)
		read_history(le_history);
	rl_callback_handler_install(le_prompt, le_line);
	le_installed = 1;
}

void lineedit_read_char(void)
{
	if (le_installed)
		rl_callback_read_char();
}

void lineedit_add_history(const char *line)
{
	add_history(line);
}

void lineedit_hide(void)
{
	if (!le_installed)
		return;
	/* Return to the start of the line and clear it. */
	fputs("\r\033[K", stdout);
	fflush(stdout);
}

void lineedit_show(void)
{
	if (le_installed)
		rl_forced_update_display();
}

void lineedit_cancel_line(void)
{
	if (!le_installed)
		return;
	rl_replace_line("", 0);
	fputs("^C\n", stdout);
	fflush(stdout);
	rl_on_new_line();
	rl_forced_update_display();
}

void lineedit_pause(void)
{
	if (le_installed) {
		rl_callback_handler_remove();
		le_installed = 0;
	}
}

void lineedit_resume(void)
{
	if (!le_installed) {
		rl_callback_handler_install(le_prompt, le_line);
		le_installed = 1;
	}
}

void lineedit_stop(void)
{
	lineedit_pause();
	if (le_history)
		write_history(le_history);
	free(le_prompt);
	free(le_history);
	le_prompt = le_history = NULL;
}
