/* SPDX-License-Identifier: PostgreSQL */
/*
 * hash: a 64-bit hash of a run of bytes, for the in-memory tables and rings
 * (interned names, the model's recent records).  Not stable between
 * versions, not for anything stored or sent.
 *
 * It takes eight bytes per step (a multiply and a rotate each), the tail
 * in one last word: a byte-at-a-time FNV-1a cost the replay thread more
 * than the session tracker itself on a log of many short sessions.
 */
#ifndef PGTAIL_HASH_H
#define PGTAIL_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t hash_mix(uint64_t h, uint64_t w)
{
	h ^= w * UINT64_C(0x9e3779b97f4a7c15);
	h = (h << 29) | (h >> 35);
	return h * UINT64_C(0xbf58476d1ce4e5b9);
}

static inline uint64_t hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = UINT64_C(0x6a09e667f3bcc908) ^ n;
	for (; n >= 8; s += 8, n -= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = hash_mix(h, w);
	}
	if (n) {
		uint64_t w = 0;
		memcpy(&w, s, n);
		h = hash_mix(h, w);
	}
	h ^= h >> 32;
	return h;
}

#endif
