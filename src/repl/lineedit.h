/* SPDX-License-Identifier: PostgreSQL */
/*
 * lineedit: the only part of pgtail that talks to the line editor (libedit,
 * through its readline interface).  The shell calls lineedit_readline() to
 * get a line; while it waits for a key, the editor calls the shell's getc
 * function, which also serves the followed log -- that is how the model
 * stays current while the prompt waits.  History is kept in a file.
 * Both callbacks get the context pointer given to lineedit_start.
 */
#ifndef PGTAIL_LINEEDIT_H
#define PGTAIL_LINEEDIT_H

#include <stdio.h>

/* Candidates for completing word, which starts at line[start]: a
 * NULL-terminated malloc'ed array of malloc'ed strings, or NULL for none.
 * *files = true asks for file name completion instead. */
typedef char **(*lineedit_complete_fn)(void *ctx, const char *word, const char *line, int start,
				       int *files);

/* Read one byte of input for the editor (EOF at the end). */
typedef int (*lineedit_getc_fn)(void *ctx, FILE *in);

/* Load history from history_path (may be NULL) and install the hooks.
 * One editor per process: libedit keeps its state in globals. */
void lineedit_start(const char *history_path, lineedit_complete_fn complete,
		    lineedit_getc_fn getc_fn, void *ctx);
/* Show prompt and return the line typed (caller frees), NULL at Ctrl+D. */
char *lineedit_readline(const char *prompt);
/* Draw the prompt and the line typed so far again, on a fresh line (after
 * text was written over them). */
void lineedit_redisplay(void);
/* Remember a line in the history (written to the file at lineedit_stop). */
void lineedit_add_history(const char *line);
/* Save the history and let go of the terminal. */
void lineedit_stop(void);

#endif
