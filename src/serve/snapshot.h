/* SPDX-License-Identifier: PostgreSQL */
/*
 * snapshot: an exposition the follower rendered, handed to the HTTP
 * threads.  pgtail serve has one writer -- the main thread, which follows
 * the logs, updates the models and renders -- and any number of readers:
 * libmicrohttpd's threads answering scrapes.  The readers never touch a
 * model.  The writer renders a whole exposition into a new snapshot, then
 * publishes it by swapping a pointer under a mutex held only for that swap;
 * a reader takes a reference under the same mutex and sends the text with
 * the mutex released.  A snapshot never changes once published and is freed
 * when its last reference goes (the box's, or the last response still
 * sending it).  So a scrape never waits for the follower (at worst for a
 * pointer swap), never blocks it, and never sees a half-updated model.
 *
 * Why not a lock around the model while rendering in the HTTP thread?  A
 * scrape would then stall the follower for the render's length (and a slow
 * client for longer, over TLS), and two formats would be rendered per
 * scrape; rendering once per change, at most every SERVE_RENDER_MS, bounds
 * the follower's cost whatever the scrape rate.
 */
#ifndef PGTAIL_SNAPSHOT_H
#define PGTAIL_SNAPSHOT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

/* An immutable exposition text with a reference count. */
struct snapshot {
	atomic_size_t refs; /* references held; freed at 0 */
	size_t len;         /* bytes of text, without the NUL */
	char text[];        /* NUL-terminated */
};

/* A copy of text[0..len) with one reference (the caller's). */
struct snapshot *snapshot_new(const char *text, size_t len);
/* Take one more reference; returns s. */
struct snapshot *snapshot_ref(struct snapshot *s);
/* Drop one reference (s may be NULL); the last frees. */
void snapshot_unref(struct snapshot *s);

/* The formats a snapshot is kept in. */
enum snapshot_format {
	SNAP_TEXT,        /* Prometheus text 0.0.4 */
	SNAP_OPENMETRICS, /* OpenMetrics 1.0 */
	SNAP__COUNT,
};

/* Where the writer publishes and the readers take the latest snapshots. */
struct snapshot_box {
	pthread_mutex_t mu;                /* guards cur only */
	struct snapshot *cur[SNAP__COUNT]; /* the box's references; NULL before
					     the first publish */
};

void snapshot_box_init(struct snapshot_box *b);
/* Drop the box's references; no reader may use b afterwards. */
void snapshot_box_release(struct snapshot_box *b);
/* Replace the snapshot of format f by s, taking over the caller's reference. */
void snapshot_box_publish(struct snapshot_box *b, enum snapshot_format f, struct snapshot *s);
/* A reference to the latest snapshot of format f (the caller unrefs), or
 * NULL before the first publish. */
struct snapshot *snapshot_box_get(struct snapshot_box *b, enum snapshot_format f);

#endif
