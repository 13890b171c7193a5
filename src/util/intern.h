/* SPDX-License-Identifier: PostgreSQL */
/*
 * intern: a table of distinct strings (user, database, application and host
 * names), each stored once and named by a small integer id.  Id 0 is the
 * empty string, used for "absent".  Memory grows with the number of distinct
 * names, never with the number of log lines, and stops growing at the
 * limit set with intern_set_max.
 */
#ifndef PGTAIL_INTERN_H
#define PGTAIL_INTERN_H

#include <stddef.h>
#include <stdint.h>

struct intern {
	char **strs;      /* strs[id]: NUL-terminated, owned; strs[0] = "" */
	size_t *lens;     /* lens[id] */
	size_t n;         /* number of ids in use (>= 1) */
	size_t alloc;     /* allocated length of strs/lens */
	uint32_t *slots;  /* hash slots holding id+1, 0 = empty */
	size_t nslots;    /* power of two */
	size_t max;       /* most ids; 0 = no limit */
	uint32_t over;    /* the id given for new strings past max */
	uint64_t refused; /* new strings given that id */
};

void intern_init(struct intern *in);
void intern_release(struct intern *in);
/* The id of s[0..len), adding it if new.  len 0 gives 0. */
uint32_t intern_get(struct intern *in, const char *s, size_t len);
/* Keep at most max distinct strings: past that, a new string gets the id
 * of over_name (added now), and is counted in in->refused. */
void intern_set_max(struct intern *in, size_t max, const char *over_name);
/* The string of an id (valid while in lives). */
const char *intern_str(const struct intern *in, uint32_t id);
size_t intern_count(const struct intern *in);

#endif
