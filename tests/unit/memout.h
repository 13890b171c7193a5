/* SPDX-License-Identifier: PostgreSQL */
/* An out that writes to memory, for the unit tests: mem_text() returns
 * what was written.  Include after cmocka.h. */
#ifndef PGTAIL_TEST_MEMOUT_H
#define PGTAIL_TEST_MEMOUT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/out.h"

struct memout {
	struct out o;
	char *buf;
	size_t len;
};

static inline void mem_open(struct memout *m)
{
	memset(m, 0, sizeof(*m));
	m->o.fp = open_memstream(&m->buf, &m->len);
	assert_non_null(m->o.fp);
}

static inline const char *mem_text(struct memout *m)
{
	fflush(m->o.fp);
	return m->buf;
}

static inline void mem_close(struct memout *m)
{
	fclose(m->o.fp);
	free(m->buf);
}

#endif
