/* SPDX-License-Identifier: PostgreSQL */
/* A followed server log: replay, then follow; see live.h. */
#include "model/live.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "conn/classify.h"
#include "source/feed.h"
#include "source/follow.h"
#include "source/input.h"
#include "source/journal.h"
#include "source/merge.h"
#include "source/sdjournal.h"
#include "util/clock.h"
#include "util/diag.h"
#include "util/xalloc.h"

/* Events are applied this long after they were read, so that a refusal
 * written a moment after its authorization takes it back first. */
#define LIVE_HOLD_MS 30
#define LIVE_POLL_MS 50
/* How often the side stderr file is looked at when nothing else happens. */
#define LIVE_SIDE_POLL_MS 250

struct live {
	char *target; /* as given (or the label) */
	struct model m;
	struct path_list files; /* the files found at the start */
	struct journal journal; /* every byte fed to the model, in order */
	struct reader_opts ro;
	char *prefix;       /* --prefix, or NULL */
	char *ident;        /* --ident, or NULL */
	char *follow_dir;   /* the log directory followed, or NULL */
	char *data_dir;     /* where current_logfiles is (the log directory's
			       parent), or NULL: it says which destination
			       is current */
	struct follower *f; /* the current file, through rotation */
	struct feed *feed;  /* parser of the file being read */
	/* Following a log directory, the stderr file beside the current file
	 * of another destination: the logging collector writes there the
	 * csvlog/jsonlog records that arrive while their own file is not open
	 * (after a change of log_destination, from backends that have not
	 * reloaded yet).  Only those records (pg_entry.guest) are taken. */
	struct follower *side;
	struct feed *side_feed;
	struct reader_opts side_ro; /* ro, with the stderr format forced */
	live_entry_fn entry_fn;
	void *entry_ctx;
	struct out *err;
	int failed;       /* the follower stopped for good */
	struct input *in; /* standard input, read as a stream, or NULL */
	/* The systemd journal followed instead of files (live_open_journal). */
	bool sdjournal;
	char *unit; /* its unit, or NULL */
	struct sdjournal *sdj;
	uint64_t dest_changes; /* live_dest_changes */
	bool ended;            /* standard input is at its end */
	bool halted;           /* live_halt: nothing more is read */
};

/* Most bytes one live_poll() reads from standard input. */
#define LIVE_STDIN_MAX_PER_POLL (8u << 20)

static void on_entry(void *ctx, const struct pg_entry *e)
{
	struct live *l = ctx;
	model_entry(&l->m, e);
	if (l->entry_fn)
		l->entry_fn(l->entry_ctx, e);
}

/* Bytes from the follower: a new file (or a truncated one) gets a new
 * parser, since its first bytes decide format and prefix again. */
static void on_chunk(void *ctx, const struct follow_chunk *c)
{
	struct live *l = ctx;
	if (c->new_file || !l->feed) {
		if (l->feed) {
			feed_finish(l->feed);
			feed_free(l->feed);
		}
		/* The first bytes of another destination's file. */
		if (l->journal.n && journal_dest_of(c->path) !=
					journal_dest_of(l->journal.v[l->journal.n - 1].path)) {
			model_dest_change(&l->m);
			l->dest_changes++;
		}
		l->feed = feed_new(c->path, &l->ro, true, on_entry, l, &l->m.st);
		if (!l->feed)
			return;
	}
	l->m.t.wall_ms = clock_mono_ms();
	/* A file the replay did not read already. */
	if (c->new_file &&
	    (!l->journal.n || strcmp(l->journal.v[l->journal.n - 1].path, c->path) != 0))
		l->m.st.files++;
	journal_add(&l->journal, c->path, c->offset, c->len, c->new_file);
	feed_push(l->feed, c->data, c->len);
}

/* The side stderr file's records: only the guests count. */
static void on_side_entry(void *ctx, const struct pg_entry *e)
{
	if (e->guest)
		on_entry(ctx, e);
}

static void drop_side_feed(struct live *l)
{
	if (l->side_feed) {
		feed_finish(l->side_feed);
		feed_free(l->side_feed);
	}
	l->side_feed = NULL;
}

/* Bytes of the side stderr file.  While the current file is itself a
 * stderr file, they are that file's bytes, read there: passed over. */
static void on_side_chunk(void *ctx, const struct follow_chunk *c)
{
	struct live *l = ctx;
	const char *cur = l->f ? follower_current(l->f, NULL) : NULL;
	if (!cur || journal_dest_of(cur) == LOGFMT_STDERR) {
		drop_side_feed(l);
		return;
	}
	bool fresh = c->new_file || !l->side_feed;
	if (fresh) {
		drop_side_feed(l);
		l->side_feed = feed_new(c->path, &l->side_ro, true, on_side_entry, l, &l->m.st);
		if (!l->side_feed)
			return;
	}
	journal_add_side(&l->journal, c->path, c->offset, c->len, fresh);
	feed_push(l->side_feed, c->data, c->len);
}

/* Following a log directory: the side follower, from the end of the
 * newest stderr file (what it holds was read already).  Without one,
 * following goes on without it. */
static void side_begin(struct live *l)
{
	if (!l->follow_dir)
		return;
	/* By its pattern, so that it never moves to another destination. */
	struct follow_opts fo = {.log_dir = l->follow_dir,
				 .pattern = "*.log",
				 .dest = LOGFMT_STDERR,
				 .start = FOLLOW_START_END,
				 .diag = NULL};
	l->side_ro = l->ro;
	l->side_ro.format = LOGFMT_STDERR;
	l->side = follower_new(&fo);
	while (l->side && follower_poll(l->side, on_side_chunk, l) > 0)
		;
}

struct live *live_open(char *const *args, size_t nargs, const char *label, const char *prefix,
		       struct out *err)
{
	struct live *l = xcalloc(1, sizeof(*l));
	const char *target = label ? label : args[0];

	l->target = xstrdup(target);
	l->err = err;
	l->prefix = prefix ? xstrdup(prefix) : NULL;
	l->ro = (struct reader_opts){.prefix = l->prefix,
				     .format = LOGFMT_AUTO,
				     .err = err,
				     .max_reports = 3,
				     .interest = classify_maybe};
	model_init(&l->m, 3600 * 1000LL);
	paths_expand(args, nargs, prefix, err, &l->files);
	struct stat st;
	if (nargs == 1 && stat(args[0], &st) == 0 && S_ISDIR(st.st_mode)) {
		l->follow_dir = xstrdup(args[0]);
		/* log_directory is usually inside the data directory, whose
		 * current_logfiles names the file of each destination in use. */
		char *parent = xstrdup(args[0]);
		size_t n = strlen(parent);
		while (n > 1 && parent[n - 1] == '/')
			parent[--n] = '\0';
		char *slash = strrchr(parent, '/');
		if (slash && slash != parent)
			*slash = '\0';
		else if (slash)
			slash[1] = '\0';
		else
			strcpy(parent, ".");
		char clf[4096];
		snprintf(clf, sizeof(clf), "%s/current_logfiles", parent);
		if (access(clf, F_OK) == 0)
			l->data_dir = parent;
		else
			free(parent);
	}
	if (l->files.n == 0) {
		diag_error(err, "no log files to follow in '%s'", target);
		live_stop(l);
		return NULL;
	}
	return l;
}

struct live *live_open_journal(const char *unit, struct out *err)
{
	struct live *l = xcalloc(1, sizeof(*l));
	l->target = xstrdup(unit ? unit : "the systemd journal");
	l->err = err;
	l->sdjournal = true;
	l->unit = unit ? xstrdup(unit) : NULL;
	l->ro = (struct reader_opts){
	    .format = LOGFMT_AUTO, .err = err, .max_reports = 3, .interest = classify_maybe};
	model_init(&l->m, 3600 * 1000LL);
	return l;
}

void live_set_ident(struct live *l, const char *ident)
{
	free(l->ident);
	l->ident = ident ? xstrdup(ident) : NULL;
	l->ro.ident = l->ident;
}

/* The journal: everything it holds now, then what it gets. */
static int begin_sdjournal(struct live *l)
{
	l->sdj = sdjournal_open(l->unit, &l->ro, on_entry, l, &l->m.st);
	if (!l->sdj || sdjournal_read(l->sdj) < 0)
		return -1;
	sdjournal_fd(l->sdj); /* from now on, changes wake the caller */
	tracker_finish(&l->m.t);
	return 0;
}

/* The follower's set-up for the newest file found (fmt its destination). */
static struct follow_opts follow_setup(const struct live *l, enum log_format fmt,
				       enum follow_start start)
{
	struct follow_opts fo = {.dest = fmt, .start = start, .offset = 0, .diag = l->err};
	if (l->follow_dir) {
		fo.log_dir = l->follow_dir;
		fo.data_dir = l->data_dir;
	} else {
		fo.file = l->files.paths[l->files.n - 1];
	}
	return fo;
}

/* Read what the current file already holds, and apply it all. */
static int read_current(struct live *l)
{
	int n;
	while ((n = follower_poll(l->f, on_chunk, l)) > 0)
		;
	if (n < 0)
		return -1;
	side_begin(l);
	tracker_finish(&l->m.t);
	return 0;
}

/*
 * The files hold several destinations: read them merged in time order
 * (source/merge.h), the current file up to where the follower starts --
 * the beginning of its last line -- and follow from there.  The journal
 * marks these segments to be read merged again; the current file's comes
 * last, so following it is no change of destination.
 */
static int begin_merged(struct live *l)
{
	struct follow_opts fo = follow_setup(l, l->files.formats[l->files.n - 1], FOLLOW_START_END);
	l->f = follower_new(&fo);
	if (!l->f)
		return -1;
	uint64_t off = 0;
	const char *cur = follower_current(l->f, &off);
	size_t n = 0;
	struct merge_src *src = xcalloc(l->files.n + 1, sizeof(*src));
	int cur_fd = -1;
	for (size_t i = 0; i < l->files.n; i++)
		if (!cur || strcmp(l->files.paths[i], cur) != 0)
			src[n++] = (struct merge_src){
			    .path = l->files.paths[i], .fmt = l->files.formats[i], .fd = -1};
	/* The bytes before the follower's offset, of the very file it follows
	 * (its name may be another file's by now, after a rotation). */
	if (cur && off && (cur_fd = follower_reopen_current(l->f)) < 0)
		cur_fd = open(cur, O_RDONLY | O_CLOEXEC); /* no /proc: by its name */
	if (cur_fd >= 0)
		src[n++] = (struct merge_src){
		    .path = cur, .fmt = journal_dest_of(cur), .fd = cur_fd, .from = 0, .to = off};
	struct merge_out mo;
	merge_run(src, n, &l->ro, model_entry, &l->m, &l->m.st, &mo);
	l->m.skipped_twins += mo.twins;
	for (size_t i = 0; i < n; i++) {
		if (src[i].fd < 0)
			journal_add_whole(&l->journal, src[i].path);
		else
			journal_add(&l->journal, src[i].path, 0, (size_t)off, true);
	}
	journal_mark_merged(&l->journal);
	if (cur_fd >= 0)
		close(cur_fd);
	free(src);
	return read_current(l);
}

int live_begin(struct live *l)
{
	if (l->sdjournal)
		return begin_sdjournal(l);
	if (path_list_dests(&l->files) > 1 && strcmp(l->files.paths[l->files.n - 1], "-") != 0)
		return begin_merged(l);
	/* Replay all but the newest file; the follower reads the newest from
	 * its start, so the hand-over from replay to following is exact. */
	for (size_t i = 0; i + 1 < l->files.n; i++) {
		if (i && l->files.formats[i] != l->files.formats[i - 1])
			model_dest_change(&l->m);
		reader_run(l->files.paths[i], &l->ro, model_entry, &l->m, &l->m.st);
		journal_add_whole(&l->journal, l->files.paths[i]);
	}
	const char *newest = l->files.paths[l->files.n - 1];
	enum log_format fmt = l->files.formats[l->files.n - 1];
	if (strcmp(newest, "-") == 0) {
		/* A pipe has no rotation and no past: read it as it comes, to
		 * its end. */
		l->in = input_open("-", l->err);
		if (!l->in)
			return -1;
		l->feed = feed_new(input_name(l->in), &l->ro, true, on_entry, l, &l->m.st);
		if (!l->feed)
			return diag_error(l->err, "cannot read standard input");
		tracker_finish(&l->m.t);
		return 0;
	}
	struct follow_opts fo = follow_setup(l, fmt, FOLLOW_START_OFFSET);
	l->f = follower_new(&fo);
	if (!l->f)
		return -1;
	return read_current(l);
}

void live_stop(struct live *l)
{
	if (!l)
		return;
	if (l->feed)
		feed_free(l->feed);
	if (l->f)
		follower_free(l->f);
	if (l->side)
		follower_free(l->side);
	drop_side_feed(l);
	if (l->in)
		input_close(l->in);
	sdjournal_close(l->sdj);
	free(l->unit);
	free(l->ident);
	model_release(&l->m);
	path_list_release(&l->files);
	free(l->follow_dir);
	free(l->data_dir);
	journal_release(&l->journal);
	free(l->target);
	free(l->prefix);
	free(l);
}

int live_fd(const struct live *l)
{
	if (l->in)
		return l->ended ? -1 : STDIN_FILENO;
	if (l->sdj)
		return sdjournal_fd(l->sdj);
	return l->f ? follower_fd(l->f) : -1;
}

bool live_ended(const struct live *l)
{
	return l->ended;
}

/* Read what standard input has now; at its end, apply everything. */
static int poll_stdin(struct live *l)
{
	char buf[64 << 10];
	size_t total = 0;

	while (!l->ended && total < LIVE_STDIN_MAX_PER_POLL) {
		/* Read only when there is data, so a quiet writer does not block
		 * the caller (gzip data on stdin is refused at open). */
		struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
		if (poll(&pfd, 1, 0) <= 0)
			break;
		ssize_t n = input_read(l->in, buf, sizeof(buf), l->err);
		if (n < 0) {
			l->failed = 1;
			return -1;
		}
		if (n == 0) {
			feed_finish(l->feed);
			l->ended = true;
			break;
		}
		struct follow_chunk c = {.path = input_name(l->in), .data = buf, .len = (size_t)n};
		on_chunk(l, &c);
		total += (size_t)n;
	}
	if (l->ended) {
		tracker_finish(&l->m.t);
		return 0;
	}
	tracker_tick(&l->m.t, clock_mono_ms(), LIVE_HOLD_MS);
	return 0;
}

int live_timeout_ms(const struct live *l)
{
	if (l->halted)
		return -1;
	int t = l->f     ? follower_timeout_ms(l->f)
		: l->sdj ? sdjournal_timeout_ms(l->sdj)
			 : LIVE_POLL_MS;
	/* The side file has no fd of its own in the caller's poll. */
	if (l->side && (t < 0 || t > LIVE_SIDE_POLL_MS))
		t = LIVE_SIDE_POLL_MS;
	/* Held events must be applied soon after they were read. */
	if (l->m.t.reorder.count && t > LIVE_HOLD_MS)
		t = LIVE_HOLD_MS;
	return t;
}

int live_poll(struct live *l)
{
	if (l->halted)
		return 0;
	if (l->in && !l->failed)
		return l->ended ? 0 : poll_stdin(l);
	if (l->sdj && !l->failed) {
		l->m.t.wall_ms = clock_mono_ms();
		if (sdjournal_read(l->sdj) < 0) {
			l->failed = 1;
			return -1;
		}
		tracker_tick(&l->m.t, clock_mono_ms(), LIVE_HOLD_MS);
		return 0;
	}
	if (!l->f || l->failed)
		return -1;
	/* The side file first: a record lands there only before the logging
	 * collector has its new file open, so what it holds is older than what
	 * the current file gets next. */
	if (l->side && follower_poll(l->side, on_side_chunk, l) < 0) {
		follower_free(l->side); /* said nothing: following goes on without it */
		l->side = NULL;
		drop_side_feed(l);
	}
	if (follower_poll(l->f, on_chunk, l) < 0) {
		l->failed = 1;
		return -1;
	}
	tracker_tick(&l->m.t, clock_mono_ms(), LIVE_HOLD_MS);
	return 0;
}

int live_sync(struct live *l)
{
	int rc = live_poll(l);
	/* A query asks about now: apply what is held, however recent. */
	reorder_flush(&l->m.t.reorder);
	return rc;
}

void live_halt(struct live *l)
{
	if (l->halted)
		return;
	if (!l->failed)
		live_sync(l);
	reorder_flush(&l->m.t.reorder);
	if (l->feed) {
		feed_finish(l->feed);
		feed_free(l->feed);
		l->feed = NULL;
	}
	if (l->f)
		follower_free(l->f);
	l->f = NULL;
	if (l->side)
		follower_free(l->side);
	l->side = NULL;
	drop_side_feed(l);
	if (l->in)
		input_close(l->in);
	l->in = NULL;
	sdjournal_close(l->sdj);
	l->sdj = NULL;
	l->entry_fn = NULL;
	l->halted = true;
}

bool live_halted(const struct live *l)
{
	return l->halted;
}

struct model *live_model(struct live *l)
{
	return &l->m;
}

const struct path_list *live_files(const struct live *l)
{
	return &l->files;
}

const struct journal *live_journal(const struct live *l)
{
	return &l->journal;
}

bool live_sdjournal(const struct live *l, const char **ident)
{
	*ident = l->ident;
	return l->sdjournal;
}

int live_replay(const struct live *l, struct model *m, const struct reader_opts *ro)
{
	if (l->sdjournal) {
		/* Up to the last entry following read: nothing twice when the
		 * replayed model goes on with what following reads next. */
		const char *at = sdjournal_cursor(l->sdj);
		if (!at) /* nothing read yet: nothing to replay */
			return 0;
		return model_replay_sdjournal(m, l->unit, at, ro);
	}
	return model_replay_journal(m, &l->journal, ro, NULL);
}

const char *live_target(const struct live *l)
{
	return l->target;
}

void live_set_entry_fn(struct live *l, live_entry_fn fn, void *ctx)
{
	l->entry_fn = fn;
	l->entry_ctx = ctx;
}

uint64_t live_dest_changes(const struct live *l)
{
	return l->dest_changes;
}

const char *live_prefix(const struct live *l)
{
	return l->prefix;
}
