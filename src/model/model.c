/* SPDX-License-Identifier: PostgreSQL */
/* The connection model: entries in, tracker and history updated. */
#include "model/model.h"

#include <string.h>

#include "conn/classify.h"

void model_init(struct model *m, int64_t retention_ms)
{
	memset(m, 0, sizeof(*m));
	tracker_init(&m->t);
	history_setup(&m->hist, retention_ms);
	m->t.history = &m->hist;
	m->newest_ts = TS_UNKNOWN;
}

void model_release(struct model *m)
{
	tracker_release(&m->t);
	history_release(&m->hist);
}

void model_entry(void *model, const struct pg_entry *e)
{
	struct model *m = model;
	struct conn_event ev;

	if (e->ts_ms != TS_UNKNOWN && (m->newest_ts == TS_UNKNOWN || e->ts_ms > m->newest_ts))
		m->newest_ts = e->ts_ms;
	if (m->checked < 4096 && e->sev < SEV_DETAIL) {
		m->checked++;
		if (classify_is_english(e))
			m->english++;
	}
	if (!classify_maybe(e->sev, e->message.p, e->message.len))
		return;
	if (classify_entry(e, &ev) == EV_NONE)
		return;
	tracker_feed(&m->t, &ev);
}

int model_replay(struct model *m, const struct path_list *pl, const struct reader_opts *ro)
{
	int bad = 0;
	for (size_t i = 0; i < pl->n; i++)
		if (reader_run(pl->paths[i], ro, model_entry, m, &m->st) < 0)
			bad++;
	tracker_finish(&m->t);
	if (m->t.until_ms == TS_UNKNOWN && m->newest_ts != TS_UNKNOWN &&
	    m->newest_ts > m->t.last_ts)
		m->t.last_ts = m->newest_ts;
	return bad;
}

bool model_non_english(const struct model *m)
{
	return m->checked >= 20 && m->english * 20 < m->checked;
}

int64_t model_now(const struct model *m)
{
	if (m->t.until_ms != TS_UNKNOWN)
		return m->t.until_ms;
	return m->newest_ts != TS_UNKNOWN ? m->newest_ts : m->t.last_ts;
}

void model_names(const struct model *m, enum model_name kind,
		 void (*fn)(void *ctx, const char *name), void *ctx)
{
	const struct tracker *t = &m->t;
	if (kind == MODEL_APP)
		for (size_t i = 0; i < m->hist.napps; i++)
			if (m->hist.apps[i].app != HISTORY_OTHER_APPS)
				fn(ctx, tracker_name(t, m->hist.apps[i].app));
	for (uint32_t i = 0; i < t->pool_len; i++) {
		const struct session *s = &t->pool[i];
		if (s->state != SESS_OPEN)
			continue;
		uint32_t id = kind == MODEL_APP    ? s->app
			      : kind == MODEL_USER ? s->user
			      : kind == MODEL_DB   ? s->db
						   : s->host;
		fn(ctx, tracker_name(t, id));
	}
}
