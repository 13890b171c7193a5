/* SPDX-License-Identifier: PostgreSQL */
/*
 * Unit tests for the follower: every rotation case, on both backends.
 * Each test writes with write(2) into a fresh temporary directory and then
 * polls the follower, with a deadline, until the expected bytes arrived;
 * no test sleeps a fixed time.  The bytes must arrive exactly once and in
 * order, and chunk offsets must be contiguous within each file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "source/follow.h"
#include "util/out.h"
#include "util/sbuf.h"

/* Longest wait for expected bytes; generous for loaded CI machines. */
#define DEADLINE_MS 5000

struct got {
	struct sbuf data; /* every byte delivered, in order */
	struct out diag;  /* the follower's notes and errors, into diag_text */
	char *diag_text;  /* open_memstream's; read through notices() */
	size_t diag_len;
	int chunks;
	int new_files;     /* chunks flagged new_file */
	char path[512];    /* the file of the last chunk */
	uint64_t next_off; /* where the next chunk of that file must start */
};

struct ctx {
	enum follow_backend backend;
	char dir[64];
	struct got g;
	struct follower *f;
};

static void on_chunk(void *p, const struct follow_chunk *c)
{
	struct got *g = p;
	assert_true(c->len > 0);
	if (!c->new_file) {
		/* Contiguous with the previous chunk of the same file. */
		assert_string_equal(c->path, g->path);
		assert_int_equal(c->offset, g->next_off);
	} else {
		g->new_files++;
	}
	snprintf(g->path, sizeof(g->path), "%s", c->path);
	g->next_off = c->offset + c->len;
	assert_int_equal(sbuf_add(&g->data, c->data, c->len), 0);
	g->chunks++;
}

/* What the follower said so far, one "pgtail: ..." line each. */
static const char *notices(struct got *g)
{
	fflush(g->diag.fp);
	return g->diag_text;
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static enum follow_backend inotify_backend = FOLLOW_BACKEND_INOTIFY;
static enum follow_backend poll_backend = FOLLOW_BACKEND_POLL;

static int setup(void **state)
{
	struct ctx *c = calloc(1, sizeof(*c));
	c->backend = *(enum follow_backend *)*state;
	snprintf(c->dir, sizeof(c->dir), "/tmp/pgtail-follow-XXXXXX");
	assert_non_null(mkdtemp(c->dir));
	sbuf_init(&c->g.data, 0);
	c->g.diag.fp = open_memstream(&c->g.diag_text, &c->g.diag_len);
	assert_non_null(c->g.diag.fp);
	c->g.diag.color = false;
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;
	char cmd[128];
	follower_free(c->f);
	sbuf_release(&c->g.data);
	fclose(c->g.diag.fp);
	free(c->g.diag_text);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", c->dir);
	int rc = system(cmd);
	free(c);
	return rc;
}

/* dir/name, in one of a few rotating buffers. */
static const char *P(struct ctx *c, const char *name)
{
	static char bufs[8][256];
	static int n;
	char *b = bufs[n++ % 8];
	snprintf(b, 256, "%s/%s", c->dir, name);
	return b;
}

static void write_str(int fd, const char *s)
{
	size_t len = strlen(s);
	assert_int_equal(write(fd, s, len), (ssize_t)len);
}

/* Append s to path (created when missing) with one write(2). */
static void append(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600);
	assert_true(fd >= 0);
	write_str(fd, s);
	close(fd);
}

/* Replace path atomically with content s, as PostgreSQL writes
 * current_logfiles (via a .tmp file and rename). */
static void replace_file(const char *path, const char *s)
{
	char tmp[300];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	unlink(tmp);
	append(tmp, s);
	assert_int_equal(rename(tmp, path), 0);
}

/* Set path's modification time to now + secs (to order files without
 * waiting for the clock). */
static void touch_ahead(const char *path, int secs)
{
	struct timespec ts[2];
	clock_gettime(CLOCK_REALTIME, &ts[0]);
	ts[0].tv_sec += secs;
	ts[1] = ts[0];
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static void start(struct ctx *c, struct follow_opts o)
{
	o.backend = c->backend;
	o.diag = &c->g.diag;
	c->f = follower_new(&o);
	if (!c->f)
		fail_msg("follower_new: %s", notices(&c->g));
	assert_string_equal(follower_backend_name(c->f),
			    c->backend == FOLLOW_BACKEND_POLL ? "poll" : "inotify");
}

/* Wait as the caller's event loop would, then poll once.  Returns what
 * follower_poll returned. */
static int step(struct ctx *c)
{
	struct pollfd pfd = {.fd = follower_fd(c->f), .events = POLLIN};
	poll(&pfd, pfd.fd >= 0 ? 1 : 0, follower_timeout_ms(c->f));
	return follower_poll(c->f, on_chunk, &c->g);
}

/* Poll until everything delivered so far is exactly want (bounded). */
static void expect(struct ctx *c, const char *want)
{
	size_t n = strlen(want);
	int64_t deadline = mono_ms() + DEADLINE_MS;
	while (c->g.data.len < n && mono_ms() < deadline)
		assert_true(step(c) >= 0);
	if (c->g.data.len != n || memcmp(c->g.data.buf, want, n) != 0)
		fail_msg("delivered %zu bytes:\n[%s]\nexpected %zu:\n[%s]\nnotices:\n%s",
			 c->g.data.len, c->g.data.buf, n, want, notices(&c->g));
}

/* Let a full check run (periodic with inotify), and make sure nothing
 * more arrives: no byte is delivered twice. */
static void expect_settled(struct ctx *c, const char *want)
{
	expect(c, want);
	int64_t until = mono_ms() + FOLLOW_SAFETY_MS + 50;
	while (mono_ms() < until)
		assert_true(step(c) >= 0);
	expect(c, want);
}

static void expect_notice(struct ctx *c, const char *part)
{
	if (!strstr(notices(&c->g), part))
		fail_msg("no notice with '%s'; notices:\n%s", part, notices(&c->g));
}

/* ---- one file ---- */

static void test_append_partial_lines(void **state)
{
	struct ctx *c = *state;
	const char *log = P(c, "postgresql.log");
	append(log, "before\n");
	start(c, (struct follow_opts){.file = log});
	assert_int_equal(follower_poll(c->f, on_chunk, &c->g), 0);
	append(log, "abc");
	expect(c, "abc");
	append(log, "def\nghi\n");
	expect_settled(c, "abcdef\nghi\n");
	assert_int_equal(c->g.new_files, 1);
	assert_string_equal(follower_current(c->f, NULL), log);
}

/* The file followed, opened again: its own bytes, even once its name is
 * another file's. */
static void test_reopen_current(void **state)
{
	struct ctx *c = *state;
	const char *log = P(c, "postgresql.log");
	char buf[64];
	append(log, "old file\n");
	start(c, (struct follow_opts){.file = log, .start = FOLLOW_START_OFFSET});
	expect(c, "old file\n");
	assert_int_equal(rename(log, P(c, "postgresql.log.1")), 0);
	append(log, "a new file by the old name\n");
	int fd = follower_reopen_current(c->f);
	assert_true(fd >= 0);
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	assert_int_equal(n, 9);
	buf[n] = '\0';
	assert_string_equal(buf, "old file\n");
}

static void test_start_end_unfinished_line(void **state)
{
	struct ctx *c = *state;
	const char *log = P(c, "postgresql.log");
	append(log, "line one\nhalf a li");
	start(c, (struct follow_opts){.file = log});
	append(log, "ne\n");
	expect_settled(c, "half a line\n");
}

static void test_start_offset(void **state)
{
	struct ctx *c = *state;
	const char *log = P(c, "postgresql.log");
	append(log, "0123456789\n");
	start(c, (struct follow_opts){.file = log, .start = FOLLOW_START_OFFSET, .offset = 4});
	expect(c, "456789\n");
	append(log, "x\n");
	expect_settled(c, "456789\nx\n");
}

static void test_start_offset_past_end(void **state)
{
	struct ctx *c = *state;
	const char *log = P(c, "postgresql.log");
	append(log, "short\n");
	start(c, (struct follow_opts){.file = log, .start = FOLLOW_START_OFFSET, .offset = 1000});
	expect_settled(c, "short\n");
	expect_notice(c, "shorter than offset 1000");
}

static void test_large_append(void **state)
{
	struct ctx *c = *state;
	const char *log = P(c, "postgresql.log");
	static char big[700 * 1024 + 1];
	for (size_t i = 0; i < sizeof(big) - 1; i++)
		big[i] = i % 61 == 60 ? '\n' : (char)('a' + (i * 7) % 26);
	big[sizeof(big) - 1] = '\0';
	append(log, "");
	start(c, (struct follow_opts){.file = log, .start = FOLLOW_START_OFFSET});
	int fd = open(log, O_WRONLY | O_APPEND);
	for (size_t off = 0; off < sizeof(big) - 1; off += 100000) {
		size_t n = sizeof(big) - 1 - off < 100000 ? sizeof(big) - 1 - off : 100000;
		assert_int_equal(write(fd, big + off, n), (ssize_t)n);
	}
	close(fd);
	expect_settled(c, big);
}

static void test_waits_for_file(void **state)
{
	struct ctx *c = *state;
	const char *log = P(c, "postgresql.log");
	start(c, (struct follow_opts){.file = log});
	expect_notice(c, "waiting for");
	assert_null(follower_current(c->f, NULL));
	/* A file that appears later is read from its start. */
	append(log, "first\n");
	expect_settled(c, "first\n");
}

/* (3) copytruncate: the writer keeps its O_APPEND descriptor. */
static void test_copytruncate(void **state)
{
	struct ctx *c = *state;
	const char *log = P(c, "postgresql.log");
	int w = open(log, O_WRONLY | O_APPEND | O_CREAT, 0600);
	start(c, (struct follow_opts){.file = log});
	write_str(w, "aaaa\n");
	expect(c, "aaaa\n");
	write_str(w, "bbbb\n");
	expect(c, "aaaa\nbbbb\n");
	assert_int_equal(truncate(log, 0), 0);
	write_str(w, "cc\n");
	expect(c, "aaaa\nbbbb\ncc\n");
	expect_notice(c, "truncated (copytruncate)");
	assert_int_equal(c->g.new_files, 2);
	close(w);
}

/* (3) copytruncate, then more written than was there before, all before
 * the follower looked: the size alone cannot tell, the bytes can. */
static void test_truncate_and_refill(void **state)
{
	struct ctx *c = *state;
	const char *log = P(c, "postgresql.log");
	int w = open(log, O_WRONLY | O_APPEND | O_CREAT, 0600);
	start(c, (struct follow_opts){.file = log});
	write_str(w, "first line\n");
	expect(c, "first line\n");
	assert_int_equal(truncate(log, 0), 0);
	write_str(w, "a much longer second line\n");
	expect_settled(c, "first line\na much longer second line\n");
	expect_notice(c, "truncated and written again");
	close(w);
}

/* (4) rename-and-recreate, without a poll in between: the old file is
 * drained (including what its writer added after the rename). */
static void test_rename_recreate(void **state)
{
	struct ctx *c = *state;
	const char *log = P(c, "postgresql.log");
	int w = open(log, O_WRONLY | O_APPEND | O_CREAT, 0600);
	start(c, (struct follow_opts){.file = log});
	write_str(w, "A\n");
	expect(c, "A\n");
	write_str(w, "B\n");
	assert_int_equal(rename(log, P(c, "postgresql.log.1")), 0);
	write_str(w, "C\n");
	close(w);
	append(log, "D\n");
	expect_settled(c, "A\nB\nC\nD\n");
	assert_string_equal(c->g.path, log);
	assert_int_equal(c->g.new_files, 2);
	expect_notice(c, "replaced by a new file");
}

/* (4) while the new file is empty the old one stays current, so a writer
 * that has not reopened yet loses nothing. */
static void test_rename_recreate_late_writer(void **state)
{
	struct ctx *c = *state;
	const char *log = P(c, "postgresql.log");
	int w = open(log, O_WRONLY | O_APPEND | O_CREAT, 0600);
	start(c, (struct follow_opts){.file = log});
	write_str(w, "A\n");
	expect(c, "A\n");
	assert_int_equal(rename(log, P(c, "postgresql.log.1")), 0);
	append(log, "");
	expect_settled(c, "A\n");
	write_str(w, "late\n");
	expect(c, "A\nlate\n");
	close(w);
	append(log, "new\n");
	expect_settled(c, "A\nlate\nnew\n");
}

/* (6) removed and not recreated: what the writer still appends is read;
 * then a new file with the name is followed from its start. */
static void test_deleted(void **state)
{
	struct ctx *c = *state;
	const char *log = P(c, "postgresql.log");
	int w = open(log, O_WRONLY | O_APPEND | O_CREAT, 0600);
	start(c, (struct follow_opts){.file = log});
	write_str(w, "A\n");
	expect(c, "A\n");
	assert_int_equal(unlink(log), 0);
	write_str(w, "B\n");
	expect_settled(c, "A\nB\n");
	expect_notice(c, "was removed");
	write_str(w, "C\n");
	close(w);
	append(log, "D\n");
	expect_settled(c, "A\nB\nC\nD\n");
}

static void test_dir_removed_is_fatal(void **state)
{
	struct ctx *c = *state;
	char cmd[128];
	mkdir(P(c, "log"), 0700);
	append(P(c, "log/postgresql-1.log"), "x\n");
	start(c, (struct follow_opts){.log_dir = P(c, "log")});
	snprintf(cmd, sizeof(cmd), "rm -rf '%s/log'", c->dir);
	assert_int_equal(system(cmd), 0);
	int64_t deadline = mono_ms() + DEADLINE_MS;
	int rc = 0;
	while (rc >= 0 && mono_ms() < deadline)
		rc = step(c);
	assert_int_equal(rc, -1);
	/* The error, not the note about the file: "directory '...' was removed". */
	assert_non_null(strstr(notices(&c->g), "' was removed\n"));
	size_t said = c->g.diag_len;
	assert_int_equal(follower_poll(c->f, on_chunk, &c->g), -1);
	notices(&c->g);
	assert_int_equal(c->g.diag_len, said); /* said once */
}

/* ---- a log directory ---- */

/* (1) and (5): a newer file appears (rotation, or the collector starting
 * again with the server); the old one is drained first. */
static void test_dir_new_file(void **state)
{
	struct ctx *c = *state;
	mkdir(P(c, "log"), 0700);
	const char *f1 = P(c, "log/postgresql-2026-01-01_000000.log");
	append(f1, "old\n");
	append(P(c, "log/postgresql-2026-01-01_000000.csv"), "csv,old\n");
	start(c, (struct follow_opts){.log_dir = P(c, "log")});
	append(f1, "a1\n");
	expect(c, "a1\n");
	append(f1, "a2\n");
	const char *f2 = P(c, "log/postgresql-2026-01-01_010000.log");
	append(f2, "b1\n");
	append(P(c, "log/postgresql-2026-01-01_010000.csv"), "csv,new\n");
	expect(c, "a1\na2\nb1\n");
	assert_string_equal(c->g.path, f2);
	/* The server restarts: a new file again. */
	append(P(c, "log/postgresql-2026-01-01_020000.log"), "c1\n");
	expect_settled(c, "a1\na2\nb1\nc1\n");
	assert_int_equal(c->g.new_files, 3);
	expect_notice(c, "switching from");
}

/* Two rotations between two looks: the file in the middle is read too, and
 * the newest, still empty, waits. */
static void test_dir_two_rotations(void **state)
{
	struct ctx *c = *state;
	mkdir(P(c, "log"), 0700);
	append(P(c, "log/p-1.log"), "old\n");
	start(c, (struct follow_opts){.log_dir = P(c, "log")});
	append(P(c, "log/p-1.log"), "a\n");
	expect(c, "a\n");
	append(P(c, "log/p-2.log"), "b\n");
	touch_ahead(P(c, "log/p-2.log"), 1);
	append(P(c, "log/p-3.log"), "");
	touch_ahead(P(c, "log/p-3.log"), 2);
	expect_settled(c, "a\nb\n");
	expect_notice(c, "written before the newest");
	append(P(c, "log/p-3.log"), "c\n");
	touch_ahead(P(c, "log/p-3.log"), 2);
	expect_settled(c, "a\nb\nc\n");
	assert_string_equal(c->g.path, P(c, "log/p-3.log"));
}

static void test_dir_csvlog(void **state)
{
	struct ctx *c = *state;
	mkdir(P(c, "log"), 0700);
	append(P(c, "log/postgresql-1.log"), "text\n");
	append(P(c, "log/postgresql-1.csv"), "");
	start(c, (struct follow_opts){.log_dir = P(c, "log"), .dest = LOGFMT_CSV});
	append(P(c, "log/postgresql-1.log"), "more text\n");
	append(P(c, "log/postgresql-1.csv"), "a,b\n");
	expect(c, "a,b\n");
	append(P(c, "log/postgresql-2.log"), "text\n");
	append(P(c, "log/postgresql-2.csv"), "c,d\n");
	expect_settled(c, "a,b\nc,d\n");
}

static void test_pattern(void **state)
{
	struct ctx *c = *state;
	append(P(c, "pg-1.log"), "one\n");
	append(P(c, "other.log"), "");
	start(c, (struct follow_opts){.pattern = P(c, "pg-*.log")});
	append(P(c, "pg-1.log"), "1\n");
	append(P(c, "other.log"), "not this\n");
	expect(c, "1\n");
	append(P(c, "pg-2.log"), "2\n");
	expect_settled(c, "1\n2\n");
}

/* (2) current_logfiles is trusted over modification times. */
static void test_current_logfiles(void **state)
{
	struct ctx *c = *state;
	mkdir(P(c, "log"), 0700);
	append(P(c, "log/a.log"), "old\n");
	append(P(c, "log/zz-newer.log"), "");
	touch_ahead(P(c, "log/zz-newer.log"), 5);
	replace_file(P(c, "current_logfiles"), "stderr log/a.log\ncsvlog log/a.csv\n");
	start(c, (struct follow_opts){.log_dir = P(c, "log"), .data_dir = c->dir});
	append(P(c, "log/a.log"), "1\n");
	append(P(c, "log/zz-newer.log"), "not this\n");
	expect(c, "1\n");
	/* pg_rotate_logfile(): the new file first, then current_logfiles. */
	append(P(c, "log/a.log"), "2\n");
	append(P(c, "log/b.log"), "3\n");
	replace_file(P(c, "current_logfiles"), "stderr log/b.log\ncsvlog log/b.csv\n");
	expect(c, "1\n2\n3\n");
	/* An absolute path works too. */
	append(P(c, "log/c.log"), "4\n");
	char line[512];
	snprintf(line, sizeof(line), "stderr %s\n", P(c, "log/c.log"));
	replace_file(P(c, "current_logfiles"), line);
	expect_settled(c, "1\n2\n3\n4\n");
	expect_notice(c, "(current_logfiles)");
}

/* (5) the server restarts: the postmaster removes current_logfiles, the
 * collector opens a new file and writes current_logfiles again. */
static void test_current_logfiles_restart(void **state)
{
	struct ctx *c = *state;
	mkdir(P(c, "log"), 0700);
	append(P(c, "log/pg-1.log"), "");
	replace_file(P(c, "current_logfiles"), "stderr log/pg-1.log\n");
	start(c, (struct follow_opts){.log_dir = P(c, "log"), .data_dir = c->dir});
	append(P(c, "log/pg-1.log"), "1\n");
	expect(c, "1\n");
	append(P(c, "log/pg-1.log"), "shutdown\n");
	assert_int_equal(unlink(P(c, "current_logfiles")), 0);
	expect(c, "1\nshutdown\n");
	append(P(c, "log/pg-2.log"), "startup\n");
	replace_file(P(c, "current_logfiles"), "stderr log/pg-2.log\n");
	append(P(c, "log/pg-2.log"), "ready\n");
	expect_settled(c, "1\nshutdown\nstartup\nready\n");
}

/* A file left, and current again later, goes on where it was left. */
static void test_dir_back_and_forth(void **state)
{
	struct ctx *c = *state;
	mkdir(P(c, "log"), 0700);
	const char *f1 = P(c, "log/pg-1.log"), *f2 = P(c, "log/pg-2.log");
	append(f1, "");
	start(c, (struct follow_opts){.log_dir = P(c, "log")});
	append(f1, "a\n");
	expect(c, "a\n");
	append(f2, "b\n");
	expect(c, "a\nb\n");
	append(f1, "c\n");
	touch_ahead(f1, 10);
	expect(c, "a\nb\nc\n");
	append(f2, "d\n");
	touch_ahead(f2, 20);
	expect_settled(c, "a\nb\nc\nd\n");
	expect_notice(c, "going on from byte 2");
}

/* ---- backends ---- */

static void test_backend_choice(void **state)
{
	struct ctx *c = *state;
	const char *log = P(c, "postgresql.log");
	append(log, "");
	start(c, (struct follow_opts){.file = log});
	if (c->backend == FOLLOW_BACKEND_POLL) {
		assert_int_equal(follower_fd(c->f), -1);
		assert_int_equal(follower_timeout_ms(c->f), FOLLOW_POLL_MS);
	} else {
		assert_true(follower_fd(c->f) >= 0);
		assert_true(follower_timeout_ms(c->f) <= FOLLOW_SAFETY_MS);
	}
	/* The hidden switch forces polling whatever the options say. */
	setenv("PGTAIL_FOLLOW", "poll", 1);
	struct follower *f2 =
	    follower_new(&(struct follow_opts){.file = log, .backend = c->backend});
	unsetenv("PGTAIL_FOLLOW");
	assert_non_null(f2);
	assert_int_equal(follower_fd(f2), -1);
	assert_string_equal(follower_backend_name(f2), "poll");
	follower_free(f2);
}

static void test_bad_options(void **state)
{
	struct ctx *c = *state;
	struct out *d = &c->g.diag;
	assert_null(follower_new(&(struct follow_opts){.diag = d}));
	assert_non_null(strstr(notices(&c->g), "nothing to follow"));
	assert_null(follower_new(&(struct follow_opts){.file = "x", .log_dir = c->dir, .diag = d}));
	assert_non_null(strstr(notices(&c->g), "give one thing to follow"));
	assert_null(follower_new(&(struct follow_opts){.log_dir = P(c, "missing"), .diag = d}));
	assert_non_null(strstr(notices(&c->g), "No such file"));
	assert_null(follower_new(&(struct follow_opts){.file = c->dir, .diag = d}));
	assert_non_null(strstr(notices(&c->g), "is a directory"));
	/* Each refusal is one error, and nothing else was said. */
	assert_int_equal(d->errors, 4);
	assert_int_equal(d->warnings + d->notes, 0);
}

#define BOTH(fn)                                                                                   \
	cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, &inotify_backend),           \
	    cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, &poll_backend)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    BOTH(test_append_partial_lines),
	    BOTH(test_reopen_current),
	    BOTH(test_start_end_unfinished_line),
	    BOTH(test_start_offset),
	    BOTH(test_start_offset_past_end),
	    BOTH(test_large_append),
	    BOTH(test_waits_for_file),
	    BOTH(test_copytruncate),
	    BOTH(test_truncate_and_refill),
	    BOTH(test_rename_recreate),
	    BOTH(test_rename_recreate_late_writer),
	    BOTH(test_deleted),
	    BOTH(test_dir_removed_is_fatal),
	    BOTH(test_dir_new_file),
	    BOTH(test_dir_two_rotations),
	    BOTH(test_dir_csvlog),
	    BOTH(test_pattern),
	    BOTH(test_current_logfiles),
	    BOTH(test_current_logfiles_restart),
	    BOTH(test_dir_back_and_forth),
	    BOTH(test_backend_choice),
	    BOTH(test_bad_options),
	};
	unsetenv("PGTAIL_FOLLOW");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
