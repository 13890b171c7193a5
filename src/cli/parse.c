/* SPDX-License-Identifier: PostgreSQL */
/* The one option parser, driven by a command's option table; see cli.h. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "util/diag.h"
#include "util/xalloc.h"

bool opt_in_front(const struct opt_def *o, enum cmd_front f)
{
	return !o->fronts || (o->fronts & f);
}

bool opt_shown(const struct opt_def *o, enum cmd_front f)
{
	return o->name && !(o->flags & OPT_HIDDEN) && opt_in_front(o, f);
}

/* The option of cmd whose name or alias is name[0..n), or -1. */
static int find_opt(const struct cmd_def *cmd, const char *name, size_t n, unsigned flags)
{
	for (int i = 0; i < cmd->nopts; i++) {
		const struct opt_def *o = &cmd->opts[i];
		if (!o->name || (flags && !(o->flags & flags)))
			continue;
		if ((strlen(o->name) == n && !strncmp(o->name, name, n)) ||
		    (o->alias && strlen(o->alias) == n && !strncmp(o->alias, name, n)))
			return i;
	}
	return -1;
}

static bool is_name_arg(enum opt_arg k)
{
	return k == ARG_APP || k == ARG_USER || k == ARG_DB || k == ARG_HOST;
}

/* Where to read about the command: "pgtail help X" or, in the shell, "help X". */
static const char *help_hint(enum cmd_front f)
{
	return f == FRONT_SHELL ? "help" : "pgtail help";
}

/* Store option i's value; check what the table says about it. */
static int take(const struct cmd_def *cmd, enum cmd_front f, int i, const char *v,
		struct cmd_args *a, struct out *err)
{
	const struct opt_def *o = &cmd->opts[i];
	if (!opt_in_front(o, f))
		return diag_error(
		    err, "'%s%s' exists only %s; see '%s %s'", o->flags & OPT_WORD ? "" : "--",
		    o->name, f == FRONT_SHELL ? "in one-shot mode" : "in the interactive shell",
		    help_hint(f), cmd->name);
	if (is_name_arg(o->arg) && !*v)
		return diag_error(err, "empty value for --%s", o->name);
	if (o->arg == ARG_COUNT && (!*v || strspn(v, "0123456789") != strlen(v) || strlen(v) > 9))
		return diag_error(err, "invalid --%s '%s': give a whole number, 0 or more", o->name,
				  v);
	a->val[i] = v;
	return 0;
}

enum cmd_parse cmd_parse(const struct cmd_def *cmd, enum cmd_front f, int argc, char **argv,
			 struct cmd_args *a, struct out *err)
{
	bool options = true;

	if (cmd->nopts > CMD_MAX_OPTS)
		BUG("command '%s' has %d options, more than %d", cmd->name, cmd->nopts,
		    CMD_MAX_OPTS);
	memset(a, 0, sizeof(*a));
	a->operands = xcalloc((size_t)argc + 1, sizeof(*a->operands));
	for (int k = 1; k < argc; k++) {
		const char *w = argv[k];
		int i;
		if (cmd->operands == OPERANDS_WORDS) {
			a->operands[a->noperands++] = argv[k];
			continue;
		}
		if (options && (!strcmp(w, "--help") || !strcmp(w, "-h")))
			return PARSE_HELP;
		if (options && !strcmp(w, "--")) {
			options = false;
			continue;
		}
		if (options && w[0] == '-' && w[1] == '-') {
			const char *eq = strchr(w + 2, '=');
			size_t n = eq ? (size_t)(eq - w - 2) : strlen(w + 2);
			i = find_opt(cmd, w + 2, n, 0);
			if (i < 0 || (cmd->opts[i].flags & OPT_WORD)) {
				diag_error(err, "unknown option '%s' for %s; see '%s %s'", w,
					   cmd->name, help_hint(f), cmd->name);
				return PARSE_USAGE;
			}
			const struct opt_def *o = &cmd->opts[i];
			const char *v = "";
			if (o->arg == ARG_NONE && eq) {
				diag_error(err, "option '--%s' takes no value", o->name);
				return PARSE_USAGE;
			}
			if (o->arg != ARG_NONE) {
				if (eq) {
					v = eq + 1;
				} else if (k + 1 < argc) {
					v = argv[++k];
				} else {
					diag_error(err, "option '--%s' needs a value (--%s=%s)",
						   o->name, o->name, o->metavar ? o->metavar : "X");
					return PARSE_USAGE;
				}
			}
			if (take(cmd, f, i, v, a, err) < 0)
				return PARSE_USAGE;
			continue;
		}
		if (options && w[0] == '-' && w[1] != '\0') {
			diag_error(err, "unknown option '%s' for %s; see '%s %s'", w, cmd->name,
				   help_hint(f), cmd->name);
			return PARSE_USAGE;
		}
		const char *eq = options ? strchr(w, '=') : NULL;
		if (eq && (i = find_opt(cmd, w, (size_t)(eq - w), OPT_BARE)) >= 0) {
			if (take(cmd, f, i, eq + 1, a, err) < 0)
				return PARSE_USAGE;
			continue;
		}
		if (options && k == 1 && (i = find_opt(cmd, w, strlen(w), OPT_WORD)) >= 0) {
			if (take(cmd, f, i, "", a, err) < 0)
				return PARSE_USAGE;
			continue;
		}
		if (cmd->operands == OPERANDS_NONE ||
		    ((cmd->operands == OPERANDS_COMMAND || cmd->operands == OPERANDS_TARGET) &&
		     a->noperands == 1)) {
			diag_error(err, "%s: unexpected argument '%s' (usage: %s%s%s%s)", cmd->name,
				   w, cmd->name, cmd->nopts ? " [OPTIONS]" : "",
				   cmd->operand_meta ? " " : "",
				   cmd->operand_meta ? cmd->operand_meta : "");
			return PARSE_USAGE;
		}
		a->operands[a->noperands++] = argv[k];
	}
	return PARSE_OK;
}

void cmd_args_release(struct cmd_args *a)
{
	free(a->operands);
	a->operands = NULL;
	a->noperands = 0;
}
