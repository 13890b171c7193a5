/* SPDX-License-Identifier: PostgreSQL */
/*
 * libFuzzer target: the whole pipeline from bytes to model.  The input is
 * written to a temporary file and replayed like a log given on the command
 * line: format detection, prefix inference, parsing, classification,
 * reordering and the tracker (the fast paths on from the first message),
 * then the summary is built and rendered.  Then the same bytes are pushed
 * through the push parser in chunks of varied sizes, as the follower
 * delivers them (fast paths off, as in the first records of a file), and
 * once more written into the feed's own room (feed_room/feed_commit) as a
 * file's reader does: the line, message and skip counts and the tracker's
 * counts must not depend on where the chunks were cut nor on how they were
 * given.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conn/classify.h"
#include "conn/tracker.h"
#include "source/feed.h"
#include "source/reader.h"
#include "model/model.h"
#include "model/summary.h"
#include "view/summary.h"

static void on_entry(void *ctx, const struct pg_entry *e)
{
	struct conn_event ev;
	if (classify_maybe(e->sev, e->message.p, e->message.len) &&
	    classify_entry(e, &ev) != EV_NONE)
		tracker_feed(ctx, &ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct counts {
	struct reader_stats st;
	int64_t active, connects, disconnects, failed;
};

/* Replay data through the feed, cut into chunks of 1 to 64 bytes (or all
 * at once when step is 0); with room, written into feed_room's room. */
static void chunked(const uint8_t *data, size_t size, unsigned step, bool room, struct out *sink,
		    struct counts *c)
{
	struct tracker t;
	tracker_init(&t);
	struct reader_opts ro = {.format = LOGFMT_AUTO, .err = sink, .max_reports = 3};
	memset(c, 0, sizeof(*c));
	struct feed *f = feed_new("fuzz.log", &ro, false, on_entry, &t, &c->st);
	unsigned x = step;
	for (size_t off = 0; off < size;) {
		size_t k = size - off;
		if (step) {
			x = x * 1103515245u + 12345u;
			size_t want = 1 + (x >> 16) % 64;
			if (want < k)
				k = want;
		}
		if (room) {
			size_t got;
			char *p = feed_room(f, k, &got);
			if (got == 0 || got > k)
				abort();
			memcpy(p, data + off, got);
			feed_commit(f, got);
			k = got;
		} else {
			feed_push(f, (const char *)data + off, k);
		}
		off += k;
	}
	feed_finish(f);
	feed_free(f);
	tracker_finish(&t);
	c->active = t.active;
	c->connects = t.connects;
	c->disconnects = t.disconnects;
	c->failed = t.failed;
	tracker_release(&t);
}

static bool same_counts(const struct counts *a, const struct counts *b)
{
	return a->st.lines == b->st.lines && a->st.messages == b->st.messages &&
	       a->st.skipped == b->st.skipped && a->st.records == b->st.records &&
	       a->active == b->active && a->connects == b->connects &&
	       a->disconnects == b->disconnects && a->failed == b->failed;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/pgtail-fuzz-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);

	struct out sink = {0};
	sink.fp = fopen("/dev/null", "w");
	struct model m;
	model_init(&m, 3600 * 1000LL);
	struct reader_opts ro = {.format = LOGFMT_AUTO,
				 .err = &sink,
				 .max_reports = 3,
				 .interest = classify_maybe,
				 .fast_after = 1};
	reader_run(path, &ro, model_entry, &m, &m.st);
	tracker_finish(&m.t);
	struct summary s;
	summary_build(&s, &m);
	summary_print_text(&s, NULL, &sink);
	summary_print_json(&s, NULL, &sink);
	summary_release(&s);
	model_release(&m);

	struct counts whole, cut, roomed;
	chunked(data, size, 0, false, &sink, &whole);
	chunked(data, size, (unsigned)size | 1u, false, &sink, &cut);
	chunked(data, size, (unsigned)size | 3u, true, &sink, &roomed);
	if (!same_counts(&whole, &cut) || !same_counts(&whole, &roomed))
		abort();
	fclose(sink.fp);
	unlink(path);
	return 0;
}
