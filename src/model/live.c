/* SPDX-License-Identifier: PostgreSQL */
/* A followed server log: replay, then follow; see live.h. */
#include "model/live.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "source/feed.h"
#include "util/xalloc.h"

/* Events are applied this long after they were read, so that a refusal
 * written a moment after its authorization takes it back first. */
#define LIVE_HOLD_MS 30
#define LIVE_POLL_MS 50

struct live {
	char *target;            /* as given */
	char *current;           /* the file being followed */
	struct model m;
	struct path_list files;  /* what a replay reads */
	struct reader_opts ro;
	char *prefix;            /* --prefix, or NULL */
	struct feed *feed;       /* parser of the current file */
	int fd;                  /* the current file */
	off_t off;               /* bytes of it consumed */
	dev_t dev;
	ino_t ino;
	live_entry_fn entry_fn;
	void *entry_ctx;
	struct out *err;
};

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_entry(void *ctx, const struct pg_entry *e)
{
	struct live *l = ctx;
	model_entry(&l->m, e);
	if (l->entry_fn)
		l->entry_fn(l->entry_ctx, e);
}

/* Read what the current file has beyond l->off. */
static int drain(struct live *l)
{
	char buf[1 << 16];
	for (;;) {
		ssize_t n = pread(l->fd, buf, sizeof(buf), l->off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			out_warn(l->err, "read error in '%s': %s", l->current, strerror(errno));
			return -1;
		}
		if (n == 0)
			return 0;
		l->m.t.wall_ms = mono_ms();
		feed_push(l->feed, buf, (size_t)n);
		l->off += n;
	}
}

static int open_current(struct live *l, const char *path, char *errbuf, size_t errlen)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(errbuf, errlen, "cannot open '%s': %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (l->fd >= 0)
		close(l->fd);
	if (l->feed) {
		feed_finish(l->feed);
		feed_free(l->feed);
	}
	free(l->current);
	l->current = xstrdup(path);
	l->fd = fd;
	l->off = 0;
	l->dev = st.st_dev;
	l->ino = st.st_ino;
	l->feed = feed_new(path, &l->ro, true, on_entry, l, &l->m.st);
	return l->feed ? 0 : -1;
}

struct live *live_open(char *const *args, size_t nargs, const char *label, const char *prefix,
		       struct out *err, char *errbuf, size_t errlen)
{
	struct live *l = xcalloc(1, sizeof(*l));
	const char *target = label ? label : args[0];

	l->target = xstrdup(target);
	l->fd = -1;
	l->err = err;
	l->prefix = prefix ? xstrdup(prefix) : NULL;
	l->ro = (struct reader_opts){
		.prefix = l->prefix, .format = LOGFMT_AUTO, .err = err, .max_reports = 3};
	model_init(&l->m, 3600 * 1000LL);
	paths_expand(args, nargs, prefix, err, &l->files);
	if (l->files.n == 0) {
		snprintf(errbuf, errlen, "no log files to follow in '%s'", target);
		live_stop(l);
		return NULL;
	}
	return l;
}

int live_begin(struct live *l, char *errbuf, size_t errlen)
{
	/* Replay all but the newest file; follow the newest from its start. */
	for (size_t i = 0; i + 1 < l->files.n; i++)
		reader_run(l->files.paths[i], &l->ro, model_entry, &l->m, &l->m.st);
	if (open_current(l, l->files.paths[l->files.n - 1], errbuf, errlen) < 0 || drain(l) < 0)
		return -1;
	tracker_finish(&l->m.t);
	return 0;
}

struct live *live_start(const char *target, const char *prefix, struct out *err, char *errbuf,
			size_t errlen)
{
	char *args[1] = {(char *)target};
	struct live *l = live_open(args, 1, NULL, prefix, err, errbuf, errlen);
	if (l && live_begin(l, errbuf, errlen) < 0) {
		live_stop(l);
		return NULL;
	}
	return l;
}

void live_stop(struct live *l)
{
	if (!l)
		return;
	if (l->feed)
		feed_free(l->feed);
	if (l->fd >= 0)
		close(l->fd);
	model_release(&l->m);
	path_list_release(&l->files);
	free(l->current);
	free(l->target);
	free(l->prefix);
	free(l);
}

int live_fd(const struct live *l)
{
	(void)l;
	return -1;
}

int live_timeout_ms(const struct live *l)
{
	(void)l;
	return LIVE_POLL_MS;
}

int live_poll(struct live *l)
{
	struct stat st;
	if (stat(l->current, &st) == 0 && (st.st_dev != l->dev || st.st_ino != l->ino)) {
		/* Renamed and recreated: finish the old file, then the new one. */
		if (drain(l) < 0)
			return -1;
		char err[512];
		if (open_current(l, l->current, err, sizeof(err)) < 0) {
			out_warn(l->err, "%s", err);
			return -1;
		}
	} else if (fstat(l->fd, &st) == 0 && st.st_size < l->off) {
		out_warn(l->err, "'%s' was truncated: reading it from the start", l->current);
		l->off = 0;
	}
	if (drain(l) < 0)
		return -1;
	tracker_tick(&l->m.t, mono_ms(), LIVE_HOLD_MS);
	return 0;
}

struct model *live_model(struct live *l)
{
	return &l->m;
}

const struct path_list *live_files(const struct live *l)
{
	return &l->files;
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
