/* SPDX-License-Identifier: PostgreSQL */
/* stop: stop following the log in the shell. */
#include "cli/cli.h"
#include "cli/shell.h"
#include "model/live.h"

static enum cmd_result stop_run(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct shell *sh = ctx->shell;
	if (!sh->live) {
		out_puts(ctx->out, "Not following anything.\n");
		return CMD_OK;
	}
	out_printf(ctx->out, "Stopped following %s.\n", live_target(sh->live));
	shell_unfollow(sh, ctx);
	return CMD_OK;
}

const struct cmd_def cmd_stop_def = {
    .name = "stop",
    .fronts = FRONT_SHELL,
    .summary = "Stop following the log",
    .description = "Stops following the log that 'tail' started; its model is dropped.\n",
    .run = stop_run,
};
