/* SPDX-License-Identifier: PostgreSQL */
/*
 * cli: the command table and what is made from it -- dispatch, the option
 * parser, usage and help -- shared by one-shot mode and the shell.  The
 * contract of a command is in cmd.h.
 */
#ifndef PGTAIL_CLI_H
#define PGTAIL_CLI_H

#include "cli/cmd.h"

/* Every command, NULL-terminated, in the order the command list shows. */
extern const struct cmd_def *const cmd_table[];

/* The options of pgtail itself, before any command (pgtail --version),
 * ended by an entry without a name: for the usage, completion and the man
 * page.  cli_main parses them. */
extern const struct opt_def cli_main_opts[];

/* The command called name (or one of its aliases), NULL when none is. */
const struct cmd_def *cmd_find(const char *name);
/* Does the command, or option o of it, exist in front end f? */
bool cmd_in_front(const struct cmd_def *cmd, enum cmd_front f);
bool opt_in_front(const struct opt_def *o, enum cmd_front f);
/* Is option o of cmd ever shown (exists somewhere and is not hidden)? */
bool opt_shown(const struct opt_def *o, enum cmd_front f);

enum cmd_parse {
	PARSE_OK,    /* *a holds the options and operands */
	PARSE_HELP,  /* --help (or -h) was given: show the help, run nothing */
	PARSE_USAGE, /* a bad command line, said on err */
};

/*
 * Parse argv (argv[0] is the command's name) against cmd's option table
 * for front end f: "--NAME", "--NAME=VALUE", "--NAME VALUE", "NAME=VALUE"
 * for OPT_BARE options, the OPT_WORD word first, "--" ending the options,
 * the rest operands.  A flag given a value, a value option without one, an
 * empty name pattern, an option of the other front end, an unknown option
 * and an operand the command does not take are usage errors.  Release *a
 * with cmd_args_release whatever the result.
 */
enum cmd_parse cmd_parse(const struct cmd_def *cmd, enum cmd_front f, int argc, char **argv,
			 struct cmd_args *a, struct out *err);
void cmd_args_release(struct cmd_args *a);

/*
 * Run argv[0] with its arguments in front end f: find the command, parse,
 * show its help for --help, else run it.  An unknown command or one of the
 * other front end is a usage error said on ctx->err.
 */
enum cmd_result cmd_dispatch(struct cmd_ctx *ctx, enum cmd_front f, int argc, char **argv);

/* "pgtail connections [OPTIONS] [PATH...]" (no "pgtail " in the shell). */
void cmd_print_usage(struct out *o, const struct cmd_def *cmd, enum cmd_front f);
/* The full help of a command: usage, description, options by section, epilog. */
void cmd_print_help(struct out *o, const struct cmd_def *cmd, enum cmd_front f);
/* The commands of front end f with their summaries. */
void cmd_print_list(struct out *o, enum cmd_front f);
/* "--app=PATTERN": an option as the help and the usage line show it. */
void opt_format(const struct opt_def *o, char *buf, size_t len);

/* One-shot mode: dispatch argv (argv[1] is the command); the exit status. */
int cli_main(int argc, char **argv);

#endif
