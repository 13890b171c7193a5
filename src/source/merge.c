/* SPDX-License-Identifier: PostgreSQL */
/* Several destinations' files read as one stream in time order; see merge.h. */
#include "source/merge.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source/feed.h"
#include "source/held.h"
#include "source/input.h"
#include "util/diag.h"
#include "util/hash.h"
#include "util/hashmap.h"
#include "util/xalloc.h"

#define BLOCK (64u << 10) /* bytes read from a source at a time */
#define TWIN_MS 1000      /* two destinations' copies of a record are this close */
#define KEEP_MS 2000      /* keys kept this long in log time */

/* One destination: its sources read one after the other. */
struct stream {
	enum log_format fmt;
	const struct merge_src **src;
	size_t nsrc, next;
	/* the source being read (cur NULL: none open) */
	const struct merge_src *cur;
	struct input *in;
	uint64_t off;
	struct feed *feed;
	/* the records of the last block, in file order */
	struct held *q;
	size_t qhead, qn, qcap;
	struct held_arena arena;
	int64_t last_ts; /* the newest timestamp delivered from here */
	bool done;
};

/* The keys of the records delivered in the last KEEP_MS, oldest first. */
struct recent {
	int64_t kmsg; /* key_of without the pid */
	int64_t kpid; /* key_of with it, when the pid is known */
	int64_t ts;
	int64_t pid;
	enum log_format fmt;
};

struct merge {
	struct stream *s;
	size_t ns;
	const struct reader_opts *ro;
	struct reader_stats *st;
	struct merge_out *mo;
	char *buf;
	struct recent *ring;
	size_t rhead, rn, rcap;
	struct hashmap keys; /* kmsg and kpid -> ring slot of the newest record */
};

static void hold(void *ctx, const struct pg_entry *e)
{
	struct stream *s = ctx;
	if (s->qn == s->qcap) {
		s->qcap = s->qcap ? 2 * s->qcap : 256;
		s->q = xreallocarray(s->q, s->qcap, sizeof(*s->q));
	}
	held_put(&s->q[s->qn++], e, &s->arena);
}

/* Close the source being read; failed: it could not be read to the end. */
static void close_cur(struct merge *mg, struct stream *s, bool failed)
{
	feed_finish(s->feed);
	feed_free(s->feed);
	s->feed = NULL;
	if (s->in)
		input_close(s->in);
	s->in = NULL;
	if (failed) {
		mg->st->failed_files++;
		mg->mo->failed++;
	}
	s->cur = NULL;
}

/* Open the stream's next source; false when there is none left. */
static bool open_next(struct merge *mg, struct stream *s)
{
	while (s->next < s->nsrc) {
		const struct merge_src *m = s->src[s->next++];
		const char *name = m->path;
		if (m->fd < 0) {
			s->in = input_open(m->path, mg->ro->err);
			if (!s->in) {
				mg->st->failed_files++;
				mg->mo->failed++;
				continue;
			}
			name = input_name(s->in);
		}
		s->feed = feed_new(name, mg->ro, false, hold, s, mg->st);
		if (!s->feed) {
			if (s->in)
				input_close(s->in);
			s->in = NULL;
			mg->st->failed_files++;
			mg->mo->failed++;
			continue;
		}
		mg->st->files++;
		s->cur = m;
		s->off = m->from;
		return true;
	}
	return false;
}

/* Read one block of the stream into its queue. */
static void step(struct merge *mg, struct stream *s)
{
	if (!s->cur && !open_next(mg, s)) {
		s->done = true;
		return;
	}
	const struct merge_src *m = s->cur;
	ssize_t n;
	if (s->in) {
		n = input_read(s->in, mg->buf, BLOCK, mg->ro->err);
		if (n == 0 && input_truncated(s->in))
			diag_warn(mg->ro->err,
				  "'%s' was truncated while being read: its last lines may be "
				  "missing",
				  input_name(s->in));
	} else {
		size_t want = m->to - s->off < BLOCK ? (size_t)(m->to - s->off) : BLOCK;
		do
			n = want ? pread(m->fd, mg->buf, want, (off_t)s->off) : 0;
		while (n < 0 && errno == EINTR);
		if (n > 0)
			s->off += (uint64_t)n;
		else if (s->off < m->to) {
			/* Gone since it was read live: count what is missing. */
			mg->mo->lost_bytes += m->to - s->off;
			mg->mo->lost_srcs++;
			n = 0;
		}
	}
	if (n > 0)
		feed_push(s->feed, mg->buf, (size_t)n);
	else
		close_cur(mg, s, n < 0);
}

/* Refill an emptied queue: read until a record comes or the stream ends. */
static void refill(struct merge *mg, struct stream *s)
{
	s->qhead = s->qn = 0;
	s->arena.len = 0;
	while (s->qn == 0 && !s->done)
		step(mg, s);
}

/* A record's key: its message's first line (all stderr holds of it), and
 * with_pid its process too. */
static int64_t key_of(const struct pg_entry *e, bool with_pid)
{
	const char *p = e->message.p;
	size_t n = e->message.len;
	const char *nl = n ? memchr(p, '\n', n) : NULL;
	if (nl)
		n = (size_t)(nl - p);
	uint64_t h = hash_bytes(p, n);
	if (with_pid)
		h = hash_mix(h, (uint64_t)e->pid);
	int64_t k = (int64_t)h;
	return k == HM_EMPTY || k == HM_TOMB ? 0 : k;
}

static void put_keys(struct merge *mg, size_t slot)
{
	const struct recent *r = &mg->ring[slot];
	hashmap_put(&mg->keys, r->kmsg, (uint32_t)slot);
	if (r->pid != PID_UNKNOWN)
		hashmap_put(&mg->keys, r->kpid, (uint32_t)slot);
}

static void forget(struct merge *mg, int64_t key, size_t slot)
{
	uint32_t at;
	if (hashmap_get(&mg->keys, key, &at) && at == slot)
		hashmap_del(&mg->keys, key);
}

/* Does key lead to another destination's copy of e?  pid_unknown: only
 * one whose process is not named (a stderr prefix without %p). */
static bool match(const struct merge *mg, int64_t key, const struct pg_entry *e,
		  enum log_format fmt, bool pid_unknown)
{
	uint32_t slot;
	if (!hashmap_get(&mg->keys, key, &slot))
		return false;
	const struct recent *r = &mg->ring[slot];
	int64_t d = e->ts_ms - r->ts;
	if (pid_unknown && r->pid != PID_UNKNOWN)
		return false;
	return r->fmt != fmt && d < TWIN_MS && d > -TWIN_MS;
}

/* Is e the copy of a record another destination delivered a moment ago?
 * Otherwise remember it. */
static bool is_twin(struct merge *mg, const struct pg_entry *e, enum log_format fmt)
{
	if (e->ts_ms == TS_UNKNOWN)
		return false;
	while (mg->rn && mg->ring[mg->rhead].ts < e->ts_ms - KEEP_MS) {
		const struct recent *r = &mg->ring[mg->rhead];
		forget(mg, r->kmsg, mg->rhead);
		if (r->pid != PID_UNKNOWN)
			forget(mg, r->kpid, mg->rhead);
		mg->rhead = (mg->rhead + 1) & (mg->rcap - 1);
		mg->rn--;
	}
	int64_t kmsg = key_of(e, false), kpid = 0;
	if (e->pid != PID_UNKNOWN) {
		kpid = key_of(e, true);
		if (match(mg, kpid, e, fmt, false) || match(mg, kmsg, e, fmt, true))
			return true;
	} else if (match(mg, kmsg, e, fmt, false)) {
		return true;
	}
	if (mg->rn == mg->rcap) {
		size_t cap = mg->rcap ? 2 * mg->rcap : 1024;
		struct recent *v = xcalloc(cap, sizeof(*v));
		for (size_t i = 0; i < mg->rn; i++)
			v[i] = mg->ring[(mg->rhead + i) & (mg->rcap - 1)];
		free(mg->ring);
		mg->ring = v;
		mg->rcap = cap;
		mg->rhead = 0;
		hashmap_release(&mg->keys);
		hashmap_init(&mg->keys);
		for (size_t i = 0; i < mg->rn; i++)
			put_keys(mg, i);
	}
	size_t at = (mg->rhead + mg->rn++) & (mg->rcap - 1);
	mg->ring[at] =
	    (struct recent){.kmsg = kmsg, .kpid = kpid, .ts = e->ts_ms, .pid = e->pid, .fmt = fmt};
	put_keys(mg, at);
	return false;
}

/* The time a stream's next record sorts by: its own, or (without one)
 * that of the record before it in its file. */
static int64_t head_ts(const struct stream *s)
{
	int64_t ts = s->q[s->qhead].e.ts_ms;
	return ts != TS_UNKNOWN ? ts : s->last_ts;
}

/* The order of preference between destinations of the same events. */
static int rank(enum log_format f)
{
	return f == LOGFMT_CSV ? 0 : f == LOGFMT_JSON ? 1 : 2;
}

int merge_run(const struct merge_src *src, size_t n, const struct reader_opts *ro,
	      reader_entry_fn fn, void *ctx, struct reader_stats *st, struct merge_out *mo)
{
	struct merge_out dummy;
	struct merge mg = {.ro = ro, .st = st, .mo = mo ? mo : &dummy};
	memset(mg.mo, 0, sizeof(*mg.mo));
	hashmap_init(&mg.keys);
	mg.buf = xmalloc(BLOCK);
	mg.s = xcalloc(n ? n : 1, sizeof(*mg.s));

	/* One stream per destination, the better destinations first (they win
	 * a tie), each with its sources in the order given. */
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		while (k < mg.ns && mg.s[k].fmt != src[i].fmt)
			k++;
		if (k == mg.ns) {
			mg.s[mg.ns].fmt = src[i].fmt;
			mg.s[mg.ns].src = xcalloc(n, sizeof(*mg.s[k].src));
			mg.s[mg.ns].last_ts = TS_UNKNOWN;
			mg.ns++;
		}
		mg.s[k].src[mg.s[k].nsrc++] = &src[i];
	}
	for (size_t a = 1; a < mg.ns; a++)
		for (size_t b = a; b > 0 && rank(mg.s[b].fmt) < rank(mg.s[b - 1].fmt); b--) {
			struct stream t = mg.s[b];
			mg.s[b] = mg.s[b - 1];
			mg.s[b - 1] = t;
		}
	for (size_t k = 0; k < mg.ns; k++)
		refill(&mg, &mg.s[k]);

	for (;;) {
		struct stream *best = NULL;
		for (size_t k = 0; k < mg.ns; k++) {
			struct stream *s = &mg.s[k];
			if (s->qhead == s->qn)
				continue;
			if (!best || head_ts(s) < head_ts(best))
				best = s;
		}
		if (!best)
			break;
		struct held *h = &best->q[best->qhead++];
		held_get(h, &best->arena);
		if (h->e.ts_ms != TS_UNKNOWN)
			best->last_ts = h->e.ts_ms;
		if (is_twin(&mg, &h->e, best->fmt))
			mg.mo->twins++;
		else
			fn(ctx, &h->e);
		if (best->qhead == best->qn)
			refill(&mg, best);
	}

	for (size_t k = 0; k < mg.ns; k++) {
		free(mg.s[k].src);
		free(mg.s[k].q);
		free(mg.s[k].arena.buf);
	}
	free(mg.s);
	free(mg.buf);
	free(mg.ring);
	hashmap_release(&mg.keys);
	return mg.mo->failed;
}
