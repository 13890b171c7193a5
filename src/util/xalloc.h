/* SPDX-License-Identifier: PostgreSQL */
/*
 * Allocation wrappers that die on out-of-memory, so callers never check for
 * NULL.  Everything else in pgtail allocates through these.
 */
#ifndef PGTAIL_XALLOC_H
#define PGTAIL_XALLOC_H

#include <stddef.h>

/* Each returns valid memory or prints "pgtail: out of memory" and aborts. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Array growth: realloc p to nmemb*size, dying on overflow. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
/* Copy of s[0..len) with a terminating NUL; caller frees. */
char *xmemdupz(const void *s, size_t len);

#endif
