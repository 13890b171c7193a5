/* SPDX-License-Identifier: PostgreSQL */
/* Tab completion for the shell; see complete.h. */
#include "repl/complete.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "detect/instances.h"
#include "model/live.h"
#include "util/xalloc.h"

static struct live **complete_live;

static const char *const shell_commands[] = {"clear", "exit", "quit", "stop", "tail", NULL};

static const char *const conn_options[] = {
	"--history", "--sessions", "--watch",  "--json",    "--app=",   "--user=", "--db=",
	"--host=",   "--since=",   "--until=", "--window=", "--bucket=", "--prefix=", "clear",
	NULL};

void complete_set_source(struct live **live)
{
	complete_live = live;
}

struct cands {
	char **v;
	size_t n, cap;
};

static void add(struct cands *c, const char *prefix, const char *s)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i], s) == 0)
			return;
	if (c->n + 2 > c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->v = xreallocarray(c->v, c->cap, sizeof(*c->v));
	}
	size_t pl = strlen(prefix), sl = strlen(s);
	char *x = xmalloc(pl + sl + 1);
	memcpy(x, prefix, pl);
	memcpy(x + pl, s, sl + 1);
	c->v[c->n++] = x;
}

static void add_if(struct cands *c, const char *word, const char *s)
{
	if (strncmp(s, word, strlen(word)) == 0)
		add(c, "", s);
}

/* Names of one kind seen in the followed log, for "--app=" etc. */
static void add_names(struct cands *c, const char *opt, const char *typed, struct live *live)
{
	if (!live)
		return;
	const struct tracker *t = &live_model(live)->t;
	const struct history *h = &live_model(live)->hist;
	size_t tl = strlen(typed);
	bool app = !strcmp(opt, "--app=") || !strcmp(opt, "app=");
	if (app) {
		for (size_t i = 0; i < h->napps; i++) {
			if (h->apps[i].app == HISTORY_OTHER_APPS)
				continue;
			const char *n = tracker_name(t, h->apps[i].app);
			if (!strncmp(n, typed, tl))
				add(c, opt, n);
		}
	}
	for (uint32_t i = 0; i < t->pool_len; i++) {
		const struct session *s = &t->pool[i];
		if (s->state != SESS_OPEN)
			continue;
		uint32_t id = app ? s->app
			      : (!strcmp(opt, "--user=") || !strcmp(opt, "user=")) ? s->user
			      : (!strcmp(opt, "--db=") || !strcmp(opt, "db="))	   ? s->db
										   : s->host;
		const char *n = tracker_name(t, id);
		if (!strncmp(n, typed, tl))
			add(c, opt, n);
	}
}

char **complete_candidates(const char *word, const char *line, int start, struct live *live)
{
	struct cands c = {0};
	/* The first word of the line: a command. */
	const char *p = line;
	while (*p == ' ')
		p++;
	bool first = (int)(p - line) >= start;
	if (first) {
		for (size_t i = 0; cmd_table[i]; i++)
			add_if(&c, word, cmd_table[i]->name);
		for (size_t i = 0; shell_commands[i]; i++)
			add_if(&c, word, shell_commands[i]);
	} else if (!strncmp(p, "connections", 11)) {
		static const char *const name_opts[] = {"--app=", "--user=", "--db=", "--host=",
							"app=",   "user=",   "db=",   "host=", NULL};
		bool named = false;
		for (size_t i = 0; name_opts[i]; i++) {
			size_t n = strlen(name_opts[i]);
			if (!strncmp(word, name_opts[i], n)) {
				add_names(&c, name_opts[i], word + n, live);
				named = true;
			}
		}
		if (!named)
			for (size_t i = 0; conn_options[i]; i++)
				add_if(&c, word, conn_options[i]);
	} else if (!strncmp(p, "tail", 4)) {
		/* Instance numbers from 'list'. */
		struct instance_list l = {0};
		detect_instances("", NULL, &l);
		for (size_t i = 0; i < l.n; i++) {
			char num[24];
			snprintf(num, sizeof(num), "%zu", i + 1);
			add_if(&c, word, num);
		}
		instance_list_release(&l);
	} else if (!strncmp(p, "help", 4)) {
		for (size_t i = 0; cmd_table[i]; i++)
			add_if(&c, word, cmd_table[i]->name);
	}
	if (!c.n) {
		free(c.v);
		return NULL;
	}
	/* readline's convention: [0] is the common prefix, then the matches. */
	char **out = xcalloc(c.n + 2, sizeof(*out));
	size_t common = strlen(c.v[0]);
	for (size_t i = 1; i < c.n; i++) {
		size_t k = 0;
		while (k < common && c.v[i][k] == c.v[0][k])
			k++;
		common = k;
	}
	out[0] = xmemdupz(c.v[0], common);
	for (size_t i = 0; i < c.n; i++)
		out[i + 1] = c.v[i];
	free(c.v);
	if (c.n == 1) { /* a single match: readline wants it alone */
		free(out[0]);
		out[0] = out[1];
		out[1] = NULL;
	}
	return out;
}

char **complete_words(const char *word, const char *line, int start)
{
	return complete_candidates(word, line, start, complete_live ? *complete_live : NULL);
}
