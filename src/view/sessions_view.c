/* SPDX-License-Identifier: PostgreSQL */
/* "connections --sessions": the open sessions, oldest first. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "logfmt/ts.h"
#include "model/sessions.h"
#include "view/history_view.h"
#include "view/jsonout.h"

void sessions_print_text(const struct session_list *l, struct out *o)
{
	size_t n = l->n;
	int64_t now = l->now;
	char esc[5][128], opened[32], age[32];

	if (l->filter_desc[0])
		out_printf(o, "Filter: %s\n", l->filter_desc);
	out_printf(o, "%lld open session%s%s, oldest first\n", (long long)n, n == 1 ? "" : "s",
		   l->complete ? ""
		   : l->unseen ? " (at least: sessions started while log_connections was off are "
				 "not seen)"
			       : " (at least: the log does not start at a server start)");
	if (l->unknown) {
		char text[256];
		snprintf(text, sizeof(text),
			 "Not listed: up to %lld more started while log_disconnections was off, "
			 "whose ends are not logged",
			 (long long)l->unknown);
		out_wrap(o, text, 2);
	}
	out_puts(o, "\n");
	out_printf(o, "%8s  %-12s %-12s %-16s %-15s %5s %-8s %8s\n", "pid", "user", "database",
		   "application", "host", "port", "opened", "age");
	for (size_t i = 0; i < n; i++) {
		const struct open_session *s = &l->v[i];
		if (s->opened_at != TS_UNKNOWN) {
			ts_format_hms(s->opened_at, opened, sizeof(opened));
			fmt_duration(now != TS_UNKNOWN ? now - s->opened_at : -1, age, sizeof(age));
		} else {
			snprintf(opened, sizeof(opened), "-");
			snprintf(age, sizeof(age), "-");
		}
		char pid[24];
		if (s->pid >= 0)
			snprintf(pid, sizeof(pid), "%lld", (long long)s->pid);
		else
			snprintf(pid, sizeof(pid), "-");
		/* Names are padded by their width on the terminal, not bytes. */
		out_printf(o, "%8s  ", pid);
		out_padded(o, out_escape(s->user, esc[0], sizeof(esc[0])), 12);
		out_puts(o, " ");
		out_padded(o, out_escape(s->db, esc[1], sizeof(esc[1])), 12);
		out_puts(o, " ");
		out_padded(o, out_escape(s->app, esc[2], sizeof(esc[2])), 16);
		out_puts(o, " ");
		out_padded(o, out_escape(s->host ? s->host : "-", esc[3], sizeof(esc[3])), 15);
		char port[16] = "-";
		if (s->port)
			snprintf(port, sizeof(port), "%d", s->port);
		out_printf(o, " %5s %-8s %8s\n", port, opened, age);
	}
}

void sessions_print_json(const struct session_list *l, json_t *caveats, struct out *o)
{
	json_t *root = json_object();
	json_t *arr = json_array();

	json_object_set_new(root, "now", json_time(l->now));
	json_object_set_new(root, "complete", json_boolean(l->complete));
	json_object_set_new(root, "active_unknown", json_integer(l->unknown));
	for (size_t i = 0; i < l->n; i++) {
		const struct open_session *s = &l->v[i];
		json_t *x = json_object();
		json_object_set_new(x, "pid", s->pid >= 0 ? json_integer(s->pid) : json_null());
		json_object_set_new(x, "user", json_text(s->user));
		json_object_set_new(x, "database", json_text(s->db));
		json_object_set_new(x, "application", json_text(s->app));
		json_object_set_new(x, "host", s->host ? json_text(s->host) : json_null());
		json_object_set_new(x, "port", s->port ? json_integer(s->port) : json_null());
		if (s->opened_at != TS_UNKNOWN) {
			json_object_set_new(x, "opened_at", json_time(s->opened_at));
			json_object_set_new(
			    x, "age_s",
			    l->now != TS_UNKNOWN
				? json_real((double)(l->now - s->opened_at) / 1000.0)
				: json_null());
		} else {
			json_object_set_new(x, "opened_at", json_null());
			json_object_set_new(x, "age_s", json_null());
		}
		json_array_append_new(arr, x);
	}
	json_object_set_new(root, "sessions", arr);
	json_object_set_new(root, "filter",
			    l->filter_desc[0] ? json_string(l->filter_desc) : json_null());
	json_object_set_new(root, "caveats", caveats ? caveats : json_array());
	json_print(o, root);
}
