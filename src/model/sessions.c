/* SPDX-License-Identifier: PostgreSQL */
/* The open sessions, oldest first; see sessions.h. */
#include "model/sessions.h"

#include <stdlib.h>

#include "logfmt/ts.h"
#include "util/xalloc.h"

static int cmp_open(const void *a, const void *b)
{
	const struct open_session *x = a, *y = b;
	if (x->opened_at != y->opened_at)
		return x->opened_at < y->opened_at ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

void session_list_build(struct session_list *l, const struct model *m)
{
	const struct tracker *t = &m->t;
	l->v = xcalloc(t->pool_len ? t->pool_len : 1, sizeof(*l->v));
	l->n = 0;
	l->now = model_now(m);
	l->complete = t->complete && !t->unseen;
	l->unseen = t->unseen;
	l->unknown = t->silent;
	filter_describe(&t->filter, l->filter_desc, sizeof(l->filter_desc));
	for (uint32_t i = 0; i < t->pool_len; i++) {
		const struct session *s = &t->pool[i];
		if (s->state != SESS_OPEN || s->replication || !s->matches)
			continue;
		l->v[l->n++] = (struct open_session){
		    .pid = s->key >= 0 ? MODEL_PID_OF(s->key) : -1,
		    .user = tracker_name(t, s->user),
		    .db = tracker_name(t, s->db),
		    .app = tracker_name(t, s->app),
		    .host = s->host ? tracker_name(t, s->host) : NULL,
		    .port = s->port,
		    .opened_at = s->t_open,
		};
	}
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_open);
}

void session_list_release(struct session_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
