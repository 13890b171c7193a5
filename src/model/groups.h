/* SPDX-License-Identifier: PostgreSQL */
/*
 * groups: the open client sessions that match the model's filter, counted
 * per (database, user, application, host) -- what pgtail_sessions_open
 * shows (view/metrics.c), so that any of its labels can be summed away and
 * the rest joined with postgres_exporter's pg_stat_activity_count.
 *
 * Cardinality is bounded by the caps: only the max_apps applications and
 * max_hosts hosts with the most open sessions (ties by name, the order of
 * the summary's breakdowns) keep their names; the others are counted under
 * GROUPS_OTHER.  A cap of 0 drops the name altogether (the field is NULL),
 * a negative cap keeps every name.  Databases and users are not capped:
 * the server's catalog bounds them.  Summed over any fields, the counts
 * equal the summary's breakdowns (model/summary.h) number for number, as
 * long as nothing is folded.
 */
#ifndef PGTAIL_GROUPS_H
#define PGTAIL_GROUPS_H

#include <stddef.h>
#include <stdint.h>

#include "model/model.h"
#include "model/summary.h"

/* The name that stands for the applications or hosts past a cap. */
#define GROUPS_OTHER "other"

struct group {
	const char *db, *user, *app, *host; /* display names as in the summary
					       ("unknown" for unset), GROUPS_OTHER,
					       or NULL for a dropped field; owned by
					       the tracker or static */
	int64_t count;                      /* open sessions, > 0 */
};

struct groups {
	struct group *v; /* sorted by db, user, app, host (byte order, NULL first) */
	size_t n;
};

/* Fill g from m's open sessions; s is m's summary (its breakdowns rank the
 * applications and hosts for the caps).  Free with groups_release. */
void groups_build(struct groups *g, const struct model *m, const struct summary *s, int max_apps,
		  int max_hosts);
void groups_release(struct groups *g);

#endif
