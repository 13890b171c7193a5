/* SPDX-License-Identifier: PostgreSQL */
/*
 * held: a pg_entry kept past its parser's next call.  Its slices' bytes are
 * copied into an arena, which may move while it fills, so a held entry
 * records where they are (offsets) and gets its pointers back from the
 * arena when it is delivered.  The merge of several destinations and the
 * parallel read of one keep the records they parse ahead so.
 */
#ifndef PGTAIL_HELD_H
#define PGTAIL_HELD_H

#include <stddef.h>

#include "logfmt/entry.h"

/* The slices of a pg_entry (every one: one left out would point into a
 * parser's freed buffer). */
#define HELD_NSLICES 11

struct held {
	struct pg_entry e;        /* its slices point nowhere while held */
	size_t off[HELD_NSLICES]; /* where their bytes are in the arena */
};

/* Bytes owned by their holder: buf[0..len), room for cap. */
struct held_arena {
	char *buf;
	size_t len, cap;
};

/* Keep e in *h, its bytes appended to a (grown as needed). */
void held_put(struct held *h, const struct pg_entry *e, struct held_arena *a);

/* Point h's slices into a, where held_put copied them: h->e is then valid
 * while a is neither freed nor grown. */
void held_get(struct held *h, const struct held_arena *a);

/* Append p[0..n) to a; returns its offset there. */
size_t held_add(struct held_arena *a, const char *p, size_t n);

#endif
