/* SPDX-License-Identifier: PostgreSQL */
/* Usage lines, help texts and the command list, made from the tables. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

/* Where the help of an option starts: "  --window=D      the history's ..." */
#define HELP_COL 18

void opt_format(const struct opt_def *o, char *buf, size_t len)
{
	if (o->flags & OPT_WORD)
		snprintf(buf, len, "%s", o->name);
	else if (o->arg == ARG_NONE)
		snprintf(buf, len, "--%s", o->name);
	else
		snprintf(buf, len, "--%s=%s", o->name, o->metavar ? o->metavar : "X");
}

void cmd_print_usage(struct out *o, const struct cmd_def *cmd, enum cmd_front f)
{
	bool opts = false;
	for (int i = 0; i < cmd->nopts; i++)
		opts |= opt_shown(&cmd->opts[i], f);
	bool prog = f == FRONT_ONESHOT && cmd_in_front(cmd, FRONT_ONESHOT);
	out_printf(o, "Usage: %s%s%s%s%s\n", prog ? "pgtail " : "", cmd->name,
		   opts ? " [OPTIONS]" : "", cmd->operand_meta ? " " : "",
		   cmd->operand_meta ? cmd->operand_meta : "");
}

static void print_opt(struct out *o, const struct opt_def *d)
{
	char left[64], also[96] = "";
	const char *help = d->help ? d->help : "";
	const char *last = strrchr(help, '\n');
	int last_len = (int)strlen(last ? last + 1 : help);

	opt_format(d, left, sizeof(left));
	if (strlen(left) > HELP_COL - 4)
		out_printf(o, "  %s\n%*s", left, HELP_COL, "");
	else
		out_printf(o, "  %-*s", HELP_COL - 2, left);
	if (d->flags & OPT_BARE)
		snprintf(also, sizeof(also), "(also %s=%s)", d->name,
			 d->metavar ? d->metavar : "X");
	/* The help, its last line ended by the bare form when that fits in 80
	 * columns, else the bare form on a line of its own. */
	for (const char *p = help;;) {
		const char *nl = strchr(p, '\n');
		int n = nl ? (int)(nl - p) : (int)strlen(p);
		if (p != help)
			out_printf(o, "%*s", HELP_COL, "");
		out_printf(o, "%.*s", n, p);
		if (!nl)
			break;
		out_puts(o, "\n");
		p = nl + 1;
	}
	if (*also && HELP_COL + last_len + 1 + (int)strlen(also) <= 80)
		out_printf(o, " %s\n", also);
	else if (*also)
		out_printf(o, "\n%*s%s\n", HELP_COL, "", also);
	else
		out_puts(o, "\n");
	const char *const *choices = opt_choices(d);
	if (choices) {
		/* Wrapped at 80 columns, under the first choice. */
		int at = HELP_COL + 8, col = at;
		out_printf(o, "%*sone of: ", HELP_COL, "");
		for (size_t i = 0; choices[i]; i++) {
			int w = (int)strlen(choices[i]) + (choices[i + 1] ? 1 : 0);
			if (i && col + 1 + w > 80) {
				out_printf(o, "\n%*s", at, "");
				col = at;
			} else if (i) {
				out_puts(o, " ");
				col++;
			}
			out_printf(o, "%s%s", choices[i], choices[i + 1] ? "," : "");
			col += w;
		}
		out_puts(o, "\n");
	}
}

void cmd_print_help(struct out *o, const struct cmd_def *cmd, enum cmd_front f)
{
	bool any = false;
	cmd_print_usage(o, cmd, f);
	if (!cmd_in_front(cmd, f))
		out_printf(o, "(only %s)\n",
			   f == FRONT_SHELL ? "in one-shot mode: pgtail COMMAND"
					    : "at the pgtail> prompt of the "
					      "interactive shell");
	if (cmd->aliases) {
		out_puts(o, "Also:");
		for (size_t i = 0; cmd->aliases[i]; i++)
			out_printf(o, " %s", cmd->aliases[i]);
		out_puts(o, "\n");
	}
	out_printf(o, "\n%s", cmd->description);
	for (int i = 0; i < cmd->nopts; i++) {
		const struct opt_def *d = &cmd->opts[i];
		if (!opt_shown(d, f))
			continue;
		if (d->section || !any)
			out_printf(o, "\n%s:\n", d->section ? d->section : "Options");
		any = true;
		print_opt(o, d);
	}
	if (cmd->epilog)
		out_printf(o, "\n%s", cmd->epilog);
}

void cmd_print_list(struct out *o, enum cmd_front f)
{
	out_puts(o, "Commands:\n");
	for (size_t i = 0; cmd_table[i]; i++)
		if (cmd_in_front(cmd_table[i], f) && !cmd_table[i]->hidden)
			out_printf(o, "  %-13s %s\n", cmd_table[i]->name, cmd_table[i]->summary);
	bool other = false;
	for (size_t i = 0; cmd_table[i]; i++)
		if (!cmd_in_front(cmd_table[i], f) && !cmd_table[i]->hidden) {
			out_printf(o, "%s%s", other ? ", " : "\nAt the pgtail> prompt also: ",
				   cmd_table[i]->name);
			other = true;
		}
	if (other)
		out_puts(o, "\n");
}
