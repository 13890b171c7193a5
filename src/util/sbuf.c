/* SPDX-License-Identifier: PostgreSQL */
/* Growable byte buffer with a size cap. */
#include "sbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static char sbuf_empty[1];

void sbuf_init(struct sbuf *sb, size_t cap_max)
{
	sb->buf = sbuf_empty;
	sb->len = 0;
	sb->alloc = 0;
	sb->cap_max = cap_max;
}

void sbuf_release(struct sbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	sbuf_init(sb, sb->cap_max);
}

void sbuf_reset(struct sbuf *sb)
{
	sb->len = 0;
	/* The shared empty buffer holds its '\0' already and is never
	 * written: buffers of several threads point at it. */
	if (sb->alloc)
		sb->buf[0] = '\0';
}

static int sbuf_grow(struct sbuf *sb, size_t extra)
{
	size_t want;

	if (extra > (size_t)-1 / 2 - sb->len)
		return -1;
	want = sb->len + extra;
	if (sb->cap_max && want > sb->cap_max)
		return -1;
	if (want + 1 <= sb->alloc)
		return 0;
	size_t n = sb->alloc ? sb->alloc : 64;
	while (n < want + 1)
		n *= 2;
	if (sb->alloc) {
		sb->buf = xrealloc(sb->buf, n);
	} else {
		sb->buf = xmalloc(n);
		sb->buf[0] = '\0';
	}
	sb->alloc = n;
	return 0;
}

int sbuf_add(struct sbuf *sb, const void *p, size_t len)
{
	if (sbuf_grow(sb, len) < 0)
		return -1;
	if (len)
		memcpy(sb->buf + sb->len, p, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
	return 0;
}

int sbuf_addch(struct sbuf *sb, int c)
{
	char ch = (char)c;
	return sbuf_add(sb, &ch, 1);
}

int sbuf_addstr(struct sbuf *sb, const char *s)
{
	return sbuf_add(sb, s, strlen(s));
}

int sbuf_addf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || sbuf_grow(sb, (size_t)n) < 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
	return 0;
}

char *sbuf_detach(struct sbuf *sb, size_t *len)
{
	char *p = sb->alloc ? sb->buf : xstrdup("");
	if (len)
		*len = sb->len;
	sbuf_init(sb, sb->cap_max);
	return p;
}
