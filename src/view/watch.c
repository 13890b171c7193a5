/* SPDX-License-Identifier: PostgreSQL */
/* Live connection events, one line each; see watch.h. */
#include "view/watch.h"

#include <jansson.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "logfmt/ts.h"
#include "view/history_view.h"
#include "conn/eventinfo.h"
#include "view/jsonout.h"

/* The event's mark, "[+]", in its colour. */
static void mark(struct out *o, enum out_style st, const char *m)
{
	out_style_begin(o, st);
	out_puts(o, m);
	out_style_end(o, st);
}

static void json_event(struct watch_view *w, const struct event_info *x, const char *kind)
{
	json_t *o = json_object();
	json_object_set_new(o, "event", json_string(kind));
	json_object_set_new(o, "at", json_time(x->at));
	json_object_set_new(o, "pid", x->pid >= 0 ? json_integer(x->pid) : json_null());
	json_object_set_new(o, "application", x->app ? json_text(x->app) : json_null());
	json_object_set_new(o, "user", x->user ? json_text(x->user) : json_null());
	json_object_set_new(o, "database", x->db ? json_text(x->db) : json_null());
	json_object_set_new(o, "host", x->host ? json_text(x->host) : json_null());
	if (x->kind == EV_DISCONNECTED) {
		json_object_set_new(o, "duration_s",
				    x->duration_ms >= 0 ? json_real((double)x->duration_ms / 1000.0)
							: json_null());
		json_object_set_new(o, "ended_by_server",
				    x->ending ? json_string(end_reason_name(x->ending))
					      : json_null());
	}
	if (x->kind == EV_FAILED) {
		json_object_set_new(o, "reason", json_string(fail_reason_name(x->reason)));
		json_object_set_new(o, "message", x->message ? json_text(x->message) : json_null());
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
	const struct tracker *t = w->t;
	long long open = (long long)tracker_count_open(t, w->filter);
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
		out_printf(w->o,
			   "Watching connections for %s (and the server's starts, stops and "
			   "crashes, which end every session)\n",
			   desc);
	else
		out_printf(w->o, "Watching connections\n");
	fflush(w->o->fp);
}

/* The names the text line shows; "unknown" and "?" for absent ones, as the
 * summary shows an unset application. */
static const char *shown(const char *name, const char *absent, char *buf, size_t len)
{
	return out_escape(name ? name : absent, buf, len);
}

enum out_style watch_format(const struct event_info *x, char *buf, size_t len)
{
	char tm[16] = "--:--:--", esc[4][256], dur[32], pid[32] = "";
	enum out_style st = OUT_FAINT;

	if (x->at != TS_UNKNOWN)
		ts_format_hms(x->at, tm, sizeof(tm));
	shown(x->app, "unknown", esc[0], sizeof(esc[0]));
	shown(x->host, "?", esc[1], sizeof(esc[1]));
	shown(x->user, "unknown", esc[2], sizeof(esc[2]));
	shown(x->db, "unknown", esc[3], sizeof(esc[3]));
	if (x->pid >= 0)
		snprintf(pid, sizeof(pid), ", pid %lld", (long long)x->pid);
	switch (x->shown) {
	case SHOWN_CONNECT:
		st = OUT_GOOD;
		snprintf(buf, len, "[+] %s %s connected from %s (user: %s, db: %s%s)", tm, esc[0],
			 esc[1], esc[2], esc[3], pid);
		break;
	case SHOWN_DISCONNECT:
		st = OUT_WARN;
		fmt_duration(x->duration_ms, dur, sizeof(dur));
		snprintf(buf, len,
			 "[-] %s %s disconnected from %s (user: %s, db: %s%s, duration: %s%s%s)",
			 tm, esc[0], esc[1], esc[2], esc[3], pid, dur,
			 x->ending ? ", ended by the server: " : "",
			 x->ending ? end_reason_name(x->ending) : "");
		break;
	case SHOWN_FAILED: {
		char msg[512];
		st = OUT_BAD;
		out_escape(x->message ? x->message : fail_reason_name(x->reason), msg, sizeof(msg));
		snprintf(buf, len, "[!] %s %s connection failed from %s: %s (user: %s, db: %s%s)",
			 tm, esc[0], esc[1], msg, esc[2], esc[3], pid);
		break;
	}
	case SHOWN_SERVER:
	case SHOWN_NONE: {
		/* A crash is red; a stop ends sessions as a crash does, but was asked
		 * for; a start is news, not trouble. */
		bool crash = x->kind == EV_SERVER_CRASH, stop = x->kind == EV_SERVER_STOPPED;
		const char *what = crash  ? "crashed: every session ended"
				   : stop ? "stopped: every session ended"
					  : "started";
		st = crash ? OUT_BAD : stop ? OUT_WARN : OUT_FAINT;
		snprintf(buf, len, "[!] %s server %s", tm, what);
		break;
	}
	}
	return st;
}

void watch_on_event(void *ctx, const struct tevent *ev, const struct session *s)
{
	struct watch_view *w = ctx;
	struct event_info x;
	static const char *const kinds[] = {[SHOWN_CONNECT] = "connect",
					    [SHOWN_DISCONNECT] = "disconnect",
					    [SHOWN_FAILED] = "failed",
					    [SHOWN_SERVER] = "server"};

	event_info_fill(&x, w->t, ev, s);
	if (x.shown == SHOWN_NONE)
		return;
	if (w->since_ms != TS_UNKNOWN && (x.at == TS_UNKNOWN || x.at < w->since_ms))
		return;
	if (!event_info_matches(&x, w->filter))
		return;
	/* One server start or crash logs several lines ("starting PostgreSQL",
	 * "database system was shut down at"): show it once. */
	if (x.shown == SHOWN_SERVER && w->last_shown == SHOWN_SERVER && (int)x.kind == w->last_kind)
		return;
	w->last_shown = x.shown;
	w->last_kind = x.kind;
	watch_clear_status(w);
	w->shown++;
	if (w->json) {
		json_event(w, &x, kinds[x.shown]);
		out_flush(w->o);
		return;
	}
	char line[1024];
	enum out_style st = watch_format(&x, line, sizeof(line));
	/* The mark, "[+]", in its colour; the rest plain. */
	char m[4];
	memcpy(m, line, 3);
	m[3] = '\0';
	mark(w->o, st, m);
	out_printf(w->o, "%s\n", line + 3);
	out_flush(w->o);
}
