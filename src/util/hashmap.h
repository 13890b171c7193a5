/* SPDX-License-Identifier: PostgreSQL */
/*
 * hashmap: an open-addressing map from int64 keys to uint32 values (an index
 * into the caller's own array).  Used to find a session by backend PID.
 * Deletion uses tombstones; the table is rebuilt when they pile up.
 */
#ifndef PGTAIL_HASHMAP_H
#define PGTAIL_HASHMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hashmap {
	int64_t *keys;  /* slot keys; HM_EMPTY / HM_TOMB mark free slots */
	uint32_t *vals; /* slot values, meaningful where keys[i] is a real key */
	size_t cap;     /* number of slots, a power of two (0 before first put) */
	size_t used;    /* live keys */
	size_t tombs;   /* tombstones */
};

/* Keys HM_EMPTY and HM_TOMB are reserved and may not be stored. */
#define HM_EMPTY INT64_MIN
#define HM_TOMB (INT64_MIN + 1)

void hashmap_init(struct hashmap *m);
void hashmap_release(struct hashmap *m);
/* Look key up; true and *val set when present. */
bool hashmap_get(const struct hashmap *m, int64_t key, uint32_t *val);
/* Insert or replace. */
void hashmap_put(struct hashmap *m, int64_t key, uint32_t val);
/* Remove; true if it was there. */
bool hashmap_del(struct hashmap *m, int64_t key);

#endif
