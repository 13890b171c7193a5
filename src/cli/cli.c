/* SPDX-License-Identifier: PostgreSQL */
/* One-shot mode: global options, then a command from the table. */
#include "cli/cli.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "util/diag.h"

const struct opt_def cli_main_opts[] = {
    {.name = "help", .help = "show the commands; 'pgtail help COMMAND' shows a command's options"},
    {.name = "version", .help = "show pgtail's version"},
    {0},
};

static void usage(struct out *o)
{
	out_puts(o, "pgtail - who is connected to PostgreSQL, read from the server's own log\n\n"
		    "Usage:\n"
		    "  pgtail                              the interactive shell (pgtail>)\n"
		    "  pgtail COMMAND [OPTIONS] [PATH...]\n"
		    "  pgtail --help | --version\n\n");
	cmd_print_list(o, FRONT_ONESHOT);
	out_puts(o,
		 "\nA PATH is a log file (stderr, csvlog or jsonlog; .gz too), a directory of\n"
		 "log files, a glob, or - for standard input.  Rotated files are read\n"
		 "oldest first as one stream.\n\n"
		 "Exit status: 0 success, 1 runtime error (nothing usable could be read),\n"
		 "2 usage error.\n\n"
		 "Run 'pgtail help COMMAND' or 'pgtail COMMAND --help' for a command's options.\n");
}

int cli_main(int argc, char **argv)
{
	struct out out, err;
	struct cmd_ctx ctx = {.out = &out, .err = &err, .shell = NULL};
	int rc;

	signal(SIGPIPE, SIG_DFL);
	out_init(&out, stdout);
	out_init(&err, stderr);
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(&out);
		rc = argc < 2 ? CMD_USAGE : CMD_OK;
	} else if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		out_printf(&out, "pgtail %s\n", PGTAIL_VERSION);
		rc = CMD_OK;
	} else {
		rc = cmd_dispatch(&ctx, FRONT_ONESHOT, argc - 1, argv + 1);
	}
	fflush(stdout);
	if (ferror(stdout)) {
		diag_error(&err, "error writing to standard output");
		return CMD_ERROR;
	}
	return rc;
}
