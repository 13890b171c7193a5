/* SPDX-License-Identifier: PostgreSQL */
/* Open-addressing int64 → uint32 map with linear probing and tombstones. */
#include "util/hashmap.h"

#include <stdlib.h>

#include "util/xalloc.h"

static size_t hm_hash(int64_t key, size_t cap)
{
	uint64_t x = (uint64_t)key;
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)x & (cap - 1);
}

void hashmap_init(struct hashmap *m)
{
	m->keys = NULL;
	m->vals = NULL;
	m->cap = m->used = m->tombs = 0;
}

void hashmap_release(struct hashmap *m)
{
	free(m->keys);
	free(m->vals);
	hashmap_init(m);
}

static void hm_rehash(struct hashmap *m, size_t ncap)
{
	int64_t *ok = m->keys;
	uint32_t *ov = m->vals;
	size_t ocap = m->cap;

	m->keys = xreallocarray(NULL, ncap, sizeof(*m->keys));
	m->vals = xreallocarray(NULL, ncap, sizeof(*m->vals));
	for (size_t i = 0; i < ncap; i++)
		m->keys[i] = HM_EMPTY;
	m->cap = ncap;
	m->used = m->tombs = 0;
	for (size_t i = 0; i < ocap; i++)
		if (ok[i] != HM_EMPTY && ok[i] != HM_TOMB)
			hashmap_put(m, ok[i], ov[i]);
	free(ok);
	free(ov);
}

bool hashmap_get(const struct hashmap *m, int64_t key, uint32_t *val)
{
	if (!m->cap)
		return false;
	for (size_t i = hm_hash(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (m->keys[i] == HM_EMPTY)
			return false;
		if (m->keys[i] == key) {
			*val = m->vals[i];
			return true;
		}
	}
}

void hashmap_put(struct hashmap *m, int64_t key, uint32_t val)
{
	if ((m->used + m->tombs + 1) * 4 >= m->cap * 3) {
		size_t ncap = m->cap ? m->cap : 64;
		while ((m->used + 1) * 2 >= ncap)
			ncap *= 2;
		hm_rehash(m, ncap);
	}
	size_t tomb = (size_t)-1;
	for (size_t i = hm_hash(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (m->keys[i] == key) {
			m->vals[i] = val;
			return;
		}
		if (m->keys[i] == HM_TOMB && tomb == (size_t)-1)
			tomb = i;
		if (m->keys[i] == HM_EMPTY) {
			if (tomb != (size_t)-1) {
				i = tomb;
				m->tombs--;
			}
			m->keys[i] = key;
			m->vals[i] = val;
			m->used++;
			return;
		}
	}
}

bool hashmap_del(struct hashmap *m, int64_t key)
{
	if (!m->cap)
		return false;
	for (size_t i = hm_hash(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (m->keys[i] == HM_EMPTY)
			return false;
		if (m->keys[i] == key) {
			m->keys[i] = HM_TOMB;
			m->used--;
			m->tombs++;
			return true;
		}
	}
}
