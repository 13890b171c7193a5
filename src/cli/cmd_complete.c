/* SPDX-License-Identifier: PostgreSQL */
/*
 * __complete [--describe] WORD...: what the shells' completion scripts ask.
 * WORDs are the command line after "pgtail", the last one being completed
 * (empty for a new word).  Prints one candidate a line ("candidate<TAB>what
 * it is" with --describe, for zsh and fish), then ":files" when a file name
 * fits there too.
 *
 * Names (--app=, user=...) come from the end of the log the line names (its
 * PATHs or --instance), else of this machine's instance: its newest files
 * read backwards, CHUNK_BYTES at a time, up to LOG_TAIL_BYTES, for at most
 * the budget (COMPLETE_BUDGET_MS, or $PGTAIL_COMPLETE_MS) -- the newest
 * chunk always, so that a slow machine still gets the names in use now.
 * Completion must never hang a shell, whatever the log's size: should
 * anything else block (a hung file system), the process ends itself two
 * seconds past the budget, printing nothing more.
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
#include "util/clock.h"
#include "util/intern.h"
#include "util/sbuf.h"
#include "util/xalloc.h"

/* How much of the log's newest files is read for names, at most. */
#define LOG_TAIL_BYTES (4 << 20)
/* How much is read at a time, newest first; each piece is replayed on its
 * own (a piece of the newest file is all a slow machine may get). */
#define CHUNK_BYTES (512 << 10)
/* The most time spent reading, unless PGTAIL_COMPLETE_MS says otherwise. */
#define COMPLETE_BUDGET_MS 300
/* How long past the budget the whole process gives up (SIGALRM's default
 * action ends it). */
#define COMPLETE_HARD_LIMIT_S 2

struct names_src {
	bool loaded;
	struct intern names[4]; /* by enum model_name: the names seen, the newest
				   part of the log's first; id 0 is "" */
	char **args;            /* the log to read: PATHs of the line, or NULL */
	size_t nargs;
	const char *instance;
	int64_t deadline; /* clock_mono_ms() past which no more is read */
};

/* model_names' callback: keep the name in the intern table ctx. */
static void keep_name(void *ctx, const char *name)
{
	intern_get(ctx, name, strlen(name));
}

/*
 * Replay [from, end) of the file open as fd -- from its first line start
 * when from is not 0 -- in a model of its own, and keep the names seen.
 * Returns where that first line starts (end when the piece holds none):
 * the older piece ends there.
 */
static off_t read_piece(struct names_src *src, const char *path, int fd, off_t from, off_t end,
			char *buf, struct out *quiet)
{
	ssize_t n = pread(fd, buf, (size_t)(end - from), from);
	if (n <= 0)
		return from;
	size_t skip = 0;
	if (from > 0) {
		char *nl = memchr(buf, '\n', (size_t)n);
		if (!nl) /* inside a line longer than a piece: leave it */
			return from;
		skip = (size_t)(nl - buf + 1);
	}
	struct model m;
	struct reader_opts ro = {.err = quiet, .interest = classify_maybe};
	model_init(&m, 0);
	struct feed *f = feed_new(path, &ro, false, model_entry, &m, &m.st);
	if (f) {
		feed_push(f, buf + skip, (size_t)n - skip);
		feed_finish(f);
		feed_free(f);
	}
	tracker_finish(&m.t);
	for (int k = MODEL_APP; k <= MODEL_HOST; k++)
		model_names(&m, (enum model_name)k, keep_name, &src->names[k]);
	model_release(&m);
	return from + (off_t)skip;
}

/* Read the end of the log for names: its newest files, each from its end
 * back, until LOG_TAIL_BYTES are read or the deadline passes (the newest
 * piece is read whatever the clock). */
static void load(struct names_src *src)
{
	struct out quiet = {0}; /* completion says nothing on the terminal */
	struct instance_target it = {0};
	struct path_list pl = {0};
	char *const *args = src->args;
	size_t nargs = src->nargs;
	off_t want = LOG_TAIL_BYTES;
	char *buf = NULL;
	bool first = true;

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
	buf = xmalloc(CHUNK_BYTES);
	for (size_t i = pl.n; i > 0 && want > 0; i--) {
		const char *path = pl.paths[i - 1];
		size_t len = strlen(path);
		struct stat st;
		/* Standard input and .gz cannot be read from their end. */
		if (!strcmp(path, "-") || (len >= 3 && !strcmp(path + len - 3, ".gz")))
			break;
		int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0)
			continue;
		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
			close(fd);
			continue;
		}
		for (off_t end = st.st_size; end > 0 && want > 0; first = false) {
			if (!first && clock_mono_ms() >= src->deadline)
				break;
			off_t from = end > CHUNK_BYTES ? end - CHUNK_BYTES : 0;
			off_t start = read_piece(src, path, fd, from, end, buf, &quiet);
			want -= end - start;
			end = start > from ? start : from; /* a long line is left out */
		}
		close(fd);
		if (!first && clock_mono_ms() >= src->deadline)
			break;
	}
out:
	free(buf);
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
	enum model_name k = kind == ARG_APP    ? MODEL_APP
			    : kind == ARG_USER ? MODEL_USER
			    : kind == ARG_DB   ? MODEL_DB
					       : MODEL_HOST;
	for (size_t id = 1; id < intern_count(&src->names[k]); id++)
		add(acc, intern_str(&src->names[k], (uint32_t)id));
}

/* The reading budget: $PGTAIL_COMPLETE_MS (1 to 60000) or the default. */
static int budget_ms(void)
{
	const char *v = getenv("PGTAIL_COMPLETE_MS");
	char *e;
	long ms = v && *v ? strtol(v, &e, 10) : 0;
	return v && *v && !*e && ms >= 1 && ms <= 60000 ? (int)ms : COMPLETE_BUDGET_MS;
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

	int budget = budget_ms();
	alarm((unsigned)(budget / 1000 + COMPLETE_HARD_LIMIT_S));
	src.deadline = clock_mono_ms() + budget;
	if (nwords > 1 && !strcmp(words[0], "--describe")) {
		describe = true;
		words++;
		nwords--;
	}
	if (nwords == 0)
		return CMD_OK;
	for (int k = MODEL_APP; k <= MODEL_HOST; k++)
		intern_init(&src.names[k]);
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
	for (int k = MODEL_APP; k <= MODEL_HOST; k++)
		intern_release(&src.names[k]);
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
