/* SPDX-License-Identifier: PostgreSQL */
/* The bytes a followed log delivered, and reading them again; see journal.h. */
#include "source/journal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/feed.h"
#include "util/diag.h"
#include "source/merge.h"
#include "util/xalloc.h"

void journal_init(struct journal *j)
{
	memset(j, 0, sizeof(*j));
}

void journal_release(struct journal *j)
{
	for (size_t i = 0; i < j->n; i++)
		free(j->v[i].path);
	free(j->v);
	memset(j, 0, sizeof(*j));
}

enum log_format journal_dest_of(const char *path)
{
	static const enum log_format fmts[] = {LOGFMT_CSV, LOGFMT_JSON};
	size_t n = strlen(path);
	if (n > 3 && !strcmp(path + n - 3, ".gz"))
		n -= 3;
	for (size_t i = 0; i < 2; i++) {
		const char *suf = log_format_suffix(fmts[i]);
		size_t k = strlen(suf);
		if (n >= k && !strncmp(path + n - k, suf, k))
			return fmts[i];
	}
	return LOGFMT_STDERR;
}

/* The newest segment of the kind side says, or NULL. */
static struct journal_seg *last_of(struct journal *j, bool side)
{
	for (size_t i = j->n; i > 0; i--)
		if (j->v[i - 1].side == side)
			return &j->v[i - 1];
	return NULL;
}

static struct journal_seg *push(struct journal *j, const char *path, bool side)
{
	struct stat st;
	const struct journal_seg *prev = last_of(j, side);
	if (j->n == j->cap) {
		j->cap = j->cap ? 2 * j->cap : 16;
		j->v = xreallocarray(j->v, j->cap, sizeof(*j->v));
	}
	struct journal_seg *s = &j->v[j->n++];
	memset(s, 0, sizeof(*s));
	s->path = xstrdup(path);
	s->side = side;
	s->dest_change = !side && prev && journal_dest_of(path) != journal_dest_of(prev->path);
	if (stat(path, &st) == 0) {
		s->dev = st.st_dev;
		s->ino = st.st_ino;
	}
	return s;
}

void journal_add_whole(struct journal *j, const char *path)
{
	struct journal_seg *s = push(j, path, false);
	s->whole = true;
	s->starts_file = true;
}

void journal_mark_merged(struct journal *j)
{
	for (size_t i = 0; i < j->n; i++)
		j->v[i].merged = true;
}

static void add(struct journal *j, const char *path, uint64_t off, size_t len, bool new_file,
		bool side)
{
	struct journal_seg *last = j->n ? &j->v[j->n - 1] : NULL;
	if (last && last->side == side && !new_file && !last->whole && last->to == off &&
	    !strcmp(last->path, path)) {
		last->to = off + len;
		return;
	}
	/* The same file continues after the other kind's bytes: its parser goes on. */
	const struct journal_seg *prev = last_of(j, side);
	struct journal_seg *s = push(j, path, side);
	s->starts_file =
	    new_file || !prev || prev->whole || strcmp(prev->path, path) != 0 || prev->to != off;
	s->from = off;
	s->to = off + len;
}

void journal_add(struct journal *j, const char *path, uint64_t off, size_t len, bool new_file)
{
	add(j, path, off, len, new_file, false);
}

void journal_add_side(struct journal *j, const char *path, uint64_t off, size_t len, bool new_file)
{
	add(j, path, off, len, new_file, true);
}

/* Open the segment's file: by its name when that is still the same file,
 * else the same inode in its directory (renamed by a rotation).  -1 when
 * it is gone. */
static int open_seg(const struct journal_seg *s)
{
	struct stat st;
	int fd = open(s->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd >= 0 &&
	    (!s->ino || (fstat(fd, &st) == 0 && st.st_dev == s->dev && st.st_ino == s->ino)))
		return fd;
	if (fd >= 0)
		close(fd);
	if (!s->ino)
		return -1;
	char *dir = xstrdup(s->path);
	char *slash = strrchr(dir, '/');
	if (slash)
		slash[slash == dir ? 1 : 0] = '\0';
	else
		strcpy(dir, ".");
	DIR *d = opendir(dir);
	fd = -1;
	for (struct dirent *e; d && fd < 0 && (e = readdir(d)) != NULL;) {
		if (e->d_ino != s->ino)
			continue;
		char p[4096];
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		int f = open(p, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (f >= 0 && fstat(f, &st) == 0 && st.st_dev == s->dev && st.st_ino == s->ino)
			fd = f;
		else if (f >= 0)
			close(f);
	}
	if (d)
		closedir(d);
	free(dir);
	return fd;
}

/* Read segments [0, n) merged; returns how many could be read. */
static size_t replay_merged(const struct journal *j, size_t n, const struct reader_opts *ro,
			    reader_entry_fn fn, void *ctx, struct reader_stats *st,
			    struct journal_loss *lost)
{
	struct merge_src *src = xcalloc(n, sizeof(*src));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const struct journal_seg *s = &j->v[i];
		int fd = s->whole ? -1 : open_seg(s);
		if (!s->whole && fd < 0) {
			lost->bytes += s->to - s->from;
			lost->segs++;
			continue;
		}
		src[k++] = (struct merge_src){.path = s->path,
					      .fmt = journal_dest_of(s->path),
					      .fd = fd,
					      .from = s->from,
					      .to = s->to};
	}
	struct merge_out mo;
	merge_run(src, k, ro, fn, ctx, st, &mo);
	lost->bytes += mo.lost_bytes;
	lost->segs += mo.lost_srcs;
	lost->twins += mo.twins;
	for (size_t i = 0; i < k; i++)
		if (src[i].fd >= 0)
			close(src[i].fd);
	free(src);
	return k - (size_t)mo.failed;
}

/* The records of side segments that are replayed: the guests only. */
struct guests {
	reader_entry_fn fn;
	void *ctx;
};

static void guest_only(void *ctx, const struct pg_entry *e)
{
	const struct guests *g = ctx;
	if (e->guest)
		g->fn(g->ctx, e);
}

int journal_replay(const struct journal *j, const struct reader_opts *ro, reader_entry_fn fn,
		   void *ctx, struct reader_stats *st, struct journal_loss *loss,
		   void (*dest_change)(void *ctx), void *dest_ctx)
{
	struct journal_loss lost = {0};
	struct feed *feeds[2] = {NULL, NULL}; /* of the other segments, of side ones */
	struct guests g = {fn, ctx};
	struct reader_opts side_ro = *ro; /* a side file is a stderr file */
	side_ro.format = LOGFMT_STDERR;
	size_t read_ok = 0;
	char buf[256 << 10];

	size_t first = 0;
	while (first < j->n && j->v[first].merged)
		first++;
	if (first)
		read_ok += replay_merged(j, first, ro, fn, ctx, st, &lost);
	for (size_t i = first; i < j->n; i++) {
		const struct journal_seg *s = &j->v[i];
		struct feed **f = &feeds[s->side];
		if (s->starts_file && *f) {
			feed_finish(*f);
			feed_free(*f);
			*f = NULL;
		}
		if (s->dest_change && dest_change)
			dest_change(dest_ctx);
		if (s->whole) {
			if (reader_run(s->path, ro, fn, ctx, st) == 0)
				read_ok++;
			continue;
		}
		int fd = open_seg(s);
		if (fd < 0) {
			lost.bytes += s->to - s->from;
			lost.segs++;
			continue;
		}
		if (!*f)
			*f = s->side ? feed_new(s->path, &side_ro, true, guest_only, &g, st)
				     : feed_new(s->path, ro, true, fn, ctx, st);
		uint64_t off = s->from;
		while (*f && off < s->to) {
			size_t want =
			    s->to - off < sizeof(buf) ? (size_t)(s->to - off) : sizeof(buf);
			ssize_t n = pread(fd, buf, want, (off_t)off);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break; /* truncated since: the rest is gone */
			feed_push(*f, buf, (size_t)n);
			off += (uint64_t)n;
		}
		if (off < s->to) {
			lost.bytes += s->to - off;
			lost.segs++;
		}
		read_ok++;
		close(fd);
	}
	for (size_t k = 0; k < 2; k++)
		if (feeds[k]) {
			feed_finish(feeds[k]);
			feed_free(feeds[k]);
		}
	if (lost.segs)
		diag_warn(ro->err,
			  "%llu bytes the follower read are gone from the log files (removed, or "
			  "truncated by a rotation): this view lacks their events",
			  (unsigned long long)lost.bytes);
	if (loss)
		*loss = lost;
	return read_ok || !j->n ? 0 : -1;
}
