/* SPDX-License-Identifier: PostgreSQL */
/*
 * shell: the state the shell's commands act on -- the followed log and its
 * model, where the counters were cleared, and the mode the prompt is in.
 * The event loop (repl/) owns one and serves it; commands reach it through
 * cmd_ctx.shell, which is NULL in one-shot mode.
 */
#ifndef PGTAIL_SHELL_H
#define PGTAIL_SHELL_H

#include <stdbool.h>
#include <stdint.h>

#include "cli/cmd.h"
#include "conn/filter.h"
#include "view/watch.h"

enum shell_mode {
	SHELL_PROMPT, /* waiting for a command */
	SHELL_TAIL,   /* showing the followed log's lines until Ctrl+C */
	SHELL_WATCH,  /* showing connection events until Ctrl+C */
};

struct live;

struct shell {
	bool tty;  /* the keyboard and the screen are a terminal */
	bool quit; /* 'quit' was typed: the loop ends */
	enum shell_mode mode;
	struct live *live;          /* the followed log (or, after 'stop', the
				       model of what was read), or NULL */
	int64_t cleared_at;         /* 'connections clear': counters count from this
				       event time on; TS_UNKNOWN when never cleared */
	struct watch_view watch;    /* the view of SHELL_WATCH */
	struct filter watch_filter; /* its filter; owned */
};

void shell_init(struct shell *sh, bool tty);
/* Stop following and free what the shell holds. */
void shell_release(struct shell *sh);

/* Follow l from now on (the shell owns it), dropping what was followed. */
void shell_follow(struct shell *sh, struct live *l);
/* Stop following; back to the prompt.  The model stays: the views answer
 * from what was read until 'tail' follows a log again. */
void shell_unfollow(struct shell *sh, struct cmd_ctx *ctx);
/* Is a log being followed now (not stopped)? */
bool shell_following(const struct shell *sh);

/* Enter SHELL_TAIL: print the followed log's lines as they come. */
void shell_enter_tail(struct shell *sh, struct cmd_ctx *ctx);
/* Enter SHELL_WATCH with the filter (taken over) and output settings;
 * first the events from since_ms on (TS_UNKNOWN: none) that the followed
 * files hold. */
void shell_enter_watch(struct shell *sh, struct cmd_ctx *ctx, struct filter *f, bool json,
		       int64_t since_ms);
/* Back to the prompt from tail or watch (Ctrl+C, or the log went away). */
void shell_leave_mode(struct shell *sh, struct cmd_ctx *ctx);

/* The longest the loop may wait before shell_serve, and the fd to wait on
 * (-1: none); -1 as the timeout means no limit. */
int shell_timeout_ms(const struct shell *sh);
int shell_fd(const struct shell *sh);
/* Read what the followed log has new and update the model and the mode's
 * view.  When following stops for good, says so and returns to the prompt. */
void shell_serve(struct shell *sh, struct cmd_ctx *ctx);

#endif
