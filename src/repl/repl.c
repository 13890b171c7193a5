/* SPDX-License-Identifier: PostgreSQL */
/* The interactive shell: the event loop and reading lines; see repl.h. */
#include "repl/repl.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/complete.h"
#include "cli/shell.h"
#include "model/live.h"
#include "repl/lineedit.h"
#include "util/diag.h"
#include "util/sbuf.h"
#include "util/xalloc.h"

/* Set by the SIGINT handler; the loop reads and clears it. */
static volatile sig_atomic_t repl_sigint;

struct repl {
	struct out out, err;
	struct cmd_ctx ctx; /* out, err and the shell, for every command */
	struct shell sh;
	struct sbuf pending; /* non-terminal input not yet a whole line */
	const char *inject;  /* keys to hand the editor before reading more */
};

static void on_sigint(int sig)
{
	(void)sig;
	repl_sigint = 1;
}

/* Make dir and its missing parents (mode 0700); 0, or -1 with errno set. */
static int mkdir_p(char *dir)
{
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int r = mkdir(dir, 0700);
		*p = '/';
		if (r < 0 && errno != EEXIST)
			return -1;
	}
	return mkdir(dir, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

/* Where the history file lives: $XDG_STATE_HOME/pgtail/history, else
 * ~/.local/state/pgtail/history, its directories made as needed (a fresh
 * account has no ~/.local).  Caller frees; NULL, said on err, when there is
 * no home or the directory cannot be made: the shell then keeps no history. */
static char *history_path(struct out *err)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	struct sbuf p;
	if (!(state && *state) && !(home && *home)) {
		diag_note(err, "no HOME: the command history is not kept");
		return NULL;
	}
	sbuf_init(&p, 4096);
	if (state && *state)
		sbuf_addf(&p, "%s/pgtail", state);
	else
		sbuf_addf(&p, "%s/.local/state/pgtail", home);
	if (mkdir_p(p.buf) < 0) {
		diag_note(err, "cannot make '%s' (%s): the command history is not kept", p.buf,
			  strerror(errno));
		sbuf_release(&p);
		return NULL;
	}
	sbuf_addstr(&p, "/history");
	return sbuf_detach(&p, NULL);
}

static void dispatch(struct repl *r, const char *line)
{
	const char *err = NULL;
	int argc;
	char **argv = repl_split(line, &argc, &err);
	if (!argv) {
		diag_error(&r->err, "%s; nothing run", err);
		return;
	}
	if (argc > 0)
		cmd_dispatch(&r->ctx, FRONT_SHELL, argc, argv);
	out_flush(&r->out);
	repl_free_words(argv);
}

/* complete_names_fn: the names the followed log's model knows. */
static void live_names(void *ctx, enum opt_arg kind, complete_add_fn add, void *acc)
{
	struct repl *r = ctx;
	if (!r->sh.live)
		return;
	enum model_name k = kind == ARG_APP    ? MODEL_APP
			    : kind == ARG_USER ? MODEL_USER
			    : kind == ARG_DB   ? MODEL_DB
					       : MODEL_HOST;
	model_names(live_model(r->sh.live), k, add, acc);
}

/* A candidate as it must be typed: the shell's word splitter reads a
 * backslash before a space, a quote or a backslash as that character
 * (an application named "nightly report"). */
static char *typed_form(char *s)
{
	size_t extra = 0;
	for (const char *p = s; *p; p++)
		extra += strchr(" \t'\"\\", *p) != NULL;
	if (!extra)
		return s;
	char *t = xmalloc(strlen(s) + extra + 1), *w = t;
	for (const char *p = s; *p; p++) {
		if (strchr(" \t'\"\\", *p))
			*w++ = '\\';
		*w++ = *p;
	}
	*w = '\0';
	free(s);
	return t;
}

/* lineedit_complete_fn */
static char **repl_complete(void *ctx, const char *word, const char *line, int start, int *files)
{
	struct complete_src src = {
	    .front = FRONT_SHELL, .names = live_names, .names_ctx = ctx, .instances = true};
	bool f = false;
	char **c = complete_words(&src, word, line, start, &f);
	for (char **p = c; p && *p; p++)
		*p = typed_form(*p);
	*files = f;
	return c;
}

/*
 * Serve the followed log while the prompt is on screen.  What that prints
 * (a follower's note, "stopped following") is held back, then written above
 * the prompt: the prompt's line is cleared, the text written, and the editor
 * redraws the prompt with what was typed so far.
 */
static void serve_under_prompt(struct repl *r)
{
	char *ob = NULL, *eb = NULL;
	size_t ol = 0, el = 0;
	FILE *of = r->out.fp, *ef = r->err.fp;
	FILE *om = open_memstream(&ob, &ol), *em = open_memstream(&eb, &el);

	if (!om || !em) { /* no memory for the detour: print as it comes */
		if (om)
			fclose(om);
		if (em)
			fclose(em);
		free(ob);
		free(eb);
		shell_serve(&r->sh, &r->ctx);
		return;
	}
	r->out.fp = om;
	r->err.fp = em;
	shell_serve(&r->sh, &r->ctx);
	fclose(om);
	fclose(em);
	r->out.fp = of;
	r->err.fp = ef;
	if (ol || el) {
		out_clear_line(&r->out);
		out_flush(&r->out);
		fwrite(eb, 1, el, ef);
		fflush(ef);
		fwrite(ob, 1, ol, of);
		out_flush(&r->out);
		lineedit_redisplay();
	}
	free(ob);
	free(eb);
}

/*
 * The line editor's getc: wait for a key while serving the followed log,
 * so the model stays current while the prompt waits.  Ctrl+C drops the
 * partial line.
 */
static int repl_getc(void *ctx, FILE *in)
{
	struct repl *r = ctx;
	int fd = fileno(in);
	for (;;) {
		if (r->inject && *r->inject)
			return (unsigned char)*r->inject++;
		struct pollfd fds[2] = {{.fd = fd, .events = POLLIN},
					{.fd = shell_fd(&r->sh), .events = POLLIN}};
		int pr = poll(fds, 2, shell_timeout_ms(&r->sh));
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
		serve_under_prompt(r);
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
		int pr = poll(&pfd, 1, shell_timeout_ms(&r->sh));
		if (repl_sigint)
			return NULL;
		shell_serve(&r->sh, &r->ctx);
		if (pr <= 0)
			continue;
		ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!r->pending.len)
				return NULL;
			return sbuf_detach(&r->pending, NULL);
		}
		if (sbuf_add(&r->pending, buf, (size_t)n) < 0) {
			diag_warn(&r->err, "input line too long, dropped");
			sbuf_reset(&r->pending);
		}
	}
}

/* Tail or watch: serve the log until Ctrl+C. */
static void run_mode(struct repl *r)
{
	while (r->sh.mode != SHELL_PROMPT && !r->sh.quit) {
		struct pollfd pfd = {.fd = shell_fd(&r->sh), .events = POLLIN};
		int t = shell_timeout_ms(&r->sh);
		int pr = poll(&pfd, 1, t < 0 ? 100 : t);
		if (pr < 0 && errno != EINTR)
			break;
		if (repl_sigint) {
			repl_sigint = 0;
			shell_leave_mode(&r->sh, &r->ctx);
			break;
		}
		shell_serve(&r->sh, &r->ctx);
	}
}

int repl_main(void)
{
	struct repl r;
	char *hist = NULL;
	struct sigaction sa;

	memset(&r, 0, sizeof(r));
	signal(SIGPIPE, SIG_DFL);
	out_init(&r.out, stdout);
	out_init(&r.err, stderr);
	shell_init(&r.sh, isatty(STDIN_FILENO) && isatty(STDOUT_FILENO));
	r.ctx = (struct cmd_ctx){.out = &r.out, .err = &r.err, .shell = &r.sh};
	sbuf_init(&r.pending, 1 << 20);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, NULL);

	if (r.sh.tty) {
		out_puts(&r.out, "pgtail: who is connected to PostgreSQL.  Type 'help' for "
				 "commands, 'quit' to leave.\n");
		hist = history_path(&r.err);
		lineedit_start(hist, repl_complete, repl_getc, &r);
	}
	while (!r.sh.quit) {
		if (r.sh.mode != SHELL_PROMPT) {
			run_mode(&r);
			continue;
		}
		out_flush(&r.out);
		char *line = r.sh.tty ? lineedit_readline("pgtail> ") : read_plain_line(&r);
		if (!line) { /* Ctrl+D, or the end of piped input */
			if (r.sh.tty)
				out_puts(&r.out, "\n");
			break;
		}
		if (*line) {
			if (r.sh.tty)
				lineedit_add_history(line);
			dispatch(&r, line);
		}
		free(line);
	}
	if (r.sh.tty)
		lineedit_stop();
	shell_release(&r.sh);
	sbuf_release(&r.pending);
	free(hist);
	return CMD_OK;
}
