/* SPDX-License-Identifier: PostgreSQL */
/*
 * repl: the interactive shell ("pgtail>").  One event loop multiplexes the
 * keyboard, the followed log and timers; the connection model keeps
 * following in the background while the prompt waits.  Commands come from
 * the same table as one-shot mode.
 */
#ifndef PGTAIL_REPL_H
#define PGTAIL_REPL_H

#include "cli/cli.h"

/* Run the shell until quit, exit or Ctrl+D.  Returns the exit status. */
int repl_main(struct cmd_ctx *ctx);

/* Split line into words (shell-like quoting: '...', "...", backslash).
 * Returns a malloc'ed NULL-terminated array (free with repl_free_words) and
 * the count in *n, or NULL with *err set on an unterminated quote. */
char **repl_split(const char *line, int *n, const char **err);
void repl_free_words(char **words);

#endif
