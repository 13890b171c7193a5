/* SPDX-License-Identifier: PostgreSQL */
/* The command table and dispatch; see cli.h. */
#include "cli/cli.h"

#include <string.h>

#include "util/diag.h"

extern const struct cmd_def cmd_connections_def;
extern const struct cmd_def cmd_list_def;
extern const struct cmd_def cmd_tail_def;
extern const struct cmd_def cmd_stop_def;
extern const struct cmd_def cmd_clear_def;
extern const struct cmd_def cmd_help_def;
extern const struct cmd_def cmd_quit_def;
extern const struct cmd_def cmd_complete_def;
extern const struct cmd_def cmd_man_def;
extern const struct cmd_def cmd_serve_def;
extern const struct cmd_def cmd_top_def;

const struct cmd_def *const cmd_table[] = {
    &cmd_connections_def, &cmd_top_def,      &cmd_serve_def, &cmd_list_def,
    &cmd_tail_def,        &cmd_stop_def,     &cmd_clear_def, &cmd_help_def,
    &cmd_quit_def,        &cmd_complete_def, &cmd_man_def,   NULL,
};

const struct cmd_def *cmd_find(const char *name)
{
	for (size_t i = 0; cmd_table[i]; i++) {
		const struct cmd_def *c = cmd_table[i];
		if (!strcmp(c->name, name))
			return c;
		for (size_t j = 0; c->aliases && c->aliases[j]; j++)
			if (!strcmp(c->aliases[j], name))
				return c;
	}
	return NULL;
}

bool cmd_in_front(const struct cmd_def *cmd, enum cmd_front f)
{
	return (cmd->fronts & f) != 0;
}

enum cmd_result cmd_dispatch(struct cmd_ctx *ctx, enum cmd_front f, int argc, char **argv)
{
	const struct cmd_def *cmd = cmd_find(argv[0]);
	struct cmd_args a;
	enum cmd_result rc;

	if (!cmd) {
		diag_error(ctx->err, "unknown command '%s'; %s", argv[0],
			   f == FRONT_SHELL ? "type 'help' for the list"
					    : "run 'pgtail --help' for the list");
		return CMD_USAGE;
	}
	/* A command's help is there in either front end. */
	for (int i = 1; cmd->operands != OPERANDS_WORDS && i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			cmd_print_help(ctx->out, cmd, f);
			return CMD_OK;
		}
	if (!cmd_in_front(cmd, f)) {
		diag_error(ctx->err, "'%s' exists only %s; see '%s %s'", cmd->name,
			   f == FRONT_SHELL
			       ? "in one-shot mode"
			       : "at the pgtail> prompt (run pgtail without arguments)",
			   f == FRONT_SHELL ? "help" : "pgtail help", cmd->name);
		return CMD_USAGE;
	}
	switch (cmd_parse(cmd, f, argc, argv, &a, ctx->err)) {
	case PARSE_HELP:
		cmd_print_help(ctx->out, cmd, f);
		rc = CMD_OK;
		break;
	case PARSE_USAGE:
		rc = CMD_USAGE;
		break;
	case PARSE_OK:
	default:
		rc = cmd->run(ctx, &a);
		break;
	}
	cmd_args_release(&a);
	return rc;
}
