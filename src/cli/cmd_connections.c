/* SPDX-License-Identifier: PostgreSQL */
/* connections: who is connected, from the logs given or the one followed. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/conn_query.h"
#include "cli/conn_watch.h"
#include "cli/instance_pick.h"
#include "cli/opts.h"
#include "cli/shell.h"
#include "conn/lang.h"
#include "logfmt/ts.h"
#include "model/live.h"
#include "source/parallel.h"
#include "source/paths.h"
#include "util/diag.h"
#include "util/xalloc.h"
#include "view/history_view.h"
#include "view/metrics.h"

enum {
	O_HISTORY,
	O_WINDOW,
	O_BUCKET,
	O_SESSIONS,
	O_WATCH,
	O_METRICS,
	O_JSON,
	O_APP,
	O_USER,
	O_DB,
	O_HOST,
	O_SINCE,
	O_UNTIL,
	O_PREFIX,
	O_FORMAT,
	O_LANG,
	O_IDENT,
	O_JOBS,
	O_JOURNAL,
	O_UNIT,
	O_INSTANCE,
	O_OPENMETRICS,
	O_OUTPUT,
	O_MAX_HOSTS,
	O_MAX_APPS,
	O_SERVER,
	O_CLEAR,
	O__COUNT
};

/* A number in a help text: "(default " STR(METRICS_MAX_HOSTS) ")". */

static const struct opt_def connections_opts[O__COUNT] = {
    [O_HISTORY] = {.name = "history",
		   .section = "Views",
		   .help = "the open count at clock-aligned rows over a window, with\n"
			   "the connects, disconnects and failures between rows, a\n"
			   "sparkline, the peak, potential leaks with their evidence,\n"
			   "and per application session durations (median, p95, max)\n"
			   "and connects per minute, on average and in the busiest one"},
    [O_WINDOW] = {.name = "window",
		  .arg = ARG_DURATION,
		  .metavar = "D",
		  .help = "the history's window, a duration (default 1h)"},
    [O_BUCKET] = {.name = "bucket",
		  .arg = ARG_DURATION,
		  .metavar = "D",
		  .help = "the step between rows (default: 4-12 rows); a multiple of\n"
			  "10s for windows up to 6h, of 1m up to 7d, else of 10m"},
    [O_SESSIONS] = {.name = "sessions",
		    .help = "the open sessions, oldest first: pid, user, database,\n"
			    "application, host, opened at, age"},
    [O_WATCH] = {.name = "watch",
		 .help = "follow the log and print each connect [+], disconnect [-]\n"
			 "(with the session's duration) and failed attempt [!] that\n"
			 "matches the filters, until Ctrl+C; --since=T first shows the\n"
			 "past events from T; --json prints one object per line"},
    [O_METRICS] = {.name = "metrics",
		   .help = "the figures as Prometheus metrics (text format 0.0.4), for\n"
			   "node_exporter's textfile collector and scripts: open sessions\n"
			   "by database, user, application and host, connects,\n"
			   "disconnects, failures by reason, session durations, the peak;\n"
			   "in the shell, of the followed log"},
    [O_JSON] = {.name = "json", .section = "Options", .help = "one JSON object instead of text"},
    [O_APP] = OPT_APP(.help = "only sessions of this application; an attempt that fails\n"
			      "before the client sent its application_name (most\n"
			      "authentication failures) is \"unknown\" here"),
    [O_USER] = OPT_USER(),
    [O_DB] = OPT_DB(),
    [O_HOST] = OPT_HOST(),
    [O_SINCE] = {.name = "since",
		 .arg = ARG_TIME,
		 .metavar = "T",
		 .help = "count events from T on (state before T is still replayed)"},
    [O_UNTIL] = {.name = "until",
		 .arg = ARG_TIME,
		 .metavar = "T",
		 .help = "show the state at T\n"
			 "T is ISO 8601 (2026-11-29T10:30:00Z; no zone means UTC),\n"
			 "a clock time (10:30, on the log's last day), or a duration\n"
			 "before the newest event (90s, 15m, 2h, 1d)."},
    [O_PREFIX] = OPT_PREFIX(),
    [O_FORMAT] = {.name = "format",
		  .arg = ARG_CHOICE,
		  .metavar = "F",
		  .choices_fn = log_format_names,
		  .help = "the log's format, instead of detecting it; the ones\n"
			  "after jsonlog unwrap the server's records from syslog,\n"
			  "the journal, containers and cloud services' exports"},
    [O_LANG] = OPT_LANG(),
    [O_IDENT] = OPT_IDENT(),
    [O_JOBS] = {.name = "jobs",
		.arg = ARG_COUNT,
		.metavar = "N",
		.fronts = FRONT_ONESHOT,
		.help = "read the files with N threads: a large file is cut into\n"
			"parts read side by side, the answer is the same (default:\n"
			"the CPUs available, at most " OPTS_STR(
			    PARALLEL_DEFAULT_MAX) "; 1: one thread)"},
    [O_JOURNAL] = {.name = "journal",
		   .help = "read the server's records from the systemd journal (its\n"
			   "syslog and standard error), instead of files; with\n"
			   "--watch, follow it as it grows"},
    [O_UNIT] = OPT_UNIT(),
    [O_INSTANCE] = {.name = "instance",
		    .arg = ARG_INSTANCE,
		    .metavar = "I",
		    .help = "the logs of this machine's instance I: its number from\n"
			    "'list', its port, cluster name (15/main) or data directory"},
    [O_OPENMETRICS] = {.name = "openmetrics",
		       .section = "Metrics",
		       .help = "--metrics in the OpenMetrics 1.0 text format"},
    [O_OUTPUT] = {.name = "output",
		  .arg = ARG_FILE,
		  .metavar = "FILE",
		  .help = "write the metrics to FILE, whole or not at all (a temporary\n"
			  "file in its directory, renamed over it)"},
    [O_MAX_HOSTS] = OPT_MAX_HOSTS(),
    [O_MAX_APPS] = OPT_MAX_APPS(),
    [O_SERVER] = {.name = "server",
		  .arg = ARG_TEXT,
		  .metavar = "NAME",
		  .help = "a server=\"NAME\" label on every metric, to tell servers\n"
			  "apart; in a syslog or journal log of several hosts, also\n"
			  "only the records of host NAME"},
    [O_CLEAR] = {.name = "clear",
		 .flags = OPT_WORD,
		 .fronts = FRONT_SHELL,
		 .section = "In the shell",
		 .help = "reset the connects, disconnects and failures of the followed\n"
			 "log: later queries count from here"},
};

/* Fill q from the parsed options; CMD_OK or CMD_USAGE (said on err). */
static enum cmd_result query_from_args(struct cmd_ctx *ctx, const struct cmd_args *a,
				       struct conn_query *q)
{
	const char *const *v = a->val;

	memset(q, 0, sizeof(*q));
	filter_init(&q->filter);
	q->clock_ms = TS_UNKNOWN;
	q->json = v[O_JSON] != NULL;
	q->clear = v[O_CLEAR] != NULL;
	q->history = v[O_HISTORY] != NULL;
	q->sessions = v[O_SESSIONS] != NULL;
	q->watch = v[O_WATCH] != NULL;
	q->openmetrics = v[O_OPENMETRICS] != NULL;
	q->metrics = v[O_METRICS] != NULL || q->openmetrics;
	q->output = v[O_OUTPUT];
	q->server = v[O_SERVER];
	q->max_hosts = v[O_MAX_HOSTS] ? atoi(v[O_MAX_HOSTS]) : METRICS_MAX_HOSTS;
	q->max_apps = v[O_MAX_APPS] ? atoi(v[O_MAX_APPS]) : METRICS_MAX_APPS;
	q->window = v[O_WINDOW];
	q->bucket = v[O_BUCKET];
	q->since = v[O_SINCE];
	q->until = v[O_UNTIL];
	q->prefix = v[O_PREFIX];
	q->ident = v[O_IDENT];
	q->jobs = v[O_JOBS] ? atoi(v[O_JOBS]) : 0;
	if (q->jobs <= 0)
		q->jobs = parallel_default_jobs();
	if (q->jobs > PARALLEL_MAX_JOBS)
		q->jobs = PARALLEL_MAX_JOBS;
	q->sdjournal = v[O_JOURNAL] != NULL;
	q->unit = v[O_UNIT];
	q->instance = v[O_INSTANCE];
	filter_set(&q->filter, v[O_APP], v[O_USER], v[O_DB], v[O_HOST]);
	q->paths = xcalloc((size_t)a->noperands + 1, sizeof(*q->paths));
	for (int i = 0; i < a->noperands; i++)
		q->paths[q->npaths++] = a->operands[i];
	if (v[O_FORMAT]) {
		q->format = log_format_from_name(v[O_FORMAT]);
		if (q->format == LOGFMT_AUTO) {
			char names[160] = "";
			for (const char *const *n = log_format_names(); *n; n++)
				snprintf(names + strlen(names), sizeof(names) - strlen(names),
					 "%s%s", n == log_format_names() ? "" : ", ", *n);
			diag_error(ctx->err, "unknown --format '%s' (%s)", v[O_FORMAT], names);
			return CMD_USAGE;
		}
	}
	q->lang = -1;
	if (v[O_LANG] && (q->lang = opts_parse_lang(v[O_LANG], ctx->err)) < 0)
		return CMD_USAGE;
	if (q->unit && !q->sdjournal) {
		diag_error(ctx->err, "--unit applies to --journal only");
		return CMD_USAGE;
	}
	if (q->sdjournal && (q->npaths || q->instance || q->format)) {
		diag_error(ctx->err, "--journal reads the journal: give no PATH, --instance "
				     "or --format with it");
		return CMD_USAGE;
	}
	if (q->history + q->sessions + q->watch + q->metrics > 1) {
		diag_error(ctx->err,
			   "choose one view: --history, --sessions, --watch or --metrics");
		return CMD_USAGE;
	}
	if (q->metrics && q->json) {
		diag_error(ctx->err, "--metrics has a format of its own: drop --json");
		return CMD_USAGE;
	}
	for (int i = O_OUTPUT; i <= O_MAX_APPS; i++)
		if (v[i] && !q->metrics) {
			diag_error(ctx->err, "--%s applies to --metrics only",
				   connections_opts[i].name);
			return CMD_USAGE;
		}
	if (q->server && !*q->server) {
		diag_error(ctx->err, "empty value for --server");
		return CMD_USAGE;
	}
	if ((q->window || q->bucket) && !q->history) {
		diag_error(ctx->err, "%s applies to --history only",
			   q->window ? "--window" : "--bucket");
		return CMD_USAGE;
	}
	return CMD_OK;
}

/* One-shot: the files named, standard input, or this machine's instance. */
static enum cmd_result run_oneshot(struct cmd_ctx *ctx, struct conn_query *q)
{
	struct path_list pl = {0};
	struct instance_target it = {0};
	enum cmd_result rc;

	if (q->instance && q->npaths) {
		diag_error(ctx->err, "give --instance or PATHs, not both");
		return CMD_USAGE;
	}
	if (q->sdjournal)
		return q->watch ? conn_watch_run(ctx, q) : conn_query_run(ctx, q, NULL);
	if (q->npaths == 0 && !q->instance && !isatty(STDIN_FILENO) && !q->watch) {
		q->paths[q->npaths++] = "-";
	} else if (q->npaths == 0) {
		/* No PATH: the PostgreSQL instance of this machine. */
		if (instance_pick(q->instance, ctx->err, &it) < 0) {
			if (!q->instance)
				diag_error(ctx->err,
					   "name log files, a directory, or - for standard "
					   "input (see 'pgtail help connections')");
			return CMD_USAGE;
		}
		if (it.journal_unit) {
			/* The instance's log is the journal of its service. */
			q->sdjournal = true;
			q->unit = it.journal_unit;
			rc = q->watch ? conn_watch_run(ctx, q) : conn_query_run(ctx, q, NULL);
			instance_target_release(&it);
			return rc;
		}
		free(q->paths);
		q->paths = xcalloc(it.nargs + 1, sizeof(*q->paths));
		for (size_t i = 0; i < it.nargs; i++)
			q->paths[q->npaths++] = it.args[i];
	}
	if (q->watch) {
		/* The watch finds its files itself, as the shell's tail does. */
		rc = conn_watch_run(ctx, q);
	} else {
		/* Problems with single paths are reported; the rest is read. */
		paths_expand(q->paths, (size_t)q->npaths, q->prefix, ctx->err, &pl);
		if (pl.n == 0) {
			diag_error(ctx->err, "no log files to read");
			rc = CMD_ERROR;
		} else {
			rc = conn_query_run(ctx, q, &pl);
		}
	}
	path_list_release(&pl);
	instance_target_release(&it);
	return rc;
}

/* In the shell: files named are replayed; otherwise the followed log. */
static enum cmd_result run_shell(struct cmd_ctx *ctx, struct conn_query *q)
{
	struct shell *sh = ctx->shell;
	enum cmd_result rc = CMD_OK;
	char since[40];

	if (q->clear) {
		if (!sh->live) {
			out_puts(ctx->out, "Nothing to clear: not following a log.\n");
			return CMD_OK;
		}
		/* Counters count what comes after the newest record read (one ms
		 * later: what was read at that ms came before the clear). */
		live_sync(sh->live);
		struct model *m = live_model(sh->live);
		int64_t newest = m->newest_ts != TS_UNKNOWN ? m->newest_ts : m->t.last_ts;
		sh->cleared_at = newest != TS_UNKNOWN ? newest + 1 : model_wall_clock();
		out_puts(ctx->out, "Counters cleared; connects, disconnects and failures count "
				   "from now on.\n");
		return CMD_OK;
	}
	if (q->instance || q->sdjournal) /* a source of its own: as from the command line */
		return run_oneshot(ctx, q);
	if (q->watch && q->npaths) /* files of its own: as from the command line */
		return conn_watch_run(ctx, q);
	if (q->watch) {
		if (!shell_following(sh)) {
			diag_error(ctx->err, "--watch needs a followed log: 'tail FILE' first");
			return CMD_ERROR;
		}
		int64_t from = TS_UNKNOWN;
		const char *why = NULL;
		if (q->since) {
			live_sync(sh->live);
			if (opts_parse_time(q->since, model_now(live_model(sh->live)), &from,
					    &why) < 0) {
				diag_error(ctx->err, "invalid --since '%s': %s", q->since, why);
				return CMD_USAGE;
			}
		}
		shell_enter_watch(sh, ctx, &q->filter, q->json, from);
		return CMD_OK;
	}
	if (q->npaths) {
		struct path_list pl = {0};
		paths_expand(q->paths, (size_t)q->npaths, q->prefix, ctx->err, &pl);
		rc = pl.n ? conn_query_run(ctx, q, &pl) : CMD_ERROR;
		path_list_release(&pl);
		return rc;
	}
	if (!sh->live) {
		diag_error(ctx->err, "no log to read: 'tail FILE' to follow one, or give files "
				     "('connections FILE...')");
		return CMD_ERROR;
	}
	/* The live model answers the plain views directly; anything with a
	 * filter, a window or a time is answered by replaying the files, which
	 * hold everything the live model saw. */
	/* Following live, now is the clock, not the last line; after 'stop',
	 * the last line read. */
	if (shell_following(sh)) {
		q->clock_ms = model_wall_clock();
	} else {
		q->clock_ms = TS_UNKNOWN;
		diag_note(ctx->err, "not following %s ('stop'): as of the last line read",
			  live_target(sh->live));
	}
	if (sh->cleared_at == TS_UNKNOWN && !q->since && !q->until && !q->window && !q->bucket &&
	    filter_empty(&q->filter) && !q->history) {
		struct model *m = live_model(sh->live);
		live_sync(sh->live);
		m->clock_ms = q->clock_ms;
		rc = conn_query_render(ctx, q, m, TS_UNKNOWN, 3600 * 1000LL,
				       history_default_bucket(3600 * 1000LL));
		m->clock_ms = TS_UNKNOWN;
		return rc;
	}
	if (sh->cleared_at != TS_UNKNOWN && !q->since) {
		ts_format_iso(sh->cleared_at, since, sizeof(since));
		q->since = since;
	}
	/* Every other view replays exactly the bytes the live model read,
	 * through every rotation and destination since 'tail'. */
	live_sync(sh->live);
	q->live = sh->live;
	/* Read as 'tail' read them, unless told otherwise. */
	if (!q->prefix)
		q->prefix = live_prefix(sh->live);
	const char *ident;
	if (live_sdjournal(sh->live, &ident) && !q->ident)
		q->ident = ident;
	if (q->lang < 0)
		q->lang = live_model(sh->live)->lang_forced;
	return conn_query_run(ctx, q, NULL);
}

static enum cmd_result connections_run(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conn_query q;
	enum cmd_result rc = query_from_args(ctx, a, &q);

	if (rc == CMD_OK)
		rc = ctx->shell ? run_shell(ctx, &q) : run_oneshot(ctx, &q);
	conn_query_release(&q);
	return rc;
}

const struct cmd_def cmd_connections_def = {
    .name = "connections",
    .operands = OPERANDS_PATHS,
    .operand_meta = "[PATH...]",
    .fronts = FRONT_BOTH,
    .summary = "Show who is connected: open sessions, connects, failures",
    .opts = connections_opts,
    .nopts = O__COUNT,
    .run = connections_run,
    .description = "Replays PostgreSQL log files and shows the sessions open at the end (or at\n"
		   "--until): how many, by database, user, application and source host; how many\n"
		   "connects, disconnects and failed attempts (by reason) in the window; and the\n"
		   "peak.  Needs log_connections = on and log_disconnections = on.\n"
		   "\n"
		   "PATH is a log file (stderr, csvlog or jsonlog, or one of them carried by\n"
		   "syslog or the journal: journalctl -o json or short-iso; detected per file;\n"
		   ".gz too), a directory of log files, a glob, or - for standard input (the\n"
		   "default when input is piped).  Rotated files are read oldest first as one\n"
		   "stream.  With no PATH on a terminal, the logs of this machine's PostgreSQL\n"
		   "('list'); in the shell, the log being followed ('tail').  The default view\n"
		   "is the summary: open sessions now and the window's counters.\n",
    .epilog = "A PATTERN may use * (any run of characters) and ? (any one); an unset\n"
	      "application is \"unknown\".  All the filters given must match.\n"
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
	      "  3. the sessions it opened in the window and still has open at the end\n"
	      "     were opened in at least 3 separate steps, each a second or more\n"
	      "     after the one before (a pool opening its connections at once is not\n"
	      "     a leak; short sessions beside it, like health checks, are not steps),\n"
	      "  4. it is still within 10 % of the most it had open in the window, and\n"
	      "  5. the window covers at least a minute of log (until then a pool\n"
	      "     filling up and a leak look the same).\n"
	      "Thousands of short sessions matched by closes fail rule 2; a steady pool\n"
	      "fails rule 1.  The rows where a flagged application grew are marked\n"
	      "\"<- potential leak\".  Applications whose median session is under a\n"
	      "second and that connect 30 or more times a minute on average, or 300 or\n"
	      "more times in their busiest minute (peak/min), are marked as ones a\n"
	      "connection pooler would help.\n",
};
