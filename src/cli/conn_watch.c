/* SPDX-License-Identifier: PostgreSQL */
/* connections --watch; see conn_watch.h. */
#include "cli/conn_watch.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/opts.h"
#include "logfmt/ts.h"
#include "model/live.h"
#include "util/diag.h"
#include "view/watch.h"

/* Set by SIGINT/SIGTERM: stop watching and exit 0. */
static volatile sig_atomic_t watch_stop;

static void on_stop(int sig)
{
	(void)sig;
	watch_stop = 1;
}

enum cmd_result conn_watch_run(struct cmd_ctx *ctx, const struct conn_query *q)
{
	int64_t since = INT64_MAX; /* replayed events are not shown ... */
	struct sigaction sa, old_int, old_term;

	struct live *l = q->sdjournal
			     ? live_open_journal(q->unit, ctx->err)
			     : live_open(q->paths, (size_t)q->npaths, NULL, q->prefix, ctx->err);
	if (!l)
		return CMD_ERROR; /* said on ctx->err */
	live_set_ident(l, q->ident);
	if (q->since) {
		/* ... unless asked for, from --since on. */
		const char *e = NULL;
		int64_t newest = TS_UNKNOWN;
		const struct path_list *pl = live_files(l);
		if (opts_time_relative(q->since))
			for (size_t i = 0; i < pl->n; i++) {
				int64_t ts = reader_last_ts(pl->paths[i], q->prefix);
				if (ts != TS_UNKNOWN && (newest == TS_UNKNOWN || ts > newest))
					newest = ts;
			}
		if (opts_parse_time(q->since, newest, &since, &e) < 0) {
			diag_warn(ctx->err, "invalid --since '%s': %s", q->since, e);
			live_stop(l);
			return CMD_USAGE;
		}
	}
	struct watch_view w = {.o = ctx->out,
			       .filter = &q->filter,
			       .json = q->json,
			       .status = isatty(STDOUT_FILENO) && !q->json,
			       .since_ms = since};
	/* Ctrl+C ends the watch; in the shell, its own handlers come back after. */
	watch_stop = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);

	struct model *m = live_model(l);
	if (q->lang >= 0)
		model_force_lang(m, q->lang);
	w.t = &m->t;
	m->t.on_event = watch_on_event;
	m->t.on_event_ctx = &w;
	/* With --since the header comes first, the past events below it;
	 * otherwise it comes once the replay is done: from the header on,
	 * every event shown is live. */
	if (q->since)
		watch_header(&w);
	if (live_begin(l) < 0) {
		live_stop(l); /* said on ctx->err */
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		return CMD_ERROR;
	}
	w.since_ms = TS_UNKNOWN; /* from now on, everything */
	if (!q->since)
		watch_header(&w);
	watch_status(&w);
	while (!watch_stop) {
		struct pollfd pfd = {.fd = live_fd(l), .events = POLLIN};
		int pr = poll(&pfd, pfd.fd >= 0 ? 1 : 0, live_timeout_ms(l));
		if (pr < 0 && errno != EINTR)
			break;
		if (live_poll(l) < 0)
			break;
		if (live_ended(l))
			break; /* standard input is done: nothing more can come */
		watch_status(&w);
	}
	watch_clear_status(&w);
	live_stop(l);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return CMD_OK;
}
