/* SPDX-License-Identifier: PostgreSQL */
/* Open sessions per database, user, application and host; see groups.h. */
#include "model/groups.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* NULL sorts first, then byte order. */
static int cmp_name(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_group(const void *pa, const void *pb)
{
	const struct group *a = pa, *b = pb;
	int c;
	if ((c = cmp_name(a->db, b->db)) || (c = cmp_name(a->user, b->user)) ||
	    (c = cmp_name(a->app, b->app)))
		return c;
	return cmp_name(a->host, b->host);
}

/* keep[id]: the name with intern id keeps its place under the cap (the
 * first max entries of the breakdown b); NULL when every name is kept. */
static bool *kept_ids(const struct breakdown *b, int max, size_t nnames)
{
	if (max < 0 || (size_t)max >= b->n)
		return NULL;
	bool *keep = xcalloc(nnames ? nnames : 1, sizeof(*keep));
	for (size_t i = 0; i < (size_t)max; i++)
		keep[b->v[i].id] = true;
	return keep;
}

/* The label a capped field shows for intern id. */
static const char *capped(const struct tracker *t, uint32_t id, int max, const bool *keep)
{
	if (max == 0)
		return NULL;
	if (keep && !keep[id])
		return GROUPS_OTHER;
	return tracker_name(t, id);
}

void groups_build(struct groups *g, const struct model *m, const struct summary *s, int max_apps,
		  int max_hosts)
{
	const struct tracker *t = &m->t;
	size_t nnames = intern_count(&t->names);
	bool *keep_app = kept_ids(&s->by_app, max_apps, nnames);
	bool *keep_host = kept_ids(&s->by_host, max_hosts, nnames);
	size_t n = 0;

	g->v = xcalloc(t->pool_len ? t->pool_len : 1, sizeof(*g->v));
	for (uint32_t i = 0; i < t->pool_len; i++) {
		const struct session *se = &t->pool[i];
		if (se->state != SESS_OPEN || se->replication || !se->matches)
			continue;
		g->v[n++] = (struct group){.db = tracker_name(t, se->db),
					   .user = tracker_name(t, se->user),
					   .app = capped(t, se->app, max_apps, keep_app),
					   .host = capped(t, se->host, max_hosts, keep_host),
					   .count = 1};
	}
	if (n > 1)
		qsort(g->v, n, sizeof(*g->v), cmp_group);
	/* One group per distinct tuple. */
	g->n = 0;
	for (size_t i = 0; i < n; i++) {
		if (g->n && !cmp_group(&g->v[g->n - 1], &g->v[i]))
			g->v[g->n - 1].count++;
		else
			g->v[g->n++] = g->v[i];
	}
	free(keep_app);
	free(keep_host);
}

void groups_release(struct groups *g)
{
	free(g->v);
	g->v = NULL;
	g->n = 0;
}
