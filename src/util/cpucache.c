/* SPDX-License-Identifier: PostgreSQL */
/* The size of the CPU's level-2 cache; see cpucache.h. */
#include "util/cpucache.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SYSFS_CACHE "/sys/devices/system/cpu/cpu0/cache"
#define MAX_INDEX 16 /* index0..index15: more levels and kinds than any CPU has */

size_t cpucache_parse_size(const char *s)
{
	uint64_t v = 0;
	int digits = 0;

	while (*s >= '0' && *s <= '9' && digits < 15) {
		v = v * 10 + (uint64_t)(*s++ - '0');
		digits++;
	}
	if (!digits)
		return 0;
	switch (*s) {
	case 'K':
		v <<= 10;
		s++;
		break;
	case 'M':
		v <<= 20;
		s++;
		break;
	case 'G':
		v <<= 30;
		s++;
		break;
	default:
		break;
	}
	if (*s == '\n')
		s++;
	return *s ? 0 : (size_t)v;
}

/* The first line of dir/index<i>/name into buf; 0 when unreadable. */
static int read_attr(const char *dir, int i, const char *name, char *buf, size_t cap)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/index%d/%s", dir, i, name);
	FILE *fp = fopen(path, "re");
	if (!fp)
		return 0;
	int ok = fgets(buf, (int)cap, fp) != NULL;
	fclose(fp);
	return ok;
}

size_t cpucache_l2_from_sysfs(const char *dir)
{
	for (int i = 0; i < MAX_INDEX; i++) {
		char level[16], type[32], size[32];
		if (!read_attr(dir, i, "level", level, sizeof(level)))
			continue;
		if (strcmp(level, "2\n") != 0 && strcmp(level, "2") != 0)
			continue;
		if (read_attr(dir, i, "type", type, sizeof(type)) &&
		    strncmp(type, "Instruction", 11) == 0)
			continue;
		if (read_attr(dir, i, "size", size, sizeof(size)))
			return cpucache_parse_size(size);
	}
	return 0;
}

size_t cpucache_l2_bytes(void)
{
	long v = -1;
#ifdef _SC_LEVEL2_CACHE_SIZE
	v = sysconf(_SC_LEVEL2_CACHE_SIZE);
#endif
	return v > 0 ? (size_t)v : cpucache_l2_from_sysfs(SYSFS_CACHE);
}
