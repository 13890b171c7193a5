/* SPDX-License-Identifier: PostgreSQL */
/* The shell's state and its modes; see shell.h. */
#include "cli/shell.h"

#include <string.h>

#include "conn/classify.h"
#include "logfmt/ts.h"
#include "model/live.h"
#include "util/diag.h"
#include "view/logline.h"

void shell_init(struct shell *sh, bool tty)
{
	memset(sh, 0, sizeof(*sh));
	sh->tty = tty;
	sh->mode = SHELL_PROMPT;
	sh->cleared_at = TS_UNKNOWN;
	filter_init(&sh->watch_filter);
}

void shell_release(struct shell *sh)
{
	if (sh->mode == SHELL_WATCH)
		watch_clear_status(&sh->watch);
	if (sh->live)
		live_stop(sh->live);
	sh->live = NULL;
	filter_release(&sh->watch_filter);
}

void shell_follow(struct shell *sh, struct live *l)
{
	if (sh->live)
		live_stop(sh->live);
	sh->live = l;
	sh->cleared_at = TS_UNKNOWN;
}

void shell_unfollow(struct shell *sh, struct cmd_ctx *ctx)
{
	if (sh->mode != SHELL_PROMPT)
		shell_leave_mode(sh, ctx);
	if (sh->live)
		live_halt(sh->live);
}

bool shell_following(const struct shell *sh)
{
	return sh->live && !live_halted(sh->live);
}

/* A live_entry_fn: the tail mode's line printer. */
static void tail_line(void *ctx, const struct pg_entry *e)
{
	struct cmd_ctx *c = ctx;
	logline_print(c->out, e);
}

void shell_enter_tail(struct shell *sh, struct cmd_ctx *ctx)
{
	sh->mode = SHELL_TAIL;
	live_set_entry_fn(sh->live, tail_line, ctx);
}

/* The events from since_ms on that the followed files hold, through a
 * replay of its own into w (the live model only knows the present). */
static void watch_past(struct shell *sh, struct cmd_ctx *ctx, struct watch_view *w,
		       int64_t since_ms)
{
	struct model m;
	struct reader_opts ro = {.prefix = live_prefix(sh->live),
				 .err = ctx->err,
				 .max_reports = 3,
				 .interest = classify_maybe};
	live_sdjournal(sh->live, &ro.ident);
	model_init(&m, 0);
	if (live_model(sh->live)->lang_forced >= 0)
		model_force_lang(&m, live_model(sh->live)->lang_forced);
	w->t = &m.t;
	w->since_ms = since_ms;
	m.t.on_event = watch_on_event;
	m.t.on_event_ctx = w;
	live_replay(sh->live, &m, &ro);
	model_release(&m);
}

void shell_enter_watch(struct shell *sh, struct cmd_ctx *ctx, struct filter *f, bool json,
		       int64_t since_ms)
{
	struct model *m = live_model(sh->live);
	filter_release(&sh->watch_filter);
	sh->watch_filter = *f;
	filter_init(f);
	sh->watch = (struct watch_view){
	    .o = ctx->out, .filter = &sh->watch_filter, .json = json, .status = sh->tty && !json};
	watch_header(&sh->watch);
	if (since_ms != TS_UNKNOWN) {
		live_sync(sh->live);
		watch_past(sh, ctx, &sh->watch, since_ms);
	}
	sh->watch.t = &m->t;
	sh->watch.since_ms = TS_UNKNOWN;
	m->t.on_event = watch_on_event;
	m->t.on_event_ctx = &sh->watch;
	watch_status(&sh->watch);
	sh->mode = SHELL_WATCH;
}

void shell_leave_mode(struct shell *sh, struct cmd_ctx *ctx)
{
	if (sh->mode == SHELL_WATCH) {
		watch_clear_status(&sh->watch);
		if (sh->live)
			live_model(sh->live)->t.on_event = NULL;
		filter_release(&sh->watch_filter);
	}
	if (sh->mode == SHELL_TAIL && sh->live)
		live_set_entry_fn(sh->live, NULL, NULL);
	sh->mode = SHELL_PROMPT;
	out_puts(ctx->out, "\n");
}

int shell_timeout_ms(const struct shell *sh)
{
	return sh->live ? live_timeout_ms(sh->live) : -1;
}

int shell_fd(const struct shell *sh)
{
	return sh->live ? live_fd(sh->live) : -1;
}

void shell_serve(struct shell *sh, struct cmd_ctx *ctx)
{
	if (!shell_following(sh))
		return;
	if (live_poll(sh->live) < 0) {
		diag_error(ctx->err, "stopped following %s", live_target(sh->live));
		shell_unfollow(sh, ctx);
	} else if (sh->mode == SHELL_WATCH) {
		watch_status(&sh->watch);
	}
}
