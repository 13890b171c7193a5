/* SPDX-License-Identifier: PostgreSQL */
/* "connections --sessions": the open sessions, oldest first. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "logfmt/ts.h"
#include "util/xalloc.h"
#include "view/history_view.h"
#include "view/jsonout.h"

static int cmp_open(const void *a, const void *b, void *ctx)
{
	const struct tracker *t = ctx;
	const struct session *x = &t->pool[*(const uint32_t *)a];
	const struct session *y = &t->pool[*(const uint32_t *)b];
	if (x->t_open != y->t_open)
		return x->t_open < y->t_open ? -1 : 1;
	return x->key < y->key ? -1 : x->key > y->key;
}

/* Indexes of the open, matching client sessions, oldest first; caller frees. */
static uint32_t *open_sessions(const struct tracker *t, size_t *n)
{
	uint32_t *idx = xcalloc(t->pool_len ? t->pool_len : 1, sizeof(*idx));
	*n = 0;
	for (uint32_t i = 0; i < t->pool_len; i++) {
		const struct session *s = &t->pool[i];
		if (s->state == SESS_OPEN && !s->replication && s->matches)
			idx[(*n)++] = i;
	}
	if (*n > 1)
		qsort_r(idx, *n, sizeof(*idx), cmp_open, (void *)t);
	return idx;
}

void sessions_print_text(const struct tracker *t, int64_t now, struct out *o)
{
	size_t n;
	uint32_t *idx = open_sessions(t, &n);
	char esc[5][128], opened[32], age[32];

	out_printf(o, "%lld open session%s%s, oldest first\n\n", (long long)n, n == 1 ? "" : "s",
		   t->complete ? "" : " (at least: the log does not start at a server start)");
	out_printf(o, "%8s  %-12s %-12s %-16s %-15s %-8s %8s\n", "pid", "user", "database",
		   "application", "host", "opened", "age");
	for (size_t i = 0; i < n; i++) {
		const struct session *s = &t->pool[idx[i]];
		if (s->t_open != TS_UNKNOWN) {
			ts_format_hms(s->t_open, opened, sizeof(opened));
			fmt_duration(now != TS_UNKNOWN ? now - s->t_open : -1, age, sizeof(age));
		} else {
			snprintf(opened, sizeof(opened), "-");
			snprintf(age, sizeof(age), "-");
		}
		char pid[24];
		if (s->key >= 0)
			snprintf(pid, sizeof(pid), "%lld", (long long)s->key);
		else
			snprintf(pid, sizeof(pid), "-");
		/* Names are padded by their width on the terminal, not bytes. */
		out_printf(o, "%8s  ", pid);
		out_padded(o, out_escape(tracker_name(t, s->user), esc[0], sizeof(esc[0])), 12);
		out_puts(o, " ");
		out_padded(o, out_escape(tracker_name(t, s->db), esc[1], sizeof(esc[1])), 12);
		out_puts(o, " ");
		out_padded(o, out_escape(tracker_name(t, s->app), esc[2], sizeof(esc[2])), 16);
		out_puts(o, " ");
		out_padded(o, out_escape(s->host ? tracker_name(t, s->host) : "-", esc[3],
					 sizeof(esc[3])),
			   15);
		out_printf(o, " %-8s %8s\n", opened, age);
	}
	free(idx);
}

void sessions_print_json(const struct tracker *t, int64_t now, struct out *o)
{
	size_t n;
	uint32_t *idx = open_sessions(t, &n);
	json_t *root = json_object();
	json_t *arr = json_array();

	json_object_set_new(root, "now", json_time(now));
	json_object_set_new(root, "complete", json_boolean(t->complete));
	for (size_t i = 0; i < n; i++) {
		const struct session *s = &t->pool[idx[i]];
		json_t *x = json_object();
		json_object_set_new(x, "pid", s->key >= 0 ? json_integer(s->key) : json_null());
		json_object_set_new(x, "user", json_text(tracker_name(t, s->user)));
		json_object_set_new(x, "database", json_text(tracker_name(t, s->db)));
		json_object_set_new(x, "application", json_text(tracker_name(t, s->app)));
		json_object_set_new(x, "host", s->host ? json_text(tracker_name(t, s->host))
						       : json_null());
		json_object_set_new(x, "port", s->port ? json_integer(s->port) : json_null());
		if (s->t_open != TS_UNKNOWN) {
			json_object_set_new(x, "opened_at", json_time(s->t_open));
			json_object_set_new(x, "age_s", now != TS_UNKNOWN
								? json_real((double)(now - s->t_open) /
									    1000.0)
								: json_null());
		} else {
			json_object_set_new(x, "opened_at", json_null());
			json_object_set_new(x, "age_s", json_null());
		}
		json_array_append_new(arr, x);
	}
	json_object_set_new(root, "sessions", arr);
	json_print(o, root);
	free(idx);
}
