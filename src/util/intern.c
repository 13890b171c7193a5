/* SPDX-License-Identifier: PostgreSQL */
/* String interning: each distinct name stored once, named by an id. */
#include "util/intern.h"

#include <stdlib.h>
#include <string.h>

#include "util/hash.h"
#include "util/xalloc.h"

void intern_init(struct intern *in)
{
	memset(in, 0, sizeof(*in));
	in->alloc = 16;
	in->strs = xcalloc(in->alloc, sizeof(*in->strs));
	in->lens = xcalloc(in->alloc, sizeof(*in->lens));
	in->strs[0] = xstrdup("");
	in->lens[0] = 0;
	in->n = 1;
	in->nslots = 32;
	in->slots = xcalloc(in->nslots, sizeof(*in->slots));
}

void intern_release(struct intern *in)
{
	for (size_t i = 0; i < in->n; i++)
		free(in->strs[i]);
	free(in->strs);
	free(in->lens);
	free(in->slots);
	memset(in, 0, sizeof(*in));
}

static void intern_grow_slots(struct intern *in)
{
	size_t ns = in->nslots * 2;
	uint32_t *slots = xcalloc(ns, sizeof(*slots));
	for (size_t id = 1; id < in->n; id++) {
		size_t i = hash_bytes(in->strs[id], in->lens[id]) & (ns - 1);
		while (slots[i])
			i = (i + 1) & (ns - 1);
		slots[i] = (uint32_t)id + 1;
	}
	free(in->slots);
	in->slots = slots;
	in->nslots = ns;
}

uint32_t intern_get(struct intern *in, const char *s, size_t len)
{
	if (len == 0)
		return 0;
	size_t i = hash_bytes(s, len) & (in->nslots - 1);
	while (in->slots[i]) {
		uint32_t id = in->slots[i] - 1;
		if (in->lens[id] == len && memcmp(in->strs[id], s, len) == 0)
			return id;
		i = (i + 1) & (in->nslots - 1);
	}
	if (in->max && in->n >= in->max) {
		in->refused++;
		return in->over;
	}
	if (in->n == in->alloc) {
		in->alloc *= 2;
		in->strs = xreallocarray(in->strs, in->alloc, sizeof(*in->strs));
		in->lens = xreallocarray(in->lens, in->alloc, sizeof(*in->lens));
	}
	uint32_t id = (uint32_t)in->n++;
	in->strs[id] = xmemdupz(s, len);
	in->lens[id] = len;
	in->slots[i] = id + 1;
	if (in->n * 2 > in->nslots)
		intern_grow_slots(in);
	return id;
}

void intern_set_max(struct intern *in, size_t max, const char *over_name)
{
	in->max = 0;
	in->over = intern_get(in, over_name, strlen(over_name));
	in->max = max;
}

const char *intern_str(const struct intern *in, uint32_t id)
{
	return id < in->n ? in->strs[id] : "";
}

size_t intern_count(const struct intern *in)
{
	return in->n;
}
