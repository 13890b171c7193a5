/* SPDX-License-Identifier: PostgreSQL */
/*
 * A slice is a pointer and a length into someone else's buffer: the way a log
 * line's fields travel through the pipeline without being copied.  A slice
 * with len == 0 means "absent or empty"; p may then be NULL.
 */
#ifndef PGTAIL_SLICE_H
#define PGTAIL_SLICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct slice {
	const char *p; /* first byte; not NUL-terminated */
	size_t len;    /* number of bytes */
};

#define SLICE_NULL ((struct slice){NULL, 0})
#define SLICE_LIT(s) ((struct slice){(s), sizeof(s) - 1})

static inline struct slice slice_make(const char *p, size_t len)
{
	return (struct slice){p, len};
}

static inline bool slice_eq(struct slice a, const char *s)
{
	size_t n = strlen(s);
	return a.len == n && (n == 0 || memcmp(a.p, s, n) == 0);
}

static inline bool slice_starts(struct slice a, const char *s)
{
	size_t n = strlen(s);
	return a.len >= n && (n == 0 || memcmp(a.p, s, n) == 0);
}

/* Offset of the first s[0..n) in m at or after from; SIZE_MAX if none
 * (n > 0).  Reads only m[from..m.len). */
static inline size_t slice_find(struct slice m, size_t from, const char *s, size_t n)
{
	size_t i = from;

	if (from > m.len || m.len - from < n)
		return SIZE_MAX;
	while (i + n <= m.len) {
		const char *q = memchr(m.p + i, s[0], m.len - n + 1 - i);
		if (!q)
			return SIZE_MAX;
		i = (size_t)(q - m.p);
		if (memcmp(q, s, n) == 0)
			return i;
		i++;
	}
	return SIZE_MAX;
}

#endif
