/* SPDX-License-Identifier: PostgreSQL */
/*
 * __complete WORD...: what the shells' completion scripts ask.  WORDs are
 * the command line after "pgtail", the last one being completed (empty for
 * a new word).  Prints one candidate a line, then ":files" when a file name
 * fits there too.  Names (--app=, user=...) come from the end of the log the
 * line names (its PATHs or --instance), else of this machine's instance:
 * its last LOG_TAIL_BYTES, read within COMPLETE_BUDGET_MS, so completion
 * never hangs a shell, whatever the log's size.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/complete.h"
#include "cli/instance_pick.h"
#include "conn/classify.h"
#include "model/model.h"
#include "source/feed.h"
#include "source/paths.h"
#include "util/sbuf.h"

/* How much of the newest log file is read for names. */
#define LOG_TAIL_BYTES (4u << 20)
/* The most time spent reading it. */
#define COMPLETE_BUDGET_MS 300

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct names_src {
	bool loaded;
	bool have;
	struct model m;
	char **args;     /* the log to read: PATHs of the line, or NULL */
	size_t nargs;
	const char *instance;
};

/* Read the end of the newest file of the log into src->m. */
static void load(struct names_src *src)
{
	struct out quiet = {0}; /* completion says nothing on the terminal */
	struct instance_target it = {0};
	struct path_list pl = {0};
	char *const *args = src->args;
	size_t nargs = src->nargs;

	src->loaded = true;
	quiet.fp = fopen("/dev/null", "w");
	if (!quiet.fp)
		return;
	if (!nargs) {
		if (instance_pick(src->instance, &quiet, &it) < 0)
			goto out;
		args = it.args;
		nargs = it.nargs;
	}
	paths_expand(args, nargs, NULL, &quiet, &pl);
	if (!pl.n || !strcmp(pl.paths[pl.n - 1], "-"))
		goto out;
	int fd = open(pl.paths[pl.n - 1], O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		goto out;
	}
	off_t from = st.st_size > (off_t)LOG_TAIL_BYTES ? st.st_size - LOG_TAIL_BYTES : 0;
	struct reader_opts ro = {.err = &quiet, .interest = classify_maybe};
	model_init(&src->m, 0);
	src->have = true;
	struct feed *f = feed_new(pl.paths[pl.n - 1], &ro, false, model_entry, &src->m,
				  &src->m.st);
	int64_t deadline = mono_ms() + COMPLETE_BUDGET_MS;
	char buf[64 << 10];
	bool first = from > 0;
	ssize_t n;
	while (f && mono_ms() < deadline && (n = pread(fd, buf, sizeof(buf), from)) > 0) {
		size_t skip = 0;
		if (first) { /* start at a line's start */
			char *nl = memchr(buf, '\n', (size_t)n);
			skip = nl ? (size_t)(nl - buf + 1) : (size_t)n;
			first = false;
		}
		feed_push(f, buf + skip, (size_t)n - skip);
		from += n;
	}
	close(fd);
	if (f) {
		feed_finish(f);
		feed_free(f);
	}
	tracker_finish(&src->m.t);
out:
	path_list_release(&pl);
	instance_target_release(&it);
	fclose(quiet.fp);
}

/* complete_names_fn */
static void log_names(void *ctx, enum opt_arg kind, complete_add_fn add, void *acc)
{
	struct names_src *src = ctx;
	if (!src->loaded)
		load(src);
	if (!src->have)
		return;
	enum model_name k = kind == ARG_APP    ? MODEL_APP
			    : kind == ARG_USER ? MODEL_USER
			    : kind == ARG_DB   ? MODEL_DB
					       : MODEL_HOST;
	model_names(&src->m, k, add, acc);
}

static enum cmd_result complete_run(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct names_src src = {0};
	struct sbuf line;
	int start = 0;
	bool files = false;

	if (a->noperands == 0)
		return CMD_OK;
	/* The words before the last make the line; the last is completed. */
	sbuf_init(&line, 1 << 16);
	for (int i = 0; i + 1 < a->noperands; i++) {
		sbuf_addstr(&line, a->operands[i]);
		sbuf_addch(&line, ' ');
	}
	start = (int)line.len;
	sbuf_addstr(&line, a->operands[a->noperands - 1]);
	/* The log the line names: its PATHs (existing ones) or --instance. */
	src.args = calloc((size_t)a->noperands, sizeof(*src.args));
	for (int i = 1; src.args && i + 1 < a->noperands; i++) {
		const char *w = a->operands[i];
		struct stat st;
		if (!strncmp(w, "--instance=", 11))
			src.instance = w + 11;
		else if (w[0] != '-' && !strchr(w, '=') && stat(w, &st) == 0)
			src.args[src.nargs++] = a->operands[i];
	}
	struct complete_src cs = {.front = FRONT_ONESHOT, .names = log_names, .names_ctx = &src,
				  .instances = true};
	char **c = complete_words(&cs, a->operands[a->noperands - 1], line.buf, start, &files);
	for (char **p = c; p && *p; p++) {
		out_printf(ctx->out, "%s\n", *p);
		free(*p);
	}
	free(c);
	if (files)
		out_puts(ctx->out, ":files\n");
	if (src.have)
		model_release(&src.m);
	free(src.args);
	sbuf_release(&line);
	return CMD_OK;
}

const struct cmd_def cmd_complete_def = {
	.name = "__complete",
	.operands = OPERANDS_WORDS,
	.operand_meta = "WORD...",
	.fronts = FRONT_ONESHOT,
	.hidden = true,
	.summary = "Candidates for the shells' completion scripts",
	.description = "Prints the candidates for the last WORD of a pgtail command line, one\n"
		       "a line, and \":files\" when a file name fits there too.  Used by the\n"
		       "bash, zsh and fish completion scripts.\n",
	.run = complete_run,
};
