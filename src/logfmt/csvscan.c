/* SPDX-License-Identifier: PostgreSQL */
/* Bit masks of a CSV block's quotes, commas and newlines; see csvscan.h. */
#include "logfmt/csvscan.h"

static enum csvscan_isa best = CSVSCAN_BYTEWISE, cpu_best = CSVSCAN_BYTEWISE;

__attribute__((constructor)) static void pick_best(void)
{
#ifdef CSVSCAN_X86
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512f") &&
	    __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("pclmul"))
		best = CSVSCAN_AVX512;
	else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt") &&
		 __builtin_cpu_supports("pclmul"))
		best = CSVSCAN_AVX2;
	else
		best = CSVSCAN_SSE2;
#endif
	cpu_best = best;
}

enum csvscan_isa csvscan_use(enum csvscan_isa isa)
{
	enum csvscan_isa was = best;
	best = isa < cpu_best ? isa : cpu_best;
	return was;
}

enum csvscan_isa csvscan_best(void)
{
	return best;
}

#ifdef CSVSCAN_X86
CSVSCAN_TARGET_AVX2 static void block_avx2(const char *p, size_t n, struct csvscan_masks *m)
{
	csvscan_block_avx2(p, n, m);
}

CSVSCAN_TARGET_AVX512 static void block_avx512(const char *p, size_t n, struct csvscan_masks *m)
{
	csvscan_block_avx512(p, n, m);
}
#endif

void csvscan_block_isa(enum csvscan_isa isa, const char *p, size_t n, struct csvscan_masks *m)
{
	switch (isa) {
#ifdef CSVSCAN_X86
	case CSVSCAN_AVX512:
		block_avx512(p, n, m);
		return;
	case CSVSCAN_AVX2:
		block_avx2(p, n, m);
		return;
	case CSVSCAN_SSE2:
		csvscan_block_sse2(p, n, m);
		return;
#endif
	default:
		csvscan_block_bytewise(p, n, m);
		return;
	}
}
