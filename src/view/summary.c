/* SPDX-License-Identifier: PostgreSQL */
/* The "connections" summary: view model and its text rendering. */
#include "view/summary.h"

#include <stdlib.h>
#include <string.h>

#include "logfmt/ts.h"
#include "util/xalloc.h"

static int cmp_nc(const void *a, const void *b)
{
	const struct name_count *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Count open sessions per name id of one dimension. */
static void tally(struct breakdown *b, const struct tracker *t, size_t field)
{
	size_t nn = intern_count(&t->names);
	int64_t *cnt = xcalloc(nn, sizeof(*cnt));

	for (uint32_t i = 0; i < t->pool_len; i++) {
		const struct session *s = &t->pool[i];
		if (s->state != SESS_OPEN || s->replication || !s->matches)
			continue;
		uint32_t id = field == 0 ? s->db : field == 1 ? s->user : field == 2 ? s->app : s->host;
		cnt[id]++;
	}
	b->n = 0;
	b->v = xcalloc(nn, sizeof(*b->v));
	for (size_t id = 0; id < nn; id++) {
		if (!cnt[id])
			continue;
		b->v[b->n].name = tracker_name(t, (uint32_t)id);
		b->v[b->n].count = cnt[id];
		b->n++;
	}
	if (b->n > 1)
		qsort(b->v, b->n, sizeof(*b->v), cmp_nc);
	free(cnt);
}

void summary_build(struct summary *s, const struct tracker *t)
{
	memset(s, 0, sizeof(*s));
	s->t = t;
	s->now_ms = t->until_ms != TS_UNKNOWN ? t->until_ms : t->last_ts;
	s->window_start_ms = t->since_ms != TS_UNKNOWN ? t->since_ms : t->window_first_ts;
	tally(&s->by_db, t, 0);
	tally(&s->by_user, t, 1);
	tally(&s->by_app, t, 2);
	tally(&s->by_host, t, 3);
	filter_describe(&t->filter, s->filter_desc, sizeof(s->filter_desc));
}

void summary_release(struct summary *s)
{
	free(s->by_db.v);
	free(s->by_user.v);
	free(s->by_app.v);
	free(s->by_host.v);
}

bool summary_empty(const struct summary *s)
{
	return !s->t->has_connection_events;
}

static void print_breakdown(struct out *o, const char *title, const struct breakdown *b)
{
	size_t w = 8;
	char esc[512];

	out_printf(o, "\n%s:\n", title);
	if (!b->n) {
		out_printf(o, "  (none)\n");
		return;
	}
	for (size_t i = 0; i < b->n; i++) {
		size_t n = out_width(out_escape(b->v[i].name, esc, sizeof(esc)));
		if (n > w)
			w = n;
	}
	if (w > 40)
		w = 40;
	for (size_t i = 0; i < b->n; i++) {
		out_puts(o, "  ");
		out_padded(o, out_escape(b->v[i].name, esc, sizeof(esc)), w);
		out_printf(o, " %5lld\n", (long long)b->v[i].count);
	}
}

/* "00:41:52", or with the date when the window spans days. */
static void fmt_time(int64_t ms, bool with_date, char *buf, size_t len)
{
	char iso[40];
	if (ms == TS_UNKNOWN) {
		snprintf(buf, len, "the start of the log");
		return;
	}
	if (!with_date) {
		ts_format_hms(ms, buf, len);
		return;
	}
	ts_format_iso(ms, iso, sizeof(iso));
	/* 2026-11-29T00:41:52.360Z → 2026-11-29 00:41:52 */
	snprintf(buf, len, "%.10s %.8s", iso, iso + 11);
}

void summary_print_text(const struct summary *s, struct out *o)
{
	const struct tracker *t = s->t;
	char a[64], b[64];
	bool days = s->window_start_ms != TS_UNKNOWN && s->now_ms != TS_UNKNOWN &&
		    s->window_start_ms / 86400000 != s->now_ms / 86400000;

	if (s->filter_desc[0])
		out_printf(o, "Filter: %s\n", s->filter_desc);
	out_printf(o, "Active connections: %lld", (long long)t->active);
	if (!t->complete)
		out_printf(o, " (at least)");
	if (s->now_ms != TS_UNKNOWN) {
		fmt_time(s->now_ms, true, a, sizeof(a));
		out_printf(o, "   as of %s UTC", a);
	}
	out_printf(o, "\n");

	print_breakdown(o, "By database", &s->by_db);
	print_breakdown(o, "By user", &s->by_user);
	print_breakdown(o, "By application", &s->by_app);
	print_breakdown(o, "By host", &s->by_host);
	if (t->replication_active || t->replication_connects)
		out_printf(o, "\nReplication connections: %lld open (%lld connected in the window)\n",
			   (long long)t->replication_active, (long long)t->replication_connects);

	fmt_time(s->window_start_ms, days, a, sizeof(a));
	out_printf(o, "\nSince %s: %lld connects, %lld disconnects, %lld failed", a,
		   (long long)t->connects, (long long)t->disconnects, (long long)t->failed);
	if (t->failed) {
		/* Reasons, most frequent first. */
		struct name_count r[FAIL__COUNT];
		size_t n = 0;
		for (int i = 1; i < FAIL__COUNT; i++)
			if (t->failed_by_reason[i]) {
				r[n].name = fail_reason_name((enum fail_reason)i);
				r[n++].count = t->failed_by_reason[i];
			}
		qsort(r, n, sizeof(r[0]), cmp_nc);
		out_printf(o, " (");
		for (size_t i = 0; i < n; i++)
			out_printf(o, "%s%s %lld", i ? ", " : "", r[i].name, (long long)r[i].count);
		out_printf(o, ")");
	}
	out_printf(o, "\n");
	if (t->peak_at != TS_UNKNOWN || t->peak) {
		fmt_time(t->peak_at, days, b, sizeof(b));
		if (t->peak_at != TS_UNKNOWN)
			out_printf(o, "Peak: %lld open at %s\n", (long long)t->peak, b);
		else
			out_printf(o, "Peak: %lld open\n", (long long)t->peak);
	}

	/* What a DBA should know about these numbers. */
	if (t->abandoned)
		out_printf(o, "%lld attempt%s received but never authenticated (client gave up, "
			      "e.g. at a password prompt)\n",
			   (long long)t->abandoned, t->abandoned == 1 ? "" : "s");
	if (t->ended_by_reset)
		out_printf(o, "%lld session%s ended by a server crash, restart or stop without a "
			      "disconnection line\n",
			   (long long)t->ended_by_reset, t->ended_by_reset == 1 ? "" : "s");
	if (t->lost_by_reuse)
		out_printf(o, "%lld session%s ended without a disconnection line (the PID was "
			      "reused)\n",
			   (long long)t->lost_by_reuse, t->lost_by_reuse == 1 ? "" : "s");
	if (t->unmatched_disconnects)
		out_printf(o, "%lld disconnection%s of sessions that began before the log\n",
			   (long long)t->unmatched_disconnects,
			   t->unmatched_disconnects == 1 ? "" : "s");
	if (!t->complete) {
		fmt_time(t->first_ts, true, a, sizeof(a));
		out_printf(o, "\nNote: the open count is a lower bound: the log begins at %s without "
			      "a server start,\nso sessions opened before then are not seen.\n",
			   a);
	}
	if (!t->has_pids && t->seq)
		out_printf(o, "Note: the log lines carry no process ID (log_line_prefix without %%p); "
			      "sessions were\npaired by order and by user, database and host, so "
			      "the breakdowns may be approximate.\n");
	if (t->connects >= 1000 && t->disconnects == 0 && t->unmatched_disconnects == 0)
		out_printf(o, "Note: %lld connects and not one disconnection line: log_disconnections "
			      "looks off.\nSessions then end here only when their PID is reused, so the "
			      "open count is far too high;\nturn it on (ALTER SYSTEM SET "
			      "log_disconnections = on; SELECT pg_reload_conf();).\n",
			   (long long)t->connects);
	if (t->connects == 0 && t->unmatched_disconnects >= 20)
		out_printf(o, "Note: %lld disconnection lines and not one connection authorized: "
			      "log_connections looks off.\nSessions are not seen opening, so none "
			      "is counted open;\nturn it on (ALTER SYSTEM SET log_connections = on; "
			      "SELECT pg_reload_conf();).\n",
			   (long long)t->unmatched_disconnects);
	if (t->names.refused)
		out_printf(o, "Note: more than %d distinct names; %llu later new ones are counted "
			      "as \"%s\".\n",
			   TRACKER_MAX_NAMES, (unsigned long long)t->names.refused,
			   TRACKER_OVER_NAME);
	if (s->skipped)
		out_printf(o, "Skipped %llu unreadable lines or records (see messages above).\n",
			   (unsigned long long)s->skipped);
}
