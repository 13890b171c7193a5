/* SPDX-License-Identifier: PostgreSQL */
/*
 * lineedit: the only part of pgtail that talks to the line editor (libedit,
 * through its readline interface).  The shell calls lineedit_readline() to
 * get a line; while it waits for a key, the editor calls the shell's getc
 * function, which also serves the followed log -- that is how the model
 * stays current while the prompt waits.  History is kept in a file.
 */
#ifndef PGTAIL_LINEEDIT_H
#define PGTAIL_LINEEDIT_H

#include <stdio.h>

/* Candidates for completing word, which starts at line[start]; returns a
 * NULL-terminated malloc'ed array of malloc'ed strings (readline's layout:
 * [0] the common prefix), or NULL for none. */
typedef char **(*lineedit_complete_fn)(const char *word, const char *line, int start);

/* Read one byte of input for the editor (EOF at the end). */
typedef int (*lineedit_getc_fn)(FILE *in);

/* Load history from history_path (may be NULL) and install the hooks. */
void lineedit_start(const char *history_path, lineedit_complete_fn complete,
		    lineedit_getc_fn getc_fn);
/* Show prompt and return the line typed (caller frees), NULL at Ctrl+D. */
char *lineedit_readline(const char *prompt);
/* Remember a line in the history (written to the file at lineedit_stop). */
void lineedit_add_history(const char *line);
/* Save the history and let go of the terminal. */
void lineedit_stop(void);

#endif
