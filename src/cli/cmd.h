/* SPDX-License-Identifier: PostgreSQL */
/*
 * cmd: what a command is.  Each command lives in one cmd_<name>.c and
 * describes itself with a struct cmd_def: its name, its operands, its
 * options as a table of struct opt_def, the front ends it exists in, and
 * the function that runs it.  The shell and one-shot mode dispatch through
 * the same table (cmdtab.c) and the same parser (parse.c); the usage line,
 * "help NAME", "COMMAND --help", the shell's completion and the man page
 * are all made from these tables, so an option is written down once.
 */
#ifndef PGTAIL_CMD_H
#define PGTAIL_CMD_H

#include <stdbool.h>

#include "util/out.h"

/* What running a command came to; in one-shot mode, the exit status. */
enum cmd_result {
	CMD_OK = 0,    /* success (also: --help was shown) */
	CMD_ERROR = 1, /* runtime error: nothing usable could be read */
	CMD_USAGE = 2, /* bad command line */
};

/* The front ends a command or an option exists in. */
enum cmd_front {
	FRONT_ONESHOT = 1 << 0, /* pgtail COMMAND ... */
	FRONT_SHELL = 1 << 1,   /* at the pgtail> prompt */
	FRONT_BOTH = FRONT_ONESHOT | FRONT_SHELL,
};

/* What follows an option's '=': decides parsing checks and completion. */
enum opt_arg {
	ARG_NONE = 0, /* a flag: --json */
	ARG_TEXT,     /* any text, empty allowed: --prefix='' */
	ARG_DURATION, /* 90s, 15m, 1h, 2d */
	ARG_TIME,     /* ISO 8601, HH:MM[:SS], or a duration before the newest event */
	ARG_CHOICE,   /* one of opt_def.choices */
	ARG_APP,      /* a name seen in the log, by kind; a pattern with * and ? */
	ARG_USER,
	ARG_DB,
	ARG_HOST,
	ARG_DIR,      /* a directory */
	ARG_FILE,     /* a file to write */
	ARG_COUNT,    /* a whole number, 0 or more (checked by the parser) */
	ARG_INSTANCE, /* an instance of this machine: number, port, cluster, data directory */
};

enum opt_flags {
	OPT_BARE = 1 << 0,   /* also NAME=VALUE without dashes (app=myapp) */
	OPT_WORD = 1 << 1,   /* a bare word, first after the command (connections clear) */
	OPT_HIDDEN = 1 << 2, /* for tests: parsed, never shown or completed */
};

/*
 * One option.  A command's table is indexed by its own enum (designated
 * initialisers), so the command reads option i as args->val[i].
 */
struct opt_def {
	const char *name;  /* "history" (--history), or the word for OPT_WORD */
	const char *alias; /* another accepted name ("application"), or NULL */
	enum opt_arg arg;
	const char *metavar;        /* "D", "PATTERN"; NULL for ARG_NONE */
	const char *const *choices; /* ARG_CHOICE: NULL-terminated, shown and completed */
	/* ARG_CHOICE, instead of choices: a function giving them (a list
	 * built from a table at run time, such as the log formats) */
	const char *const *(*choices_fn)(void);
	unsigned flags;      /* enum opt_flags */
	unsigned fronts;     /* enum cmd_front; 0 means both */
	const char *section; /* starts a group in the help ("Views"); NULL continues */
	const char *help;    /* what it does; '\n' separates lines of the help */
};

/* What a command takes after its options. */
enum cmd_operands {
	OPERANDS_NONE,    /* nothing */
	OPERANDS_PATHS,   /* log files, directories, globs, - */
	OPERANDS_COMMAND, /* a command name (help) */
	OPERANDS_TARGET,  /* an instance number from 'list', or a log file or directory */
	OPERANDS_WORDS,   /* every word as it is, options and --help included */
};

struct shell;

/* Where a command writes and what it acts on. */
struct cmd_ctx {
	struct out *out;     /* results */
	struct out *err;     /* diagnostics (util/diag.h) */
	struct shell *shell; /* the shell's state; NULL in one-shot mode */
};

#define CMD_MAX_OPTS 32

/* A parsed command line.  Strings point into the argv parsed. */
struct cmd_args {
	const char *val[CMD_MAX_OPTS]; /* option i: its value, "" for a flag or
					  word given, NULL when absent */
	char **operands;               /* NULL-terminated; the array is owned */
	int noperands;
};

struct cmd_def {
	const char *name;
	const char *const *aliases; /* other names ("exit", "\\q"), NULL-terminated, or NULL */
	enum cmd_operands operands;
	const char *operand_meta;   /* "[PATH...]", "[COMMAND]"; NULL for none */
	unsigned fronts;            /* enum cmd_front */
	bool hidden;                /* for the shells' completion scripts: never
				       listed or completed */
	const char *summary;        /* one line for the command list */
	const char *description;    /* the help before the options */
	const char *epilog;         /* the help after them, or NULL */
	const struct opt_def *opts; /* indexed by the command's enum */
	int nopts;
	/* Run with the parsed arguments. */
	enum cmd_result (*run)(struct cmd_ctx *ctx, const struct cmd_args *a);
};

/* The choices of an ARG_CHOICE option (choices, else choices_fn's), or
 * NULL. */
static inline const char *const *opt_choices(const struct opt_def *d)
{
	return d->choices ? d->choices : d->choices_fn ? d->choices_fn() : NULL;
}

#endif
