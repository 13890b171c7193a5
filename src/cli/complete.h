/* SPDX-License-Identifier: PostgreSQL */
/*
 * complete: what can follow the words typed so far, made from the command
 * table -- command names, a command's options in the front end, an
 * option's values by kind (its choices, example durations, the names seen
 * in the log), instances, and "a file name fits here" -- each with a short
 * description for the shells that show one.  The shell's tab completion
 * and 'pgtail __complete' use it; it knows nothing of any line editor.
 */
#ifndef PGTAIL_COMPLETE_H
#define PGTAIL_COMPLETE_H

#include <stdbool.h>

#include "cli/cmd.h"

/* Hands one candidate name to the collector acc. */
typedef void (*complete_add_fn)(void *acc, const char *name);
/* Gives the names of one kind (ARG_APP, ARG_USER, ARG_DB, ARG_HOST) seen in
 * the log to add; they need not match what is typed (the caller filters). */
typedef void (*complete_names_fn)(void *ctx, enum opt_arg kind, complete_add_fn add, void *acc);

struct complete_src {
	enum cmd_front front;    /* whose commands and options */
	complete_names_fn names; /* may be NULL: no names known */
	void *names_ctx;
	bool instances; /* offer instance numbers (runs detection) */
};

/*
 * The candidates for word, which starts at line[start] (the words before it
 * are line[0..start)): whole words, each starting with word, without
 * duplicates, as a NULL-terminated malloc'ed array of malloc'ed strings; NULL
 * when there are none.  *files is set when a file name fits here instead.
 */
char **complete_words(const struct complete_src *src, const char *word, const char *line, int start,
		      bool *files);

/*
 * complete_words, and in *descs (when descs is not NULL) what each
 * candidate is, in one short line: a command's summary, the start of an
 * option's help, the kind of a name from the log ("application"), an
 * instance's version, port and data directory; "" when there is nothing to
 * say.  *descs has the candidates' order and is NULL-terminated (NULL when
 * there are none); free both with complete_free.
 */
char **complete_words_desc(const struct complete_src *src, const char *word, const char *line,
			   int start, bool *files, char ***descs);

/* Free an array complete_words or complete_words_desc returned, and its
 * strings; NULL is fine. */
void complete_free(char **v);

#endif
