/* SPDX-License-Identifier: PostgreSQL */
/* The pgtail(1) page from the command table and man_text.c; see man.h. */
#include "cli/man.h"

#include <ctype.h>
#include <string.h>

#include "cli/cli.h"

/* s[0..n) with roff's special characters made plain: a backslash is \e and
 * a hyphen \- (an ASCII hyphen-minus on every device, so that an option
 * copied from the page can be pasted). */
static void put_plain(struct out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\')
			out_puts(o, "\\e");
		else if (s[i] == '-')
			out_puts(o, "\\-");
		else
			out_printf(o, "%c", s[i]);
	}
}

static void put_str(struct out *o, const char *s)
{
	put_plain(o, s, strlen(s));
}

/* Start a text line: a line starting with a dot or a quote would be a
 * request; \& in front makes it text. */
static void line_start(struct out *o, const char *s)
{
	if (s[0] == '.' || s[0] == '\'')
		out_puts(o, "\\&");
}

/* One line of text, escaped; with markup, `bold` and {italic}. */
static void put_line(struct out *o, const char *s, size_t n, bool markup)
{
	bool bold = false;
	line_start(o, s);
	for (size_t i = 0; i < n; i++) {
		if (markup && s[i] == '`') {
			out_puts(o, bold ? "\\fR" : "\\fB");
			bold = !bold;
		} else if (markup && s[i] == '{') {
			out_puts(o, "\\fI");
		} else if (markup && s[i] == '}') {
			out_puts(o, "\\fR");
		} else {
			put_plain(o, s + i, 1);
		}
	}
	if (bold)
		out_puts(o, "\\fR");
	out_puts(o, "\n");
}

static size_t indent_of(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && s[i] == ' ')
		i++;
	return i;
}

/* Is the paragraph starting at p (up to a blank line) indented by four
 * spaces on every line? */
static bool verbatim_para(const char *p)
{
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (indent_of(p, n) == n) /* blank: the paragraph ended */
			return true;
		if (indent_of(p, n) < 4)
			return false;
		if (!nl)
			return true;
		p = nl + 1;
	}
}

/* The length of "N. " at s (digits, a dot, a space), or 0. */
static size_t item_number(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && isdigit((unsigned char)s[i]))
		i++;
	return i > 0 && i + 1 < n && s[i] == '.' && s[i + 1] == ' ' ? i + 2 : 0;
}

/*
 * A block of text laid out as man.h describes (the help texts are the same
 * without the markup, the "- " and "* " items and examples): paragraphs,
 * numbered and bulleted items, tagged paragraphs, examples.
 */
static void put_text(struct out *o, const char *text, bool markup)
{
	bool para_start = true, in_items = false, verbatim = false;

	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		const char *next = nl ? nl + 1 : p + n;
		size_t ind = indent_of(p, n), num;

		if (ind == n) { /* a blank line ends a paragraph */
			if (verbatim)
				out_puts(o, ".fi\n.RE\n");
			verbatim = false;
			para_start = true;
			p = next;
			continue;
		}
		if (para_start && markup && ind >= 4 && verbatim_para(p)) {
			out_puts(o, ".PP\n.RS 4\n.nf\n");
			verbatim = true;
		}
		if (verbatim) {
			put_line(o, p + 4, n - 4, false);
		} else if (ind <= 2 && (num = item_number(p + ind, n - ind))) {
			out_printf(o, ".IP %.*s 4\n", (int)(num - 1), p + ind);
			put_line(o, p + ind + num, n - ind - num, markup);
			in_items = true;
		} else if (markup && ind <= 2 && n - ind > 2 && !strncmp(p + ind, "- ", 2)) {
			out_puts(o, ".IP \\(bu 2\n");
			put_line(o, p + ind + 2, n - ind - 2, markup);
			in_items = true;
		} else if (markup && ind == 0 && n > 2 && !strncmp(p, "* ", 2)) {
			out_puts(o, ".TP\n");
			put_line(o, p + 2, n - 2, markup);
			in_items = false;
		} else {
			if (para_start || (in_items && ind == 0)) {
				out_puts(o, ".PP\n");
				in_items = false;
			}
			put_line(o, p + ind, n - ind, markup);
		}
		para_start = false;
		p = next;
	}
	if (verbatim)
		out_puts(o, ".fi\n.RE\n");
}

/*
 * An option's help as a description: its lines joined, a line that starts
 * with a capital letter starting a new paragraph (the help lays sentences
 * out that way), each paragraph starting with a capital and ending with a
 * full stop.
 */
static void put_opt_help(struct out *o, const char *help)
{
	bool para_start = true;
	for (const char *p = help ? help : ""; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		const char *next = nl ? nl + 1 : p + n;
		bool last = !*next || isupper((unsigned char)*next);

		if (para_start && p != help)
			out_puts(o, ".IP\n");
		line_start(o, p);
		if (para_start && n) {
			out_printf(o, "%c", toupper((unsigned char)p[0]));
			put_plain(o, p + 1, n - 1);
		} else {
			put_plain(o, p, n);
		}
		out_puts(o, last && n && p[n - 1] != '.' ? ".\n" : "\n");
		para_start = last;
		p = next;
	}
}

/* "\fB--window\fR=\fID\fR": an option as it is typed, name in bold. */
static void put_opt_form(struct out *o, const char *dashes, const char *name,
			 const struct opt_def *d)
{
	out_puts(o, "\\fB");
	put_str(o, dashes);
	put_str(o, name);
	out_puts(o, "\\fR");
	if (d->arg != ARG_NONE && !(d->flags & OPT_WORD)) {
		out_puts(o, "=\\fI");
		put_str(o, d->metavar ? d->metavar : "X");
		out_puts(o, "\\fR");
	}
}

static void put_opt(struct out *o, const struct opt_def *d)
{
	out_puts(o, ".TP\n");
	put_opt_form(o, d->flags & OPT_WORD ? "" : "--", d->name, d);
	if (d->alias) {
		out_puts(o, ", ");
		put_opt_form(o, "--", d->alias, d);
	}
	if (d->flags & OPT_BARE) {
		out_puts(o, ", ");
		put_opt_form(o, "", d->name, d);
	}
	out_puts(o, "\n");
	put_opt_help(o, d->help);
	const char *const *choices = opt_choices(d);
	if (choices) {
		out_puts(o, ".IP\nOne of:");
		for (size_t i = 0; choices[i]; i++) {
			out_printf(o, "%s\\fB", i ? ", " : " ");
			put_str(o, choices[i]);
			out_puts(o, "\\fR");
		}
		out_puts(o, ".\n");
	}
	if (d->fronts == FRONT_SHELL)
		out_puts(o, ".IP\nAt the \\fBpgtail>\\fR prompt only.\n");
	else if (d->fronts == FRONT_ONESHOT)
		out_puts(o, ".IP\nIn one-shot mode only.\n");
}

/* "connections [OPTIONS] [PATH...]", with "pgtail " in front when the
 * command exists in one-shot mode. */
static void put_usage(struct out *o, const struct cmd_def *cmd)
{
	bool opts = false;
	for (int i = 0; i < cmd->nopts; i++)
		opts |= opt_shown(&cmd->opts[i], FRONT_ONESHOT) ||
			opt_shown(&cmd->opts[i], FRONT_SHELL);
	out_printf(o, "\\fB%s", cmd_in_front(cmd, FRONT_ONESHOT) ? "pgtail " : "");
	put_str(o, cmd->name);
	out_puts(o, "\\fR");
	if (opts)
		out_puts(o, " [\\fIOPTIONS\\fR]");
	if (cmd->operand_meta) {
		out_puts(o, " ");
		put_str(o, cmd->operand_meta);
	}
	out_puts(o, "\n");
}

static void put_command(struct out *o, const struct cmd_def *cmd)
{
	out_puts(o, ".SS ");
	put_str(o, cmd->name);
	out_puts(o, "\n.PP\n");
	put_usage(o, cmd);
	out_puts(o, ".br\n");
	if (!cmd_in_front(cmd, FRONT_ONESHOT))
		out_puts(o, "At the \\fBpgtail>\\fR prompt only.\n");
	else if (!cmd_in_front(cmd, FRONT_SHELL))
		out_puts(o, "In one-shot mode only.\n");
	else
		out_puts(o, "In one-shot mode and at the \\fBpgtail>\\fR prompt.\n");
	if (cmd->aliases) {
		out_puts(o, "Also:");
		for (size_t i = 0; cmd->aliases[i]; i++) {
			out_puts(o, i ? ", \\fB" : " \\fB");
			put_str(o, cmd->aliases[i]);
			out_puts(o, "\\fR");
		}
		out_puts(o, ".\n");
	}
	put_text(o, cmd->description, false);
	bool any = false;
	for (int i = 0; i < cmd->nopts; i++) {
		const struct opt_def *d = &cmd->opts[i];
		if (!opt_shown(d, FRONT_ONESHOT) && !opt_shown(d, FRONT_SHELL))
			continue;
		if (d->section || !any) {
			out_puts(o, ".PP\n\\fI");
			put_str(o, d->section ? d->section : "Options");
			out_puts(o, ":\\fR\n");
		}
		any = true;
		put_opt(o, d);
	}
	if (cmd->epilog)
		put_text(o, cmd->epilog, false);
}

static void put_sections(struct out *o, bool after_commands)
{
	for (size_t i = 0; man_sections[i].title; i++) {
		if (man_sections[i].after_commands != after_commands)
			continue;
		out_printf(o, ".SH %s\n", man_sections[i].title);
		put_text(o, man_sections[i].text, true);
	}
}

void man_write(struct out *o, const char *date)
{
	out_puts(o, ".\\\" SPDX-License-Identifier: PostgreSQL\n"
		    ".\\\" Made by 'pgtail __man' from pgtail's command table: do not edit.\n");
	out_printf(o, ".TH PGTAIL 1 \"%s\" \"pgtail %s\" \"User Commands\"\n", date ? date : "",
		   PGTAIL_VERSION);
	/* No hyphenation (names like log_disconnections must stay whole) and
	 * a ragged right margin, as the help is. */
	out_puts(o, ".nh\n.ad l\n");
	out_puts(o, ".SH NAME\npgtail \\- ");
	put_str(o, man_name_line);
	out_puts(o, "\n.SH SYNOPSIS\n.nf\n\\fBpgtail\\fR\n");
	for (size_t i = 0; cmd_table[i]; i++)
		if (cmd_in_front(cmd_table[i], FRONT_ONESHOT) && !cmd_table[i]->hidden)
			put_usage(o, cmd_table[i]);
	out_puts(o, "\\fBpgtail\\fR");
	for (size_t i = 0; cli_main_opts[i].name; i++) {
		out_puts(o, i ? " | " : " ");
		put_opt_form(o, "--", cli_main_opts[i].name, &cli_main_opts[i]);
	}
	out_puts(o, "\n.fi\n");
	put_sections(o, false);

	out_puts(o, ".SH COMMANDS\n");
	for (size_t i = 0; cmd_table[i]; i++)
		if (!cmd_table[i]->hidden && cmd_in_front(cmd_table[i], FRONT_ONESHOT))
			put_command(o, cmd_table[i]);
	for (size_t i = 0; cmd_table[i]; i++)
		if (!cmd_table[i]->hidden && !cmd_in_front(cmd_table[i], FRONT_ONESHOT))
			put_command(o, cmd_table[i]);

	out_puts(o, ".SH OPTIONS\n.PP\nBefore any command:\n");
	for (size_t i = 0; cli_main_opts[i].name; i++)
		put_opt(o, &cli_main_opts[i]);
	put_sections(o, true);
}
