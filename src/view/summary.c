/* SPDX-License-Identifier: PostgreSQL */
/* The "connections" summary as text; caveat texts for text and JSON. */
#include "view/summary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logfmt/ts.h"
#include "util/diag.h"
#include "view/history_view.h"

/* Following live, a log silent this long is worth a word. */
#define QUIET_MS 10000

static int cmp_nc(const void *a, const void *b)
{
	const struct name_count *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The width of a table's name column: its widest name shown, 8 to 40. */
static size_t name_column(const char *(*name)(const void *v, size_t i), const void *v, size_t n)
{
	size_t w = 8;
	char esc[512];
	for (size_t i = 0; i < n; i++) {
		size_t k = out_width(out_escape(name(v, i), esc, sizeof(esc)));
		if (k > w)
			w = k;
	}
	return w > 40 ? 40 : w;
}

static const char *nc_name(const void *v, size_t i)
{
	return ((const struct name_count *)v)[i].name;
}

static const char *server_name(const void *v, size_t i)
{
	return ((const struct server_count *)v)[i].name;
}

static void print_breakdown(struct out *o, const char *title, const struct breakdown *b)
{
	char esc[512];

	out_printf(o, "\n%s:\n", title);
	if (!b->n) {
		out_printf(o, "  (none)\n");
		return;
	}
	size_t w = name_column(nc_name, b->v, b->n);
	for (size_t i = 0; i < b->n; i++) {
		out_puts(o, "  ");
		out_padded(o, out_escape(b->v[i].name, esc, sizeof(esc)), w);
		out_printf(o, " %5lld\n", (long long)b->v[i].count);
	}
}

/* Each server's figures, when the log holds several. */
static void print_servers(struct out *o, const struct summary *s)
{
	char esc[512];

	if (!s->n_by_server)
		return;
	size_t w = name_column(server_name, s->by_server, s->n_by_server);
	out_printf(o, "\nBy server:\n  ");
	out_padded(o, "", w);
	out_printf(o, "  open connects   failed\n");
	for (size_t i = 0; i < s->n_by_server; i++) {
		const struct server_count *c = &s->by_server[i];
		out_puts(o, "  ");
		out_padded(o, out_escape(c->name, esc, sizeof(esc)), w);
		out_printf(o, " %5lld %8lld %8lld\n", (long long)c->active, (long long)c->connects,
			   (long long)c->failed);
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

static const char *const caveat_keys[CAVEAT__COUNT] = {
    [CAVEAT_EMPTY] = "empty_log",
    [CAVEAT_NO_EVENTS] = "no_connection_events",
    [CAVEAT_LOWER_BOUND] = "lower_bound",
    [CAVEAT_NO_PIDS] = "no_pids",
    [CAVEAT_DISCONNECTIONS_GAP] = "log_disconnections_gap",
    [CAVEAT_CONNECTIONS_GAP] = "log_connections_gap",
    [CAVEAT_NO_DISCONNECTIONS] = "log_disconnections_off",
    [CAVEAT_NO_CONNECTIONS] = "log_connections_off",
    [CAVEAT_NAMES_OVER_LIMIT] = "names_over_limit",
    [CAVEAT_NOT_ENGLISH] = "not_english",
    [CAVEAT_SKIPPED] = "skipped",
    [CAVEAT_SERVERS] = "several_servers",
    [CAVEAT_NO_SUCH_SERVER] = "no_such_server",
};

const char *caveat_key(enum caveat_kind k)
{
	return caveat_keys[k];
}

/* One period: "from 10:02:11 to 10:09:40", "until 10:09:40" (off before the
 * log said so), "since 10:02:11" (still off). */
static size_t fmt_span(const struct caveat *c, const struct span *p, char *buf, size_t len)
{
	char a[64], b[64];
	int n;

	fmt_time(p->from, c->days, a, sizeof(a));
	fmt_time(p->to, c->days, b, sizeof(b));
	if (p->from == TS_UNKNOWN)
		n = snprintf(buf, len, "until%s%s", OUT_GLUE_S, b);
	else if (p->to == TS_UNKNOWN)
		n = snprintf(buf, len, "since%s%s", OUT_GLUE_S, a);
	else
		n = snprintf(buf, len, "from%s%s to%s%s", OUT_GLUE_S, a, OUT_GLUE_S, b);
	return n < 0 ? 0 : (size_t)n < len ? (size_t)n : len - 1;
}

/* Every period, oldest first: "from A to B, from C to D and since E". */
void caveat_spans(const struct caveat *c, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < c->nspans && off + 1 < len; i++) {
		if (i) {
			int n = snprintf(buf + off, len - off, "%s",
					 i + 1 == c->nspans ? " and " : ", ");
			off += n < 0 ? 0 : (size_t)n;
			if (off >= len)
				break;
		}
		off += fmt_span(c, &c->spans[i], buf + off, len - off);
	}
	if (c->merged && off + 1 < len)
		snprintf(buf + off, len - off, " (%lld periods in all, the last %lld merged)",
			 (long long)(c->merged + (int64_t)c->nspans), (long long)(c->merged + 1));
}

void caveat_text(const struct caveat *c, char *buf, size_t len)
{
	char at[64];
	long long n = (long long)c->n, of = (long long)c->of;

	switch (c->kind) {
	case CAVEAT_EMPTY:
		snprintf(buf, len, "The log %s empty (%lld file%s): nothing to report yet.",
			 of == 1 ? "is" : "files are", of, of == 1 ? "" : "s");
		break;
	case CAVEAT_NO_EVENTS:
		snprintf(buf, len,
			 "No connection events in %lld file%s (%lld lines).\n"
			 "PostgreSQL logs them only when log_connections = on and "
			 "log_disconnections = on:\n"
			 "  ALTER SYSTEM SET log_connections = on;\n"
			 "  ALTER SYSTEM SET log_disconnections = on;\n"
			 "  SELECT pg_reload_conf();\n"
			 "(new sessions are logged from then on).",
			 of, of == 1 ? "" : "s", n);
		break;
	case CAVEAT_LOWER_BOUND:
		fmt_time(c->at, true, at, sizeof(at));
		snprintf(buf, len,
			 "Note: the open count is a lower bound: the log begins at %s without a "
			 "server start, so sessions opened before then are not seen.",
			 at);
		break;
	case CAVEAT_NO_PIDS:
		snprintf(buf, len,
			 "Note: the log lines carry no process ID (log_line_prefix without "
			 "%%p); sessions were paired by order and by user, database and "
			 "host, so the breakdowns may be approximate.");
		break;
	case CAVEAT_DISCONNECTIONS_GAP: {
		char spans[640], held[160];
		caveat_spans(c, spans, sizeof(spans));
		if (n > 0)
			snprintf(held, sizeof(held), "up to %lld of them may still be open", n);
		else
			snprintf(held, sizeof(held),
				 "none of them is held any more (the server restarted or their "
				 "process IDs were reused)");
		snprintf(buf, len,
			 "Note: log_disconnections was off %s. A session started while it is off "
			 "never logs its end, not even after it is turned back on, so those "
			 "sessions are not counted as open: %s.%s",
			 spans, held,
			 of ? " It is still off: ALTER SYSTEM SET log_disconnections = on; SELECT "
			      "pg_reload_conf();"
			    : "");
		break;
	}
	case CAVEAT_CONNECTIONS_GAP: {
		char spans[640];
		caveat_spans(c, spans, sizeof(spans));
		snprintf(buf, len,
			 "Note: log_connections was off %s. Sessions started while it is off are "
			 "not seen: their connects are missing and their disconnections count as "
			 "sessions not seen opening. %s%s",
			 spans,
			 n ? "The open count is therefore a lower bound until the server restarts."
			   : "The server has restarted since, so the open count is exact again.",
			 of ? " It is still off: ALTER SYSTEM SET log_connections = on; SELECT "
			      "pg_reload_conf();"
			    : "");
		break;
	}
	case CAVEAT_NO_DISCONNECTIONS:
		snprintf(buf, len,
			 "Note: %lld connects and not one disconnection line: log_disconnections "
			 "looks off. Sessions then end here only when their PID is reused, so the "
			 "open count is far too high; turn it on (ALTER SYSTEM SET "
			 "log_disconnections = on; SELECT pg_reload_conf();).",
			 n);
		break;
	case CAVEAT_NO_CONNECTIONS:
		snprintf(buf, len,
			 "Note: %lld disconnection lines and not one connection authorized: "
			 "log_connections looks off. Sessions are not seen opening, so none is "
			 "counted open; turn it on (ALTER SYSTEM SET log_connections = on; SELECT "
			 "pg_reload_conf();).",
			 n);
		break;
	case CAVEAT_NAMES_OVER_LIMIT:
		snprintf(buf, len,
			 "Note: more than %lld distinct names; %lld later new ones are counted as "
			 "\"%s\".",
			 of, n, TRACKER_OVER_NAME);
		break;
	case CAVEAT_NOT_ENGLISH:
		snprintf(buf, len,
			 "Note: only %lld of the first %lld messages are in a language pgtail "
			 "reads (English or one of PostgreSQL's translations): connection events "
			 "in another language are not seen (ALTER SYSTEM SET lc_messages = "
			 "'C'; SELECT pg_reload_conf();).",
			 n, of);
		break;
	case CAVEAT_SKIPPED:
		snprintf(buf, len, "Skipped %lld unreadable lines or records (see messages above).",
			 n);
		break;
	case CAVEAT_SERVERS:
		snprintf(buf, len,
			 "Note: the log holds the records of %lld servers%s (a central log "
			 "host): the figures add them up (By server shows each one's); "
			 "--server=HOST reads one.",
			 n, of ? " and more" : "");
		break;
	case CAVEAT_NO_SUCH_SERVER:
		snprintf(buf, len,
			 "Note: --server names none of the %lld servers the log holds (the "
			 "Servers line lists them): nothing of theirs was counted.",
			 n);
		break;
	case CAVEAT__COUNT:
	default:
		BUG("caveat kind %d", (int)c->kind);
	}
}

static void print_caveat(struct out *o, const struct caveat *c)
{
	char text[2048];
	caveat_text(c, text, sizeof(text));
	/* The lower bound stands apart from the counters above it. */
	if (c->kind == CAVEAT_LOWER_BOUND)
		out_puts(o, "\n");
	if (c->kind == CAVEAT_NO_EVENTS)
		out_printf(o, "%s\n", text); /* its SQL lines as they are */
	else
		out_wrap(o, text, 0);
}

void summary_print_text(const struct summary *s, const struct history_report *hr, struct out *o)
{
	char a[64], b[64];
	bool days = s->window_start_ms != TS_UNKNOWN && s->now_ms != TS_UNKNOWN &&
		    s->window_start_ms / 86400000 != s->now_ms / 86400000;
	const struct caveat *none = summary_caveat(s, CAVEAT_NO_EVENTS);
	if (!none)
		none = summary_caveat(s, CAVEAT_EMPTY);

	if (none) {
		/* Nothing to count: say why, in the log's language if that is it. */
		const struct caveat *lang = summary_caveat(s, CAVEAT_NOT_ENGLISH);
		if (lang)
			out_printf(
			    o,
			    "No connection events recognised in %llu file%s (%llu lines): "
			    "the log is in no language pgtail reads (see the warning above).\n",
			    (unsigned long long)s->files, s->files == 1 ? "" : "s",
			    (unsigned long long)s->lines);
		else
			print_caveat(o, none);
		return;
	}
	if (s->nservers) {
		/* The hosts a syslog or journal log named. */
		char line[1024];
		size_t off = 0;
		if (s->server)
			off = (size_t)snprintf(line, sizeof(line),
					       "Server: %s (of %zu in the log:", s->server,
					       s->nservers);
		else if (s->nservers == 1)
			off = (size_t)snprintf(line, sizeof(line), "Server: ");
		else
			off = (size_t)snprintf(line, sizeof(line), "Servers: %zu (", s->nservers);
		for (size_t i = 0; i < s->nservers && off < sizeof(line); i++)
			off += (size_t)snprintf(line + off, sizeof(line) - off, "%s%s",
						i ? ", " : (s->server ? " " : ""), s->servers[i]);
		if (off < sizeof(line) && (s->server || s->nservers > 1))
			snprintf(line + off, sizeof(line) - off, ")");
		out_wrap(o, line, 2);
	}
	if (s->lang_forced || s->nlangs > 1 || (s->nlangs == 1 && strcmp(s->langs[0], "en") != 0)) {
		/* Only a log not plainly English says its language. */
		out_printf(o, "Language%s: ", s->nlangs > 1 ? "s" : "");
		for (size_t i = 0; i < s->nlangs; i++)
			out_printf(o, "%s%s", i ? ", " : "", s->langs[i]);
		out_printf(o, "%s\n", s->lang_forced ? " (--lang)" : "");
	}
	if (s->filter_desc[0])
		out_printf(o, "Filter: %s\n", s->filter_desc);
	out_printf(o, "Active connections: %lld", (long long)s->active);
	if (!s->complete)
		out_printf(o, " (at least)");
	if (s->now_ms != TS_UNKNOWN) {
		fmt_time(s->now_ms, true, a, sizeof(a));
		out_printf(o, "   as of %s UTC", a);
	}
	/* Live on a quiet server: say how old the last line is. */
	if (s->following && s->last_line_ms != TS_UNKNOWN &&
	    s->now_ms - s->last_line_ms >= QUIET_MS) {
		fmt_duration(s->now_ms - s->last_line_ms, b, sizeof(b));
		out_printf(o, " (no new lines for %s)", b);
	}
	out_printf(o, "\n");
	if (s->active_unknown) {
		/* The sessions whose ends the log will not show, with their period
		 * when there is one. */
		const struct caveat *g = summary_caveat(s, CAVEAT_DISCONNECTIONS_GAP);
		char when[256] = "";
		char text[512];
		if (g && g->nspans == 1 && !g->merged) {
			when[0] = ' ';
			fmt_span(g, &g->spans[0], when + 1, sizeof(when) - 1);
		}
		snprintf(text, sizeof(text),
			 "%s%s(and up to %lld more started while log_disconnections was off%s, "
			 "whose ends are not logged%s)",
			 OUT_GLUE_S, OUT_GLUE_S, (long long)s->active_unknown, when,
			 g && !when[0] ? "; see below" : "");
		out_wrap(o, text, 2);
	}

	print_breakdown(o, "By database", &s->by_db);
	print_breakdown(o, "By user", &s->by_user);
	print_breakdown(o, "By application", &s->by_app);
	print_breakdown(o, "By host", &s->by_host);
	print_servers(o, s);
	if (s->replication_active || s->replication_connects)
		out_printf(o,
			   "\nReplication connections: %lld open (%lld connected in the window)\n",
			   (long long)s->replication_active, (long long)s->replication_connects);

	char line[1024];
	size_t off = 0;
	fmt_time(s->window_start_ms, days, a, sizeof(a));
	off += (size_t)snprintf(line, sizeof(line),
				"Since %s: %lld connects, %lld disconnects, "
				"%lld failed",
				a, (long long)s->connects, (long long)s->disconnects,
				(long long)s->failed);
	if (s->failed) {
		/* Reasons, most frequent first. */
		struct name_count r[FAIL__COUNT];
		memcpy(r, s->failed_by_reason, s->n_reasons * sizeof(r[0]));
		qsort(r, s->n_reasons, sizeof(r[0]), cmp_nc);
		for (size_t i = 0; i < s->n_reasons && off < sizeof(line); i++)
			off += (size_t)snprintf(line + off, sizeof(line) - off,
						"%s%s" OUT_GLUE_S "%lld", i ? ", " : " (",
						r[i].name, (long long)r[i].count);
		if (off < sizeof(line))
			snprintf(line + off, sizeof(line) - off, ")");
	}
	out_puts(o, "\n");
	out_wrap(o, line, 2);
	if (s->peak_at != TS_UNKNOWN || s->peak) {
		fmt_time(s->peak_at, days, b, sizeof(b));
		if (s->peak_at != TS_UNKNOWN)
			out_printf(o, "Peak: %lld open at %s\n", (long long)s->peak, b);
		else
			out_printf(o, "Peak: %lld open\n", (long long)s->peak);
	}

	if (s->n_ended) {
		int64_t n = 0;
		for (size_t i = 0; i < s->n_ended; i++)
			n += s->ended_by_server[i].count;
		off = (size_t)snprintf(line, sizeof(line),
				       "%lld of the disconnects ended by the "
				       "server",
				       (long long)n);
		for (size_t i = 0; i < s->n_ended && off < sizeof(line); i++)
			off += (size_t)snprintf(line + off, sizeof(line) - off,
						"%s%s" OUT_GLUE_S "%lld", i ? ", " : " (",
						s->ended_by_server[i].name,
						(long long)s->ended_by_server[i].count);
		if (off < sizeof(line))
			snprintf(line + off, sizeof(line) - off, ")");
		out_wrap(o, line, 2);
	}
	/* What happened to sessions without a disconnection line. */
	if (s->abandoned)
		out_printf(o,
			   "%lld attempt%s received but never authenticated (client gave up, "
			   "e.g. at a password prompt)\n",
			   (long long)s->abandoned, s->abandoned == 1 ? "" : "s");
	if (s->ended_by_reset)
		out_printf(o,
			   "%lld session%s ended by a server crash, restart or stop without a "
			   "disconnection line\n",
			   (long long)s->ended_by_reset, s->ended_by_reset == 1 ? "" : "s");
	if (s->ended_by_pid_reuse)
		out_printf(o,
			   "%lld session%s ended without a disconnection line (the PID was "
			   "reused)\n",
			   (long long)s->ended_by_pid_reuse, s->ended_by_pid_reuse == 1 ? "" : "s");
	if (s->unmatched_disconnects && summary_caveat(s, CAVEAT_CONNECTIONS_GAP)) {
		snprintf(line, sizeof(line),
			 "%lld disconnection%s of sessions not seen opening (begun before the log "
			 "or while log_connections was off)",
			 (long long)s->unmatched_disconnects,
			 s->unmatched_disconnects == 1 ? "" : "s");
		out_wrap(o, line, 2);
	} else if (s->unmatched_disconnects)
		out_printf(o, "%lld disconnection%s of sessions that began before the log\n",
			   (long long)s->unmatched_disconnects,
			   s->unmatched_disconnects == 1 ? "" : "s");
	for (size_t i = 0; i < s->ncaveats; i++)
		print_caveat(o, &s->caveats[i]);

	if (hr && hr->nleaks) {
		off = (size_t)snprintf(line, sizeof(line), "Potential leak%s in the last hour:",
				       hr->nleaks == 1 ? "" : "s");
		for (size_t i = 0; i < hr->nleaks && off < sizeof(line); i++) {
			char esc[256];
			off += (size_t)snprintf(line + off, sizeof(line) - off,
						"%s %s" OUT_GLUE_S "(+%lld)", i ? "," : "",
						out_escape(hr->leaks[i].app_name, esc, sizeof(esc)),
						(long long)hr->leaks[i].v.growth);
		}
		if (off < sizeof(line))
			snprintf(line + off, sizeof(line) - off, " -- see 'connections --history'");
		out_puts(o, "\n");
		out_wrap(o, line, 2);
	}
}
