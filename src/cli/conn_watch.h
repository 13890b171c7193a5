/* SPDX-License-Identifier: PostgreSQL */
/*
 * conn_watch: "connections --watch": replay the files to know who is
 * connected, then follow the log and print each connect ([+]), disconnect
 * ([-], with the session's duration) and failed attempt ([!]) that matches
 * the filters, until SIGINT or SIGTERM (or the end of standard input when
 * the last PATH is -).
 */
#ifndef PGTAIL_CONN_WATCH_H
#define PGTAIL_CONN_WATCH_H

#include "cli/cli.h"
#include "cli/conn_query.h"
#include "source/paths.h"

enum cmd_result conn_watch_run(struct cmd_ctx *ctx, const struct conn_query *q);

#endif
