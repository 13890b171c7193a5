/* SPDX-License-Identifier: PostgreSQL */
/* Bit masks of a CSV block's quotes, commas and newlines; see csvscan.h. */
#include "logfmt/csvscan.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

void csvscan_block_bytewise(const char *p, size_t n, struct csvscan_masks *m)
{
	m->quote = m->comma = m->nl = 0;
	for (size_t i = 0; i < n && i < 64; i++) {
		uint64_t bit = (uint64_t)1 << i;
		if (p[i] == '"')
			m->quote |= bit;
		else if (p[i] == ',')
			m->comma |= bit;
		else if (p[i] == '\n')
			m->nl |= bit;
	}
}

#if defined(__SSE2__)
/* The masks of 64 readable bytes at p. */
static void block64(const char *p, struct csvscan_masks *m)
{
	const __m128i q = _mm_set1_epi8('"'), c = _mm_set1_epi8(','), nl = _mm_set1_epi8('\n');
	uint64_t mq = 0, mc = 0, mn = 0;

	for (int k = 0; k < 4; k++) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
		mq |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, q)) << (16 * k);
		mc |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, c)) << (16 * k);
		mn |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl)) << (16 * k);
	}
	m->quote = mq;
	m->comma = mc;
	m->nl = mn;
}

void csvscan_block(const char *p, size_t n, struct csvscan_masks *m)
{
	if (n >= 64) {
		block64(p, m);
		return;
	}
	/* A short block is copied into zeros, which are none of the three. */
	char pad[64] = {0};
	memcpy(pad, p, n);
	block64(pad, m);
}
#else
void csvscan_block(const char *p, size_t n, struct csvscan_masks *m)
{
	csvscan_block_bytewise(p, n, m);
}
#endif
