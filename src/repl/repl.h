/* SPDX-License-Identifier: PostgreSQL */
/*
 * repl: the interactive shell ("pgtail>").  One event loop multiplexes the
 * keyboard and the followed log, so the connection model keeps following
 * while the prompt waits.  Lines are split into words here and run through
 * the same command table as one-shot mode (cli/); the state the commands
 * act on is a struct shell (cli/shell.h).
 */
#ifndef PGTAIL_REPL_H
#define PGTAIL_REPL_H

/* Run the shell on standard input and output until quit or Ctrl+D (the end
 * of piped input).  Returns the exit status. */
int repl_main(void);

/* Split line into words (shell-like quoting: '...', "...", backslash).
 * Returns a malloc'ed NULL-terminated array (free with repl_free_words) and
 * the count in *n, or NULL with *err set on an unterminated quote. */
char **repl_split(const char *line, int *n, const char **err);
void repl_free_words(char **words);

#endif
