/* SPDX-License-Identifier: PostgreSQL */
/* Immutable, reference-counted expositions and their box; see snapshot.h. */
#include "serve/snapshot.h"

#include <stdlib.h>
#include <string.h>

#include "util/diag.h"
#include "util/xalloc.h"

struct snapshot *snapshot_new(const char *text, size_t len)
{
	struct snapshot *s = xmalloc(sizeof(*s) + len + 1);
	atomic_init(&s->refs, 1);
	s->len = len;
	memcpy(s->text, text, len);
	s->text[len] = '\0';
	return s;
}

struct snapshot *snapshot_ref(struct snapshot *s)
{
	atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
	return s;
}

void snapshot_unref(struct snapshot *s)
{
	/* acq_rel: the thread that frees sees every other holder's last use. */
	if (s && atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) == 1)
		free(s);
}

void snapshot_box_init(struct snapshot_box *b)
{
	memset(b->cur, 0, sizeof(b->cur));
	if (pthread_mutex_init(&b->mu, NULL) != 0)
		BUG("pthread_mutex_init failed");
}

void snapshot_box_release(struct snapshot_box *b)
{
	for (int f = 0; f < SNAP__COUNT; f++)
		snapshot_unref(b->cur[f]);
	memset(b->cur, 0, sizeof(b->cur));
	pthread_mutex_destroy(&b->mu);
}

void snapshot_box_publish(struct snapshot_box *b, enum snapshot_format f, struct snapshot *s)
{
	pthread_mutex_lock(&b->mu);
	struct snapshot *old = b->cur[f];
	b->cur[f] = s;
	pthread_mutex_unlock(&b->mu);
	snapshot_unref(old); /* outside the lock: freeing is not the readers' wait */
}

struct snapshot *snapshot_box_get(struct snapshot_box *b, enum snapshot_format f)
{
	pthread_mutex_lock(&b->mu);
	struct snapshot *s = b->cur[f] ? snapshot_ref(b->cur[f]) : NULL;
	pthread_mutex_unlock(&b->mu);
	return s;
}
