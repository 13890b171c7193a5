/* SPDX-License-Identifier: PostgreSQL */
/*
 * complete: tab completion for the shell -- command names, the options of
 * the command being typed, and for --app= --user= --db= --host= the names
 * seen in the followed log.
 */
#ifndef PGTAIL_COMPLETE_H
#define PGTAIL_COMPLETE_H

struct live;

/* Where to find the followed log's names (a pointer the shell updates). */
void complete_set_source(struct live **live);

/* lineedit_complete_fn: candidates for word, which starts at line[start]. */
char **complete_words(const char *word, const char *line, int start);

/* The candidates for word given the words before it, without the editor
 * (for tests).  Same return convention. */
char **complete_candidates(const char *word, const char *line, int start, struct live *live);

#endif
