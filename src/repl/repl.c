/* SPDX-License-Identifier: PostgreSQL */
/* The interactive shell: event loop and command dispatch; see repl.h. */
#include "repl/repl.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/conn_query.h"
#include "cli/instance_pick.h"
#include "logfmt/ts.h"
#include "model/live.h"
#include "repl/complete.h"
#include "repl/lineedit.h"
#include "util/diag.h"
#include "util/sbuf.h"
#include "util/xalloc.h"
#include "view/history_view.h"
#include "view/watch.h"

/* Set by the SIGINT handler; the loop reads and clears it. */
static volatile sig_atomic_t repl_sigint;

enum repl_mode {
	MODE_PROMPT, /* waiting for a command */
	MODE_TAIL,   /* showing log lines until Ctrl+C */
	MODE_WATCH,  /* showing connection events until Ctrl+C */
};

struct repl {
	struct cmd_ctx *ctx;
	bool tty;                 /* stdin is a terminal: use the line editor */
	bool quit;
	enum repl_mode mode;
	struct live *live;        /* the followed log, or NULL */
	int64_t cleared_at;       /* "connections clear": counters start here */
	struct watch_view watch;  /* MODE_WATCH */
	struct filter watch_filter;
	struct sbuf pending;      /* non-terminal input not yet a whole line */
	const char *inject;       /* keys to hand the editor before reading more */
};

/* The line callback has no context argument: the one shell lives here. */
static struct repl *the_repl;

static void on_sigint(int sig)
{
	(void)sig;
	repl_sigint = 1;
}

/* Where the history file lives: $XDG_STATE_HOME/pgtail/history, else
 * ~/.local/state/pgtail/history.  Caller frees; NULL when there is no home. */
static char *history_path(void)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	struct sbuf p;
	sbuf_init(&p, 4096);
	if (state && *state)
		sbuf_addstr(&p, state);
	else if (home && *home)
		sbuf_addf(&p, "%s/.local/state", home);
	else
		return NULL;
	/* Make the directories (ignore failure: then no history is kept). */
	char *dir = xstrdup(p.buf);
	mkdir(dir, 0700);
	sbuf_addstr(&p, "/pgtail");
	mkdir(p.buf, 0700);
	free(dir);
	sbuf_addstr(&p, "/history");
	return sbuf_detach(&p, NULL);
}

static void print_tail_entry(void *ctx, const struct pg_entry *e)
{
	struct repl *r = ctx;
	struct out *o = r->ctx->out;
	char tm[16] = "--:--:--", msg[2048];
	enum out_style st = OUT_PLAIN;
	switch (e->sev) {
	case SEV_FATAL:
	case SEV_PANIC:
	case SEV_ERROR:
		st = OUT_BAD;
		break;
	case SEV_WARNING:
		st = OUT_WARN;
		break;
	case SEV_DETAIL:
	case SEV_HINT:
	case SEV_STATEMENT:
	case SEV_CONTEXT:
		st = OUT_FAINT;
		break;
	default:
		break;
	}
	if (e->ts_ms != TS_UNKNOWN)
		ts_format_hms(e->ts_ms, tm, sizeof(tm));
	/* The severity word and the message are data from the log: escaped. */
	char m[2048], sev[64], sev_shown[4 * sizeof(sev)];
	size_t n = e->message.len < sizeof(m) - 1 ? e->message.len : sizeof(m) - 1;
	memcpy(m, e->message.p ? e->message.p : "", n);
	m[n] = '\0';
	out_escape(m, msg, sizeof(msg));
	n = e->sev_word.len < sizeof(sev) - 1 ? e->sev_word.len : sizeof(sev) - 1;
	memcpy(sev, e->sev_word.p ? e->sev_word.p : "", n);
	sev[n] = '\0';
	out_escape(sev, sev_shown, sizeof(sev_shown));
	out_style_begin(o, st);
	out_printf(o, "%s [%lld] %s:  %s", tm, (long long)e->pid, sev_shown, msg);
	out_style_end(o, st);
	out_puts(o, "\n");
	out_flush(o);
}

static void leave_mode(struct repl *r)
{
	if (r->mode == MODE_WATCH) {
		watch_clear_status(&r->watch);
		if (r->live)
			live_model(r->live)->t.on_event = NULL;
		filter_release(&r->watch_filter);
	}
	if (r->mode == MODE_TAIL && r->live)
		live_set_entry_fn(r->live, NULL, NULL);
	r->mode = MODE_PROMPT;
	out_printf(r->ctx->out, "\n");
}

/* ---- commands that exist only in the shell ---- */

static void cmd_tail(struct repl *r, int argc, char **argv)
{
	if (argc < 2) {
		if (!r->live) {
			diag_warn(r->ctx->err, "tail what? give an instance number from 'list', a log "
					      "file or a directory");
			return;
		}
	} else {
		struct instance_target it = {0};
		char *one[1] = {argv[1]};
		char *const *args = one;
		size_t nargs = 1;
		const char *label = NULL;
		if (instance_is_number(argv[1])) {
			if (instance_pick(argv[1], r->ctx->err, &it) < 0)
				return;
			args = it.args;
			nargs = it.nargs;
			label = it.label;
		}
		if (r->live)
			live_stop(r->live);
		r->live = live_open(args, nargs, label, NULL, r->ctx->err);
		if (r->live && live_begin(r->live) < 0) {
			live_stop(r->live);
			r->live = NULL;
		}
		instance_target_release(&it);
		if (!r->live)
			return; /* said on r->ctx->err */
		r->cleared_at = TS_UNKNOWN;
		struct model *m = live_model(r->live);
		out_printf(r->ctx->out, "Following %s: %lld open session%s%s%s\n",
			   live_target(r->live), (long long)m->t.active,
			   m->t.active == 1 ? "" : "s",
			   m->t.complete ? "" : ", at least: the files do not reach a server start",
			   r->tty ? " (Ctrl+C returns to the prompt; the model keeps following)" : "");
	}
	if (!r->tty)
		return; /* scripted: follow in the background, keep reading commands */
	r->mode = MODE_TAIL;
	live_set_entry_fn(r->live, print_tail_entry, r);
}

static void cmd_stop(struct repl *r)
{
	if (!r->live) {
		out_printf(r->ctx->out, "Not following anything.\n");
		return;
	}
	out_printf(r->ctx->out, "Stopped following %s.\n", live_target(r->live));
	live_stop(r->live);
	r->live = NULL;
}

static void cmd_connections(struct repl *r, int argc, char **argv)
{
	struct conn_query q;
	struct path_list pl = {0};
	char since[40];
	int rc = conn_query_parse(r->ctx, argc, argv, &q);
	if (rc != CMD_OK)
		goto out;
	if (q.clear) {
		if (!r->live) {
			out_printf(r->ctx->out, "Nothing to clear: not following a log.\n");
			goto out;
		}
		r->cleared_at = model_now(live_model(r->live));
		out_printf(r->ctx->out, "Counters cleared; connects, disconnects and failures count "
					"from now on.\n");
		goto out;
	}
	if (q.watch) {
		if (!r->live) {
			diag_warn(r->ctx->err, "--watch needs a followed log: 'tail FILE' first");
			goto out;
		}
		r->watch_filter = q.filter;
		filter_init(&q.filter);
		r->watch = (struct watch_view){.o = r->ctx->out,
					       .t = &live_model(r->live)->t,
					       .filter = &r->watch_filter,
					       .json = q.json,
					       .status = r->tty && !q.json,
					       .since_ms = TS_UNKNOWN};
		watch_header(&r->watch);
		live_model(r->live)->t.on_event = watch_on_event;
		live_model(r->live)->t.on_event_ctx = &r->watch;
		watch_status(&r->watch);
		r->mode = MODE_WATCH;
		goto out;
	}
	if (q.npaths) {
		paths_expand(q.paths, (size_t)q.npaths, q.prefix, r->ctx->err, &pl);
		if (pl.n)
			conn_query_run(r->ctx, &q, &pl);
		path_list_release(&pl);
		goto out;
	}
	if (!r->live) {
		diag_warn(r->ctx->err, "no log to read: 'tail FILE' to follow one, or give files "
				      "('connections FILE...')");
		goto out;
	}
	/* The live model answers the plain views directly; anything with a
	 * filter, a window or a time is answered by replaying the files, which
	 * hold everything the live model saw. */
	if (r->cleared_at == TS_UNKNOWN && !q.since && !q.until && !q.window && !q.bucket &&
	    filter_empty(&q.filter) && !q.history) {
		live_sync(r->live);
		conn_query_render(r->ctx, &q, live_model(r->live), TS_UNKNOWN, 3600 * 1000LL,
				  history_default_bucket(3600 * 1000LL));
		goto out;
	}
	if (r->cleared_at != TS_UNKNOWN && !q.since) {
		ts_format_iso(r->cleared_at, since, sizeof(since));
		q.since = since;
	}
	conn_query_run(r->ctx, &q, live_files(r->live));
out:
	conn_query_release(&q);
}

static void dispatch(struct repl *r, char *line)
{
	const char *err = NULL;
	int argc;
	char **argv = repl_split(line, &argc, &err);
	if (!argv) {
		diag_warn(r->ctx->err, "%s; nothing run", err);
		return;
	}
	if (argc == 0)
		goto out;
	const char *c = argv[0];
	if (!strcmp(c, "quit") || !strcmp(c, "exit") || !strcmp(c, "\\q")) {
		r->quit = true;
	} else if (!strcmp(c, "clear")) {
		out_clear_screen(r->ctx->out);
	} else if (!strcmp(c, "tail")) {
		cmd_tail(r, argc, argv);
	} else if (!strcmp(c, "stop")) {
		cmd_stop(r);
	} else if (!strcmp(c, "connections")) {
		cmd_connections(r, argc, argv);
	} else {
		const struct cmd_def *cmd = cmd_find(c);
		if (cmd)
			cmd->run(r->ctx, argc, argv);
		else
			diag_warn(r->ctx->err, "unknown command '%s'; type 'help' for the list", c);
	}
out:
	fflush(r->ctx->out->fp);
	repl_free_words(argv);
}

/* Serve the followed log once; returns false when following stopped. */
static void serve_live(struct repl *r)
{
	if (!r->live)
		return;
	if (live_poll(r->live) < 0) {
		diag_warn(r->ctx->err, "stopped following %s", live_target(r->live));
		live_stop(r->live);
		r->live = NULL;
		if (r->mode != MODE_PROMPT)
			leave_mode(r);
	} else if (r->mode == MODE_WATCH) {
		watch_status(&r->watch);
	}
}

/*
 * The line editor's getc: wait for a key while serving the followed log,
 * so the model stays current while the prompt waits.  Ctrl+C drops the
 * partial line.
 */
static int repl_getc(FILE *in)
{
	struct repl *r = the_repl;
	int fd = fileno(in);
	for (;;) {
		if (r->inject && *r->inject)
			return (unsigned char)*r->inject++;
		struct pollfd fds[2] = {{.fd = fd, .events = POLLIN}, {.fd = -1, .events = POLLIN}};
		if (r->live)
			fds[1].fd = live_fd(r->live);
		int pr = poll(fds, 2, r->live ? live_timeout_ms(r->live) : -1);
		if (repl_sigint) {
			/* Ctrl+C: kill the line (^U) and enter it, empty: the
			 * editor shows a fresh prompt.  libedit has no call that
			 * empties the line from outside. */
			repl_sigint = 0;
			r->inject = "\025\n";
			continue;
		}
		if (pr < 0 && errno != EINTR)
			return EOF;
		serve_live(r);
		if (pr > 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			unsigned char c;
			ssize_t n = read(fd, &c, 1);
			if (n == 1)
				return c;
			if (n < 0 && errno == EINTR)
				continue;
			return EOF;
		}
	}
}

/* Non-terminal input: the next line, or NULL at the end (caller frees). */
static char *read_plain_line(struct repl *r)
{
	for (;;) {
		char *nl = memchr(r->pending.buf, '\n', r->pending.len);
		if (nl) {
			*nl = '\0';
			char *line = xstrdup(r->pending.buf);
			size_t rest = r->pending.len - (size_t)(nl + 1 - r->pending.buf);
			memmove(r->pending.buf, nl + 1, rest);
			r->pending.len = rest;
			r->pending.buf[rest] = '\0';
			return line;
		}
		char buf[4096];
		struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
		int pr = poll(&pfd, 1, r->live ? live_timeout_ms(r->live) : -1);
		if (repl_sigint)
			return NULL;
		serve_live(r);
		if (pr <= 0)
			continue;
		ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!r->pending.len)
				return NULL;
			char *line = sbuf_detach(&r->pending, NULL);
			return line;
		}
		if (sbuf_add(&r->pending, buf, (size_t)n) < 0) {
			diag_warn(r->ctx->err, "input line too long, dropped");
			sbuf_reset(&r->pending);
		}
	}
}

/* Tail or watch: serve the log until Ctrl+C. */
static void run_mode(struct repl *r)
{
	while (r->mode != MODE_PROMPT && !r->quit) {
		struct pollfd pfd = {.fd = r->live ? live_fd(r->live) : -1, .events = POLLIN};
		int pr = poll(&pfd, 1, r->live ? live_timeout_ms(r->live) : 100);
		if (pr < 0 && errno != EINTR)
			break;
		if (repl_sigint) {
			repl_sigint = 0;
			leave_mode(r);
			break;
		}
		serve_live(r);
		if (!r->live && r->mode != MODE_PROMPT)
			leave_mode(r);
	}
}

int repl_main(struct cmd_ctx *ctx)
{
	struct repl r = {.ctx = ctx, .mode = MODE_PROMPT, .cleared_at = TS_UNKNOWN};
	char *hist = NULL;
	struct sigaction sa;

	the_repl = &r;
	filter_init(&r.watch_filter);
	sbuf_init(&r.pending, 1 << 20);
	r.tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, NULL);

	if (r.tty) {
		out_printf(ctx->out, "pgtail: who is connected to PostgreSQL.  Type 'help' for "
				     "commands, 'quit' to leave.\n");
		hist = history_path();
		complete_set_source(&r.live);
		lineedit_start(hist, complete_words, repl_getc);
	}
	while (!r.quit) {
		if (r.mode != MODE_PROMPT) {
			run_mode(&r);
			continue;
		}
		fflush(ctx->out->fp);
		char *line = r.tty ? lineedit_readline("pgtail> ") : read_plain_line(&r);
		if (!line) { /* Ctrl+D, or the end of piped input */
			if (r.tty)
				out_printf(ctx->out, "\n");
			break;
		}
		if (*line) {
			if (r.tty)
				lineedit_add_history(line);
			dispatch(&r, line);
		}
		free(line);
	}
	if (r.mode == MODE_WATCH)
		watch_clear_status(&r.watch);
	if (r.tty)
		lineedit_stop();
	if (r.live)
		live_stop(r.live);
	filter_release(&r.watch_filter);
	sbuf_release(&r.pending);
	free(hist);
	the_repl = NULL;
	return CMD_OK;
}
