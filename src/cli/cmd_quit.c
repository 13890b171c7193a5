/* SPDX-License-Identifier: PostgreSQL */
/* quit: leave the shell. */
#include "cli/cli.h"
#include "cli/shell.h"

static enum cmd_result quit_run(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	ctx->shell->quit = true;
	return CMD_OK;
}

static const char *const quit_aliases[] = {"exit", "\\q", NULL};

const struct cmd_def cmd_quit_def = {
    .name = "quit",
    .aliases = quit_aliases,
    .fronts = FRONT_SHELL,
    .summary = "Leave the shell (also Ctrl+D)",
    .description = "Stops following, saves the command history and leaves the shell.\n",
    .run = quit_run,
};
