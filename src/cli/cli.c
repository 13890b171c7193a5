/* SPDX-License-Identifier: PostgreSQL */
/* Entry point: global options and dispatch to the command table. */
#include "cli/cli.h"

#include "repl/repl.h"
#include "util/diag.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef PGTAIL_VERSION
#define PGTAIL_VERSION "0.1.0"
#endif

const struct cmd_def *const cmd_table[] = {&cmd_connections_def, &cmd_list_def, &cmd_help_def,
					   NULL};

const struct cmd_def *cmd_find(const char *name)
{
	for (size_t i = 0; cmd_table[i]; i++)
		if (strcmp(cmd_table[i]->name, name) == 0)
			return cmd_table[i];
	return NULL;
}

static void usage(struct out *o)
{
	out_printf(o, "pgtail - who is connected to PostgreSQL, read from the server's own log\n\n"
		      "Usage:\n"
		      "  pgtail                              the interactive shell (pgtail>)\n"
		      "  pgtail COMMAND [OPTIONS] [PATH...]\n"
		      "  pgtail --help | --version\n\n"
		      "Commands:\n");
	for (size_t i = 0; cmd_table[i]; i++)
		out_printf(o, "  %-13s %s\n", cmd_table[i]->name, cmd_table[i]->summary);
	out_printf(o, "\nA PATH is a log file (stderr, csvlog or jsonlog; .gz too), a directory of\n"
		      "log files, a glob, or - for standard input.  Rotated files are read\n"
		      "oldest first as one stream.\n\n"
		      "Exit status: 0 success, 1 runtime error (nothing usable could be read),\n"
		      "2 usage error.\n\n"
		      "Run 'pgtail help COMMAND' for a command's options.\n");
}

int cli_main(int argc, char **argv)
{
	struct out out, err;
	struct cmd_ctx ctx = {&out, &err};

	signal(SIGPIPE, SIG_DFL);
	out_init(&out, stdout);
	out_init(&err, stderr);
	if (argc < 2)
		return repl_main(&ctx);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(&out);
		return CMD_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		out_printf(&out, "pgtail %s\n", PGTAIL_VERSION);
		return CMD_OK;
	}
	const struct cmd_def *cmd = cmd_find(argv[1]);
	if (!cmd) {
		diag_warn(&err, "unknown command '%s'; run 'pgtail --help' for the list", argv[1]);
		return CMD_USAGE;
	}
	int rc = cmd->run(&ctx, argc - 1, argv + 1);
	fflush(stdout);
	if (ferror(stdout)) {
		diag_warn(&err, "error writing to standard output");
		return CMD_ERROR;
	}
	return rc;
}
