/* SPDX-License-Identifier: PostgreSQL */
/*
 * filter: the --app= --user= --db= --host= selection.  In a pattern '*'
 * matches any run of characters and '?' any one; every other character,
 * '[' included, stands for itself.  All given patterns must match.  Names are
 * compared as displayed: an unset application is "unknown", the unix socket
 * is "[local]".
 */
#ifndef PGTAIL_FILTER_H
#define PGTAIL_FILTER_H

#include <stdbool.h>
#include <stddef.h>

struct filter {
	char *app; /* pattern or NULL (= any); owned */
	char *user;
	char *db;
	char *host;
};

void filter_init(struct filter *f);
void filter_release(struct filter *f);
/* Release f and set it to copies of the patterns given (each may be NULL). */
void filter_set(struct filter *f, const char *app, const char *user, const char *db,
		const char *host);
/* True when no pattern is set. */
bool filter_empty(const struct filter *f);
/* True when every set pattern matches.  NULL or "" names are displayed
 * as "unknown" ([local] is passed as is). */
bool filter_match(const struct filter *f, const char *app, const char *user, const char *db,
		  const char *host);
/* One line describing the filter ("application: myapp, user: app_user"), into
 * buf; "" when empty. */
void filter_describe(const struct filter *f, char *buf, size_t len);

#endif
