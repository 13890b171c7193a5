/* SPDX-License-Identifier: PostgreSQL */
/* connections --watch; see conn_watch.h. */
#include "cli/conn_watch.h"

enum cmd_result conn_watch_run(struct cmd_ctx *ctx, const struct conn_query *q,
			       const struct path_list *pl)
{
	(void)q;
	(void)pl;
	out_warn(ctx->err, "--watch is not available yet");
	return CMD_USAGE;
}
