/* SPDX-License-Identifier: PostgreSQL */
/* Completion from the command table; see complete.h. */
#include "cli/complete.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "detect/instances.h"
#include "util/sbuf.h"
#include "util/xalloc.h"

/* Examples offered for a duration or a relative time. */
static const char *const durations[] = {"30s", "5m", "15m", "1h", "6h", "1d", "7d", NULL};

/* The longest description made from a help text. */
#define BRIEF_MAX 64

struct cands {
	char **v; /* the candidates, NULL-terminated; owned */
	char **d; /* d[i]: what v[i] is, one line, "" when unknown;
		     NULL-terminated like v; owned */
	size_t n, cap;
	const char *prefix; /* put before each name ("--app=") */
	const char *typed;  /* what the name must start with */
	const char *desc;   /* the description add() gives (names: their kind) */
};

static void add_desc(struct cands *c, const char *s, const char *desc)
{
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
		c->d = xreallocarray(c->d, c->cap, sizeof(*c->d));
	}
	c->d[c->n] = xstrdup(desc ? desc : "");
	c->v[c->n++] = x;
	c->v[c->n] = NULL;
	c->d[c->n] = NULL;
}

/* complete_add_fn: a candidate described by c->desc. */
static void add(void *acc, const char *s)
{
	struct cands *c = acc;
	add_desc(c, s, c->desc);
}

/*
 * A help text brought to one short line for a description: its lines
 * joined, up to the end of the first clause (before "; ", ": ", " (", ". ",
 * or a line that starts a new sentence), and when that is still longer
 * than BRIEF_MAX, up to the last ", " that fits.
 */
static void brief(const char *help, char *out, size_t len)
{
	char buf[256];
	size_t n = 0;
	for (const char *p = help ? help : ""; *p && n + 1 < sizeof(buf); p++) {
		if (*p == '\n') {
			if (isupper((unsigned char)p[1]) || p[1] == '(')
				break;
			buf[n++] = ' ';
			continue;
		}
		if ((p[0] == ';' || p[0] == ':' || p[0] == '.') && p[1] == ' ')
			break;
		if (p[0] == ' ' && p[1] == '(')
			break;
		buf[n++] = *p;
	}
	buf[n] = '\0';
	if (n > BRIEF_MAX) {
		buf[BRIEF_MAX] = '\0';
		char *comma = NULL;
		for (char *q = strstr(buf, ", "); q; q = strstr(q + 1, ", "))
			comma = q;
		if (comma)
			*comma = '\0';
	}
	snprintf(out, len, "%s", buf);
}

static void add_list(struct cands *c, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		add(c, list[i]);
}

static void add_commands(struct cands *c, enum cmd_front f)
{
	for (size_t i = 0; cmd_table[i]; i++) {
		const struct cmd_def *cmd = cmd_table[i];
		if (!cmd_in_front(cmd, f) || cmd->hidden)
			continue;
		add_desc(c, cmd->name, cmd->summary);
		for (size_t j = 0; cmd->aliases && cmd->aliases[j]; j++)
			if (cmd->aliases[j][0] != '\\')
				add_desc(c, cmd->aliases[j], cmd->summary);
	}
}

/* pgtail's own options (--help, --version), before any command. */
static void add_main_options(struct cands *c)
{
	char buf[64], d[BRIEF_MAX + 1];
	for (size_t i = 0; cli_main_opts[i].name; i++) {
		snprintf(buf, sizeof(buf), "--%s", cli_main_opts[i].name);
		brief(cli_main_opts[i].help, d, sizeof(d));
		add_desc(c, buf, d);
	}
}

/* The instances of this machine as 'list' numbers them, and their data
 * directories and Debian cluster names, each described. */
static void add_instances(struct cands *c)
{
	struct instance_list l = {0};
	struct sbuf d;
	detect_instances("", NULL, &l);
	sbuf_init(&d, 4096);
	for (size_t i = 0; i < l.n; i++) {
		const struct instance *in = &l.v[i];
		char num[24];
		snprintf(num, sizeof(num), "%zu", i + 1);
		sbuf_reset(&d);
		sbuf_addf(&d, "PostgreSQL%s%s", in->version ? " " : "",
			  in->version ? in->version : "");
		if (in->port)
			sbuf_addf(&d, ", port %d", in->port);
		sbuf_addf(&d, ", %s", in->datadir);
		add_desc(c, num, d.buf);
		sbuf_reset(&d);
		sbuf_addf(&d, "instance %s", num);
		if (in->cluster)
			add_desc(c, in->cluster, d.buf);
		add_desc(c, in->datadir, d.buf);
	}
	sbuf_release(&d);
	instance_list_release(&l);
}

/* The values of option o, each after prefix ("--app=" or "app="). */
static void add_values(struct cands *c, const struct complete_src *src, const struct opt_def *o,
		       bool *files)
{
	switch (o->arg) {
	case ARG_CHOICE:
		add_list(c, opt_choices(o));
		break;
	case ARG_DURATION:
	case ARG_TIME:
		add_list(c, durations);
		break;
	case ARG_APP:
	case ARG_USER:
	case ARG_DB:
	case ARG_HOST:
		c->desc = o->arg == ARG_APP    ? "application"
			  : o->arg == ARG_USER ? "user"
			  : o->arg == ARG_DB   ? "database"
					       : "host";
		if (src->names)
			src->names(src->names_ctx, o->arg, add, c);
		c->desc = NULL;
		break;
	case ARG_INSTANCE:
		if (src->instances)
			add_instances(c);
		break;
	case ARG_DIR:
	case ARG_FILE:
		*files = true;
		break;
	case ARG_NONE:
	case ARG_TEXT:
	case ARG_COUNT:
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
	char buf[64], d[BRIEF_MAX + 1];
	for (int i = 0; i < cmd->nopts; i++) {
		const struct opt_def *o = &cmd->opts[i];
		if (!opt_shown(o, f))
			continue;
		brief(o->help, d, sizeof(d));
		if (o->flags & OPT_WORD) {
			if (!dashes && first)
				add_desc(c, o->name, d);
			continue;
		}
		if (dashes)
			snprintf(buf, sizeof(buf), "--%s%s", o->name,
				 o->arg == ARG_NONE ? "" : "=");
		else if (o->flags & OPT_BARE)
			snprintf(buf, sizeof(buf), "%s=", o->name);
		else
			continue;
		add_desc(c, buf, d);
	}
}

/* Collect the candidates of complete_words into *cp. */
static void collect(struct cands *cp, const struct complete_src *src, const char *word,
		    const char *line, int start, bool *files)
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
		if (word[0] == '-' && src->front == FRONT_ONESHOT)
			add_main_options(&c);
		else
			add_commands(&c, src->front);
		goto out;
	}
	const struct cmd_def *cmd = cmd_find(first_word);
	if (!cmd || !cmd_in_front(cmd, src->front))
		goto out;
	const char *eq = strchr(word, '=');
	if (word[0] == '-') {
		if (eq) {
			const struct opt_def *o = word[1] == '-' ? find(cmd, src->front, word + 2,
									(size_t)(eq - word - 2))
								 : NULL;
			if (o) {
				char prefix[64];
				snprintf(prefix, sizeof(prefix), "%.*s", (int)(eq + 1 - word),
					 word);
				c.prefix = prefix;
				c.typed = eq + 1;
				add_values(&c, src, o, files);
				c.prefix = "";
			}
			goto out;
		}
		add_options(&c, cmd, src->front, true, false);
		goto out;
	}
	if (eq) {
		const struct opt_def *o = find(cmd, src->front, word, (size_t)(eq - word));
		if (o && (o->flags & OPT_BARE)) {
			char prefix[64];
			snprintf(prefix, sizeof(prefix), "%.*s", (int)(eq + 1 - word), word);
			c.prefix = prefix;
			c.typed = eq + 1;
			add_values(&c, src, o, files);
			c.prefix = "";
		}
		goto out;
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
out:
	c.prefix = c.typed = NULL;
	*cp = c;
}

char **complete_words_desc(const struct complete_src *src, const char *word, const char *line,
			   int start, bool *files, char ***descs)
{
	struct cands c;
	collect(&c, src, word, line, start, files);
	if (descs)
		*descs = c.d;
	else
		complete_free(c.d);
	return c.v;
}

char **complete_words(const struct complete_src *src, const char *word, const char *line, int start,
		      bool *files)
{
	return complete_words_desc(src, word, line, start, files, NULL);
}

void complete_free(char **v)
{
	if (!v)
		return;
	for (size_t i = 0; v[i]; i++)
		free(v[i]);
	free(v);
}
