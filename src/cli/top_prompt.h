/* SPDX-License-Identifier: PostgreSQL */
/*
 * top_prompt: the dashboard's '/' line -- a filter typed as words
 * (app=myapp host=10.0.*, quoted as in the shell: app='my app'), Tab
 * completing a key or a name the model has seen, Enter parsing it into a
 * struct filter, Esc leaving it.  Opened with the filter in force, so
 * that it can be edited.
 */
#ifndef PGTAIL_TOP_PROMPT_H
#define PGTAIL_TOP_PROMPT_H

#include <stdbool.h>

#include "conn/filter.h"
#include "model/dash.h"
#include "model/model.h"

struct top_prompt {
	bool active;    /* the line is being typed */
	char text[512]; /* what was typed */
	char msg[512];  /* completions, or why the filter is not one; "" */
};

enum top_prompt_result {
	PROMPT_TYPING,    /* still open */
	PROMPT_CANCELLED, /* Esc */
	PROMPT_APPLIED,   /* Enter: *f is the filter typed */
};

/* Open the line with f's words. */
void top_prompt_open(struct top_prompt *p, const struct filter *f);
/* One key (view/top_term.h); m gives the names to complete; on Enter a
 * valid filter replaces *f (released first). */
enum top_prompt_result top_prompt_key(struct top_prompt *p, int key, const struct model *m,
				      struct filter *f);
/* Set f's pattern of dimension d (NULL or "": any). */
void top_filter_set(struct filter *f, enum dash_dim d, const char *pattern);

#endif
