/* SPDX-License-Identifier: PostgreSQL */
/* help [COMMAND]: the command list, or one command's full help. */
#include "cli/cli.h"

#include "util/diag.h"

static enum cmd_result help_run(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	enum cmd_front f = ctx->shell ? FRONT_SHELL : FRONT_ONESHOT;
	if (a->noperands == 0) {
		cmd_print_list(ctx->out, f);
		out_printf(ctx->out, "\nRun '%shelp COMMAND' for a command's options.\n",
			   ctx->shell ? "" : "pgtail ");
		return CMD_OK;
	}
	const struct cmd_def *cmd = cmd_find(a->operands[0]);
	if (!cmd) {
		diag_error(ctx->err, "no help for unknown command '%s'", a->operands[0]);
		return CMD_USAGE;
	}
	cmd_print_help(ctx->out, cmd, f);
	return CMD_OK;
}

const struct cmd_def cmd_help_def = {
    .name = "help",
    .operands = OPERANDS_COMMAND,
    .operand_meta = "[COMMAND]",
    .fronts = FRONT_BOTH,
    .summary = "Show the commands, or one command's options",
    .description = "Without COMMAND, list the commands; with it, show its usage and options.\n"
		   "'COMMAND --help' shows the same.\n",
    .run = help_run,
};
