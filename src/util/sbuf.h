/* SPDX-License-Identifier: PostgreSQL */
/*
 * sbuf: a growable byte buffer with a size cap.
 *
 * Invariants: buf is never NULL after sbuf_init (it points at a static ""
 * until the first growth); buf[len] == '\0' always; len <= cap_max.
 * Appends that would pass cap_max are refused (return -1) and leave the
 * buffer unchanged, so a hostile 64 MB line cannot grow memory past the cap.
 */
#ifndef PGTAIL_SBUF_H
#define PGTAIL_SBUF_H

#include <stddef.h>

struct sbuf {
	char *buf;      /* contents, NUL-terminated */
	size_t len;     /* bytes used, not counting the NUL */
	size_t alloc;   /* bytes allocated; 0 while buf is the static "" */
	size_t cap_max; /* largest len allowed; 0 means no cap */
};

void sbuf_init(struct sbuf *sb, size_t cap_max);
void sbuf_release(struct sbuf *sb);
/* Set len to 0, keeping the allocation. */
void sbuf_reset(struct sbuf *sb);
/* Append; return 0, or -1 (buffer unchanged) when the cap would be passed. */
int sbuf_add(struct sbuf *sb, const void *p, size_t len);
int sbuf_addch(struct sbuf *sb, int c);
int sbuf_addstr(struct sbuf *sb, const char *s);
/* printf-style append; returns -1 when the cap would be passed. */
int sbuf_addf(struct sbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hand the buffer to the caller (who frees it) and reinitialise sb. */
char *sbuf_detach(struct sbuf *sb, size_t *len);

#endif
