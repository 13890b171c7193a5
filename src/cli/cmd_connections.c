/* SPDX-License-Identifier: PostgreSQL */
/* connections: who is connected, from the log files given. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/diag.h"
#include "cli/cli.h"
#include "cli/conn_query.h"
#include "cli/conn_watch.h"
#include "cli/instance_pick.h"
#include "source/paths.h"
#include "util/xalloc.h"

static enum cmd_result connections_run(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct conn_query q;
	struct path_list pl = {0};
	enum cmd_result rc;
	int r = conn_query_parse(ctx, argc, argv, &q);

	if (r != CMD_OK) {
		conn_query_release(&q);
		return r < 0 ? CMD_OK : (enum cmd_result)r;
	}
	if (q.clear) {
		out_printf(ctx->out, "Nothing to clear: counters are kept only in an interactive "
				     "session.\n");
		conn_query_release(&q);
		return CMD_OK;
	}
	struct instance_target it = {0};
	if (q.npaths == 0 && !isatty(STDIN_FILENO) && !q.watch) {
		q.paths[q.npaths++] = "-";
	} else if (q.npaths == 0) {
		/* No PATH: the PostgreSQL instance of this machine. */
		if (instance_pick(NULL, ctx->err, &it) < 0) {
			diag_warn(ctx->err, "name log files, a directory, or - for standard input "
					   "(see 'pgtail help connections')");
			conn_query_release(&q);
			return CMD_USAGE;
		}
		free(q.paths);
		q.paths = xcalloc(it.nargs + 1, sizeof(*q.paths));
		for (size_t i = 0; i < it.nargs; i++)
			q.paths[q.npaths++] = it.args[i];
	}
	if (q.watch) {
		/* The watch finds its files itself, as the shell's tail does. */
		rc = conn_watch_run(ctx, &q);
	} else {
		/* Problems with single paths are reported; the rest is read. */
		paths_expand(q.paths, (size_t)q.npaths, q.prefix, ctx->err, &pl);
		if (pl.n == 0) {
			diag_warn(ctx->err, "no log files to read");
			rc = CMD_ERROR;
		} else {
			rc = conn_query_run(ctx, &q, &pl);
		}
	}
	path_list_release(&pl);
	conn_query_release(&q);
	instance_target_release(&it);
	return rc;
}

const struct cmd_def cmd_connections_def = {
	.name = "connections",
	.usage = "connections [--history [--window=D] [--bucket=D] | --sessions | --watch] [--json] "
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
		"input is piped).  Rotated files are read oldest first as one stream.  With\n"
		"no PATH on a terminal, the logs of this machine's PostgreSQL ('list').\n"
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
		"  --watch         follow the log and print each connect [+], disconnect [-]\n"
		"                  (with the session's duration) and failed attempt [!] that\n"
		"                  matches the filters, until Ctrl+C; --since=T first shows the\n"
		"                  past events from T; --json prints one object per line\n"
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
