/* SPDX-License-Identifier: PostgreSQL */
/* Events as the stream shows them; see eventinfo.h. */
#include "conn/eventinfo.h"

#include <string.h>

#include "logfmt/ts.h"

static const char *name_or_null(const struct tracker *t, uint32_t id)
{
	return id ? tracker_name(t, id) : NULL;
}

void event_info_fill(struct event_info *x, const struct tracker *t, const struct tevent *ev,
		     const struct session *s)
{
	memset(x, 0, sizeof(*x));
	x->kind = ev->kind;
	x->at = ev->ts_ms;
	x->pid = ev->pid;
	x->duration_ms = -1;
	switch (ev->kind) {
	case EV_AUTHORIZED:
		x->shown = ev->replication ? SHOWN_NONE : SHOWN_CONNECT;
		break;
	case EV_DISCONNECTED:
		x->shown = s && s->replication ? SHOWN_NONE : SHOWN_DISCONNECT;
		break;
	case EV_FAILED:
		x->shown = SHOWN_FAILED;
		break;
	case EV_SERVER_START:
	case EV_SERVER_CRASH:
	case EV_SERVER_STOPPED:
		x->shown = SHOWN_SERVER;
		break;
	default:
		x->shown = SHOWN_NONE;
		break;
	}
	/* A session's events carry the session's names; a failed attempt its own,
	 * with the host of its receipt when the attempt has none. */
	bool own = s && ev->kind != EV_FAILED;
	x->app = name_or_null(t, own ? s->app : ev->app);
	x->user = name_or_null(t, own ? s->user : ev->user);
	x->db = name_or_null(t, own ? s->db : ev->db);
	x->host = name_or_null(t, s && (own || !ev->host) ? s->host : ev->host);
	if (ev->kind == EV_DISCONNECTED) {
		x->ending = ev->ending;
		x->duration_ms = ev->session_ms;
		if (x->duration_ms < 0 && s && s->t_open != TS_UNKNOWN && ev->ts_ms != TS_UNKNOWN)
			x->duration_ms = ev->ts_ms - s->t_open;
	}
	if (ev->kind == EV_FAILED) {
		x->reason = ev->reason;
		x->message = ev->message;
	}
}

bool event_info_matches(const struct event_info *x, const struct filter *f)
{
	if (x->shown == SHOWN_SERVER || !f || filter_empty(f))
		return true;
	return filter_match(f, x->app, x->user, x->db, x->host);
}

int64_t tracker_count_open(const struct tracker *t, const struct filter *f)
{
	int64_t open = 0;
	for (uint32_t i = 0; i < t->pool_len; i++) {
		const struct session *s = &t->pool[i];
		if (s->state != SESS_OPEN || s->replication)
			continue;
		if (f && !filter_empty(f) &&
		    !filter_match(f, name_or_null(t, s->app), name_or_null(t, s->user),
				  name_or_null(t, s->db), name_or_null(t, s->host)))
			continue;
		open++;
	}
	return open;
}
