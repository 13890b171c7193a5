/* SPDX-License-Identifier: PostgreSQL */
/*
 * __complete [--describe] WORD...: what the shells' completion scripts ask.
 * WORDs are the command line after "pgtail", the last one being completed
 * (empty for a new word).  Prints one candidate a line ("candidate<TAB>what
 * it is" with --describe, for zsh and fish), then ":files" when a file name
 * fits there too.  Names (--app=, user=...) come from the end of the log the
 * line names (its PATHs or --instance), else of this machine's instance:
 * the last LOG_TAIL_BYTES of its newest files, read within
 * COMPLETE_BUDGET_MS, so completion never hangs a shell, whatever the log's
 * size; and should anything else block (a hung file system), the process
 * ends itself after COMPLETE_HARD_LIMIT_S, printing nothing more.
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

/* How much of the log's newest files is read for names. */
#define LOG_TAIL_BYTES (4u << 20)
/* The most time spent reading it. */
#define COMPLETE_BUDGET_MS 300
/* When the whole process gives up (SIGALRM's default action ends it). */
#define COMPLETE_HARD_LIMIT_S 2

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct names_src {
	bool loaded;
	bool have; /* m was initialised */
	struct model m;
	char **args; /* the log to read: PATHs of the line, or NULL */
	size_t nargs;
	const char *instance;
	int64_t deadline; /* mono_ms() past which nothing more is read */
};

/* The size of path when it is a plain file that can be read at an offset
 * (not .gz), else -1. */
static off_t tail_size(const char *path)
{
	struct stat st;
	size_t n = strlen(path);
	if (n >= 3 && !strcmp(path + n - 3, ".gz"))
		return -1;
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return -1;
	return st.st_size;
}

/* Feed path from byte from (the start of the next line) to its end, or
 * until the deadline, into src->m. */
static void feed_tail(struct names_src *src, const char *path, off_t from, struct out *quiet)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	if (fd < 0)
		return;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return;
	}
	struct reader_opts ro = {.err = quiet, .interest = classify_maybe};
	struct feed *f = feed_new(path, &ro, false, model_entry, &src->m, &src->m.st);
	char buf[64 << 10];
	bool first = from > 0;
	ssize_t n;
	while (f && mono_ms() < src->deadline && (n = pread(fd, buf, sizeof(buf), from)) > 0) {
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
}

/* Read the end of the log into src->m: its newest files, newest last, up
 * to LOG_TAIL_BYTES in all (a file rotated a moment ago holds few names). */
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
	/* From the newest file back, until LOG_TAIL_BYTES are taken. */
	size_t first = pl.n;
	off_t want = LOG_TAIL_BYTES, from = 0;
	while (first > 0 && want > 0 && strcmp(pl.paths[first - 1], "-")) {
		off_t size = tail_size(pl.paths[first - 1]);
		if (size < 0)
			break;
		first--;
		from = size > want ? size - want : 0;
		want -= size - from;
	}
	if (first == pl.n)
		goto out;
	model_init(&src->m, 0);
	src->have = true;
	for (size_t i = first; i < pl.n && mono_ms() < src->deadline; i++)
		feed_tail(src, pl.paths[i], i == first ? from : 0, &quiet);
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

/* Can s be printed as one candidate line?  A name from the log with a
 * control character (a tab, a newline, an escape) cannot: it would break
 * the line protocol, and no one types it. */
static bool printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

static enum cmd_result complete_run(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct names_src src = {0};
	struct sbuf line;
	int start = 0;
	bool files = false, describe = false;
	char **words = a->operands;
	int nwords = a->noperands;

	alarm(COMPLETE_HARD_LIMIT_S);
	src.deadline = mono_ms() + COMPLETE_BUDGET_MS;
	if (nwords > 1 && !strcmp(words[0], "--describe")) {
		describe = true;
		words++;
		nwords--;
	}
	if (nwords == 0)
		return CMD_OK;
	/* The words before the last make the line; the last is completed. */
	sbuf_init(&line, 1 << 16);
	for (int i = 0; i + 1 < nwords; i++) {
		sbuf_addstr(&line, words[i]);
		sbuf_addch(&line, ' ');
	}
	start = (int)line.len;
	sbuf_addstr(&line, words[nwords - 1]);
	/* The log the line names: its PATHs (existing ones) or --instance. */
	src.args = calloc((size_t)nwords, sizeof(*src.args));
	for (int i = 1; src.args && i + 1 < nwords; i++) {
		const char *w = words[i];
		struct stat st;
		if (!strncmp(w, "--instance=", 11))
			src.instance = w + 11;
		else if (w[0] != '-' && !strchr(w, '=') && stat(w, &st) == 0)
			src.args[src.nargs++] = words[i];
	}
	struct complete_src cs = {
	    .front = FRONT_ONESHOT, .names = log_names, .names_ctx = &src, .instances = true};
	char **desc = NULL;
	char **c = complete_words_desc(&cs, words[nwords - 1], line.buf, start, &files, &desc);
	for (size_t i = 0; c && c[i]; i++) {
		if (!printable(c[i]))
			continue;
		if (describe && *desc[i] && printable(desc[i]))
			out_printf(ctx->out, "%s\t%s\n", c[i], desc[i]);
		else
			out_printf(ctx->out, "%s\n", c[i]);
	}
	complete_free(c);
	complete_free(desc);
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
    .operand_meta = "[--describe] WORD...",
    .fronts = FRONT_ONESHOT,
    .hidden = true,
    .summary = "Candidates for the shells' completion scripts",
    .description = "Prints the candidates for the last WORD of a pgtail command line, one\n"
		   "a line, and \":files\" when a file name fits there too.  With\n"
		   "--describe, each candidate is followed by a tab and what it is.  Used by\n"
		   "the bash, zsh and fish completion scripts.\n",
    .run = complete_run,
};
