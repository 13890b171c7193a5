/* SPDX-License-Identifier: PostgreSQL */
/* The dashboard's event loop, keys and models; see top_loop.h. */
#include "cli/top_loop.h"
#include "cli/top_prompt.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn/classify.h"
#include "logfmt/ts.h"
#include "model/dash.h"
#include "model/live.h"
#include "source/journal.h"
#include "util/clock.h"
#include "util/xalloc.h"
#include "view/top_layout.h"
#include "view/top_term.h"

/* History kept by the dashboard's models: the chart's widest window. */
#define TOP_RETENTION_MS (6 * 3600 * 1000LL)
/* The time keys' steps. */
#define TOP_STEP_SMALL 10000
#define TOP_STEP_LARGE 60000

static const int64_t zooms[] = {60000, 300000, 900000, 3600000, TOP_RETENTION_MS};
#define NZOOMS (int)(sizeof(zooms) / sizeof(zooms[0]))

/* The signals seen inside ppoll (bits of enum sig_bit); the only place
 * they are delivered, so the loop reads this between waits. */
static volatile sig_atomic_t top_sigs;

enum sig_bit {
	SIG_WINCH = 1 << 0,
	SIG_INT = 1 << 1,
	SIG_TERM = 1 << 2,
};

static void on_signal(int sig)
{
	top_sigs |= sig == SIGWINCH ? SIG_WINCH : sig == SIGINT ? SIG_INT : SIG_TERM;
}

struct top {
	struct cmd_ctx *ctx;
	struct live *l;
	const char *prefix;
	struct filter filter; /* the dashboard's filter; owned */
	struct model m;       /* following: its own model, with the filter */
	struct dash_rec rec;  /* hooked on m */
	struct model pm;      /* the instant at: replayed up to it */
	struct dash_rec prec; /* hooked on pm */
	bool past;            /* pm is shown (paused or moved back) */
	int64_t at;           /* the instant of pm */
	int zoom;             /* index into zooms */
	struct top_ui ui;
	struct dash d;
	bool have_d;
	struct top_grid grid;
	struct top_term *term;
	bool dirty;               /* the model changed since the last frame */
	bool records;             /* records came in since the last frame */
	uint64_t dest_changes;    /* live_dest_changes when the own model last heard */
	uint64_t applied;         /* the own tracker's events applied at the last frame */
	int64_t drawn_mono;       /* when the last frame was drawn */
	int64_t drawn_sec;        /* the wall-clock second it showed */
	struct top_prompt prompt; /* '/': a filter being typed */
	char msg[512];
};

static bool following(const struct top *t)
{
	return !live_halted(t->l);
}

/* Replay the followed log into m (with the filter, up to until) and hook
 * r on it; from the horizon on r takes snapshots. */
static void model_start(struct top *t, struct model *m, struct dash_rec *r, int64_t until)
{
	const struct model *lm = live_model(t->l);
	int64_t end = until != TS_UNKNOWN ? until : lm->newest_ts;
	struct reader_opts ro = {.prefix = t->prefix ? t->prefix : live_prefix(t->l),
				 .interest = classify_maybe};
	live_sdjournal(t->l, &ro.ident);

	model_init(m, TOP_RETENTION_MS);
	if (lm->lang_forced >= 0)
		model_force_lang(m, lm->lang_forced);
	filter_set(&m->t.filter, t->filter.app, t->filter.user, t->filter.db, t->filter.host);
	tracker_set_window(&m->t, TS_UNKNOWN, until);
	dash_rec_attach(r, m, end == TS_UNKNOWN ? INT64_MIN : end - 3 * DASH_MINUTE);
	live_replay(t->l, m, &ro);
}

static void model_stop(struct model *m, struct dash_rec *r)
{
	dash_rec_release(r);
	model_release(m);
}

/* A live_entry_fn: every record read from now on, to the own model too. */
static void on_record(void *ctx, const struct pg_entry *e)
{
	struct top *t = ctx;
	t->m.t.wall_ms = clock_mono_ms();
	/* The first record of another destination's file. */
	uint64_t d = live_dest_changes(t->l);
	if (d != t->dest_changes) {
		t->dest_changes = d;
		model_dest_change(&t->m);
	}
	model_entry(&t->m, e);
	t->records = true;
}

static void leave_past(struct top *t)
{
	if (t->past)
		model_stop(&t->pm, &t->prec);
	t->past = t->ui.past = t->ui.paused = false;
}

/* Show the instant at (paused: held there by 'p'). */
static void enter_past(struct top *t, int64_t at, bool paused)
{
	leave_past(t);
	model_start(t, &t->pm, &t->prec, at);
	t->past = true;
	t->at = at;
	t->ui.paused = paused;
	t->ui.past = !paused;
}

/* (Re)build the own model with the filter, and the past one if shown. */
static void rebuild(struct top *t)
{
	live_set_entry_fn(t->l, NULL, NULL);
	live_sync(t->l);
	model_stop(&t->m, &t->rec);
	model_start(t, &t->m, &t->rec, TS_UNKNOWN);
	t->dest_changes = live_dest_changes(t->l);
	if (following(t))
		live_set_entry_fn(t->l, on_record, t);
	if (t->past)
		enter_past(t, t->at, t->ui.paused);
	t->ui.row = -1;
}

/* The instant shown now. */
static int64_t view_now(const struct top *t)
{
	if (t->past)
		return t->at;
	if (following(t))
		return clock_wall_ms();
	return t->m.newest_ts != TS_UNKNOWN ? t->m.newest_ts : t->m.t.last_ts;
}

/* Build the view model for now and lay it out into the grid. */
static void frame(struct top *t, int rows, int cols)
{
	if (t->grid.rows != rows || t->grid.cols != cols) {
		top_grid_release(&t->grid);
		top_grid_init(&t->grid, rows, cols);
	}
	if (t->have_d)
		dash_release(&t->d);
	int64_t now = view_now(t);
	if (t->past) {
		dash_build(&t->d, &t->prec, now, zooms[t->zoom], t->ui.sort);
	} else {
		t->m.clock_ms = following(t) ? now : TS_UNKNOWN;
		dash_build(&t->d, &t->rec, now, zooms[t->zoom], t->ui.sort);
		t->m.clock_ms = TS_UNKNOWN;
	}
	t->have_d = true;
	const char *msg = t->prompt.active ? t->prompt.msg : t->msg;
	t->ui.prompt = t->prompt.active ? t->prompt.text : NULL;
	t->ui.message = msg[0] ? msg : NULL;
	if (t->ui.row >= (int)t->d.g[t->ui.dim].n)
		t->ui.row = (int)t->d.g[t->ui.dim].n - 1;
	top_layout(&t->grid, &t->d, &t->ui);
	t->dirty = t->records = false;
	t->applied = t->m.t.applied;
}

static void draw(struct top *t)
{
	int rows, cols;
	top_term_size(t->term, &rows, &cols);
	frame(t, rows, cols);
	top_term_draw(t->term, &t->grid);
	t->drawn_mono = clock_mono_ms();
	t->drawn_sec = clock_wall_ms() / 1000;
}

/* --- time ---------------------------------------------------------------------- */

/* Move the instant by step (negative: back), to a multiple of it; forward
 * past the newest record is now again. */
static void move(struct top *t, int64_t step)
{
	int64_t base = t->past ? t->at : t->m.newest_ts;
	if (base == TS_UNKNOWN)
		base = view_now(t);
	if (base == TS_UNKNOWN)
		return;
	int64_t size = step < 0 ? -step : step;
	int64_t at;
	if (step < 0)
		at = (base - 1) / size * size;
	else
		at = (base / size + 1) * size;
	if (step > 0 && t->past && t->m.newest_ts != TS_UNKNOWN && at > t->m.newest_ts) {
		leave_past(t);
		return;
	}
	if (step > 0 && !t->past)
		return; /* already at the newest */
	enter_past(t, at, false);
}

/* --- keys ---------------------------------------------------------------------- */

/* One key; returns false to quit. */
static bool key(struct top *t, int k)
{
	const struct dash_group *g = t->have_d ? &t->d.g[t->ui.dim] : NULL;
	if (t->prompt.active) {
		if (top_prompt_key(&t->prompt, k, &t->m, &t->filter) == PROMPT_APPLIED)
			rebuild(t);
		return true;
	}
	if (t->ui.help) { /* any key closes the help */
		t->ui.help = false;
		return k != 'q';
	}
	t->msg[0] = '\0';
	switch (k) {
	case 'q':
	case 'Q':
		return false;
	case '?':
	case 'h':
		t->ui.help = true;
		break;
	case TK_TAB:
	case 'g':
		t->ui.dim = (enum dash_dim)((t->ui.dim + 1) % DASH__DIMS);
		t->ui.row = -1;
		break;
	case 's':
		t->ui.sort = (enum dash_sort)((t->ui.sort + 1) % DASH__SORTS);
		snprintf(t->msg, sizeof(t->msg), "sorted by %s",
			 t->ui.sort == DASH_BY_COUNT    ? "open count"
			 : t->ui.sort == DASH_BY_CHANGE ? "change over the last minute"
							: "name");
		break;
	case 'e':
		t->ui.expanded = !t->ui.expanded;
		break;
	case TK_UP:
		t->ui.row = t->ui.row > 0 ? t->ui.row - 1 : 0;
		break;
	case TK_DOWN:
		if (g && t->ui.row + 1 < (int)g->n)
			t->ui.row++;
		break;
	case TK_ENTER:
		if (g && t->ui.row >= 0 && t->ui.row < (int)g->n) {
			top_filter_set(&t->filter, t->ui.dim, g->v[t->ui.row].name);
			rebuild(t);
		}
		break;
	case '/':
		top_prompt_open(&t->prompt, &t->filter);
		break;
	case 'c':
		filter_release(&t->filter);
		filter_init(&t->filter);
		rebuild(t);
		break;
	case 'p':
	case ' ':
		if (t->past)
			leave_past(t);
		else
			enter_past(t, view_now(t), true);
		break;
	case TK_LEFT:
		move(t, -TOP_STEP_SMALL);
		break;
	case TK_RIGHT:
		move(t, TOP_STEP_SMALL);
		break;
	case '[':
		move(t, -TOP_STEP_LARGE);
		break;
	case ']':
		move(t, TOP_STEP_LARGE);
		break;
	case TK_HOME:
		/* The log's first event (of those the own model applied). */
		if (t->m.t.first_ts != TS_UNKNOWN)
			enter_past(t, t->m.t.first_ts, false);
		break;
	case TK_END:
		leave_past(t);
		break;
	case '+':
	case '=':
		if (t->zoom > 0)
			t->zoom--;
		break;
	case '-':
		if (t->zoom + 1 < NZOOMS)
			t->zoom++;
		break;
	default:
		break;
	}
	return true;
}

/* --- the loop ------------------------------------------------------------------ */

/* How long poll may wait: the follower's timeout, the throttled redraw of
 * records read, the next second of the live clock; -1: until something
 * happens. */
static int wait_ms(const struct top *t)
{
	int to = following(t) ? live_timeout_ms(t->l) : -1;
	int64_t mono = clock_mono_ms();
	if (t->m.t.reorder.count && (to < 0 || to > 30))
		to = 30;
	if (!t->past && t->dirty) {
		int64_t left = t->drawn_mono + 1000 / TOP_FPS - mono;
		int w = left > 0 ? (int)left : 0;
		to = to < 0 || w < to ? w : to;
	}
	if (!t->past && following(t)) {
		int w = (int)(1000 - clock_wall_ms() % 1000) + 1;
		to = to < 0 || w < to ? w : to;
	}
	return to;
}

static enum top_end loop(struct top *t, const sigset_t *wait_mask)
{
	draw(t);
	for (;;) {
		struct pollfd fds[2] = {
		    {.fd = 0, .events = POLLIN},
		    {.fd = following(t) ? live_fd(t->l) : -1, .events = POLLIN}};
		int to = wait_ms(t);
		struct timespec ts = {.tv_sec = to / 1000, .tv_nsec = (long)(to % 1000) * 1000000};
		int pr = ppoll(fds, 2, to < 0 ? NULL : &ts, wait_mask);
		int sigs = top_sigs;
		top_sigs = 0;
		if (pr < 0 && errno != EINTR)
			return TOP_TERM;
		if (sigs & SIG_TERM)
			return TOP_TERM;
		if (sigs & SIG_INT)
			return TOP_INT;
		/* The terminal is gone (its window closed, the ssh session
		 * dropped): poll would report it at once, forever. */
		if (pr > 0 && (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
			return TOP_TERM;
		bool redraw = false;
		if (sigs & SIG_WINCH) {
			top_term_resized(t->term);
			redraw = true;
		}
		int k;
		while ((k = top_term_key(t->term)) != TK_NONE) {
			if (!key(t, k))
				return TOP_QUIT;
			redraw = true;
		}
		if (following(t)) {
			if (live_poll(t->l) < 0) {
				snprintf(t->msg, sizeof(t->msg), "stopped following %s",
					 live_target(t->l));
				live_halt(t->l);
				redraw = true;
			}
			tracker_tick(&t->m.t, clock_mono_ms(), 30);
			/* Events are held a moment (the reorder buffer): a frame
			 * waits for them rather than being drawn without them. */
			if (t->m.t.applied != t->applied || (t->records && !t->m.t.reorder.count))
				t->dirty = true;
		}
		int64_t mono = clock_mono_ms();
		if (!t->past && t->dirty && mono - t->drawn_mono >= 1000 / TOP_FPS)
			redraw = true;
		if (!t->past && following(t) && clock_wall_ms() / 1000 != t->drawn_sec)
			redraw = true;
		if (redraw)
			draw(t);
	}
}

/* --once: one screen as text. */
static void once(struct top *t, const struct top_opts *o)
{
	char line[4096];
	frame(t, o->rows, o->cols);
	for (int y = 0; y < t->grid.rows; y++) {
		top_grid_line(&t->grid, y, line, sizeof(line));
		out_printf(t->ctx->out, "%s\n", line);
	}
}

enum top_end top_loop_run(struct cmd_ctx *ctx, struct live *l, const struct top_opts *o)
{
	struct top t = {.ctx = ctx, .l = l};
	enum top_end end = TOP_QUIT;

	filter_init(&t.filter);
	if (o->filter)
		filter_set(&t.filter, o->filter->app, o->filter->user, o->filter->db,
			   o->filter->host);
	t.prefix = o->prefix;
	t.zoom = 1;
	for (int i = 0; i < NZOOMS; i++)
		if (zooms[i] == o->window_ms)
			t.zoom = i;
	t.ui = (struct top_ui){.target = live_target(l),
			       .live = following(&t),
			       .dim = DASH_APP,
			       .row = -1,
			       .utf8 = ctx->out->utf8};
	live_sync(l);
	model_start(&t, &t.m, &t.rec, TS_UNKNOWN);
	t.dest_changes = live_dest_changes(l);
	if (o->at != TS_UNKNOWN)
		enter_past(&t, o->at, false);

	if (o->once) {
		once(&t, o);
		goto out;
	}

	/* Signals only inside ppoll; handlers in place before curses looks
	 * (ncurses installs its own SIGWINCH handler only where none is). */
	sigset_t block, old_mask;
	struct sigaction sa, old_int, old_term, old_hup, old_winch;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGWINCH);
	sigprocmask(SIG_BLOCK, &block, &old_mask);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigfillset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	sigaction(SIGWINCH, &sa, &old_winch);
	top_sigs = 0;

	/* Diagnostics while the screen is taken would scribble on it: held
	 * back, and written once it is given back. */
	char *held = NULL;
	size_t held_len = 0;
	FILE *err_fp = ctx->err->fp, *mem = open_memstream(&held, &held_len);
	if (mem)
		ctx->err->fp = mem;

	t.term = top_term_start(ctx->out->color, ctx->err);
	if (!t.term) {
		end = TOP_FAILED;
	} else {
		if (following(&t))
			live_set_entry_fn(l, on_record, &t);
		end = loop(&t, &old_mask);
		live_set_entry_fn(l, NULL, NULL);
		top_term_stop(t.term);
	}

	if (mem) {
		fclose(mem);
		ctx->err->fp = err_fp;
		if (held_len)
			fwrite(held, 1, held_len, err_fp);
		fflush(err_fp);
		free(held);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	sigaction(SIGWINCH, &old_winch, NULL);
	/* A signal that came after the loop stays pending: let it go. */
	struct timespec zero = {0, 0};
	while (sigtimedwait(&block, NULL, &zero) > 0)
		;
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
out:
	leave_past(&t);
	if (t.have_d)
		dash_release(&t.d);
	top_grid_release(&t.grid);
	model_stop(&t.m, &t.rec);
	filter_release(&t.filter);
	return end;
}
