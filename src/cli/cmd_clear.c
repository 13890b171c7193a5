/* SPDX-License-Identifier: PostgreSQL */
/* clear: clear the terminal screen in the shell. */
#include "cli/cli.h"

static enum cmd_result clear_run(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	out_clear_screen(ctx->out);
	return CMD_OK;
}

const struct cmd_def cmd_clear_def = {
    .name = "clear",
    .fronts = FRONT_SHELL,
    .summary = "Clear the screen",
    .description = "Clears the screen.  To reset the connection counters, 'connections clear'.\n",
    .run = clear_run,
};
