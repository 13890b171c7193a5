/* SPDX-License-Identifier: PostgreSQL */
/*
 * csvscan: where the characters that shape a CSV record (the quote, the
 * comma, the newline) lie in a block of up to 64 bytes, as one bit mask
 * each, so the csvlog fast path can hop from one to the next instead of
 * looking at every byte.  On x86-64 the masks come from vector compares:
 * SSE2 (16 bytes at a time) on every such CPU, AVX2 (32) or AVX-512BW (all
 * 64 at once) where the CPU has them, chosen when the program starts;
 * elsewhere from a portable loop that gives the same bits.
 *
 * The block functions are inline, for the fast path to be compiled once per
 * instruction set with the block's compares in its loop
 * (CSVSCAN_TARGET_*); csvscan_block_isa is the same through a call.
 */
#ifndef PGTAIL_CSVSCAN_H
#define PGTAIL_CSVSCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#define CSVSCAN_X86 1
#include <immintrin.h>
#endif

/* Bit i of a mask is set when byte i of the block is that character. */
struct csvscan_masks {
	uint64_t quote; /* '"' */
	uint64_t comma; /* ',' */
	uint64_t nl;    /* '\n' */
};

/* The ways of computing the masks, slowest first. */
enum csvscan_isa {
	CSVSCAN_BYTEWISE, /* a byte at a time: any machine */
	CSVSCAN_SSE2,
	CSVSCAN_AVX2,
	CSVSCAN_AVX512,
};

/* The way in use: the fastest this CPU has (decided once, at start-up),
 * unless csvscan_use said otherwise. */
enum csvscan_isa csvscan_best(void);

/* Use no faster way than isa from now on (for the tests, which try each;
 * not while other threads scan).  Returns the way used before. */
enum csvscan_isa csvscan_use(enum csvscan_isa isa);

/* The masks of p[0..n), n <= 64, computed the way isa says (which the CPU
 * must have: isa <= csvscan_best()); the bits from n up are clear.  Reads
 * only p[0..n).  The unit test compares every way with CSVSCAN_BYTEWISE. */
void csvscan_block_isa(enum csvscan_isa isa, const char *p, size_t n, struct csvscan_masks *m);

static inline void csvscan_block_bytewise(const char *p, size_t n, struct csvscan_masks *m)
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

#ifdef CSVSCAN_X86
/* AVX2 and AVX-512BW come with the bit instructions the fast path uses
 * beside them (popcnt, pclmul: csvscan_best asks for them too). */
#define CSVSCAN_TARGET_AVX2 __attribute__((target("avx2,popcnt,pclmul")))
#define CSVSCAN_TARGET_AVX512 __attribute__((target("avx512f,avx512bw,avx2,popcnt,pclmul")))

/* A short block is copied into zeros, which are none of the three. */
#define CSVSCAN_PAD(p, n, pad)                                                                     \
	do {                                                                                       \
		if ((n) < 64) {                                                                    \
			memset((pad), 0, 64);                                                      \
			memcpy((pad), (p), (n));                                                   \
			(p) = (pad);                                                               \
		}                                                                                  \
	} while (0)

static inline void csvscan_block_sse2(const char *p, size_t n, struct csvscan_masks *m)
{
	char pad[64];
	CSVSCAN_PAD(p, n, pad);
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

CSVSCAN_TARGET_AVX2
static inline void csvscan_block_avx2(const char *p, size_t n, struct csvscan_masks *m)
{
	char pad[64];
	CSVSCAN_PAD(p, n, pad);
	const __m256i q = _mm256_set1_epi8('"'), c = _mm256_set1_epi8(','),
		      nl = _mm256_set1_epi8('\n');
	__m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)p);
	__m256i hi = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
#define CSVSCAN_M2(x)                                                                              \
	((uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, (x))) |                    \
	 (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, (x))) << 32)
	m->quote = CSVSCAN_M2(q);
	m->comma = CSVSCAN_M2(c);
	m->nl = CSVSCAN_M2(nl);
#undef CSVSCAN_M2
}

/* Bit i of the result: an odd number of bits set in x[0..i] (the bytes
 * inside quotes, from the quotes' mask), by a carry-less multiply by all
 * ones. */
CSVSCAN_TARGET_AVX2
static inline uint64_t csvscan_prefix_xor_clmul(uint64_t x)
{
	return (uint64_t)_mm_cvtsi128_si64(
	    _mm_clmulepi64_si128(_mm_set_epi64x(0, (long long)x), _mm_set1_epi8((char)0xff), 0));
}

CSVSCAN_TARGET_AVX512
static inline void csvscan_block_avx512(const char *p, size_t n, struct csvscan_masks *m)
{
	/* A masked load reads only the bytes asked for, the others zero. */
	__mmask64 k = n >= 64 ? ~(__mmask64)0 : ((__mmask64)1 << n) - 1;
	__m512i v = _mm512_maskz_loadu_epi8(k, p);
	m->quote = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('"')) & k;
	m->comma = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(',')) & k;
	m->nl = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\n')) & k;
}
#endif

#endif
