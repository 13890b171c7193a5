/* SPDX-License-Identifier: PostgreSQL */
/* The dashboard's filter line; see top_prompt.h. */
#include "cli/top_prompt.h"

#include <stdio.h>
#include <string.h>

#include "repl/repl.h"
#include "view/top_term.h"

/* "app=myapp user=x" for the filter now, quoted where the shell's splitter
 * needs it. */
static void filter_words(const struct filter *f, char *buf, size_t len)
{
	const char *v[DASH__DIMS] = {f->db, f->user, f->app, f->host};
	size_t n = 0;
	buf[0] = '\0';
	for (int d = 0; d < DASH__DIMS; d++) {
		if (!v[d])
			continue;
		bool q = strpbrk(v[d], " \t'\"\\") != NULL && !strchr(v[d], '\'');
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s=%s%s%s ",
				      dash_dim_word((enum dash_dim)d), q ? "'" : "", v[d],
				      q ? "'" : "");
		if (n >= len)
			break;
	}
}

void top_filter_set(struct filter *f, enum dash_dim d, const char *pattern)
{
	const char *v[DASH__DIMS] = {f->db, f->user, f->app, f->host};
	v[d] = pattern && *pattern ? pattern : NULL;
	struct filter nf;
	filter_init(&nf);
	filter_set(&nf, v[DASH_APP], v[DASH_USER], v[DASH_DB], v[DASH_HOST]);
	filter_release(f);
	*f = nf;
}

/* The filter typed, into *out (taken over by the caller); false (said in
 * msg) when it is not one. */
static bool parse(struct top_prompt *t, struct filter *out)
{
	const char *err = NULL;
	int n;
	char **w = repl_split(t->text, &n, &err);
	struct filter f;
	if (!w) {
		snprintf(t->msg, sizeof(t->msg), "filter not applied: %s", err);
		return false;
	}
	filter_init(&f);
	for (int i = 0; i < n; i++) {
		enum dash_dim d;
		const char *p;
		if (dash_parse_filter_word(w[i], &d, &p) < 0) {
			snprintf(t->msg, sizeof(t->msg),
				 "not a filter: '%.200s' (app=, user=, db=, host=)", w[i]);
			filter_release(&f);
			repl_free_words(w);
			return false;
		}
		top_filter_set(&f, d, p);
	}
	repl_free_words(w);
	filter_release(out);
	*out = f;
	t->msg[0] = '\0';
	return true;
}

struct names_acc {
	const char *prefix;
	size_t plen;
	char first[256];
	size_t common; /* length shared by every candidate */
	int n;
	char list[400];
};

static void name_candidate(void *ctx, const char *name)
{
	struct names_acc *a = ctx;
	if (strncmp(name, a->prefix, a->plen))
		return;
	if (!a->n++) {
		snprintf(a->first, sizeof(a->first), "%s", name);
		a->common = strlen(a->first);
	} else {
		size_t i = 0;
		while (i < a->common && name[i] == a->first[i])
			i++;
		a->common = i;
	}
	size_t l = strlen(a->list);
	if (l + strlen(name) + 2 < sizeof(a->list))
		snprintf(a->list + l, sizeof(a->list) - l, "%s%s", l ? "  " : "", name);
}

/* Tab: complete the last word, a key or a name m has seen. */
static void complete(struct top_prompt *t, const struct model *m)
{
	char *word = strrchr(t->text, ' ');
	word = word ? word + 1 : t->text;
	size_t room = sizeof(t->text) - (size_t)(word - t->text);
	enum dash_dim d;
	const char *p;
	if (dash_parse_filter_word(word, &d, &p) < 0) {
		static const char *const keys[] = {"app=", "user=", "db=", "host="};
		int hit = -1, n = 0;
		for (int i = 0; i < 4; i++)
			if (!strncmp(keys[i], word, strlen(word))) {
				hit = i;
				n++;
			}
		if (n == 1)
			snprintf(word, room, "%s", keys[hit]);
		else
			snprintf(t->msg, sizeof(t->msg), "app=NAME user=NAME db=NAME host=NAME");
		return;
	}
	static const enum model_name kinds[DASH__DIMS] = {[DASH_DB] = MODEL_DB,
							  [DASH_USER] = MODEL_USER,
							  [DASH_APP] = MODEL_APP,
							  [DASH_HOST] = MODEL_HOST};
	struct names_acc a = {.prefix = p, .plen = strlen(p)};
	model_names(m, kinds[d], name_candidate, &a);
	size_t at = (size_t)(p - word);
	if (a.n == 1) {
		bool q = strpbrk(a.first, " \t\"\\") != NULL && !strchr(a.first, '\'');
		snprintf(word + at, room - at, "%s%s%s", q ? "'" : "", a.first, q ? "'" : "");
		t->msg[0] = '\0';
	} else if (a.n > 1) {
		if (a.common > a.plen && !strpbrk(a.first, " \t'\"\\"))
			snprintf(word + at, room - at, "%.*s", (int)a.common, a.first);
		snprintf(t->msg, sizeof(t->msg), "%s", a.list);
	} else {
		snprintf(t->msg, sizeof(t->msg), "no %s seen starts with '%.100s'",
			 dash_dim_word(d), p);
	}
}

void top_prompt_open(struct top_prompt *p, const struct filter *f)
{
	p->active = true;
	p->msg[0] = '\0';
	filter_words(f, p->text, sizeof(p->text));
}

enum top_prompt_result top_prompt_key(struct top_prompt *t, int k, const struct model *m,
				      struct filter *f)
{
	size_t n = strlen(t->text);
	switch (k) {
	case TK_ESC:
		t->active = false;
		t->msg[0] = '\0';
		return PROMPT_CANCELLED;
	case TK_ENTER:
		if (!parse(t, f))
			break;
		t->active = false;
		return PROMPT_APPLIED;
	case TK_BACKSPACE:
		if (n)
			t->text[n - 1] = '\0';
		break;
	case TK_TAB:
		complete(t, m);
		break;
	default:
		if (k >= 32 && k < 256 && k != 127 && n + 1 < sizeof(t->text)) {
			t->text[n] = (char)k;
			t->text[n + 1] = '\0';
		}
		break;
	}
	return PROMPT_TYPING;
}
