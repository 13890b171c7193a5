/* SPDX-License-Identifier: PostgreSQL */
/* help [COMMAND]: the command list, or one command's full help. */
#include "cli/cli.h"
#include "util/diag.h"

static enum cmd_result help_run(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (argc < 2) {
		out_printf(ctx->out, "Commands:\n");
		for (size_t i = 0; cmd_table[i]; i++)
			out_printf(ctx->out, "  %-13s %s\n", cmd_table[i]->name,
				   cmd_table[i]->summary);
		out_printf(ctx->out, "\nRun 'help COMMAND' for a command's options.\n");
		return CMD_OK;
	}
	const struct cmd_def *cmd = cmd_find(argv[1]);
	if (!cmd) {
		diag_warn(ctx->err, "no help for unknown command '%s'", argv[1]);
		return CMD_USAGE;
	}
	out_printf(ctx->out, "Usage: %s\n\n%s", cmd->usage, cmd->help);
	return CMD_OK;
}

const struct cmd_def cmd_help_def = {
	.name = "help",
	.usage = "help [COMMAND]",
	.summary = "Show the commands, or one command's options",
	.help = "Without COMMAND, list the commands; with it, show its usage and options.\n",
	.run = help_run,
};
