/* SPDX-License-Identifier: PostgreSQL */
/*
 * intern: a table of distinct strings (user, database, application and host
 * names), each stored once and named by a small integer id.  Id 0 is the
 * empty string, used for "absent".  Memory grows with the number of distinct
 * names, never with the number of log lines.
 */
#ifndef PGTAIL_INTERN_H
#define PGTAIL_INTERN_H

#include <stddef.h>
#include <stdint.h>

struct intern {
	char **strs;     /* strs[id]: NUL-terminated, owned; strs[0] = "" */
	size_t *lens;    /* lens[id] */
	size_t n;        /* number of ids in use (>= 1) */
	size_t alloc;    /* allocated length of strs/lens */
	uint32_t *slots; /* hash slots holding id+1, 0 = empty */
	size_t nslots;   /* power of two */
};

void intern_init(struct intern *in);
void intern_release(struct intern *in);
/* The id of s[0..len), adding it if new.  len 0 gives 0. */
uint32_t intern_get(struct intern *in, const char *s, size_t len);
/* The string of an id (valid while in lives). */
const char *intern_str(const struct intern *in, uint32_t id);
size_t intern_count(const struct intern *in);

#endif
