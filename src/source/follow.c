/* SPDX-License-Identifier: PostgreSQL */
/*
 * The follower: read what is appended to the current log file and notice
 * when another file becomes current; see follow.h.  Everything here is
 * decided from stat(2), fstat(2) and pread(2), whichever backend woke us.
 */
#include "source/follow.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "source/follow_int.h"
#include "util/clock.h"
#include "util/diag.h"
#include "util/fdio.h"
#include "util/xalloc.h"

/* One pread(2) at most; one chunk per read. */
#define FOLLOW_BUFSZ (64u * 1024)
/* Bytes remembered just before the offset read up to: when they change,
 * the file was truncated and written again past where we were. */
#define FOLLOW_TAIL 32
/* Files left behind whose offset is remembered, in case one becomes
 * current again. */
#define FOLLOW_SEEN 16
/* A log directory is read again at least this often, even when its
 * modification time did not change (a reused file name truncated in place
 * by log_truncate_on_rotation changes no name). */
#define FOLLOW_RESCAN_MS 1000
/* A directory changed this recently may change again within the same
 * timestamp tick, unseen: scan it again at the next check ("racy" in git's
 * sense). */
#define FOLLOW_RACY_NS (20 * 1000000LL)
/* With FOLLOW_START_END, how far back to look for the start of an
 * unfinished last line. */
#define FOLLOW_LINE_BACK (64u * 1024)

/* The file being read. */
struct ffile {
	int fd;     /* -1: none open (waiting for a file) */
	char *path; /* the name it was opened by; owned, NULL when fd < 0 */
	dev_t dev;  /* identity, from fstat at open */
	ino_t ino;
	uint64_t off;                    /* next byte to deliver */
	unsigned char tail[FOLLOW_TAIL]; /* the tail_len bytes before off */
	size_t tail_len;                 /* <= FOLLOW_TAIL, <= off */
	bool fresh;                      /* the next chunk is the first from this file */
	bool gone_noted;                 /* its removal was reported */
};

/* A file left behind, and how far it was read. */
struct fseen {
	dev_t dev;
	ino_t ino;
	uint64_t off;
	unsigned char tail[FOLLOW_TAIL];
	size_t tail_len;
};

struct follower {
	char *file;           /* file mode: the path followed; NULL: directory mode */
	char *dir;            /* the directory that must exist: the file's, the log
				 directory, or data_dir when that is all we have */
	char *pattern;        /* directory mode: names to consider; NULL when
				 only current_logfiles is used */
	bool pattern_by_dest; /* pattern is "*" + dest's suffix: it follows dest */
	char *data_dir;       /* NULL, or where current_logfiles is */
	char *clf;            /* data_dir/current_logfiles, or NULL */
	enum log_format dest; /* never LOGFMT_AUTO */
	struct ffile cur;
	struct fwatch *watch; /* NULL: the poll backend */
	struct out *diag;     /* follow_opts.diag */
	char *buf;            /* FOLLOW_BUFSZ bytes */

	dev_t dir_dev; /* identity of dir at the last check */
	ino_t dir_ino;

	/* The directory scan (pattern != NULL). */
	bool scanned;               /* newest holds a result */
	struct timespec scan_mtime; /* dir's mtime when scanned */
	bool scan_racy;             /* dir changed just before that scan */
	int64_t scan_ms;            /* when (monotonic) */
	char *newest;               /* its result, or NULL */

	/* current_logfiles (clf != NULL). */
	bool clf_exists; /* it existed at the last check; then: */
	dev_t clf_dev;   /* its identity, to know when to read it again */
	ino_t clf_ino;
	struct timespec clf_mtime;
	off_t clf_size;
	char *clf_target; /* the file it names for dest, or NULL */

	int64_t full_ms;    /* monotonic time of the last full check */
	size_t budget;      /* bytes this follower_poll may still deliver */
	bool backlog;       /* the budget ran out with bytes left */
	bool pending;       /* another file waits to become current */
	bool waiting_noted; /* "waiting for a file" was reported */
	char *open_failed;  /* the last path that could not be opened (reported once) */
	bool failed;        /* a fatal problem was reported: follower_poll is over */
	struct fseen seen[FOLLOW_SEEN];
	size_t seen_next; /* ring position of the next entry to replace */
};

static bool ts_eq(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

static bool ts_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* The directory part of path ("." when none); the caller frees. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xmemdupz(path, (size_t)(slash - path));
}

/* pread all of n bytes at off; false on error or a short file. */
static bool pread_full(int fd, void *buf, size_t n, uint64_t off)
{
	return fdio_pread_all(fd, buf, n, off) == (ssize_t)n;
}

/* Remember the FOLLOW_TAIL bytes of the file before cur.off. */
static void load_tail(struct ffile *c)
{
	size_t n = c->off < FOLLOW_TAIL ? (size_t)c->off : FOLLOW_TAIL;
	c->tail_len = pread_full(c->fd, c->tail, n, c->off - n) ? n : 0;
}

/* Slide the remembered tail over data[0..n) just delivered. */
static void push_tail(struct ffile *c, const char *data, size_t n)
{
	if (n >= FOLLOW_TAIL) {
		memcpy(c->tail, data + n - FOLLOW_TAIL, FOLLOW_TAIL);
		c->tail_len = FOLLOW_TAIL;
		return;
	}
	size_t keep = c->tail_len + n > FOLLOW_TAIL ? FOLLOW_TAIL - n : c->tail_len;
	memmove(c->tail, c->tail + c->tail_len - keep, keep);
	memcpy(c->tail + keep, data, n);
	c->tail_len = keep + n;
}

/* Do the bytes before cur.off still read as we delivered them? */
static bool tail_intact(struct ffile *c)
{
	unsigned char now[FOLLOW_TAIL];
	if (c->tail_len == 0)
		return true;
	if (!pread_full(c->fd, now, c->tail_len, c->off - c->tail_len))
		return false;
	return memcmp(now, c->tail, c->tail_len) == 0;
}

static void start_over(struct follower *f, const char *why)
{
	diag_note(f->diag, "'%s' was %s: reading it from the start", f->cur.path, why);
	f->cur.off = 0;
	f->cur.tail_len = 0;
	f->cur.fresh = true;
}

/*
 * Deliver what the current file holds past cur.off, up to the budget.
 * Notices a truncation first.  Returns the number of chunks, or -1 (fatal,
 * reported) on a read error.
 */
static int read_avail(struct follower *f, follow_data_fn fn, void *ctx)
{
	struct ffile *c = &f->cur;
	struct stat st;
	int chunks = 0;

	if (c->fd < 0)
		return 0;
	if (fstat(c->fd, &st) < 0) {
		f->failed = true;
		return diag_error(f->diag, "cannot stat '%s': %s", c->path, strerror(errno));
	}
	if ((uint64_t)st.st_size < c->off)
		start_over(f, "truncated (copytruncate)");
	else if ((uint64_t)st.st_size > c->off && !tail_intact(c))
		start_over(f, "truncated and written again");

	while (f->budget > 0) {
		size_t want = f->budget < FOLLOW_BUFSZ ? f->budget : FOLLOW_BUFSZ;
		ssize_t n = pread(c->fd, f->buf, want, (off_t)c->off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			f->failed = true;
			return diag_error(f->diag, "read error in '%s': %s", c->path,
					  strerror(errno));
		}
		if (n == 0)
			return chunks;
		struct follow_chunk ch = {
		    .path = c->path,
		    .new_file = c->fresh,
		    .offset = c->off,
		    .data = f->buf,
		    .len = (size_t)n,
		};
		c->fresh = false;
		c->off += (uint64_t)n;
		push_tail(c, f->buf, (size_t)n);
		f->budget -= (size_t)n;
		chunks++;
		fn(ctx, &ch);
	}
	/* The budget is spent; is there more? */
	char probe;
	ssize_t more = pread(c->fd, &probe, 1, (off_t)c->off);
	f->backlog = more > 0;
	return chunks;
}

/* Keep how far the current file was read, in case it becomes current again. */
static void remember_cur(struct follower *f)
{
	struct fseen *s = NULL;
	for (size_t i = 0; i < FOLLOW_SEEN; i++)
		if (f->seen[i].dev == f->cur.dev && f->seen[i].ino == f->cur.ino && f->seen[i].off)
			s = &f->seen[i];
	if (!s) {
		s = &f->seen[f->seen_next];
		f->seen_next = (f->seen_next + 1) % FOLLOW_SEEN;
	}
	s->dev = f->cur.dev;
	s->ino = f->cur.ino;
	s->off = f->cur.off;
	memcpy(s->tail, f->cur.tail, f->cur.tail_len);
	s->tail_len = f->cur.tail_len;
}

static void close_cur(struct follower *f)
{
	if (f->cur.fd >= 0)
		close(f->cur.fd);
	free(f->cur.path);
	f->cur = (struct ffile){.fd = -1};
	if (f->watch)
		fwatch_file(f->watch, -1);
}

/* Where in a file left before, and now current again, to go on from: the
 * remembered offset when the bytes before it are unchanged, else 0. */
static uint64_t resume_offset(struct follower *f, const struct stat *st)
{
	for (size_t i = 0; i < FOLLOW_SEEN; i++) {
		struct fseen *s = &f->seen[i];
		if (s->dev != st->st_dev || s->ino != st->st_ino || s->off == 0)
			continue;
		uint64_t off = s->off;
		s->off = 0; /* used up */
		if ((uint64_t)st->st_size < off)
			return 0;
		f->cur.off = off;
		memcpy(f->cur.tail, s->tail, s->tail_len);
		f->cur.tail_len = s->tail_len;
		if (!tail_intact(&f->cur)) {
			f->cur.tail_len = 0;
			return 0;
		}
		diag_note(f->diag, "'%s' is current again: going on from byte %llu", f->cur.path,
			  (unsigned long long)off);
		return off;
	}
	return 0;
}

/* The offset just past the last newline of the file's last
 * FOLLOW_LINE_BACK bytes, so that following from the end starts at the
 * beginning of an unfinished last line; size when none is found. */
static uint64_t line_start(struct follower *f, uint64_t size)
{
	uint64_t from = size > FOLLOW_LINE_BACK ? size - FOLLOW_LINE_BACK : 0;
	size_t n = (size_t)(size - from);
	if (n == 0 || !pread_full(f->cur.fd, f->buf, n, from))
		return size;
	if (f->buf[n - 1] == '\n')
		return size;
	for (size_t i = n; i > 0; i--)
		if (f->buf[i - 1] == '\n')
			return from + i;
	return from == 0 ? 0 : size;
}

/*
 * Make path the current file.  initial: the file current at follower_new,
 * started as o says; otherwise from the start (or where it was left).
 * Returns 0, or -1 when it cannot be opened (reported once per path).
 */
static int open_cur(struct follower *f, const char *path, bool initial, const struct follow_opts *o)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd >= 0 && fstat(fd, &st) < 0) {
		close(fd);
		fd = -1;
	}
	if (fd >= 0 && !S_ISREG(st.st_mode)) {
		close(fd);
		fd = -1;
		errno = EINVAL;
	}
	if (fd < 0) {
		if (!f->open_failed || strcmp(f->open_failed, path) != 0) {
			diag_note(f->diag, "cannot open '%s': %s", path,
				  errno == EINVAL ? "not a regular file" : strerror(errno));
			free(f->open_failed);
			f->open_failed = xstrdup(path);
		}
		return -1;
	}
	free(f->open_failed);
	f->open_failed = NULL;

	f->cur = (struct ffile){
	    .fd = fd,
	    .path = xstrdup(path),
	    .dev = st.st_dev,
	    .ino = st.st_ino,
	    .fresh = true,
	};
	uint64_t size = (uint64_t)st.st_size;
	if (!initial) {
		f->cur.off = resume_offset(f, &st);
	} else if (o->start == FOLLOW_START_END) {
		f->cur.off = line_start(f, size);
	} else if (o->offset > size) {
		diag_note(
		    f->diag,
		    "'%s' is shorter than offset %llu (truncated since?): reading it from the "
		    "start",
		    path, (unsigned long long)o->offset);
	} else {
		f->cur.off = o->offset;
	}
	if (f->cur.off && !f->cur.tail_len)
		load_tail(&f->cur);
	f->waiting_noted = false;
	f->pending = false;
	if (f->watch) {
		fwatch_file(f->watch, fd);
		char *d = dir_of(path);
		fwatch_dir(f->watch, FWS_CUR_DIR, d);
		free(d);
	}
	return 0;
}

/* The directory's pattern for f->dest: "*.log", "*.csv", "*.json". */
static void set_dest_pattern(struct follower *f)
{
	const char *suffix = log_format_suffix(f->dest);
	free(f->pattern);
	f->pattern = xmalloc(strlen(suffix) + 2);
	f->pattern[0] = '*';
	memcpy(f->pattern + 1, suffix, strlen(suffix) + 1);
	f->pattern_by_dest = true;
}

/*
 * current_logfiles names no file for our destination, but one for another:
 * log_destination was changed (ALTER SYSTEM ... + reload).  Follow the first
 * destination it names from now on (stderr, csvlog, jsonlog: the order the
 * server writes them), and say so.  Where two are named (stderr,csvlog) the
 * one followed stays: both hold the same events.
 */
static void switch_dest(struct follower *f)
{
	static const enum log_format order[] = {LOGFMT_STDERR, LOGFMT_CSV, LOGFMT_JSON};
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		char *path = NULL;
		if (order[i] == f->dest ||
		    follow_clf_lookup(f->clf, f->data_dir, order[i], &path) != 1)
			continue;
		diag_note(f->diag, "log_destination is now %s (current_logfiles): following '%s'",
			  log_format_name(order[i]), path);
		f->dest = order[i];
		if (f->pattern_by_dest)
			set_dest_pattern(f);
		f->clf_target = path;
		return;
	}
}

/* Read current_logfiles again if it changed; returns the file it names for
 * our destination when that exists, else NULL. */
static const char *pick_clf(struct follower *f)
{
	struct stat st;
	if (stat(f->clf, &st) < 0) {
		if (f->clf_exists) {
			f->clf_exists = false;
			free(f->clf_target);
			f->clf_target = NULL;
		}
		return NULL;
	}
	if (!f->clf_exists || st.st_dev != f->clf_dev || st.st_ino != f->clf_ino ||
	    !ts_eq(&st.st_mtim, &f->clf_mtime) || st.st_size != f->clf_size) {
		f->clf_exists = true;
		f->clf_dev = st.st_dev;
		f->clf_ino = st.st_ino;
		f->clf_mtime = st.st_mtim;
		f->clf_size = st.st_size;
		free(f->clf_target);
		int found = follow_clf_lookup(f->clf, f->data_dir, f->dest, &f->clf_target);
		if (found < 0)
			f->clf_exists = false; /* vanished between stat and open: retry */
		else if (found == 0)
			switch_dest(f);
		if (f->watch) {
			char *d = f->clf_target ? dir_of(f->clf_target) : NULL;
			fwatch_dir(f->watch, FWS_NEXT_DIR, d);
			free(d);
		}
	}
	if (f->clf_target && access(f->clf_target, F_OK) == 0)
		return f->clf_target;
	return NULL;
}

/*
 * Without current_logfiles, a change of log_destination shows as files of
 * another destination that are written while ours no longer is.  Switch to
 * that destination when its newest file is newer than ours and ours has
 * been left alone for FOLLOW_DEST_IDLE_MS; where two are written together
 * (stderr,csvlog) neither goes idle while the server logs, and when a quiet
 * server makes the follower change, the records it read already from the
 * other file are dropped by time (model_dest_change).
 */
#define FOLLOW_DEST_IDLE_MS 1000

static void maybe_switch_dest(struct follower *f)
{
	struct stat cur, other;
	struct timespec wall;
	if (!f->pattern_by_dest || f->clf || !f->newest || stat(f->newest, &cur) < 0)
		return;
	clock_gettime(CLOCK_REALTIME, &wall);
	int64_t idle_ms = (int64_t)(wall.tv_sec - cur.st_mtim.tv_sec) * 1000 +
			  (wall.tv_nsec - cur.st_mtim.tv_nsec) / 1000000;
	if (idle_ms < FOLLOW_DEST_IDLE_MS)
		return;
	static const enum log_format all[] = {LOGFMT_STDERR, LOGFMT_CSV, LOGFMT_JSON};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		char pat[16], *newest = NULL;
		if (all[i] == f->dest)
			continue;
		snprintf(pat, sizeof(pat), "*%s", log_format_suffix(all[i]));
		if (follow_scan_newest(f->dir, pat, &newest) < 0 || !newest)
			continue;
		if (stat(newest, &other) == 0 && ts_before(&cur.st_mtim, &other.st_mtim)) {
			diag_note(f->diag,
				  "'%s' is written and '%s' is not: following the %s "
				  "files from now on (log_destination changed)",
				  newest, f->newest, log_format_name(all[i]));
			f->dest = all[i];
			set_dest_pattern(f);
			free(f->newest);
			f->newest = newest;
			return;
		}
		free(newest);
	}
}

/* The newest matching file of the log directory, scanning it again only
 * when it may have changed. */
static const char *pick_scan(struct follower *f, const struct stat *dst, int64_t now, bool force)
{
	if (!f->pattern)
		return NULL;
	if (force || !f->scanned || f->scan_racy || !ts_eq(&dst->st_mtim, &f->scan_mtime) ||
	    now - f->scan_ms >= FOLLOW_RESCAN_MS) {
		struct timespec wall;
		free(f->newest);
		if (follow_scan_newest(f->dir, f->pattern, &f->newest) < 0)
			f->newest = NULL; /* the directory check catches a removal */
		clock_gettime(CLOCK_REALTIME, &wall);
		int64_t age = (int64_t)(wall.tv_sec - dst->st_mtim.tv_sec) * 1000000000LL +
			      (wall.tv_nsec - dst->st_mtim.tv_nsec);
		f->scanned = true;
		f->scan_mtime = dst->st_mtim;
		f->scan_racy = age < FOLLOW_RACY_NS;
		f->scan_ms = now;
		maybe_switch_dest(f);
	}
	return f->newest;
}

/* Report, once, that the file is gone or that there is none yet. */
static void note_missing(struct follower *f)
{
	if (f->cur.fd >= 0) {
		struct stat st;
		if (!f->cur.gone_noted && stat(f->cur.path, &st) < 0 && errno == ENOENT) {
			diag_note(
			    f->diag,
			    "'%s' was removed: reading what is left of it, then waiting for a "
			    "new file",
			    f->cur.path);
			f->cur.gone_noted = true;
		}
		return;
	}
	if (f->waiting_noted)
		return;
	if (f->file)
		diag_note(f->diag, "waiting for '%s' to appear", f->file);
	else if (f->pattern)
		diag_note(f->diag, "no file matching '%s' in '%s' yet: waiting", f->pattern,
			  f->dir);
	else
		diag_note(f->diag, "no %s file named in '%s' yet: waiting",
			  log_format_name(f->dest), f->clf);
	f->waiting_noted = true;
}

/*
 * Following a directory: the file written after the current one (cst), when
 * it is not the newest (want) -- two rotations (or a destination change
 * and a rotation) between two looks.  It is complete, since a newer one
 * exists, and is read before moving on.  NULL when there is none, or when
 * the current file is not one of the pattern's (another destination).
 */
static char *file_between(const struct follower *f, const struct stat *cst, const char *want,
			  bool from_clf)
{
	if (f->file || !f->pattern || !f->dir)
		return NULL;
	size_t dl = strlen(f->dir);
	if (strncmp(f->cur.path, f->dir, dl) != 0 || f->cur.path[dl] != '/')
		return NULL;
	const char *base = f->cur.path + dl + 1;
	if (fnmatch(f->pattern, base, FNM_PERIOD) != 0)
		return NULL;
	char *next = NULL;
	struct stat nst, wst;
	if (follow_scan_after(f->dir, f->pattern, &cst->st_mtim, base, &next) != 1)
		return NULL;
	/* Named by current_logfiles, which is trusted over times: a file
	 * between is one whose name sorts between too (log_filename's default
	 * sorts by time). */
	const char *nb = strrchr(next, '/'), *wb = strrchr(want, '/');
	nb = nb ? nb + 1 : next;
	wb = wb ? wb + 1 : want;
	if (from_clf && (strcmp(base, nb) >= 0 || strcmp(nb, wb) >= 0)) {
		free(next);
		return NULL;
	}
	if (stat(next, &nst) < 0 || stat(want, &wst) < 0 ||
	    (nst.st_dev == wst.st_dev && nst.st_ino == wst.st_ino) ||
	    (nst.st_dev == cst->st_dev && nst.st_ino == cst->st_ino)) {
		free(next);
		return NULL;
	}
	return next;
}

/*
 * The full check: is the directory still there, which file is current now,
 * and if it is another one, read the old one to its end and switch.
 * Returns the number of chunks delivered, or -1 (fatal).
 */
static int check_rotation(struct follower *f, follow_data_fn fn, void *ctx, int64_t now,
			  bool names_changed)
{
	struct stat dst, wst;
	const char *want;
	bool from_clf = false;

	if (stat(f->dir, &dst) < 0) {
		f->failed = true;
		if (errno == ENOENT || errno == ENOTDIR)
			return diag_error(f->diag, "directory '%s' was removed", f->dir);
		return diag_error(f->diag, "cannot access '%s': %s", f->dir, strerror(errno));
	}
	if (!S_ISDIR(dst.st_mode)) {
		f->failed = true;
		return diag_error(f->diag, "directory '%s' was replaced by a file", f->dir);
	}
	bool dir_changed = dst.st_dev != f->dir_dev || dst.st_ino != f->dir_ino;
	f->dir_dev = dst.st_dev;
	f->dir_ino = dst.st_ino;
	if (f->watch) {
		fwatch_dir(f->watch, FWS_LOG_DIR, f->dir);
		if (f->data_dir)
			fwatch_dir(f->watch, FWS_DATA_DIR, f->data_dir);
	}

	if (f->file) {
		want = f->file;
	} else {
		want = f->clf ? pick_clf(f) : NULL;
		from_clf = want != NULL;
		if (!want)
			want = pick_scan(f, &dst, now, names_changed || dir_changed);
	}
	if (!want || stat(want, &wst) < 0 || !S_ISREG(wst.st_mode)) {
		f->pending = false;
		note_missing(f);
		return 0;
	}
	if (f->cur.fd >= 0 && wst.st_dev == f->cur.dev && wst.st_ino == f->cur.ino) {
		f->pending = false;
		return 0;
	}

	int chunks = 0;
	char *between = NULL;
	if (f->cur.fd >= 0) {
		struct stat cst;
		bool have = fstat(f->cur.fd, &cst) == 0;
		if (have && (between = file_between(f, &cst, want, from_clf))) {
			want = between;
		} else if (have) {
			/* The new file is still empty and the old one still has a
			 * name: a writer may not have reopened yet, keep reading
			 * the old one.  Checked again at every poll. */
			if (cst.st_nlink > 0 && wst.st_size == 0) {
				f->pending = true;
				return 0;
			}
			/* The current file was removed and the newest left is
			 * older: that is not a rotation, do not read old logs
			 * again. */
			if (!f->file && !from_clf && ts_before(&wst.st_mtim, &cst.st_mtim)) {
				f->pending = false;
				note_missing(f);
				return 0;
			}
		}
		/* Drain the old file before leaving it. */
		chunks = read_avail(f, fn, ctx);
		if (chunks < 0 || f->backlog) {
			free(between);
			if (chunks >= 0)
				f->pending = true;
			return chunks;
		}
		if (f->file)
			diag_note(
			    f->diag,
			    "'%s' was replaced by a new file: reading the new one from the start",
			    f->file);
		else if (between)
			diag_note(f->diag,
				  "switching from '%s' to '%s' (written before the newest)",
				  f->cur.path, want);
		else
			diag_note(f->diag, "switching from '%s' to '%s'%s", f->cur.path, want,
				  from_clf ? " (current_logfiles)" : "");
		remember_cur(f);
		close_cur(f);
	} else if (f->waiting_noted) {
		diag_note(f->diag, "'%s' appeared: reading it", want);
	}
	bool was_between = between != NULL;
	int opened = open_cur(f, want, false, NULL);
	free(between);
	if (opened < 0)
		return chunks;
	/* A file between: the newest is still to come. */
	if (was_between)
		f->pending = true;
	int more = read_avail(f, fn, ctx);
	return more < 0 ? -1 : chunks + more;
}

/* Fill f's target fields from o; -1, after an error on f->diag, when o is
 * not valid. */
static int set_target(struct follower *f, const struct follow_opts *o)
{
	if (o->file && (o->log_dir || o->data_dir || o->pattern))
		return diag_error(f->diag,
				  "give one thing to follow: a file, a log directory or a pattern");
	if (o->file) {
		if (!*o->file)
			return diag_error(f->diag, "the file to follow has an empty name");
		f->file = xstrdup(o->file);
		f->dir = dir_of(o->file);
		return 0;
	}
	if (o->pattern && (o->log_dir || o->data_dir)) {
		if (strchr(o->pattern, '/'))
			return diag_error(
			    f->diag,
			    "pattern '%s' has a directory part: give it without the log directory",
			    o->pattern);
		f->pattern = xstrdup(o->pattern);
	} else if (o->pattern) {
		const char *slash = strrchr(o->pattern, '/');
		f->dir = dir_of(o->pattern);
		f->pattern = xstrdup(slash ? slash + 1 : o->pattern);
		if (!*f->pattern)
			return diag_error(f->diag, "pattern '%s' names no files", o->pattern);
		return 0;
	} else if (o->log_dir) {
		set_dest_pattern(f);
	}
	if (!o->log_dir && !o->data_dir)
		return diag_error(f->diag,
				  "nothing to follow: give a file, a log directory or a pattern");
	if (o->data_dir) {
		f->data_dir = xstrdup(o->data_dir);
		size_t n = strlen(o->data_dir);
		f->clf = xmalloc(n + sizeof("/current_logfiles"));
		memcpy(f->clf, o->data_dir, n);
		memcpy(f->clf + n, "/current_logfiles", sizeof("/current_logfiles"));
	}
	f->dir = xstrdup(o->log_dir ? o->log_dir : o->data_dir);
	return 0;
}

/* Decide the backend; -1, after an error on f->diag, when inotify was
 * required and cannot be had.  When it was only preferred, the poll backend
 * takes over without a word. */
static int set_backend(struct follower *f, const struct follow_opts *o)
{
	enum follow_backend be = o->backend;
	const char *env = getenv("PGTAIL_FOLLOW");

	if (env && strcmp(env, "poll") == 0)
		be = FOLLOW_BACKEND_POLL;
	else if (env && strcmp(env, "inotify") == 0 && be == FOLLOW_BACKEND_AUTO)
		be = FOLLOW_BACKEND_INOTIFY;
	if (be == FOLLOW_BACKEND_AUTO && fwatch_fs_is_remote(f->dir))
		be = FOLLOW_BACKEND_POLL;
	if (be == FOLLOW_BACKEND_POLL)
		return 0;
	bool required = be == FOLLOW_BACKEND_INOTIFY;
	f->watch = fwatch_new(required ? f->diag : NULL);
	if (f->watch && fwatch_dir(f->watch, FWS_LOG_DIR, f->dir) < 0) {
		if (required)
			diag_error(f->diag, "cannot watch '%s': %s", f->dir, strerror(errno));
		fwatch_free(f->watch);
		f->watch = NULL;
	}
	if (!f->watch && required)
		return -1;
	if (f->watch && f->data_dir)
		fwatch_dir(f->watch, FWS_DATA_DIR, f->data_dir);
	return 0;
}

struct follower *follower_new(const struct follow_opts *o)
{
	struct follower *f = xcalloc(1, sizeof(*f));
	struct stat st;

	f->cur.fd = -1;
	f->dest = o->dest == LOGFMT_AUTO ? LOGFMT_STDERR : o->dest;
	f->diag = o->diag;
	f->buf = xmalloc(FOLLOW_BUFSZ);
	if (set_target(f, o) < 0)
		goto fail;
	if (stat(f->dir, &st) < 0) {
		diag_error(f->diag, "cannot follow '%s': %s", f->dir, strerror(errno));
		goto fail;
	}
	if (!S_ISDIR(st.st_mode)) {
		diag_error(f->diag, "cannot follow '%s': not a directory", f->dir);
		goto fail;
	}
	f->dir_dev = st.st_dev;
	f->dir_ino = st.st_ino;
	if (f->file && stat(f->file, &st) == 0 && S_ISDIR(st.st_mode)) {
		diag_error(f->diag, "'%s' is a directory: follow it as a log directory", f->file);
		goto fail;
	}
	if (set_backend(f, o) < 0)
		goto fail;

	int64_t now = clock_mono_ms();
	const char *want = f->file;
	if (!want && f->clf)
		want = pick_clf(f);
	if (!want) {
		struct stat dst;
		if (stat(f->dir, &dst) == 0)
			want = pick_scan(f, &dst, now, true);
	}
	if (!want || stat(want, &st) < 0 || open_cur(f, want, true, o) < 0)
		note_missing(f);
	f->full_ms = now;
	return f;
fail:
	follower_free(f);
	return NULL;
}

void follower_free(struct follower *f)
{
	if (!f)
		return;
	if (f->cur.fd >= 0)
		close(f->cur.fd);
	free(f->cur.path);
	fwatch_free(f->watch);
	free(f->file);
	free(f->dir);
	free(f->pattern);
	free(f->data_dir);
	free(f->clf);
	free(f->clf_target);
	free(f->newest);
	free(f->open_failed);
	free(f->buf);
	free(f);
}

int follower_fd(const struct follower *f)
{
	return f->watch ? fwatch_fd(f->watch) : -1;
}

int follower_timeout_ms(const struct follower *f)
{
	if (f->backlog)
		return 0;
	if (!f->watch)
		return FOLLOW_POLL_MS;
	int64_t left = f->full_ms + FOLLOW_SAFETY_MS - clock_mono_ms();
	if (left < 0)
		return 0;
	return left > FOLLOW_SAFETY_MS ? FOLLOW_SAFETY_MS : (int)left;
}

int follower_poll(struct follower *f, follow_data_fn fn, void *ctx)
{
	if (f->failed)
		return -1;
	unsigned ev = f->watch ? fwatch_drain(f->watch) : 0;
	int64_t now = clock_mono_ms();
	/* With inotify, a write only needs a read; anything else (and the
	 * periodic safety check) looks at the names too.  Polling always
	 * looks at everything. */
	bool full =
	    !f->watch || (ev & FW_NAMES) || f->pending || now - f->full_ms >= FOLLOW_SAFETY_MS;

	f->budget = FOLLOW_MAX_PER_POLL;
	f->backlog = false;
	int n = read_avail(f, fn, ctx);
	if (n < 0)
		return -1;
	if (full && !f->backlog) {
		f->full_ms = now;
		int m = check_rotation(f, fn, ctx, now, (ev & FW_NAMES) != 0);
		if (m < 0)
			return -1;
		n += m;
	}
	return n;
}

const char *follower_current(const struct follower *f, uint64_t *off)
{
	if (off)
		*off = f->cur.fd >= 0 ? f->cur.off : 0;
	return f->cur.fd >= 0 ? f->cur.path : NULL;
}

int follower_reopen_current(const struct follower *f)
{
	return f->cur.fd < 0 ? -1 : fdio_reopen(f->cur.fd);
}

const char *follower_backend_name(const struct follower *f)
{
	return f->watch ? "inotify" : "poll";
}
