/* SPDX-License-Identifier: PostgreSQL */
/*
 * cpucache: the size of this CPU's level-2 cache, which the reader sizes its
 * read() buffer from.  Asked of sysconf(_SC_LEVEL2_CACHE_SIZE) first (glibc
 * reads it with CPUID), then of Linux's /sys/devices/system/cpu/cpu0/cache
 * (the level 2 data or unified cache among its indexN directories), which
 * answers for CPUs glibc does not know.
 */
#ifndef PGTAIL_CPUCACHE_H
#define PGTAIL_CPUCACHE_H

#include <stddef.h>

/* The L2 size in bytes, or 0 when neither source tells it.  Asked anew at
 * every call (a few system calls at most; no state, so any thread may ask). */
size_t cpucache_l2_bytes(void);

/* The L2 size as the cache directory dir (laid out as
 * /sys/devices/system/cpu/cpu0/cache) describes it, 0 if it does not. */
size_t cpucache_l2_from_sysfs(const char *dir);

/* A sysfs cache size: "512K", "1M", "32768" (bytes); 0 if it is none. */
size_t cpucache_parse_size(const char *s);

#endif
