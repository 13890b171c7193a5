/* SPDX-License-Identifier: PostgreSQL */
/*
 * prefix: compile a log_line_prefix ("%m [%p] %q%u@%d ") once, then match
 * stderr lines against it, pulling out the fields its escapes print.
 *
 * Supported escapes: %a %u %d %r %h %L %b %p %P %t %m %n %i %e %c %l %s %v
 * %x %q %Q %%, with padding (%-10u, %10d).  Unknown escapes print nothing, as
 * in the server.  "%q" marks where non-session processes (postmaster,
 * checkpointer...) stop the prefix: a line may end its prefix there.
 */
#ifndef PGTAIL_PREFIX_H
#define PGTAIL_PREFIX_H

#include <stddef.h>

#include "logfmt/entry.h"

struct prefix;

/*
 * Compile spec (a log_line_prefix value, without surrounding quotes).
 * Returns NULL and sets *err (static string) when spec cannot be used.
 * Caller frees with prefix_free.
 */
struct prefix *prefix_compile(const char *spec, const char **err);
void prefix_free(struct prefix *px);
/* The spec this was compiled from (owned by px). */
const char *prefix_spec(const struct prefix *px);

/*
 * Match line[0..len) (one physical line, no newline) against px.  The prefix
 * must be followed by a severity word and ":  " ("LOG:  ") for the match to
 * count.  On success fills in e's prefix fields (ts_ms, pid, session_id,
 * user, database, application, host, port, backend_type, sqlstate; values
 * printed as "[unknown]" are left absent), sets *used to the length of the
 * prefix (the offset of the severity word) and returns 0.  Returns -1 when
 * the line does not fit.  e's slices point into line.
 */
int prefix_match(const struct prefix *px, const char *line, size_t len, struct pg_entry *e,
		 size_t *used);

#endif
