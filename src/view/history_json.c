/* SPDX-License-Identifier: PostgreSQL */
/* The "connections --history --json" rendering. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "logfmt/ts.h"
#include "view/history_view.h"
#include "view/jsonout.h"

static json_t *name_json(const char *name)
{
	return name ? json_text(name) : json_null();
}

json_t *history_leaks_json(const struct history_report *r)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < r->nleaks; i++) {
		const struct leak_item *L = &r->leaks[i];
		json_t *o = json_object();
		json_object_set_new(o, "application", json_text(L->app_name));
		json_object_set_new(o, "user", name_json(L->user_name));
		json_object_set_new(o, "database", name_json(L->db_name));
		json_object_set_new(o, "host", name_json(L->host_name));
		json_object_set_new(o, "opened", json_integer(L->opened));
		json_object_set_new(o, "closed", json_integer(L->closed));
		json_object_set_new(o, "open", json_integer(L->open_now));
		json_object_set_new(o, "oldest_open", json_time(L->oldest_open_ms));
		json_object_set_new(o, "growth", json_integer(L->v.growth));
		json_object_set_new(o, "growth_per_row", json_real(L->v.growth_per_row));
		json_object_set_new(o, "hosts", json_text(L->hosts));
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *secs(int64_t ms)
{
	return ms < 0 ? json_null() : json_real((double)ms / 1000.0);
}

void history_report_print_json(const struct history_report *r, json_t *caveats, struct out *o)
{
	json_t *root = json_object();
	json_t *buckets = json_array();
	json_t *durs = json_object();

	json_object_set_new(root, "now", json_time(r->now));
	json_object_set_new(root, "window_start", json_time(r->window_start));
	json_object_set_new(root, "bucket_seconds", json_integer(r->bucket_ms / 1000));
	json_object_set_new(root, "connects", json_integer(r->connects));
	json_object_set_new(root, "disconnects", json_integer(r->disconnects));
	json_object_set_new(root, "failed", json_integer(r->failed));
	json_object_set_new(root, "net", json_integer(history_report_net(r)));
	for (size_t i = 0; i < r->nrows; i++) {
		const struct hrow *row = &r->rows[i];
		json_t *b = json_object();
		json_object_set_new(b, "at", json_time(row->at));
		json_object_set_new(b, "now", json_boolean(row->is_now));
		json_object_set_new(b, "active", json_integer(row->active));
		json_object_set_new(b, "connects", json_integer(row->connects));
		json_object_set_new(b, "disconnects", json_integer(row->disconnects));
		json_object_set_new(b, "failed", json_integer(row->failed));
		json_object_set_new(b, "potential_leak", json_boolean(row->leak_marker));
		json_array_append_new(buckets, b);
	}
	json_object_set_new(root, "buckets", buckets);
	json_t *peak = json_object();
	json_object_set_new(peak, "active", json_integer(r->peak));
	json_object_set_new(peak, "at", r->peak ? json_time(r->peak_at) : json_null());
	json_object_set_new(root, "peak", peak);
	json_object_set_new(root, "leaks", history_leaks_json(r));
	for (size_t i = 0; i < r->ndurs; i++) {
		const struct dur_item *d = &r->durs[i];
		json_t *x = json_object();
		json_object_set_new(x, "sessions", json_integer(d->sessions));
		json_object_set_new(x, "median_s", secs(d->median_ms));
		json_object_set_new(x, "p95_s", secs(d->p95_ms));
		json_object_set_new(x, "max_s", secs(d->max_ms));
		json_object_set_new(x, "connects_per_minute", json_real(d->connects_per_min));
		json_object_set_new(x, "peak_connects_per_minute", json_integer(d->peak_per_min));
		json_object_set_new(x, "pooler_advised", json_boolean(d->pooler_hint));
		char key[1024];
		json_object_set_new(durs, json_key(d->app_name, key, sizeof(key)), x);
	}
	json_object_set_new(root, "durations", durs);
	json_object_set_new(root, "filter",
			    r->filter_desc[0] ? json_string(r->filter_desc) : json_null());
	json_object_set_new(root, "caveats", caveats ? caveats : json_array());
	json_print(o, root);
}
