/* SPDX-License-Identifier: PostgreSQL */
/*
 * conn_query: the options of "connections" (views, filters, window) and
 * running one query: replay the files into a model and render the view.
 * Shared by the one-shot command and the interactive shell.
 */
#ifndef PGTAIL_CONN_QUERY_H
#define PGTAIL_CONN_QUERY_H

#include <stdbool.h>
#include <stdint.h>

#include "cli/cmd.h"
#include "conn/filter.h"
#include "logfmt/logfmt.h"

struct live;
#include "source/paths.h"

struct conn_query {
	bool json;
	bool clear;              /* "connections clear" */
	bool history;            /* --history */
	bool sessions;           /* --sessions */
	bool watch;              /* --watch */
	bool metrics;            /* --metrics (or --openmetrics) */
	bool openmetrics;        /* --openmetrics */
	const char *output;      /* --output, or NULL: stdout */
	const char *server;      /* --server: the metrics' label, and the host whose records a
				    syslog or journal log of several hosts is read for; NULL */
	int max_hosts, max_apps; /* --max-hosts, --max-apps */
	const char *since, *until, *prefix, *window, *bucket; /* point into argv */
	const char *instance;                                 /* --instance, or NULL */
	const char *ident; /* --ident, or NULL (point into argv) */
	int jobs;          /* --jobs: threads reading the files (0 or 1: one) */
	bool sdjournal;    /* --journal: the systemd journal instead of files */
	const char *unit;  /* --unit with --journal, or NULL */
	enum log_format format;
	int lang;             /* --lang: an index of conn/lang_tables.h's lang_codes, or
				 -1: every language, told from the log */
	struct filter filter; /* owned */
	char **paths;         /* PATH arguments (pointers into argv); owned array */
	int npaths;
	const struct live *live; /* the shell: replay what the follower read
				    (live_replay) instead of files; NULL otherwise */
	int64_t clock_ms;        /* following live: the wall clock, which is now for
				    the views and relative times; TS_UNKNOWN after
				    the fact (now is the newest record) */
};

/* Free what q owns (the filter, the paths array). */
void conn_query_release(struct conn_query *q);

struct model;
/* Render the view q asks for from a model already built (window_start may be
 * TS_UNKNOWN: the window ends at the model's newest event). */
enum cmd_result conn_query_render(struct cmd_ctx *ctx, const struct conn_query *q, struct model *m,
				  int64_t window_start, int64_t window_ms, int64_t bucket_ms);

/* Replay the files of pl (or what q->live read, when set) and render the view q
 * asks for. */
enum cmd_result conn_query_run(struct cmd_ctx *ctx, const struct conn_query *q,
			       const struct path_list *pl);

#endif
