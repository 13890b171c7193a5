/* SPDX-License-Identifier: PostgreSQL */
/* connections: who is connected, from the log files given. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "conn/classify.h"
#include "conn/tracker.h"
#include "source/paths.h"
#include "source/reader.h"
#include "util/xalloc.h"
#include "view/history_view.h"
#include "view/summary.h"

#define DEFAULT_WINDOW_MS (3600 * 1000LL)

struct conn_opts {
	bool json;
	bool clear;
	bool history;   /* --history */
	bool sessions;  /* --sessions */
	const char *window, *bucket;
	const char *since, *until, *prefix;
	enum log_format format;
	struct filter filter;
	char **paths;
	int npaths;
};

/* State of one replay: the tracker plus what the reader callback learns. */
struct replay {
	struct tracker t;
	int64_t newest_ts;      /* newest timestamp of any record */
	uint64_t checked;       /* messages looked at for language */
	uint64_t english;       /* of those, recognisably English */
};

static void on_entry(void *ctx, const struct pg_entry *e)
{
	struct replay *r = ctx;
	struct conn_event ev;

	if (e->ts_ms != TS_UNKNOWN && e->ts_ms > r->newest_ts)
		r->newest_ts = e->ts_ms;
	if (r->checked < 4096 && e->sev != SEV_DETAIL && e->sev < SEV_DETAIL) {
		r->checked++;
		if (classify_is_english(e))
			r->english++;
	}
	if (!classify_maybe(e->sev, e->message.p, e->message.len))
		return;
	if (classify_entry(e, &ev) == EV_NONE)
		return;
	tracker_feed(&r->t, &ev);
}

static int set_pattern(char **slot, const char *v, struct cmd_ctx *ctx, const char *name)
{
	if (!*v) {
		out_warn(ctx->err, "empty value for %s", name);
		return -1;
	}
	free(*slot);
	*slot = xstrdup(v);
	return 0;
}

static enum cmd_result parse(struct cmd_ctx *ctx, int argc, char **argv, struct conn_opts *o)
{
	const char *v;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--json") == 0) {
			o->json = true;
		} else if (strcmp(a, "--history") == 0) {
			o->history = true;
		} else if (strcmp(a, "--sessions") == 0) {
			o->sessions = true;
		} else if ((v = opts_value(argc, argv, &i, "window", false))) {
			o->window = v;
		} else if ((v = opts_value(argc, argv, &i, "bucket", false))) {
			o->bucket = v;
		} else if (strcmp(a, "clear") == 0 && i == 1) {
			o->clear = true;
		} else if ((v = opts_value(argc, argv, &i, "app", true)) ||
			   (v = opts_value(argc, argv, &i, "application", true))) {
			if (set_pattern(&o->filter.app, v, ctx, "--app") < 0)
				return CMD_USAGE;
		} else if ((v = opts_value(argc, argv, &i, "user", true))) {
			if (set_pattern(&o->filter.user, v, ctx, "--user") < 0)
				return CMD_USAGE;
		} else if ((v = opts_value(argc, argv, &i, "db", true)) ||
			   (v = opts_value(argc, argv, &i, "database", true))) {
			if (set_pattern(&o->filter.db, v, ctx, "--db") < 0)
				return CMD_USAGE;
		} else if ((v = opts_value(argc, argv, &i, "host", true))) {
			if (set_pattern(&o->filter.host, v, ctx, "--host") < 0)
				return CMD_USAGE;
		} else if ((v = opts_value(argc, argv, &i, "since", false))) {
			o->since = v;
		} else if ((v = opts_value(argc, argv, &i, "until", false))) {
			o->until = v;
		} else if ((v = opts_value(argc, argv, &i, "prefix", false))) {
			o->prefix = v;
		} else if ((v = opts_value(argc, argv, &i, "format", false))) {
			if (strcmp(v, "stderr") == 0)
				o->format = LOGFMT_STDERR;
			else if (strcmp(v, "csvlog") == 0 || strcmp(v, "csv") == 0)
				o->format = LOGFMT_CSV;
			else if (strcmp(v, "jsonlog") == 0 || strcmp(v, "json") == 0)
				o->format = LOGFMT_JSON;
			else {
				out_warn(ctx->err, "unknown --format '%s' (stderr, csvlog, jsonlog)", v);
				return CMD_USAGE;
			}
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			out_printf(ctx->out, "Usage: %s\n\n%s", cmd_connections_def.usage,
				   cmd_connections_def.help);
			return -1;
		} else if (a[0] == '-' && a[1] != '\0') {
			out_warn(ctx->err, "unknown option '%s' for connections; see 'pgtail help "
					   "connections'",
				 a);
			return CMD_USAGE;
		} else {
			o->paths[o->npaths++] = argv[i];
		}
	}
	return CMD_OK;
}

/* Parse a duration option ("15m", "1h", "90s", "2d") into ms. */
static int parse_duration(struct cmd_ctx *ctx, const char *opt, const char *v, int64_t *out)
{
	const char *err = NULL;
	int64_t t;
	/* A duration is a relative time before 0. */
	if (!v || !opts_time_relative(v) || strchr(v, ':') ||
	    opts_parse_time(v, 0, &t, &err) < 0 || t >= 0) {
		out_warn(ctx->err, "invalid %s '%s': use a duration such as 90s, 15m, 1h or 2d", opt,
			 v ? v : "");
		return -1;
	}
	*out = -t;
	return 0;
}

/* The newest timestamp across the files, for relative --since/--until. */
static int64_t newest_of(const struct path_list *pl, const char *prefix)
{
	int64_t best = TS_UNKNOWN;
	for (size_t i = 0; i < pl->n; i++) {
		int64_t ts = reader_last_ts(pl->paths[i], prefix);
		if (ts != TS_UNKNOWN && (best == TS_UNKNOWN || ts > best))
			best = ts;
	}
	return best;
}

static int resolve_time(struct cmd_ctx *ctx, const char *opt, const char *v, int64_t newest,
			int64_t *out)
{
	const char *err = NULL;
	if (!v) {
		*out = TS_UNKNOWN;
		return 0;
	}
	if (opts_parse_time(v, newest, out, &err) < 0) {
		out_warn(ctx->err, "invalid %s '%s': %s", opt, v, err);
		return -1;
	}
	return 0;
}

static enum cmd_result connections_run(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct conn_opts o = {0};
	struct path_list pl = {0};
	struct replay r;
	struct reader_stats st = {0};
	enum cmd_result rc;
	char *stdin_only[] = {"-"};

	filter_init(&o.filter);
	o.paths = xcalloc((size_t)argc + 1, sizeof(*o.paths));
	rc = parse(ctx, argc, argv, &o);
	if (rc != CMD_OK) {
		free(o.paths);
		filter_release(&o.filter);
		return (int)rc < 0 ? CMD_OK : rc;
	}
	if (o.clear) {
		out_printf(ctx->out, "Nothing to clear: counters are kept only in an interactive "
				     "session.\n");
		free(o.paths);
		filter_release(&o.filter);
		return CMD_OK;
	}
	if (o.npaths == 0) {
		if (isatty(STDIN_FILENO)) {
			out_warn(ctx->err, "no log files given; name files, a directory, or - for "
					   "standard input (see 'pgtail help connections')");
			free(o.paths);
			filter_release(&o.filter);
			return CMD_USAGE;
		}
		o.paths = memcpy(xrealloc(o.paths, sizeof(char *)), stdin_only, sizeof(char *));
		o.npaths = 1;
	}

	int problems = paths_expand(o.paths, (size_t)o.npaths, o.prefix, ctx->err, &pl);
	if (pl.n == 0) {
		out_warn(ctx->err, "no log files to read");
		rc = CMD_ERROR;
		goto out;
	}

	tracker_init(&r.t);
	r.newest_ts = TS_UNKNOWN;
	r.checked = r.english = 0;
	r.t.filter = o.filter;
	filter_init(&o.filter); /* owned by the tracker now */

	int64_t since = TS_UNKNOWN, until = TS_UNKNOWN, newest = TS_UNKNOWN;
	if ((o.since && opts_time_relative(o.since)) || (o.until && opts_time_relative(o.until)))
		newest = newest_of(&pl, o.prefix);
	if (resolve_time(ctx, "--since", o.since, newest, &since) < 0 ||
	    resolve_time(ctx, "--until", o.until, newest, &until) < 0) {
		tracker_release(&r.t);
		rc = CMD_USAGE;
		goto out;
	}
	/* History: the window and its rows. */
	int64_t window_ms = DEFAULT_WINDOW_MS, bucket_ms = 0;
	if ((o.window && parse_duration(ctx, "--window", o.window, &window_ms) < 0) ||
	    (o.bucket && parse_duration(ctx, "--bucket", o.bucket, &bucket_ms) < 0)) {
		tracker_release(&r.t);
		rc = CMD_USAGE;
		goto out;
	}
	if (o.history && (o.since || o.until) && newest == TS_UNKNOWN)
		newest = newest_of(&pl, o.prefix);
	int64_t hist_now = until != TS_UNKNOWN ? until : newest;
	if (since != TS_UNKNOWN && hist_now != TS_UNKNOWN && hist_now > since)
		window_ms = hist_now - since;
	if (!bucket_ms)
		bucket_ms = history_default_bucket(window_ms);
	int64_t cell = history_cell_ms(window_ms);
	if (bucket_ms < cell || bucket_ms % cell) {
		char d[32];
		fmt_duration(cell, d, sizeof(d));
		out_warn(ctx->err, "invalid --bucket '%s': it must be a multiple of %s for this window",
			 o.bucket ? o.bucket : "", d);
		tracker_release(&r.t);
		rc = CMD_USAGE;
		goto out;
	}
	if (window_ms / bucket_ms > 1000) {
		out_warn(ctx->err, "--bucket '%s' gives more than 1000 rows for the window; choose "
				   "a larger one", o.bucket ? o.bucket : "");
		tracker_release(&r.t);
		rc = CMD_USAGE;
		goto out;
	}
	struct history hist;
	history_init(&hist, window_ms + bucket_ms);
	r.t.history = &hist;
	if (o.history) {
		/* Count the window's figures in the tracker too (peak, connects). */
		if (since == TS_UNKNOWN && o.history) {
			if (newest == TS_UNKNOWN)
				newest = newest_of(&pl, o.prefix);
			int64_t end = until != TS_UNKNOWN ? until : newest;
			if (end != TS_UNKNOWN)
				since = end - window_ms;
		}
		hist.window_start = since;
	}
	tracker_set_window(&r.t, since, until);

	struct reader_opts ro = {
		.prefix = o.prefix, .format = o.format, .err = ctx->err, .max_reports = 3};
	for (size_t i = 0; i < pl.n; i++)
		reader_run(pl.paths[i], &ro, on_entry, &r, &st);
	tracker_finish(&r.t);
	if (until == TS_UNKNOWN && r.newest_ts != TS_UNKNOWN && r.newest_ts > r.t.last_ts)
		r.t.last_ts = r.newest_ts;

	if (st.messages == 0) {
		out_warn(ctx->err, "no PostgreSQL log records could be read (%llu files, %llu "
				   "lines skipped)",
			 (unsigned long long)st.files, (unsigned long long)st.skipped);
		tracker_release(&r.t);
		history_release(&hist);
		rc = CMD_ERROR;
		goto out;
	}
	/* Fewer than 1 in 20 messages in English: lc_messages is not English. */
	bool non_english = r.checked >= 20 && r.english * 20 < r.checked;
	if (non_english)
		out_warn(ctx->err, "only %llu of the first %llu messages are in English: pgtail "
				   "matches the server's messages in English, so connection events "
				   "in another language are not seen; set lc_messages = 'C' on the "
				   "server (ALTER SYSTEM SET lc_messages = 'C'; SELECT "
				   "pg_reload_conf();)",
			 (unsigned long long)r.english, (unsigned long long)r.checked);

	int64_t now = until != TS_UNKNOWN ? until : r.newest_ts;
	if (now == TS_UNKNOWN)
		now = r.t.last_ts;
	struct summary s;
	summary_build(&s, &r.t);
	if (until == TS_UNKNOWN && r.newest_ts != TS_UNKNOWN)
		s.now_ms = r.newest_ts;
	s.files = st.files;
	s.lines = st.lines;
	s.skipped = st.skipped;
	s.non_english = non_english;
	struct history_report hr;
	bool have_hr = now != TS_UNKNOWN;
	if (have_hr)
		history_report_build(&hr, &r.t, &hist, now,
				     o.history && o.since ? since : TS_UNKNOWN, window_ms, bucket_ms);
	if (summary_empty(&s) && !o.json) {
		if (non_english)
			out_printf(ctx->out,
				   "No connection events recognised in %llu file%s (%llu lines): "
				   "the log is not in English (see the warning above).\n",
				   (unsigned long long)st.files, st.files == 1 ? "" : "s",
				   (unsigned long long)st.lines);
		else
			out_printf(ctx->out,
				   "No connection events in %llu file%s (%llu lines).\n"
				   "PostgreSQL logs them only when log_connections = on and "
				   "log_disconnections = on:\n"
				   "  ALTER SYSTEM SET log_connections = on;\n"
				   "  ALTER SYSTEM SET log_disconnections = on;\n"
				   "  SELECT pg_reload_conf();\n"
				   "(new sessions are logged from then on).\n",
				   (unsigned long long)st.files, st.files == 1 ? "" : "s",
				   (unsigned long long)st.lines);
	} else if (o.sessions) {
		if (o.json)
			sessions_print_json(&r.t, now, ctx->out);
		else
			sessions_print_text(&r.t, now, ctx->out);
	} else if (o.history) {
		if (!have_hr) {
			out_warn(ctx->err, "--history needs a log with timestamps (log_line_prefix "
					   "with %%m or %%t)");
			rc = CMD_ERROR;
		} else if (o.json) {
			history_report_print_json(&hr, ctx->out);
		} else {
			history_report_print_text(&hr, ctx->out);
		}
	} else if (o.json) {
		summary_print_json(&s, have_hr ? &hr : NULL, ctx->out);
	} else {
		summary_print_text(&s, ctx->out);
		if (have_hr && hr.nleaks) {
			out_printf(ctx->out, "\nPotential leak%s in the last hour: ",
				   hr.nleaks == 1 ? "" : "s");
			for (size_t i = 0; i < hr.nleaks; i++)
				out_printf(ctx->out, "%s%s (+%lld)", i ? ", " : "",
					   tracker_name(&r.t, hr.leaks[i].app),
					   (long long)hr.leaks[i].v.growth);
			out_printf(ctx->out, " -- see 'connections --history'\n");
		}
	}
	if (have_hr)
		history_report_release(&hr);
	summary_release(&s);
	tracker_release(&r.t);
	history_release(&hist);
	if (rc == CMD_ERROR)
		goto out;
	rc = CMD_OK;
	if (problems && st.files == 0)
		rc = CMD_ERROR;
out:
	path_list_release(&pl);
	free(o.paths);
	filter_release(&o.filter);
	return rc;
}

const struct cmd_def cmd_connections_def = {
	.name = "connections",
	.usage = "connections [--history [--window=D] [--bucket=D] | --sessions] [--json] "
		 "[--app=X] [--user=X] [--db=X] [--host=X] [--since=T] [--until=T] [--prefix=P] "
		 "[PATH...]",
	.summary = "Show who is connected: open sessions, connects, failures",
	.help =
		"Replays PostgreSQL log files and shows the sessions open at the end (or at\n"
		"--until): how many, by database, user, application and source host; how many\n"
		"connects, disconnects and failed attempts (by reason) in the window; and the\n"
		"peak.  Needs log_connections = on and log_disconnections = on.\n"
		"\n"
		"PATH is a log file (stderr, csvlog or jsonlog, detected per file; .gz too), a\n"
		"directory of log files, a glob, or - for standard input (the default when\n"
		"input is piped).  Rotated files are read oldest first as one stream.\n"
		"\n"
		"Views:\n"
		"  (default)       the summary: open sessions now and the window's counters\n"
		"  --history       the open count at clock-aligned rows over a window, with\n"
		"                  the connects, disconnects and failures between rows, a\n"
		"                  sparkline, the peak, potential leaks with their evidence,\n"
		"                  and per application session durations (median, p95, max)\n"
		"                  and connects per minute\n"
		"  --window=D      the history's window, a duration (default 1h)\n"
		"  --bucket=D      the step between rows (default: 4-12 rows); a multiple of\n"
		"                  10s for windows up to 6h, of 1m up to 7d, else of 10m\n"
		"  --sessions      the open sessions, oldest first: pid, user, database,\n"
		"                  application, host, opened at, age\n"
		"\n"
		"Options:\n"
		"  --json          one JSON object instead of text\n"
		"  --app=PATTERN   only sessions of this application (also app=PATTERN)\n"
		"  --user=PATTERN  only this user (also user=PATTERN)\n"
		"  --db=PATTERN    only this database (also db=PATTERN)\n"
		"  --host=PATTERN  only this source host; the unix socket is [local]\n"
		"                  Patterns may use * and ?; an unset application is\n"
		"                  \"unknown\".  All given filters must match.\n"
		"  --since=T       count events from T on (state before T is still replayed)\n"
		"  --until=T       show the state at T\n"
		"                  T is ISO 8601 (2026-11-29T10:30:00Z; no zone means UTC),\n"
		"                  a clock time (10:30, on the log's last day), or a duration\n"
		"                  before the newest event (90s, 15m, 2h, 1d).\n"
		"  --prefix=P      the server's log_line_prefix, when inference guesses wrong\n"
		"  --format=F      stderr, csvlog or jsonlog, instead of detecting it\n"
		"  clear           reset counters (interactive shell only)\n"
		"\n"
		"The open count is exact when the replay starts at a server start; otherwise\n"
		"it is a lower bound and the output says so.  A connection that is authorized\n"
		"and then refused (no such database or role, a connection limit, reserved\n"
		"slots) is a failed attempt, not a session.  A crash, restart or stop ends\n"
		"every session.\n"
		"\n"
		"Potential leaks.  Over the window, an application is flagged when\n"
		"  1. it has at least 3 more sessions open at the end than at the start,\n"
		"  2. that growth is at least a third of the sessions it opened in the\n"
		"     window (its opens far exceed its closes),\n"
		"  3. it opened them in at least 3 separate steps, a second or more apart\n"
		"     (a pool opening its connections at once is not a leak), and\n"
		"  4. it is still within 10 % of the most it had open in the window.\n"
		"Thousands of short sessions matched by closes fail rule 2; a steady pool\n"
		"fails rule 1.  The rows where a flagged application grew are marked\n"
		"\"<- potential leak\".  Applications whose median session is under a\n"
		"second and that connect 30 or more times a minute are marked as ones a\n"
		"connection pooler would help.\n",
	.run = connections_run,
};
