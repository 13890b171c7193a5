/* SPDX-License-Identifier: PostgreSQL */
/* list: the PostgreSQL instances of this machine, numbered, with their logs. */
#include "cli/cli.h"
#include "detect/instances.h"
#include "view/instances_view.h"

enum {
	O_JSON,
	O_ROOT,
	O__COUNT
};

static const struct opt_def list_opts[O__COUNT] = {
    [O_JSON] = {.name = "json", .help = "one JSON object: {\"instances\": [...]}"},
    /* Read every path under a fake layout (the tests). */
    [O_ROOT] = {.name = "root",
		.arg = ARG_DIR,
		.metavar = "DIR",
		.flags = OPT_HIDDEN,
		.help = "look for instances under DIR instead of /"},
};

static enum cmd_result list_run(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	bool json = a->val[O_JSON] != NULL;
	const char *root = a->val[O_ROOT] ? a->val[O_ROOT] : "";

	struct instance_list l;
	detect_instances(root, NULL, &l);
	if (json)
		instances_print_json(&l, ctx->out);
	else
		instances_print_text(&l, ctx->out);
	instance_list_release(&l);
	return CMD_OK;
}

const struct cmd_def cmd_list_def = {
    .name = "list",
    .fronts = FRONT_BOTH,
    .summary = "Find the PostgreSQL instances of this machine and their logs",
    .opts = list_opts,
    .nopts = O__COUNT,
    .run = list_run,
    .description = "Lists every local PostgreSQL instance pgtail can find, numbered, with its\n"
		   "version, port, status (running, with the postmaster's pid, or stopped) and\n"
		   "data directory, and the log file(s) it writes.\n"
		   "\n"
		   "Instances come from running postgres processes, $PGDATA, the Debian and\n"
		   "Ubuntu layout (/etc/postgresql/VER/CLUSTER, /var/lib/postgresql), Red Hat\n"
		   "(/var/lib/pgsql), Homebrew and ~/.pgrx.  The log location comes from the\n"
		   "server's own settings: postgresql.conf with its includes,\n"
		   "postgresql.auto.conf, the postmaster's command line, and current_logfiles\n"
		   "(stderr, csvlog and jsonlog); without the logging collector, the file the\n"
		   "postmaster's standard error goes to (pg_ctl -l, or Debian's\n"
		   "/var/log/postgresql/postgresql-VER-CLUSTER.log).  Older files (rotated .1,\n"
		   ".N.gz, or earlier files of log_directory) are counted.\n"
		   "\n"
		   "Warnings say when log_connections or log_disconnections is off, with the\n"
		   "SQL that turns them on, and when a log is not readable, with the user or\n"
		   "group that can read it.\n",
};
