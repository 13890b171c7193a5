/* SPDX-License-Identifier: PostgreSQL */
/*
 * lineedit: the only part of pgtail that talks to the line editor (libedit,
 * through its readline interface).  The shell's event loop owns stdin: it
 * calls lineedit_read_char() when stdin is readable, and receives each
 * complete line through the callback given to lineedit_start().  History is
 * kept in a file across runs.
 */
#ifndef PGTAIL_LINEEDIT_H
#define PGTAIL_LINEEDIT_H

#include <stddef.h>

/* Receives each line the user entered (NULL at end of input: Ctrl+D).
 * The line is owned by the callee (free it). */
typedef void (*lineedit_line_fn)(char *line);

/* Candidates for completing word (the text before it on the line is
 * before[0..start)); returns a NULL-terminated malloc'ed array of malloc'ed
 * strings, or NULL for none. */
typedef char **(*lineedit_complete_fn)(const char *word, const char *line, int start);

/* Load history from history_path (may be NULL), install the prompt and the
 * callbacks. */
void lineedit_start(const char *prompt, const char *history_path, lineedit_line_fn on_line,
		    lineedit_complete_fn complete);
/* stdin is readable: let the editor read and handle one character. */
void lineedit_read_char(void);
/* Remember a line in the history (and in the history file at lineedit_stop). */
void lineedit_add_history(const char *line);
/* Around output printed while a prompt is displayed: hide the prompt and
 * the partial line, then show them again. */
void lineedit_hide(void);
void lineedit_show(void);
/* Ctrl+C at the prompt: drop the partial line and show a fresh prompt. */
void lineedit_cancel_line(void);
/* Stop reading lines (while a command such as tail runs) and resume. */
void lineedit_pause(void);
void lineedit_resume(void);
/* Save the history and restore the terminal. */
void lineedit_stop(void);

#endif
