/* SPDX-License-Identifier: PostgreSQL */
/* top: the dashboard of who is connected, live or at an instant of the log. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/instance_pick.h"
#include "cli/opts.h"
#include "cli/shell.h"
#include "cli/top_loop.h"
#include "logfmt/ts.h"
#include "model/live.h"
#include "util/diag.h"

enum {
	O_APP,
	O_USER,
	O_DB,
	O_HOST,
	O_AT,
	O_WINDOW,
	O_ONCE,
	O_PREFIX,
	O_INSTANCE,
	O__COUNT
};

static const char *const windows[] = {"1m", "5m", "15m", "1h", "6h", NULL};

static const struct opt_def top_opts[O__COUNT] = {
    [O_APP] = OPT_APP(.section = "Filters", .help = "only sessions of this application"),
    [O_USER] = OPT_USER(),
    [O_DB] = OPT_DB(),
    [O_HOST] = OPT_HOST(),
    [O_AT] = {.name = "at",
	      .section = "Options",
	      .arg = ARG_TIME,
	      .metavar = "T",
	      .help = "start at the instant T of the log instead of now (as\n"
		      "'connections --until'): ISO 8601, a clock time on the log's\n"
		      "last day, or a duration before the newest event"},
    [O_WINDOW] = {.name = "window",
		  .arg = ARG_CHOICE,
		  .metavar = "D",
		  .choices = windows,
		  .help = "the chart's window (default 5m; +/- change it)"},
    [O_ONCE] = {.name = "once",
		.help = "print one screen as text and exit, sized to the terminal\n"
			"(else $COLUMNS x $LINES, else 120x40): for scripts and\n"
			"when standard output is not a terminal"},
    [O_PREFIX] = OPT_PREFIX(),
    [O_INSTANCE] = {.name = "instance",
		    .arg = ARG_INSTANCE,
		    .metavar = "I",
		    .fronts = FRONT_ONESHOT,
		    .help = "the logs of this machine's instance I: its number from\n"
			    "'list', its port, cluster name (15/main) or data directory"},
};

/* --once: the terminal's size, else $LINES/$COLUMNS, else 40x120. */
static void once_size(int *rows, int *cols)
{
	struct winsize ws;
	const char *l = getenv("LINES"), *c = getenv("COLUMNS");
	*rows = 40;
	*cols = 120;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row &&
	    ws.ws_col) {
		*rows = ws.ws_row;
		*cols = ws.ws_col;
		return;
	}
	if (l && atoi(l) >= 5)
		*rows = atoi(l);
	if (c && atoi(c) >= 20)
		*cols = atoi(c);
}

/* Follow the files named, or this machine's instance; NULL when not. */
static struct live *own_live(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct instance_target it = {0};
	char *const *args = a->operands;
	size_t nargs = (size_t)a->noperands;
	const char *label = NULL;
	const char *inst = a->val[O_INSTANCE];

	if (inst && nargs) {
		diag_error(ctx->err, "give --instance or PATHs, not both");
		return NULL;
	}
	if (!nargs) {
		if (instance_pick(inst, ctx->err, &it) < 0) {
			if (!inst)
				diag_error(ctx->err, "name log files or a directory (see 'pgtail "
						     "help top')");
			return NULL;
		}
		args = it.args;
		nargs = it.nargs;
		label = it.label;
	}
	for (size_t i = 0; i < nargs; i++)
		if (!strcmp(args[i], "-")) {
			/* The screen's views replay what was read (at an instant,
			 * with a filter): a pipe cannot be read twice. */
			diag_error(ctx->err,
				   "top cannot read standard input: name log files "
				   "(for a pipe, 'connections -' or 'connections --watch -')");
			instance_target_release(&it);
			return NULL;
		}
	struct live *l = live_open(args, nargs, label, a->val[O_PREFIX], ctx->err);
	if (l && live_begin(l) < 0) {
		live_stop(l);
		l = NULL;
	}
	instance_target_release(&it);
	return l;
}

static enum cmd_result top_run(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const char *const *v = a->val;
	struct shell *sh = ctx->shell;
	bool once = v[O_ONCE] != NULL;
	struct live *l = NULL, *own = NULL;
	struct filter f;
	enum cmd_result rc = CMD_OK;

	if (!once && (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO))) {
		diag_error(ctx->err, "top draws on a terminal and reads keys from it; use --once "
				     "for one screen as text");
		return CMD_USAGE;
	}
	if (sh && !a->noperands) {
		if (!sh->live) {
			diag_error(ctx->err, "no log to show: 'tail N|PATH' to follow one, or give "
					     "files ('top FILE...')");
			return CMD_ERROR;
		}
		l = sh->live;
	} else {
		l = own = own_live(ctx, a);
		if (!l)
			return CMD_ERROR; /* said on ctx->err */
	}

	struct top_opts o = {.filter = &f,
			     .at = TS_UNKNOWN,
			     .window_ms = 300000,
			     .once = once,
			     .prefix = v[O_PREFIX]};
	filter_init(&f);
	filter_set(&f, v[O_APP], v[O_USER], v[O_DB], v[O_HOST]);
	if (v[O_WINDOW]) {
		int64_t w;
		const char *why = NULL;
		if (opts_parse_time(v[O_WINDOW], 0, &w, &why) == 0 && w < 0)
			o.window_ms = -w;
	}
	if (v[O_AT]) {
		const char *why = NULL;
		live_sync(l);
		if (opts_parse_time(v[O_AT], live_model(l)->newest_ts, &o.at, &why) < 0) {
			diag_error(ctx->err, "invalid --at '%s': %s", v[O_AT], why);
			rc = CMD_USAGE;
			goto out;
		}
	}
	if (once) {
		once_size(&o.rows, &o.cols);
		/* One screen of files read: as of their newest record. */
		if (own)
			live_halt(own);
	}

	switch (top_loop_run(ctx, l, &o)) {
	case TOP_FAILED:
		rc = CMD_ERROR;
		break;
	case TOP_TERM:
		/* SIGTERM or SIGHUP: the terminal is back; end as the signal asks. */
		filter_release(&f);
		live_stop(own);
		signal(SIGTERM, SIG_DFL);
		raise(SIGTERM);
		break;
	case TOP_QUIT:
	case TOP_INT:
		break;
	}
out:
	filter_release(&f);
	live_stop(own);
	return rc;
}

const struct cmd_def cmd_top_def = {
    .name = "top",
    .operands = OPERANDS_PATHS,
    .operand_meta = "[PATH...]",
    .fronts = FRONT_BOTH,
    .summary = "A live full-screen dashboard of who is connected, with time travel",
    .opts = top_opts,
    .nopts = O__COUNT,
    .run = top_run,
    .description =
	"Shows on one screen, kept current: the open sessions now and whether the count\n"
	"is exact, the peak, the connects, disconnects and failures of the last minute;\n"
	"a chart of the open sessions over the window (failures marked !, an\n"
	"application flagged as a potential leak ^); the open sessions by database,\n"
	"user, application and host, each with its change over the last minute and\n"
	"its trend; and the newest connection events, as 'connections --watch' prints\n"
	"them.  The instant shown can be moved back through the log (Left/Right, [ and\n"
	"]): the whole screen then shows the state as of that instant.  Press ? for\n"
	"the keys, q to quit (in the shell: back to the prompt).\n"
	"\n"
	"PATH is a log file or a log directory, followed as 'tail' follows it; with no\n"
	"PATH, this machine's PostgreSQL instance ('list'); in the shell, the log\n"
	"being followed.  top draws with ncursesw and reads keys from the terminal:\n"
	"when standard input or output is not one it refuses, unless --once asks for\n"
	"one screen as text.  Colour follows NO_COLOR; without a UTF-8 locale the\n"
	"chart and trends are drawn in ASCII.\n",
};
