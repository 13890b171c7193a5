/* SPDX-License-Identifier: PostgreSQL */
/* The --app/--user/--db/--host selection, with * and ? wildcards. */
#include "conn/filter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void filter_init(struct filter *f)
{
	f->app = f->user = f->db = f->host = NULL;
}

void filter_release(struct filter *f)
{
	free(f->app);
	free(f->user);
	free(f->db);
	free(f->host);
	filter_init(f);
}

void filter_set(struct filter *f, const char *app, const char *user, const char *db,
		const char *host)
{
	filter_release(f);
	f->app = app ? xstrdup(app) : NULL;
	f->user = user ? xstrdup(user) : NULL;
	f->db = db ? xstrdup(db) : NULL;
	f->host = host ? xstrdup(host) : NULL;
}

bool filter_empty(const struct filter *f)
{
	return !f->app && !f->user && !f->db && !f->host;
}

/*
 * Does name match pat, where '*' is any run of bytes and '?' any one byte?
 * Every other byte stands for itself: "[local]", the unix socket's host,
 * is a name, not a bracket expression (fnmatch would read it as one).
 * The classic two-pointer walk: on a mismatch, go back to the last '*'
 * and let it take one byte more.
 */
static bool glob(const char *pat, const char *name)
{
	const char *star = NULL, *resume = NULL;
	while (*name) {
		if (*pat == '*') {
			star = pat++;
			resume = name;
		} else if (*pat == '?' || *pat == *name) {
			pat++;
			name++;
		} else if (star) {
			pat = star + 1;
			name = ++resume;
		} else {
			return false;
		}
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}

static bool one(const char *pat, const char *name)
{
	if (!pat)
		return true;
	if (!name || !*name)
		name = "unknown";
	return glob(pat, name);
}

bool filter_match(const struct filter *f, const char *app, const char *user, const char *db,
		  const char *host)
{
	return one(f->app, app) && one(f->user, user) && one(f->db, db) && one(f->host, host);
}

void filter_describe(const struct filter *f, char *buf, size_t len)
{
	size_t off = 0;
	const struct {
		const char *label;
		const char *pat;
	} parts[] = {
	    {"application", f->app}, {"user", f->user}, {"database", f->db}, {"host", f->host}};

	buf[0] = '\0';
	for (size_t i = 0; i < 4; i++) {
		if (!parts[i].pat || off >= len)
			continue;
		int n = snprintf(buf + off, len - off, "%s%s: %s", off ? ", " : "", parts[i].label,
				 parts[i].pat);
		if (n < 0)
			break;
		off += (size_t)n;
	}
}
