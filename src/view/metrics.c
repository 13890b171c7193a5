/* SPDX-License-Identifier: PostgreSQL */
/* The Prometheus and OpenMetrics text expositions; see metrics.h. */
#include "view/metrics.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn/durations.h"
#include "logfmt/ts.h"
#include "model/groups.h"
#include "model/summary.h"
#include "util/diag.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* How a family's samples are drawn from a source's figures. */
enum fam_kind {
	FAM_SCALAR,    /* one sample: fam_value() */
	FAM_GROUPS,    /* pgtail_sessions_open: one sample per group */
	FAM_FAILURES,  /* one sample per failure reason, zero ones too */
	FAM_ENDED,     /* one sample per reason the server gave, zero ones too */
	FAM_HISTOGRAM, /* the session durations */
	FAM_ORIGIN,    /* one sample per server a central log holds (summary.by_server) */
};

/* The families, in the order shown. */
enum fam_id {
	F_OPEN,
	F_OPEN_EXACT,
	F_MAYBE_OPEN,
	F_PEAK,
	F_PEAK_TS,
	F_REPL_OPEN,
	F_CONNECTS,
	F_DISCONNECTS,
	F_FAILURES,
	F_ENDED_BY_SERVER,
	F_ENDED_BY_RESET,
	F_UNMATCHED,
	F_ABANDONED,
	F_REPL_CONNECTS,
	F_DURATION,
	F_LAST_EVENT,
	F_LINES,
	F_SKIPPED,
	F_ORIGIN_OPEN,
	F_ORIGIN_CONNECTS,
	F_ORIGIN_FAILURES,
	F__COUNT
};

struct family {
	const char *name; /* a counter's without _total (OpenMetrics' family name) */
	const char *type; /* "gauge", "counter" or "histogram" */
	bool seconds;     /* the unit is seconds (OpenMetrics # UNIT) */
	enum fam_kind kind;
	const char *help;
};

static const struct family families[F__COUNT] = {
    [F_OPEN] = {"pgtail_sessions_open", "gauge", false, FAM_GROUPS,
		"Open client sessions (replication connections apart) by database, user, "
		"application and source host, labelled as postgres_exporter's "
		"pg_stat_activity_count: sum by the labels you need. application_name and "
		"client_addr keep the names with the most sessions (pgtail --max-apps, "
		"--max-hosts) and count the rest as \"other\"; unset names are \"unknown\"."},
    [F_OPEN_EXACT] = {"pgtail_sessions_open_exact", "gauge", false, FAM_SCALAR,
		      "1 when pgtail_sessions_open is exact (the log read starts at a server "
		      "start and log_connections stayed on), 0 when it is a lower bound."},
    [F_MAYBE_OPEN] = {"pgtail_sessions_maybe_open", "gauge", false, FAM_SCALAR,
		      "Client sessions started while log_disconnections was off and not seen "
		      "to end: up to this many more than pgtail_sessions_open may be open."},
    [F_PEAK] = {"pgtail_sessions_open_peak", "gauge", false, FAM_SCALAR,
		"Most client sessions open at once since the counters started."},
    [F_PEAK_TS] = {"pgtail_sessions_open_peak_timestamp_seconds", "gauge", true, FAM_SCALAR,
		   "When pgtail_sessions_open_peak was first reached, in seconds since the "
		   "epoch."},
    [F_REPL_OPEN] = {"pgtail_replication_sessions_open", "gauge", false, FAM_SCALAR,
		     "Open replication connections (walsenders)."},
    [F_CONNECTS] = {"pgtail_connections", "counter", false, FAM_SCALAR,
		    "Client sessions opened: connections authorized and not refused."},
    [F_DISCONNECTS] = {"pgtail_disconnections", "counter", false, FAM_SCALAR,
		       "Client sessions that logged their end (disconnection lines of sessions "
		       "pgtail saw open)."},
    [F_FAILURES] = {"pgtail_connection_failures", "counter", false, FAM_FAILURES,
		    "Failed connection attempts by reason."},
    [F_ENDED_BY_SERVER] = {"pgtail_sessions_ended_by_server", "counter", false, FAM_ENDED,
			   "Disconnections the server caused, by the reason it gave (part of "
			   "pgtail_disconnections_total)."},
    [F_ENDED_BY_RESET] = {"pgtail_sessions_ended_by_reset", "counter", false, FAM_SCALAR,
			  "Client sessions ended by a server crash, restart or stop, without a "
			  "disconnection line."},
    [F_UNMATCHED] = {"pgtail_disconnections_unmatched", "counter", false, FAM_SCALAR,
		     "Disconnections of sessions opened before the log read begins (not in "
		     "pgtail_disconnections_total)."},
    [F_ABANDONED] = {"pgtail_connections_abandoned", "counter", false, FAM_SCALAR,
		     "Connections received and never authorized: the client gave up."},
    [F_REPL_CONNECTS] = {"pgtail_replication_connections", "counter", false, FAM_SCALAR,
			 "Replication connections opened."},
    [F_DURATION] = {"pgtail_session_duration_seconds", "histogram", true, FAM_HISTOGRAM,
		    "Session time of the disconnections in pgtail_disconnections_total, as "
		    "their disconnection lines give it."},
    [F_LAST_EVENT] = {"pgtail_last_event_timestamp_seconds", "gauge", true, FAM_SCALAR,
		      "Time of the newest log record read, in seconds since the epoch."},
    [F_LINES] = {"pgtail_log_lines", "counter", false, FAM_SCALAR, "Log lines read."},
    [F_SKIPPED] = {"pgtail_log_records_skipped", "counter", false, FAM_SCALAR,
		   "Log lines or records that could not be parsed."},
    [F_ORIGIN_OPEN] = {"pgtail_origin_sessions_open", "gauge", false, FAM_ORIGIN,
		       "In a log of several servers (a central syslog host's file, the "
		       "journal of several hosts): each one's open client sessions, by the "
		       "name its records carry (origin).  Absent for a log of one server."},
    [F_ORIGIN_CONNECTS] = {"pgtail_origin_connections", "counter", false, FAM_ORIGIN,
			   "In a log of several servers: each one's client sessions opened."},
    [F_ORIGIN_FAILURES] = {"pgtail_origin_connection_failures", "counter", false, FAM_ORIGIN,
			   "In a log of several servers: each one's failed connection "
			   "attempts."},
};

/* One source's figures, built once per rendering. */
struct figures {
	const char *server; /* the server label's value, or NULL */
	struct summary s;
	struct groups g;
};

struct render {
	struct sbuf *b;               /* the exposition so far */
	const struct metrics_opts *o; /* the format and the caps */
	int rc;                       /* -1 once an append was refused (the size cap) */
};

static void add(struct render *r, const char *s)
{
	if (sbuf_addstr(r->b, s) < 0)
		r->rc = -1;
}

/*
 * A label value as the text formats want it: '\\', '"' and newline
 * escaped.  A byte that is not UTF-8 (which a scraper rejects) and a
 * control character (which would drive a terminal the exposition is
 * printed on) are written as the text \xNN, as the text view shows them.
 */
static void add_value(struct render *r, const char *v)
{
	const unsigned char *p = (const unsigned char *)v;
	size_t n = strlen(v);
	char hex[8];

	while (n) {
		size_t k = utf8_seq(p, n);
		bool c1 = k == 2 && p[0] == 0xc2 && p[1] < 0xa0;
		if (*p == '\\') {
			add(r, "\\\\");
		} else if (*p == '"') {
			add(r, "\\\"");
		} else if (*p == '\n') {
			add(r, "\\n");
		} else if (k == 0 || *p < 0x20 || *p == 0x7f || c1) {
			k = c1 ? 2 : 1;
			for (size_t i = 0; i < k; i++) {
				snprintf(hex, sizeof(hex), "\\\\x%02x", p[i]);
				add(r, hex);
			}
		} else if (sbuf_add(r->b, p, k) < 0) {
			r->rc = -1;
		}
		p += k;
		n -= k;
	}
}

/* ms as seconds into buf: "1764376912.345", "0.01", "60.0". */
static const char *fmt_seconds(int64_t ms, char *buf, size_t len)
{
	int64_t whole = ms / 1000, frac = ms % 1000;
	if (frac < 0) {
		whole--;
		frac += 1000;
	}
	if (!frac)
		snprintf(buf, len, "%" PRId64 ".0", whole);
	else if (frac % 100 == 0)
		snprintf(buf, len, "%" PRId64 ".%" PRId64, whole, frac / 100);
	else if (frac % 10 == 0)
		snprintf(buf, len, "%" PRId64 ".%02" PRId64, whole, frac / 10);
	else
		snprintf(buf, len, "%" PRId64 ".%03" PRId64, whole, frac);
	return buf;
}

static void add_seconds(struct render *r, int64_t ms)
{
	char buf[48];
	add(r, fmt_seconds(ms, buf, sizeof(buf)));
}

static void add_int(struct render *r, int64_t v)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "%" PRId64, v);
	add(r, buf);
}

/*
 * Start a sample: the family's name, suffix ("_total", "_bucket", "") and
 * its labels -- server first, then the pairs of kv (a NULL value leaves
 * its label out), NULL-terminated -- then the space before the value.
 */
static void sample_start(struct render *r, const struct family *fam, const char *suffix,
			 const struct figures *fg, const char *const *kv)
{
	bool any = false;

	add(r, fam->name);
	add(r, suffix);
	if (fg->server) {
		add(r, "{server=\"");
		add_value(r, fg->server);
		add(r, "\"");
		any = true;
	}
	for (size_t i = 0; kv && kv[i]; i += 2) {
		if (!kv[i + 1])
			continue;
		add(r, any ? "," : "{");
		add(r, kv[i]);
		add(r, "=\"");
		add_value(r, kv[i + 1]);
		add(r, "\"");
		any = true;
	}
	add(r, any ? "} " : " ");
}

static void sample_int(struct render *r, const struct family *fam, const char *suffix,
		       const struct figures *fg, const char *const *kv, int64_t v)
{
	sample_start(r, fam, suffix, fg, kv);
	add_int(r, v);
	add(r, "\n");
}

/* A counter's sample name ends in _total; other families' do not. */
static const char *total(const struct family *fam)
{
	return !strcmp(fam->type, "counter") ? "_total" : "";
}

/* A scalar family's value in *v (seconds: in ms); false when the figure
 * is unknown (a time in a log without timestamps): no sample. */
static bool fam_value(enum fam_id id, const struct summary *s, int64_t *v)
{
	switch (id) {
	case F_OPEN_EXACT:
		*v = s->complete;
		return true;
	case F_MAYBE_OPEN:
		*v = s->active_unknown;
		return true;
	case F_PEAK:
		*v = s->peak;
		return true;
	case F_PEAK_TS:
		*v = s->peak_at;
		return s->peak_at != TS_UNKNOWN;
	case F_REPL_OPEN:
		*v = s->replication_active;
		return true;
	case F_CONNECTS:
		*v = s->connects;
		return true;
	case F_DISCONNECTS:
		*v = s->disconnects;
		return true;
	case F_ENDED_BY_RESET:
		*v = s->ended_by_reset;
		return true;
	case F_UNMATCHED:
		*v = s->unmatched_disconnects;
		return true;
	case F_ABANDONED:
		*v = s->abandoned;
		return true;
	case F_REPL_CONNECTS:
		*v = s->replication_connects;
		return true;
	case F_LAST_EVENT:
		*v = s->last_line_ms;
		return s->last_line_ms != TS_UNKNOWN;
	case F_LINES:
		*v = (int64_t)s->lines;
		return true;
	case F_SKIPPED:
		*v = (int64_t)s->skipped;
		return true;
	default:
		BUG("family %d is not a scalar", (int)id);
	}
}

/* The count of name in a summary list (absent: 0). */
static int64_t count_of(const struct name_count *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return v[i].count;
	return 0;
}

static void emit_histogram(struct render *r, const struct family *fam, const struct figures *fg)
{
	const struct durations *d = &fg->s.durations;
	int64_t cum = 0;
	char le[32];

	for (size_t i = 0; i <= DURATIONS_BOUNDS; i++) {
		cum += d->bucket[i];
		if (i < DURATIONS_BOUNDS)
			fmt_seconds(durations_bound_ms[i], le, sizeof(le));
		else
			snprintf(le, sizeof(le), "+Inf");
		const char *kv[] = {"le", le, NULL};
		sample_int(r, fam, "_bucket", fg, kv, cum);
	}
	sample_int(r, fam, "_count", fg, NULL, d->count);
	sample_start(r, fam, "_sum", fg, NULL);
	add_seconds(r, d->sum_ms);
	add(r, "\n");
}

static void emit(struct render *r, enum fam_id id, const struct figures *fg)
{
	const struct family *fam = &families[id];
	int64_t v;

	switch (fam->kind) {
	case FAM_SCALAR:
		if (!fam_value(id, &fg->s, &v))
			return;
		sample_start(r, fam, total(fam), fg, NULL);
		if (fam->seconds)
			add_seconds(r, v);
		else
			add_int(r, v);
		add(r, "\n");
		return;
	case FAM_GROUPS:
		for (size_t i = 0; i < fg->g.n; i++) {
			const struct group *g = &fg->g.v[i];
			const char *kv[] = {
			    "datname", g->db,         "usename", g->user, "application_name",
			    g->app,    "client_addr", g->host,   NULL};
			sample_int(r, fam, "", fg, kv, g->count);
		}
		return;
	case FAM_FAILURES:
		for (int i = 1; i < FAIL__COUNT; i++) {
			const char *name = fail_reason_name((enum fail_reason)i);
			const char *kv[] = {"reason", name, NULL};
			sample_int(r, fam, "_total", fg, kv,
				   count_of(fg->s.failed_by_reason, fg->s.n_reasons, name));
		}
		return;
	case FAM_ENDED:
		for (int i = 1; i < END__COUNT; i++) {
			const char *name = end_reason_name((enum end_reason)i);
			const char *kv[] = {"reason", name, NULL};
			sample_int(r, fam, "_total", fg, kv,
				   count_of(fg->s.ended_by_server, fg->s.n_ended, name));
		}
		return;
	case FAM_HISTOGRAM:
		emit_histogram(r, fam, fg);
		return;
	case FAM_ORIGIN:
		for (size_t i = 0; i < fg->s.n_by_server; i++) {
			const struct server_count *sc = &fg->s.by_server[i];
			const char *kv[] = {"origin", sc->name, NULL};
			sample_int(r, fam, total(fam), fg, kv,
				   id == F_ORIGIN_OPEN       ? sc->active
				   : id == F_ORIGIN_CONNECTS ? sc->connects
							     : sc->failed);
		}
		return;
	}
}

static void header(struct render *r, const struct family *fam)
{
	/* OpenMetrics names a counter's family without _total. */
	const char *suffix = r->o->openmetrics ? "" : total(fam);
	add(r, "# HELP ");
	add(r, fam->name);
	add(r, suffix);
	add(r, " ");
	add(r, fam->help);
	add(r, "\n# TYPE ");
	add(r, fam->name);
	add(r, suffix);
	add(r, " ");
	add(r, fam->type);
	add(r, "\n");
	if (r->o->openmetrics && fam->seconds) {
		add(r, "# UNIT ");
		add(r, fam->name);
		add(r, " seconds\n");
	}
}

int metrics_render(struct sbuf *b, const struct metrics_source *src, size_t n,
		   const struct metrics_opts *o)
{
	struct render r = {.b = b, .o = o};
	struct figures *fg = xcalloc(n ? n : 1, sizeof(*fg));

	for (size_t i = 0; i < n; i++) {
		if (!src[i].server && n > 1)
			BUG("metrics source %zu of %zu has no server label", i, n);
		fg[i].server = src[i].server;
		summary_build(&fg[i].s, src[i].m);
		groups_build(&fg[i].g, src[i].m, &fg[i].s, o->max_apps, o->max_hosts);
	}
	bool origins = false; /* a log of several servers among the sources */
	for (size_t i = 0; i < n; i++)
		origins |= fg[i].s.n_by_server > 0;
	/* Family by family: a family's samples must be together. */
	for (int id = 0; id < F__COUNT && !r.rc; id++) {
		if (families[id].kind == FAM_ORIGIN && !origins)
			continue;
		header(&r, &families[id]);
		for (size_t i = 0; i < n; i++)
			emit(&r, (enum fam_id)id, &fg[i]);
	}
	if (o->openmetrics)
		add(&r, "# EOF\n");
	for (size_t i = 0; i < n; i++) {
		groups_release(&fg[i].g);
		summary_release(&fg[i].s);
	}
	free(fg);
	return r.rc;
}
