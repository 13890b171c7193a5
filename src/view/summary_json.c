/* SPDX-License-Identifier: PostgreSQL */
/* The "connections --json" rendering of the summary view model. */
#include "view/summary.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

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

void summary_print_json(const struct summary *s, const struct history_report *hr, struct out *o)
{
	const struct tracker *t = s->t;
	json_t *root = json_object();
	json_t *reasons = json_object();
	json_t *peak = json_object();

	json_object_set_new(root, "now", json_time(s->now_ms));
	json_object_set_new(root, "window_start", json_time(s->window_start_ms));
	json_object_set_new(root, "active", json_integer(t->active));
	json_object_set_new(root, "by_database", breakdown_json(&s->by_db));
	json_object_set_new(root, "by_user", breakdown_json(&s->by_user));
	json_object_set_new(root, "by_application", breakdown_json(&s->by_app));
	json_object_set_new(root, "by_host", breakdown_json(&s->by_host));
	json_object_set_new(root, "connects", json_integer(t->connects));
	json_object_set_new(root, "disconnects", json_integer(t->disconnects));
	json_object_set_new(root, "failed", json_integer(t->failed));
	for (int i = 1; i < FAIL__COUNT; i++)
		if (t->failed_by_reason[i])
			json_object_set_new(reasons, fail_reason_name((enum fail_reason)i),
					    json_integer(t->failed_by_reason[i]));
	json_object_set_new(root, "failed_by_reason", reasons);
	json_object_set_new(root, "replication_active", json_integer(t->replication_active));
	json_object_set_new(root, "replication_connects", json_integer(t->replication_connects));
	json_object_set_new(peak, "active", json_integer(t->peak));
	json_object_set_new(peak, "at", json_time(t->peak_at));
	json_object_set_new(root, "peak", peak);
	json_object_set_new(root, "unmatched_disconnects", json_integer(t->unmatched_disconnects));
	json_object_set_new(root, "abandoned", json_integer(t->abandoned));
	json_object_set_new(root, "ended_by_reset", json_integer(t->ended_by_reset));
	json_object_set_new(root, "ended_by_pid_reuse", json_integer(t->lost_by_reuse));
	json_object_set_new(root, "names_over_limit", json_integer((json_int_t)t->names.refused));
	json_object_set_new(root, "complete", json_boolean(t->complete));
	json_object_set_new(root, "has_pids", json_boolean(t->has_pids));
	json_object_set_new(root, "files", json_integer((json_int_t)s->files));
	json_object_set_new(root, "lines", json_integer((json_int_t)s->lines));
	json_object_set_new(root, "skipped", json_integer((json_int_t)s->skipped));
	json_object_set_new(root, "leaks", hr ? history_leaks_json(hr) : json_array());
	json_object_set_new(root, "filter", s->filter_desc[0] ? json_string(s->filter_desc)
							      : json_null());

	json_print(o, root);
}
