/* SPDX-License-Identifier: PostgreSQL */
/* Expanding PATH arguments into an ordered series of log files. */
#include "source/paths.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "logfmt/entry.h"
#include "source/reader.h"
#include "util/diag.h"
#include "util/xalloc.h"

struct cand {
	char *path;
	bool from_dir; /* found in a directory rather than named */
	enum log_format fmt;
	int64_t first_ts;
	long long mtime;
};

struct cands {
	struct cand *v;
	size_t n, alloc;
};

static void add(struct cands *c, const char *path, bool from_dir)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].path, path) == 0)
			return; /* named twice */
	if (c->n == c->alloc) {
		c->alloc = c->alloc ? c->alloc * 2 : 16;
		c->v = xreallocarray(c->v, c->alloc, sizeof(*c->v));
	}
	memset(&c->v[c->n], 0, sizeof(c->v[0]));
	c->v[c->n].from_dir = from_dir;
	c->v[c->n++].path = xstrdup(path);
}

/* Does a directory entry look like a PostgreSQL log file? */
static bool looks_like_log(const char *name)
{
	size_t n = strlen(name);
	char base[1024];

	if (name[0] == '.' || n >= sizeof(base))
		return false;
	memcpy(base, name, n + 1);
	if (n > 3 && strcmp(base + n - 3, ".gz") == 0)
		base[n -= 3] = '\0';
	/* Strip a logrotate suffix ".N", or kubelet's ".YYYYMMDD-hhmmss" (a
	 * pod's 0.log rotated; the directory is then one series). */
	size_t k = n;
	while (k > 0 && base[k - 1] >= '0' && base[k - 1] <= '9')
		k--;
	if (n - k == 6 && k > 9 && base[k - 1] == '-') {
		size_t d = k - 1;
		while (d > 0 && base[d - 1] >= '0' && base[d - 1] <= '9')
			d--;
		if (k - 1 - d == 8)
			k = d;
	}
	if (k < n && k > 0 && base[k - 1] == '.')
		base[n = k - 1] = '\0';
	for (int f = LOGFMT_STDERR; f < LOGFMT__COUNT; f++) {
		if (!log_format_is_destination(f))
			continue; /* a transport: no suffix */
		const char *suffix = log_format_suffix(f);
		size_t m = strlen(suffix);
		if (n > m && strcmp(base + n - m, suffix) == 0)
			return true;
	}
	return false;
}

static int add_dir(struct cands *c, const char *dir, struct out *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int found = 0;

	if (!d) {
		diag_warn(err, "cannot read directory '%s': %s", dir, strerror(errno));
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		if (!looks_like_log(de->d_name))
			continue;
		size_t n = strlen(dir) + strlen(de->d_name) + 2;
		char *p = xmalloc(n);
		snprintf(p, n, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", de->d_name);
		struct stat st;
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
			add(c, p, true);
			found++;
		}
		free(p);
	}
	closedir(d);
	if (!found) {
		diag_warn(err, "no PostgreSQL log files (*.log, *.csv, *.json) in directory '%s'",
			  dir);
		return 1;
	}
	return 0;
}

static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	if (x->first_ts != TS_UNKNOWN && y->first_ts != TS_UNKNOWN && x->first_ts != y->first_ts)
		return x->first_ts < y->first_ts ? -1 : 1;
	if (x->first_ts == TS_UNKNOWN || y->first_ts == TS_UNKNOWN) {
		if (x->mtime != y->mtime)
			return x->mtime < y->mtime ? -1 : 1;
	}
	return strcmp(x->path, y->path);
}

int paths_expand(char *const *args, size_t nargs, const char *prefix, struct out *err,
		 struct path_list *out)
{
	struct cands c = {0};
	int problems = 0;

	for (size_t i = 0; i < nargs; i++) {
		const char *a = args[i];
		struct stat st;
		if (strcmp(a, "-") == 0) {
			add(&c, a, false);
			continue;
		}
		if (stat(a, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				problems += add_dir(&c, a, err);
			else
				add(&c, a, false);
			continue;
		}
		if (strpbrk(a, "*?[")) {
			glob_t g;
			int r = glob(a, 0, NULL, &g);
			if (r == 0) {
				for (size_t k = 0; k < g.gl_pathc; k++)
					add(&c, g.gl_pathv[k], true);
			} else {
				diag_warn(err, "no files match '%s'", a);
				problems++;
			}
			globfree(&g);
			continue;
		}
		diag_warn(err, "cannot open '%s': %s", a, strerror(errno));
		problems++;
	}

	/* Sniff format and first timestamp of each file. */
	size_t not_logs = 0;
	for (size_t i = 0; i < c.n; i++) {
		struct cand *k = &c.v[i];
		struct stat st = {0};
		k->first_ts = TS_UNKNOWN;
		k->fmt = LOGFMT_STDERR;
		if (strcmp(k->path, "-") == 0) {
			k->mtime = 0;
			continue;
		}
		k->mtime = stat(k->path, &st) == 0 ? (long long)st.st_mtime : 0;
		if (stat(k->path, &st) == 0 && !S_ISREG(st.st_mode)) {
			/* A FIFO or device: reading it to sniff would consume it. */
			continue;
		}
		bool is_log;
		k->first_ts = reader_first_ts(k->path, prefix, &k->fmt, &is_log);
		if (k->from_dir && !is_log) {
			/* Not a log after all (an empty file, a JSON document that
			 * is not jsonlog): leave it out of the series, and say so
			 * unless it is empty. */
			k->fmt = LOGFMT_AUTO;
			if (st.st_size > 0 && ++not_logs <= 3)
				diag_note(err, "'%s' is not a PostgreSQL log: not read", k->path);
			continue;
		}
	}
	if (not_logs > 3)
		diag_note(err, "%zu more files that are not PostgreSQL logs: not read",
			  not_logs - 3);
	/*
	 * Files of several destinations of one server are all kept: they are
	 * read merged in time order, and a record two destinations both hold
	 * ('stderr,csvlog') is counted once (source/merge.h).  Leaving out a
	 * file another destination seems to cover would lose what only it
	 * holds: the lines written to stderr after a switch away from csvlog,
	 * by the backends that reloaded first.
	 */
	size_t j = 0;
	for (size_t i = 0; i < c.n; i++) {
		if (c.v[i].fmt == LOGFMT_AUTO) { /* not a log */
			free(c.v[i].path);
			continue;
		}
		c.v[j++] = c.v[i];
	}
	c.n = j;
	/* stdin, if given, stays where it is relative to nothing: put it last. */
	if (c.n > 1)
		qsort(c.v, c.n, sizeof(*c.v), cmp_cand);

	out->n = c.n;
	out->paths = xcalloc(c.n ? c.n : 1, sizeof(*out->paths));
	out->formats = xcalloc(c.n ? c.n : 1, sizeof(*out->formats));
	for (size_t i = 0; i < c.n; i++) {
		out->paths[i] = c.v[i].path;
		out->formats[i] = c.v[i].fmt;
	}
	free(c.v);
	return problems;
}

void path_list_release(struct path_list *pl)
{
	for (size_t i = 0; i < pl->n; i++)
		free(pl->paths[i]);
	free(pl->paths);
	free(pl->formats);
	memset(pl, 0, sizeof(*pl));
}

int path_list_dests(const struct path_list *pl)
{
	bool seen[LOGFMT__COUNT + 1] = {false};
	int n = 0;
	for (size_t i = 0; i < pl->n; i++)
		if (pl->formats[i] >= 0 && pl->formats[i] <= LOGFMT__COUNT &&
		    !seen[pl->formats[i]]) {
			seen[pl->formats[i]] = true;
			n++;
		}
	return n;
}
