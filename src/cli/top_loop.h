/* SPDX-License-Identifier: PostgreSQL */
/*
 * top_loop: the dashboard's event loop -- one poll on the keyboard and the
 * followed log, signals taken only inside it (ppoll), the screen redrawn at
 * most TOP_FPS times a second and only when something changed (a key, a
 * record read, the clock's second when following live); nothing runs while
 * nothing happens.
 *
 * Models: the log is followed by a struct live (the shell's, or one of the
 * command's own); the dashboard keeps a model of its own, with its filter,
 * made by replaying the live journal (what 'connections app=x' does in the
 * shell) and then fed every record the live reads.  Moving the instant
 * back, or pausing, replays the journal again up to that instant into a
 * second model; End drops it.  A new filter replays both.
 */
#ifndef PGTAIL_TOP_LOOP_H
#define PGTAIL_TOP_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "cli/cmd.h"
#include "conn/filter.h"

#define TOP_FPS 4

struct live;

struct top_opts {
	const struct filter *filter; /* the filter to start with (copied) */
	int64_t at;                  /* start at this instant (TS_UNKNOWN: now) */
	int64_t window_ms;           /* the chart's window */
	const char *prefix;          /* log_line_prefix for the replays, or NULL */
	bool once;                   /* print one screen as text on ctx->out, and return */
	int rows, cols;              /* --once: its size */
};

/* How the dashboard ended. */
enum top_end {
	TOP_QUIT,   /* q */
	TOP_INT,    /* Ctrl+C (SIGINT) */
	TOP_TERM,   /* SIGTERM or SIGHUP: the caller ends the program */
	TOP_FAILED, /* the terminal could not be used (said on ctx->err) */
};

/* Run the dashboard on l (following, or halted: what was read).  The
 * terminal is restored on every return. */
enum top_end top_loop_run(struct cmd_ctx *ctx, struct live *l, const struct top_opts *o);

#endif
