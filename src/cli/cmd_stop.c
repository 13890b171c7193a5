/* SPDX-License-Identifier: PostgreSQL */
/* stop: stop following the log in the shell. */
#include "cli/cli.h"
#include "cli/shell.h"
#include "model/live.h"

static enum cmd_result stop_run(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct shell *sh = ctx->shell;
	if (!shell_following(sh)) {
		out_puts(ctx->out, "Not following anything.\n");
		return CMD_OK;
	}
	shell_unfollow(sh, ctx);
	const struct model *m = live_model(sh->live);
	out_printf(ctx->out,
		   "Stopped following %s (%lld open at the last line read); 'connections' "
		   "still answers from what was read.\n",
		   live_target(sh->live), (long long)m->t.active);
	return CMD_OK;
}

const struct cmd_def cmd_stop_def = {
    .name = "stop",
    .fronts = FRONT_SHELL,
    .summary = "Stop following the log",
    .description = "Stops following the log that 'tail' started.  What was read stays: the\n"
		   "views of 'connections' answer from it, as of the last line read, until\n"
		   "'tail' follows a log again.\n",
    .run = stop_run,
};
