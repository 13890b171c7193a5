/* SPDX-License-Identifier: PostgreSQL */
/* tail [N|PATH]: follow a log in the shell and show its lines. */
#include "cli/cli.h"
#include "cli/instance_pick.h"
#include "cli/opts.h"
#include "cli/shell.h"
#include "model/live.h"
#include "util/diag.h"

enum {
	O_PREFIX,
	O_LANG,
	O_JOURNAL,
	O_UNIT,
	O_IDENT,
	O__COUNT
};

static const struct opt_def tail_opts[O__COUNT] = {
    [O_PREFIX] = OPT_PREFIX(),
    [O_LANG] = OPT_LANG(),
    [O_JOURNAL] = {.name = "journal",
		   .help = "follow the server's records in the systemd journal (its\n"
			   "syslog and standard error) instead of files"},
    [O_UNIT] = OPT_UNIT(),
    [O_IDENT] = OPT_IDENT(),
};

/* What to follow and how to read it. */
struct tail_how {
	const char *prefix; /* NULL: inferred */
	int lang;           /* -1: told from the log */
	bool journal;       /* the systemd journal */
	const char *unit;   /* with journal: this unit's records only */
	const char *ident;  /* the server's syslog_ident; NULL: the usual ones */
};

/* Start following the instance or path named (which; NULL with
 * h->journal), read as h says; -1 when it cannot be read. */
static int follow(struct cmd_ctx *ctx, const char *which, const struct tail_how *h)
{
	struct instance_target it = {0};
	char *one[1] = {(char *)which};
	char *const *args = one;
	size_t nargs = 1;
	const char *label = NULL;
	const char *unit = h->unit;
	bool journal = h->journal;

	if (which && instance_is_name(which)) {
		if (instance_pick(which, ctx->err, &it) < 0)
			return -1;
		args = it.args;
		nargs = it.nargs;
		label = it.label;
		if (it.journal_unit) { /* its log is its service's journal */
			journal = true;
			unit = it.journal_unit;
		}
	}
	struct live *l = journal ? live_open_journal(unit, ctx->err)
				 : live_open(args, nargs, label, h->prefix, ctx->err);
	if (l && h->ident)
		live_set_ident(l, h->ident);
	if (l && h->lang >= 0)
		model_force_lang(live_model(l), h->lang);
	if (l && live_begin(l) < 0) {
		live_stop(l);
		l = NULL;
	}
	instance_target_release(&it);
	if (!l)
		return -1; /* said on ctx->err */
	shell_follow(ctx->shell, l);
	struct model *m = live_model(l);
	out_printf(ctx->out, "Following %s: %lld open session%s%s%s\n", live_target(l),
		   (long long)m->t.active, m->t.active == 1 ? "" : "s",
		   m->t.complete ? "" : ", at least: the files do not reach a server start",
		   ctx->shell->tty ? " (Ctrl+C returns to the prompt; the model keeps following)"
				   : "");
	return 0;
}

static enum cmd_result tail_run(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct shell *sh = ctx->shell;
	if (a->noperands == 0 && !a->val[O_JOURNAL] && sh->live && !shell_following(sh)) {
		diag_error(ctx->err, "not following: 'stop' ended it; 'tail N|PATH' follows a "
				     "log again");
		return CMD_ERROR;
	}
	if (a->noperands == 0 && !a->val[O_JOURNAL] && !sh->live) {
		diag_error(ctx->err, "tail what? give an instance number from 'list', a log file "
				     "or a directory");
		return CMD_USAGE;
	}
	const char *lname = a->val[O_LANG];
	struct tail_how h = {.prefix = a->val[O_PREFIX],
			     .lang = -1,
			     .journal = a->val[O_JOURNAL] != NULL,
			     .unit = a->val[O_UNIT],
			     .ident = a->val[O_IDENT]};
	if (lname && (h.lang = opts_parse_lang(lname, ctx->err)) < 0)
		return CMD_USAGE;
	if (h.unit && !h.journal) {
		diag_error(ctx->err, "--unit applies to --journal only");
		return CMD_USAGE;
	}
	if (h.journal && (a->noperands || h.prefix)) {
		diag_error(ctx->err, "--journal follows the systemd journal: give no N or PATH, no "
				     "--prefix (--unit chooses a service)");
		return CMD_USAGE;
	}
	if (a->noperands == 0 && !h.journal && (lname || h.prefix || h.ident)) {
		diag_error(ctx->err, "--prefix, --lang and --ident go with what to follow: 'tail "
				     "[OPTIONS] N|PATH'");
		return CMD_USAGE;
	}
	if ((a->noperands || h.journal) &&
	    follow(ctx, a->noperands ? a->operands[0] : NULL, &h) < 0)
		return CMD_ERROR;
	if (sh->tty) /* scripted: follow in the background, keep reading commands */
		shell_enter_tail(sh, ctx);
	return CMD_OK;
}

const struct cmd_def cmd_tail_def = {
    .name = "tail",
    .operands = OPERANDS_TARGET,
    .operand_meta = "[N|PORT|CLUSTER|DATADIR|PATH]",
    .fronts = FRONT_SHELL,
    .summary = "Follow a server's log and show its lines",
    .description = "Follows the log of instance N (a number from 'list', or its port, cluster\n"
		   "name such as 15/main, or data directory), or a log file or a log\n"
		   "directory, and shows its lines as they are written until Ctrl+C.  It first\n"
		   "replays the log's files, so 'connections' knows who is connected now; then\n"
		   "it follows the current file through rotation and restarts, in the background\n"
		   "while the prompt waits.  Without N or PATH, shows the followed log again.\n"
		   "--prefix and --lang hold for every view of the followed log.  --journal\n"
		   "follows the systemd journal instead (--unit, a service's; an instance\n"
		   "whose log is its service's journal is followed so too).\n",
    .opts = tail_opts,
    .nopts = O__COUNT,
    .run = tail_run,
};
