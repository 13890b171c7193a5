/* SPDX-License-Identifier: PostgreSQL */
/*
 * __man [--date=YYYY-MM-DD]: write the pgtail(1) page (man(7) source) on
 * standard output.  The build runs it to make the installed page.  The
 * page's date is SOURCE_DATE_EPOCH's when that is set (reproducible
 * builds), else --date's, else none.
 */
#include <stdlib.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/man.h"
#include "util/diag.h"

enum {
	O_DATE,
	O__COUNT
};

static const struct opt_def man_opts[O__COUNT] = {
    [O_DATE] = {.name = "date",
		.arg = ARG_TEXT,
		.metavar = "YYYY-MM-DD",
		.help = "the page's date, when SOURCE_DATE_EPOCH is not set"},
};

static enum cmd_result man_run(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	const char *date = a->val[O_DATE] && *a->val[O_DATE] ? a->val[O_DATE] : NULL;
	char buf[32];

	if (epoch && *epoch) {
		char *end;
		time_t t = (time_t)strtoll(epoch, &end, 10);
		struct tm tm;
		if (*end || !gmtime_r(&t, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%d", &tm)) {
			diag_error(ctx->err, "invalid SOURCE_DATE_EPOCH '%s'", epoch);
			return CMD_USAGE;
		}
		date = buf;
	}
	man_write(ctx->out, date);
	return CMD_OK;
}

const struct cmd_def cmd_man_def = {
    .name = "__man",
    .fronts = FRONT_ONESHOT,
    .hidden = true,
    .summary = "Write the pgtail(1) manual page",
    .description = "Writes the man(7) source of the pgtail(1) page, made from the command\n"
		   "table, on standard output.  The build installs it.\n",
    .opts = man_opts,
    .nopts = O__COUNT,
    .run = man_run,
};
