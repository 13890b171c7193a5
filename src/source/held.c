/* SPDX-License-Identifier: PostgreSQL */
/* Entries kept past their parser's next call; see held.h. */
#include "source/held.h"

#include <string.h>

#include "util/xalloc.h"

#define ARENA_MIN (64u << 10) /* an arena's first allocation */

static const size_t entry_slices[HELD_NSLICES] = {
    offsetof(struct pg_entry, session_id),  offsetof(struct pg_entry, sev_word),
    offsetof(struct pg_entry, message),     offsetof(struct pg_entry, sqlstate),
    offsetof(struct pg_entry, user),        offsetof(struct pg_entry, database),
    offsetof(struct pg_entry, application), offsetof(struct pg_entry, host),
    offsetof(struct pg_entry, port),        offsetof(struct pg_entry, backend_type),
    offsetof(struct pg_entry, server),
};

static struct slice *slice_at(struct pg_entry *e, size_t k)
{
	return (struct slice *)((char *)e + entry_slices[k]);
}

size_t held_add(struct held_arena *a, const char *p, size_t n)
{
	size_t at = a->len;
	if (n == 0)
		return at;
	if (a->len + n > a->cap) {
		while (a->len + n > a->cap)
			a->cap = a->cap ? 2 * a->cap : ARENA_MIN;
		a->buf = xrealloc(a->buf, a->cap);
	}
	memcpy(a->buf + a->len, p, n);
	a->len += n;
	return at;
}

void held_put(struct held *h, const struct pg_entry *e, struct held_arena *a)
{
	h->e = *e;
	for (size_t k = 0; k < HELD_NSLICES; k++) {
		struct slice *sl = slice_at(&h->e, k);
		h->off[k] = held_add(a, sl->p, sl->len);
	}
}

void held_get(struct held *h, const struct held_arena *a)
{
	for (size_t k = 0; k < HELD_NSLICES; k++) {
		struct slice *sl = slice_at(&h->e, k);
		if (sl->len)
			sl->p = a->buf + h->off[k];
	}
}
