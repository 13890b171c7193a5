/* SPDX-License-Identifier: PostgreSQL */
/* The "connections --json" rendering of the summary view model. */
#include "view/summary.h"

#include <jansson.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "logfmt/ts.h"
#include "view/history_view.h"
#include "view/jsonout.h"

static json_t *breakdown_json(const struct breakdown *b)
{
	json_t *o = json_object();
	char key[1024];
	for (size_t i = 0; i < b->n; i++)
		json_object_set_new(o, json_key(b->v[i].name, key, sizeof(key)),
				    json_integer(b->v[i].count));
	return o;
}

/* The text view's caveat as one line: no "Note: ", one space between words
 * (a non-breaking OUT_GLUE is a space too). */
static void one_line(char *text)
{
	const char *p = text;
	char *w = text;
	if (!strncmp(p, "Note: ", 6))
		p += 6;
	for (; *p; p++) {
		bool space = *p == ' ' || *p == '\n' || *p == OUT_GLUE;
		if (space && (w == text || w[-1] == ' '))
			continue;
		*w++ = space ? ' ' : *p;
	}
	if (w > text && w[-1] == ' ')
		w--;
	*w = '\0';
}

/* A caveat's periods: "from" (the first's start) and "to" (the last's end,
 * null while still off), then each period. */
static void spans_json(json_t *c, const struct caveat *cv)
{
	json_t *arr = json_array();
	json_object_set_new(c, "from", json_time(cv->spans[0].from));
	json_object_set_new(c, "to", json_time(cv->spans[cv->nspans - 1].to));
	for (size_t i = 0; i < cv->nspans; i++) {
		json_t *p = json_object();
		json_object_set_new(p, "from", json_time(cv->spans[i].from));
		json_object_set_new(p, "to", json_time(cv->spans[i].to));
		json_array_append_new(arr, p);
	}
	json_object_set_new(c, "periods", arr);
	if (cv->merged)
		json_object_set_new(c, "periods_merged", json_integer(cv->merged));
}

void summary_print_json(const struct summary *s, const struct history_report *hr, struct out *o)
{
	json_t *root = json_object();
	json_t *reasons = json_object();
	json_t *peak = json_object();

	json_object_set_new(root, "now", json_time(s->now_ms));
	json_object_set_new(root, "window_start", json_time(s->window_start_ms));
	json_object_set_new(root, "following", json_boolean(s->following));
	json_object_set_new(root, "last_line", json_time(s->last_line_ms));
	json_object_set_new(root, "active", json_integer(s->active));
	json_object_set_new(root, "active_unknown", json_integer(s->active_unknown));
	json_object_set_new(root, "by_database", breakdown_json(&s->by_db));
	json_object_set_new(root, "by_user", breakdown_json(&s->by_user));
	json_object_set_new(root, "by_application", breakdown_json(&s->by_app));
	json_object_set_new(root, "by_host", breakdown_json(&s->by_host));
	json_object_set_new(root, "connects", json_integer(s->connects));
	json_object_set_new(root, "disconnects", json_integer(s->disconnects));
	json_object_set_new(root, "failed", json_integer(s->failed));
	for (size_t i = 0; i < s->n_reasons; i++)
		json_object_set_new(reasons, s->failed_by_reason[i].name,
				    json_integer(s->failed_by_reason[i].count));
	json_object_set_new(root, "failed_by_reason", reasons);
	json_t *ended = json_object();
	for (size_t i = 0; i < s->n_ended; i++)
		json_object_set_new(ended, s->ended_by_server[i].name,
				    json_integer(s->ended_by_server[i].count));
	json_object_set_new(root, "ended_by_server", ended);
	json_object_set_new(root, "replication_active", json_integer(s->replication_active));
	json_object_set_new(root, "replication_connects", json_integer(s->replication_connects));
	json_object_set_new(peak, "active", json_integer(s->peak));
	json_object_set_new(peak, "at", json_time(s->peak_at));
	json_object_set_new(root, "peak", peak);
	json_object_set_new(root, "unmatched_disconnects", json_integer(s->unmatched_disconnects));
	json_object_set_new(root, "abandoned", json_integer(s->abandoned));
	json_object_set_new(root, "ended_by_reset", json_integer(s->ended_by_reset));
	json_object_set_new(root, "ended_by_pid_reuse", json_integer(s->ended_by_pid_reuse));
	json_object_set_new(root, "names_over_limit",
			    json_integer((json_int_t)s->names_over_limit));
	json_object_set_new(root, "complete", json_boolean(s->complete));
	json_object_set_new(root, "has_pids", json_boolean(s->has_pids));
	json_object_set_new(root, "files", json_integer((json_int_t)s->files));
	json_object_set_new(root, "lines", json_integer((json_int_t)s->lines));
	json_object_set_new(root, "skipped", json_integer((json_int_t)s->skipped));
	json_t *langs = json_array();
	for (size_t i = 0; i < s->nlangs; i++)
		json_array_append_new(langs, json_string(s->langs[i]));
	json_object_set_new(root, "languages", langs);
	json_object_set_new(root, "language_forced", json_boolean(s->lang_forced));
	json_object_set_new(root, "leaks", hr ? history_leaks_json(hr) : json_array());
	json_object_set_new(root, "filter",
			    s->filter_desc[0] ? json_string(s->filter_desc) : json_null());
	if (s->nservers) {
		/* Only for the logs of a transport that names hosts. */
		json_t *sv = json_array();
		for (size_t i = 0; i < s->nservers; i++)
			json_array_append_new(sv, json_text(s->servers[i]));
		json_object_set_new(root, "servers", sv);
		json_object_set_new(root, "server", s->server ? json_text(s->server) : json_null());
	}
	if (s->n_by_server) {
		json_t *bs = json_array();
		for (size_t i = 0; i < s->n_by_server; i++) {
			const struct server_count *c = &s->by_server[i];
			json_array_append_new(bs, json_pack("{s:o, s:I, s:I, s:I}", "server",
							    json_text(c->name), "active",
							    (json_int_t)c->active, "connects",
							    (json_int_t)c->connects, "failed",
							    (json_int_t)c->failed));
		}
		json_object_set_new(root, "by_server", bs);
	}
	json_object_set_new(root, "caveats", summary_caveats_json(s));
	json_print(o, root);
}

json_t *summary_caveats_json(const struct summary *s)
{
	json_t *caveats = json_array();
	for (size_t i = 0; i < s->ncaveats; i++) {
		char text[2048];
		json_t *c = json_object();
		caveat_text(&s->caveats[i], text, sizeof(text));
		one_line(text);
		json_object_set_new(c, "kind", json_string(caveat_key(s->caveats[i].kind)));
		json_object_set_new(c, "message", json_text(text));
		if (s->caveats[i].nspans)
			spans_json(c, &s->caveats[i]);
		json_array_append_new(caveats, c);
	}
	return caveats;
}
