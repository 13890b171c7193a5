/* SPDX-License-Identifier: PostgreSQL */
/*
 * cli: the command table shared by one-shot mode and (later) the shell,
 * and the entry point.  Each command lives in its own cmd_<name>.c and
 * describes itself with a struct cmd_def; help and usage come from there.
 */
#ifndef PGTAIL_CLI_H
#define PGTAIL_CLI_H

#include "util/out.h"

enum cmd_result {
	CMD_OK = 0,    /* success */
	CMD_ERROR = 1, /* runtime error: nothing usable could be read */
	CMD_USAGE = 2, /* bad command line */
};

struct cmd_ctx {
	struct out *out; /* results */
	struct out *err; /* diagnostics */
};

struct cmd_def {
	const char *name;
	const char *usage;   /* one line: "connections [OPTIONS] [PATH...]" */
	const char *summary; /* one line for the command list */
	const char *help;    /* the full text of "help NAME" */
	enum cmd_result (*run)(struct cmd_ctx *ctx, int argc, char **argv);
};

extern const struct cmd_def cmd_connections_def;
extern const struct cmd_def cmd_help_def;
extern const struct cmd_def cmd_list_def;

/* NULL-terminated list of every command. */
extern const struct cmd_def *const cmd_table[];

const struct cmd_def *cmd_find(const char *name);

/* main(): dispatch argv; returns the process exit status. */
int cli_main(int argc, char **argv);

#endif
