/* SPDX-License-Identifier: PostgreSQL */
/* Completion from the command table; see complete.h. */
#include "cli/complete.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "detect/instances.h"
#include "util/xalloc.h"

/* Examples offered for a duration or a relative time. */
static const char *const durations[] = {"30s", "5m", "15m", "1h", "6h", "1d", "7d", NULL};

struct cands {
	char **v;
	size_t n, cap;
	const char *prefix; /* put before each name ("--app=") */
	const char *typed;  /* what the name must start with */
};

static void add(void *acc, const char *s)
{
	struct cands *c = acc;
	size_t pl = strlen(c->prefix), sl = strlen(s);
	if (strncmp(s, c->typed, strlen(c->typed)) != 0)
		return;
	char *x = xmalloc(pl + sl + 1);
	memcpy(x, c->prefix, pl);
	memcpy(x + pl, s, sl + 1);
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i], x)) {
			free(x);
			return;
		}
	if (c->n + 2 > c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->v = xreallocarray(c->v, c->cap, sizeof(*c->v));
	}
	c->v[c->n++] = x;
	c->v[c->n] = NULL;
}

static void add_list(struct cands *c, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		add(c, list[i]);
}

static void add_commands(struct cands *c, enum cmd_front f)
{
	for (size_t i = 0; cmd_table[i]; i++) {
		if (!cmd_in_front(cmd_table[i], f) || cmd_table[i]->hidden)
			continue;
		add(c, cmd_table[i]->name);
		for (size_t j = 0; cmd_table[i]->aliases && cmd_table[i]->aliases[j]; j++)
			if (cmd_table[i]->aliases[j][0] != '\\')
				add(c, cmd_table[i]->aliases[j]);
	}
}

static void add_instances(struct cands *c)
{
	struct instance_list l = {0};
	detect_instances("", NULL, &l);
	for (size_t i = 0; i < l.n; i++) {
		char num[24];
		snprintf(num, sizeof(num), "%zu", i + 1);
		add(c, num);
	}
	instance_list_release(&l);
}

/* The values of option o, each after prefix ("--app=" or "app="). */
static void add_values(struct cands *c, const struct complete_src *src, const struct opt_def *o,
		       bool *files)
{
	switch (o->arg) {
	case ARG_CHOICE:
		add_list(c, o->choices);
		break;
	case ARG_DURATION:
	case ARG_TIME:
		add_list(c, durations);
		break;
	case ARG_APP:
	case ARG_USER:
	case ARG_DB:
	case ARG_HOST:
		if (src->names)
			src->names(src->names_ctx, o->arg, add, c);
		break;
	case ARG_DIR:
		*files = true;
		break;
	case ARG_NONE:
	case ARG_TEXT:
		break;
	}
}

/* The option of cmd called name[0..n) (or its alias), shown in f; NULL if none. */
static const struct opt_def *find(const struct cmd_def *cmd, enum cmd_front f, const char *name,
				  size_t n)
{
	for (int i = 0; i < cmd->nopts; i++) {
		const struct opt_def *o = &cmd->opts[i];
		if (!opt_shown(o, f))
			continue;
		if ((strlen(o->name) == n && !strncmp(o->name, name, n)) ||
		    (o->alias && strlen(o->alias) == n && !strncmp(o->alias, name, n)))
			return o;
	}
	return NULL;
}

/* The command's options as they are typed: "--json", "--app=", and with
 * bare, also "app=" and the words ("clear"). */
static void add_options(struct cands *c, const struct cmd_def *cmd, enum cmd_front f, bool dashes,
			bool first)
{
	char buf[64];
	for (int i = 0; i < cmd->nopts; i++) {
		const struct opt_def *o = &cmd->opts[i];
		if (!opt_shown(o, f))
			continue;
		if (o->flags & OPT_WORD) {
			if (!dashes && first)
				add(c, o->name);
			continue;
		}
		if (dashes)
			snprintf(buf, sizeof(buf), "--%s%s", o->name, o->arg == ARG_NONE ? "" : "=");
		else if (o->flags & OPT_BARE)
			snprintf(buf, sizeof(buf), "%s=", o->name);
		else
			continue;
		add(c, buf);
	}
}

char **complete_words(const struct complete_src *src, const char *word, const char *line,
		      int start, bool *files)
{
	struct cands c = {.prefix = "", .typed = word};
	char first_word[64];
	size_t nwords = 0;

	*files = false;
	/* The words before the one being completed. */
	for (int i = 0; i < start && line[i];) {
		while (i < start && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i >= start)
			break;
		int b = i;
		while (i < start && line[i] && line[i] != ' ' && line[i] != '\t')
			i++;
		if (nwords++ == 0)
			snprintf(first_word, sizeof(first_word), "%.*s", i - b, line + b);
	}
	if (nwords == 0) {
		add_commands(&c, src->front);
		return c.v;
	}
	const struct cmd_def *cmd = cmd_find(first_word);
	if (!cmd || !cmd_in_front(cmd, src->front))
		return NULL;
	const char *eq = strchr(word, '=');
	if (word[0] == '-') {
		if (eq) {
			const struct opt_def *o = word[1] == '-' ? find(cmd, src->front, word + 2,
									 (size_t)(eq - word - 2))
								  : NULL;
			if (o) {
				char prefix[64];
				snprintf(prefix, sizeof(prefix), "%.*s", (int)(eq + 1 - word), word);
				c.prefix = prefix;
				c.typed = eq + 1;
				add_values(&c, src, o, files);
				c.prefix = "";
			}
			return c.v;
		}
		add_options(&c, cmd, src->front, true, false);
		return c.v;
	}
	if (eq) {
		const struct opt_def *o = find(cmd, src->front, word, (size_t)(eq - word));
		if (o && (o->flags & OPT_BARE)) {
			char prefix[64];
			snprintf(prefix, sizeof(prefix), "%.*s", (int)(eq + 1 - word), word);
			c.prefix = prefix;
			c.typed = eq + 1;
			add_values(&c, src, o, files);
		}
		return c.v;
	}
	switch (cmd->operands) {
	case OPERANDS_COMMAND:
		add_commands(&c, src->front);
		break;
	case OPERANDS_TARGET:
		if (src->instances)
			add_instances(&c);
		break;
	case OPERANDS_PATHS:
	case OPERANDS_NONE:
	case OPERANDS_WORDS:
		break;
	}
	if (*word)
		add_options(&c, cmd, src->front, false, nwords == 1);
	if (!c.n && (cmd->operands == OPERANDS_PATHS || cmd->operands == OPERANDS_TARGET))
		*files = true;
	return c.v;
}
