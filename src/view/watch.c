/* SPDX-License-Identifier: PostgreSQL */
/* Live connection events, one line each; see watch.h. */
#include "view/watch.h"

#include <jansson.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "logfmt/ts.h"
#include "view/history_view.h"
#include "view/jsonout.h"

/* The event's mark, "[+]", in its colour. */
static void mark(struct out *o, enum out_style st, const char *m)
{
	out_style_begin(o, st);
	out_puts(o, m);
	out_style_end(o, st);
}

static const char *name(const struct tracker *t, uint32_t id)
{
	return tracker_name(t, id);
}

/* Does the event pass the filter?  Sessions carry their own attributes;
 * a failure those of the attempt. */
static bool wanted(const struct watch_view *w, const struct tevent *ev, const struct session *s)
{
	const struct tracker *t = w->t;
	if (!w->filter || filter_empty(w->filter))
		return true;
	uint32_t app = ev->app, user = ev->user, db = ev->db, host = ev->host;
	if (s && ev->kind != EV_FAILED) {
		app = s->app;
		user = s->user;
		db = s->db;
		host = s->host;
	} else if (s && !host) {
		host = s->host;
	}
	return filter_match(w->filter, app ? name(t, app) : NULL, user ? name(t, user) : NULL,
			    db ? name(t, db) : NULL, host ? name(t, host) : NULL);
}

static void json_event(struct watch_view *w, const struct tevent *ev, const struct session *s,
		       const char *kind)
{
	const struct tracker *t = w->t;
	json_t *o = json_object();
	uint32_t app = s && ev->kind != EV_FAILED ? s->app : ev->app;
	uint32_t user = s && ev->kind != EV_FAILED ? s->user : ev->user;
	uint32_t db = s && ev->kind != EV_FAILED ? s->db : ev->db;
	uint32_t host = s ? s->host : ev->host;
	json_object_set_new(o, "event", json_string(kind));
	json_object_set_new(o, "at", json_time(ev->ts_ms));
	json_object_set_new(o, "pid", ev->pid >= 0 ? json_integer(ev->pid) : json_null());
	json_object_set_new(o, "application", app ? json_text(name(t, app)) : json_null());
	json_object_set_new(o, "user", user ? json_text(name(t, user)) : json_null());
	json_object_set_new(o, "database", db ? json_text(name(t, db)) : json_null());
	json_object_set_new(o, "host", host ? json_text(name(t, host)) : json_null());
	if (ev->kind == EV_DISCONNECTED) {
		int64_t d = ev->session_ms;
		if (d < 0 && s && s->t_open != TS_UNKNOWN && ev->ts_ms != TS_UNKNOWN)
			d = ev->ts_ms - s->t_open;
		json_object_set_new(o, "duration_s", d >= 0 ? json_real((double)d / 1000.0)
							    : json_null());
	}
	if (ev->kind == EV_FAILED) {
		json_object_set_new(o, "reason", json_string(fail_reason_name(ev->reason)));
		json_object_set_new(o, "message", ev->message ? json_text(ev->message) : json_null());
	}
	char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
	if (text) {
		out_printf(w->o, "%s\n", text);
		free(text);
	}
	json_decref(o);
}

void watch_clear_status(struct watch_view *w)
{
	if (w->status_shown) {
		out_clear_line(w->o);
		w->status_shown = false;
	}
}

void watch_status(struct watch_view *w)
{
	if (!w->status || w->json)
		return;
	long long open = 0;
	const struct tracker *t = w->t;
	for (uint32_t i = 0; i < t->pool_len; i++) {
		const struct session *s = &t->pool[i];
		if (s->state != SESS_OPEN || s->replication)
			continue;
		if (w->filter && !filter_empty(w->filter) &&
		    !filter_match(w->filter, s->app ? name(t, s->app) : NULL,
				  s->user ? name(t, s->user) : NULL, s->db ? name(t, s->db) : NULL,
				  s->host ? name(t, s->host) : NULL))
			continue;
		open++;
	}
	out_clear_line(w->o);
	out_style_begin(w->o, OUT_FAINT);
	out_printf(w->o, "-- %lld open%s, %lld events shown; Ctrl+C to stop --", open,
		   t->complete ? "" : " (at least)", w->shown);
	out_style_end(w->o, OUT_FAINT);
	out_flush(w->o);
	w->status_shown = true;
}

void watch_header(struct watch_view *w)
{
	char desc[512];
	if (w->json)
		return;
	filter_describe(w->filter, desc, sizeof(desc));
	if (desc[0])
		out_printf(w->o, "Watching connections for %s\n", desc);
	else
		out_printf(w->o, "Watching connections\n");
	fflush(w->o->fp);
}

void watch_on_event(void *ctx, const struct tevent *ev, const struct session *s)
{
	struct watch_view *w = ctx;
	const struct tracker *t = w->t;
	char tm[16] = "--:--:--", esc[4][256], dur[32];

	const char *kind = NULL;
	switch (ev->kind) {
	case EV_AUTHORIZED:
		kind = ev->replication ? NULL : "connect";
		break;
	case EV_DISCONNECTED:
		kind = s && s->replication ? NULL : "disconnect";
		break;
	case EV_FAILED:
		kind = "failed";
		break;
	case EV_SERVER_START:
	case EV_SERVER_CRASH:
	case EV_SERVER_STOPPED:
		kind = "server";
		break;
	default:
		break;
	}
	if (!kind)
		return;
	if (w->since_ms != TS_UNKNOWN && (ev->ts_ms == TS_UNKNOWN || ev->ts_ms < w->since_ms))
		return;
	if (strcmp(kind, "server") != 0 && !wanted(w, ev, s))
		return;
	watch_clear_status(w);
	w->shown++;
	if (w->json) {
		json_event(w, ev, s, kind);
		fflush(w->o->fp);
		return;
	}
	if (ev->ts_ms != TS_UNKNOWN)
		ts_format_hms(ev->ts_ms, tm, sizeof(tm));
	uint32_t app = s && ev->kind != EV_FAILED ? s->app : ev->app;
	uint32_t user = s && ev->kind != EV_FAILED ? s->user : ev->user;
	uint32_t db = s && ev->kind != EV_FAILED ? s->db : ev->db;
	uint32_t host = s ? s->host : ev->host;
	out_escape(name(t, app), esc[0], sizeof(esc[0]));
	out_escape(host ? name(t, host) : "?", esc[1], sizeof(esc[1]));
	out_escape(name(t, user), esc[2], sizeof(esc[2]));
	out_escape(name(t, db), esc[3], sizeof(esc[3]));

	switch (ev->kind) {
	case EV_AUTHORIZED:
		mark(w->o, OUT_GOOD, "[+]");
		out_printf(w->o, " %s %s connected from %s (user: %s, db: %s)\n", tm, esc[0],
			   esc[1], esc[2], esc[3]);
		break;
	case EV_DISCONNECTED: {
		int64_t d = ev->session_ms;
		if (d < 0 && s && s->t_open != TS_UNKNOWN && ev->ts_ms != TS_UNKNOWN)
			d = ev->ts_ms - s->t_open;
		fmt_duration(d, dur, sizeof(dur));
		mark(w->o, OUT_WARN, "[-]");
		out_printf(w->o, " %s %s disconnected (duration: %s)\n", tm, esc[0], dur);
		break;
	}
	case EV_FAILED: {
		char msg[512];
		out_escape(ev->message ? ev->message : fail_reason_name(ev->reason), msg,
			   sizeof(msg));
		mark(w->o, OUT_BAD, "[!]");
		out_printf(w->o, " %s %s connection failed from %s: %s (user: %s, db: %s)\n", tm,
			   esc[0], esc[1], msg, esc[2], esc[3]);
		break;
	}
	default: {
		const char *what = ev->kind == EV_SERVER_CRASH	 ? "crashed: every session ended"
				   : ev->kind == EV_SERVER_STOPPED ? "stopped: every session ended"
								   : "started";
		mark(w->o, OUT_BAD, "[!]");
		out_printf(w->o, " %s server %s\n", tm, what);
		break;
	}
	}
	fflush(w->o->fp);
}
