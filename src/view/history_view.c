/* SPDX-License-Identifier: PostgreSQL */
/* The --history view as text, from its report; durations as text. */
#include "view/history_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logfmt/ts.h"
#include "util/xalloc.h"

void fmt_duration(int64_t ms, char *buf, size_t len)
{
	if (ms < 0) {
		snprintf(buf, len, "-");
	} else if (ms < 1000) {
		snprintf(buf, len, "%lldms", (long long)ms);
	} else if (ms < 10000) {
		snprintf(buf, len, "%.1fs", (double)ms / 1000.0);
	} else if (ms < 60000) {
		snprintf(buf, len, "%llds", (long long)(ms / 1000));
	} else if (ms < 3600000) {
		snprintf(buf, len, "%lldm%02llds", (long long)(ms / 60000),
			 (long long)(ms / 1000 % 60));
	} else if (ms < 86400000) {
		snprintf(buf, len, "%lldh%02lldm", (long long)(ms / 3600000),
			 (long long)(ms / 60000 % 60));
	} else {
		snprintf(buf, len, "%lldd%02lldh", (long long)(ms / 86400000),
			 (long long)(ms / 3600000 % 24));
	}
}

/* The day of ms (UTC), also before 1970. */
static int64_t day_of(int64_t ms)
{
	return ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
}

/* Row label: HH:MM, HH:MM:SS below a minute, with the date across days. */
static void row_time(const struct history_report *r, int64_t ms, char *buf, size_t len)
{
	char iso[40];
	bool days = day_of(r->window_start) != day_of(r->now);
	ts_format_iso(ms, iso, sizeof(iso));
	if (days)
		snprintf(buf, len, "%.5s %.5s", iso + 5, iso + 11);
	else if (r->bucket_ms < 60000 || ms % 60000)
		snprintf(buf, len, "%.8s", iso + 11);
	else
		snprintf(buf, len, "%.5s", iso + 11);
}

static void window_label(const struct history_report *r, char *buf, size_t len)
{
	char d[32], a[32];
	if (r->clipped) {
		ts_format_hms(r->window_start, a, sizeof(a));
		fmt_duration(r->now - r->window_start, d, sizeof(d));
		snprintf(buf, len, "Since %s (the log covers %s)", a, d);
	} else if (r->window_ms == 3600000) {
		snprintf(buf, len, "Last hour");
	} else {
		fmt_duration(r->window_ms, d, sizeof(d));
		snprintf(buf, len, "Last %s", d);
	}
}

void history_report_print_text(const struct history_report *r, struct out *o)
{
	static const char *const blocks[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
	static const char ascii_blocks[] = "_.:-=+*#";
	char label[96], tm[32], d1[32], d2[32], d3[32];
	int64_t open_start = r->open_start;
	int64_t net = history_report_net(r);

	if (r->filter_desc[0])
		out_printf(o, "Filter: %s\n", r->filter_desc);
	window_label(r, label, sizeof(label));
	out_printf(o, "%s: %lld connects, %lld disconnects, %lld failed, %+lld net\n\n", label,
		   (long long)r->connects, (long long)r->disconnects, (long long)r->failed,
		   (long long)net);
	out_printf(o, "%-12s %6s %7s %6s %6s %5s\n", "time", "open", "change", "conn", "disc",
		   "fail");
	for (size_t i = 0; i < r->nrows; i++) {
		const struct hrow *row = &r->rows[i];
		int64_t before = i ? r->rows[i - 1].active : open_start;
		char change[16] = "";
		if (row->active != before)
			snprintf(change, sizeof(change), "%+lld",
				 (long long)(row->active - before));
		row_time(r, row->at, tm, sizeof(tm));
		if (row->is_now)
			snprintf(tm + strlen(tm), sizeof(tm) - strlen(tm), " now");
		out_printf(
		    o, "%-12s %6lld %7s %6lld %6lld %5lld%s\n", tm, (long long)row->active, change,
		    (long long)row->connects, (long long)row->disconnects, (long long)row->failed,
		    row->leak_marker ? out_sym(o, "  ← potential leak", "  <- potential leak")
				     : "");
	}
	int64_t top = 0;
	for (int i = 0; i < r->nspark; i++)
		if (r->spark[i] > top)
			top = r->spark[i];
	out_puts(o, "\nOpen  ");
	for (int i = 0; i < r->nspark; i++) {
		int64_t b = top ? r->spark[i] * 7 / top : 0;
		if (o->utf8)
			out_puts(o, blocks[b]);
		else
			fputc(ascii_blocks[b], o->fp);
	}
	if (r->peak_at != TS_UNKNOWN && r->peak) {
		ts_format_hms(r->peak_at, tm, sizeof(tm));
		out_printf(o, "  peak %lld at %s", (long long)r->peak, tm);
	}
	out_printf(o, "\n");

	if (r->nleaks) {
		out_printf(o, "\nPotential leaks (opens far exceed closes, growth sustained):\n");
		for (size_t i = 0; i < r->nleaks; i++) {
			const struct leak_item *L = &r->leaks[i];
			char esc[256];
			out_printf(o,
				   "  %s: opened %lld, closed %lld, %lld still open "
				   "(%+lld in the window, %+.1f per row)\n",
				   out_escape(L->app_name, esc, sizeof(esc)), (long long)L->opened,
				   (long long)L->closed, (long long)L->open_now,
				   (long long)L->v.growth, L->v.growth_per_row);
			if (L->oldest_open_ms != TS_UNKNOWN) {
				fmt_duration(r->now - L->oldest_open_ms, d1, sizeof(d1));
				out_printf(o, "    oldest open for %s;", d1);
			} else {
				out_printf(o, "   ");
			}
			out_printf(o, " from %s", out_escape(L->hosts, esc, sizeof(esc)));
			if (L->user_name)
				out_printf(o, "; user %s",
					   out_escape(L->user_name, esc, sizeof(esc)));
			if (L->db_name)
				out_printf(o, ", database %s",
					   out_escape(L->db_name, esc, sizeof(esc)));
			out_printf(o, "\n");
		}
	}

	if (r->ndurs) {
		out_printf(o, "\nSessions by application (durations of sessions that ended in the "
			      "window):\n");
		out_printf(o, "  %-18s %8s %8s %8s %8s %9s %9s\n", "application", "ended", "median",
			   "p95", "max", "conn/min", "peak/min");
		bool hint = false;
		for (size_t i = 0; i < r->ndurs; i++) {
			const struct dur_item *d = &r->durs[i];
			char esc[256];
			fmt_duration(d->median_ms, d1, sizeof(d1));
			fmt_duration(d->p95_ms, d2, sizeof(d2));
			fmt_duration(d->max_ms, d3, sizeof(d3));
			out_printf(o, "  %-18.18s %8lld %8s %8s %8s %9.1f %9lld%s\n",
				   out_escape(d->app_name, esc, sizeof(esc)),
				   (long long)d->sessions, d1, d2, d3, d->connects_per_min,
				   (long long)d->peak_per_min, d->pooler_hint ? "  *" : "");
			hint |= d->pooler_hint;
		}
		if (hint) {
			out_puts(o, "  ");
			out_wrap(o,
				 "* short-lived, frequent sessions: a connection pooler (e.g. "
				 "PgBouncer) would save a backend start for each",
				 4);
		}
	}
}
