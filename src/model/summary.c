/* SPDX-License-Identifier: PostgreSQL */
/* The "connections" view model; see summary.h. */
#include "model/summary.h"

#include <stdlib.h>
#include <string.h>

#include "conn/lang.h"
#include "logfmt/ts.h"
#include "util/xalloc.h"

/* log_disconnections looks off from this many connects without one. */
#define NO_DISCONNECTIONS_MIN 1000
/* log_connections looks off from this many disconnections without one. */
#define NO_CONNECTIONS_MIN 20

static int cmp_nc(const void *a, const void *b)
{
	const struct name_count *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Count open sessions per name id of one dimension. */
static void tally(struct breakdown *b, const struct tracker *t, enum model_name field)
{
	size_t nn = intern_count(&t->names);
	int64_t *cnt = xcalloc(nn, sizeof(*cnt));

	for (uint32_t i = 0; i < t->pool_len; i++) {
		const struct session *s = &t->pool[i];
		if (s->state != SESS_OPEN || s->replication || !s->matches)
			continue;
		uint32_t id = field == MODEL_DB     ? s->db
			      : field == MODEL_USER ? s->user
			      : field == MODEL_APP  ? s->app
						    : s->host;
		cnt[id]++;
	}
	b->n = 0;
	b->v = xcalloc(nn, sizeof(*b->v));
	for (size_t id = 0; id < nn; id++) {
		if (!cnt[id])
			continue;
		b->v[b->n].name = tracker_name(t, (uint32_t)id);
		b->v[b->n].count = cnt[id];
		b->v[b->n].id = (uint32_t)id;
		b->n++;
	}
	if (b->n > 1)
		qsort(b->v, b->n, sizeof(*b->v), cmp_nc);
	free(cnt);
}

/* Each server's open sessions, connects and failures (a central log host). */
static void tally_servers(struct summary *s, const struct model *m)
{
	const struct tracker *t = &m->t;
	size_t n = m->nservers + (m->servers_over ? 1 : 0);
	s->by_server = xcalloc(n, sizeof(*s->by_server));
	s->n_by_server = n;
	for (size_t i = 0; i < n; i++) {
		s->by_server[i].name = i < m->nservers ? m->servers[i] : "(other servers)";
		s->by_server[i].connects = t->part_connects[i];
		s->by_server[i].failed = t->part_failed[i];
	}
	for (uint32_t i = 0; i < t->pool_len; i++) {
		const struct session *ss = &t->pool[i];
		if (ss->state != SESS_OPEN || ss->replication || !ss->matches)
			continue;
		unsigned p = tracker_part(t, ss->key);
		if (p < n)
			s->by_server[p].active++;
	}
}

static struct caveat *caveat(struct summary *s, enum caveat_kind k, int64_t n, int64_t of,
			     int64_t at)
{
	struct caveat *c = &s->caveats[s->ncaveats++];
	*c = (struct caveat){.kind = k, .n = n, .of = of, .at = at};
	return c;
}

static int64_t day_of(int64_t ms)
{
	return ms >= 0 ? ms / 86400000 : (ms - 86399999) / 86400000;
}

/*
 * The periods of g worth naming: those that reach into the window, and
 * those since the last server start while their sessions still matter
 * (held silent sessions, a lower bound).  With --since an old period that
 * changes nothing shown is left out.
 */
static void gap_caveat(struct summary *s, const struct tracker *t, const struct tracker_gaps *g,
		       enum caveat_kind k, int64_t n, bool lingering)
{
	struct caveat *c;
	int64_t since = t->since_ms;
	size_t i = 0;

	if (!g->n)
		return;
	if (since != TS_UNKNOWN) {
		for (; i < g->n; i++) {
			const struct tracker_gap *p = &g->v[i];
			if (p->to == TS_UNKNOWN || p->to >= since ||
			    (lingering &&
			     (t->complete_since == TS_UNKNOWN || p->to > t->complete_since)))
				break;
		}
		if (i == g->n)
			return;
	}
	c = caveat(s, k, n, g->off, TS_UNKNOWN);
	c->merged = g->count - (int64_t)g->n;
	for (; i < g->n; i++) {
		c->spans[c->nspans++] = (struct span){.from = g->v[i].from, .to = g->v[i].to};
		for (int j = 0; j < 2; j++) {
			int64_t ms = j ? g->v[i].to : g->v[i].from;
			if (ms != TS_UNKNOWN && s->now_ms != TS_UNKNOWN &&
			    day_of(ms) != day_of(s->now_ms))
				c->days = true;
		}
	}
}

/*
 * The languages read, most messages first.  A language of a single message
 * among others is taken for a chance likeness and left out.
 */
static void summary_langs(struct summary *s, const struct model *m)
{
	bool taken[LANG__COUNT] = {false};
	uint64_t total = 0;

	for (int l = 0; l < LANG__COUNT; l++)
		total += m->lang_msgs[l];
	s->nlangs = 0;
	s->lang_forced = m->lang_forced >= 0;
	if (s->lang_forced) {
		s->langs[s->nlangs++] = lang_code(m->lang_forced);
		taken[m->lang_forced] = true;
	}
	for (;;) {
		int best = -1;
		for (int l = 0; l < LANG__COUNT; l++)
			if (!taken[l] && m->lang_msgs[l] &&
			    (best < 0 || m->lang_msgs[l] > m->lang_msgs[best]))
				best = l;
		if (best < 0 || (m->lang_msgs[best] < 2 && m->lang_msgs[best] < total))
			break;
		taken[best] = true;
		s->langs[s->nlangs++] = lang_code(best);
	}
}

void summary_build(struct summary *s, const struct model *m)
{
	const struct tracker *t = &m->t;

	memset(s, 0, sizeof(*s));
	s->now_ms = model_now(m);
	s->following = m->clock_ms != TS_UNKNOWN && t->until_ms == TS_UNKNOWN;
	s->last_line_ms = m->newest_ts;
	s->window_start_ms = t->since_ms != TS_UNKNOWN ? t->since_ms : t->window_first_ts;
	s->active = t->active;
	s->active_unknown = t->silent;
	s->complete = t->complete && !t->unseen;
	s->has_pids = t->has_pids;
	tally(&s->by_db, t, MODEL_DB);
	tally(&s->by_user, t, MODEL_USER);
	tally(&s->by_app, t, MODEL_APP);
	tally(&s->by_host, t, MODEL_HOST);
	s->replication_active = t->replication_active;
	s->replication_connects = t->replication_connects;
	s->connects = t->connects;
	s->disconnects = t->disconnects;
	s->failed = t->failed;
	for (int i = 1; i < FAIL__COUNT; i++)
		if (t->failed_by_reason[i]) {
			s->failed_by_reason[s->n_reasons].name =
			    fail_reason_name((enum fail_reason)i);
			s->failed_by_reason[s->n_reasons++].count = t->failed_by_reason[i];
		}
	for (int i = 1; i < END__COUNT; i++)
		if (t->ended_by[i]) {
			s->ended_by_server[s->n_ended].name = end_reason_name((enum end_reason)i);
			s->ended_by_server[s->n_ended++].count = t->ended_by[i];
		}
	s->durations = t->durations;
	s->peak = t->peak;
	s->peak_at = t->peak_at;
	s->abandoned = t->abandoned;
	s->ended_by_reset = t->ended_by_reset;
	s->ended_by_pid_reuse = t->lost_by_reuse;
	s->unmatched_disconnects = t->unmatched_disconnects;
	s->names_over_limit = t->names.refused;
	filter_describe(&t->filter, s->filter_desc, sizeof(s->filter_desc));
	s->files = m->st.files;
	s->lines = m->st.lines;
	s->skipped = m->st.skipped;

	if (m->st.files && m->st.bytes == 0)
		caveat(s, CAVEAT_EMPTY, 0, (int64_t)m->st.files, TS_UNKNOWN);
	else if (!t->has_connection_events)
		caveat(s, CAVEAT_NO_EVENTS, (int64_t)m->st.lines, (int64_t)m->st.files, TS_UNKNOWN);
	else if (!t->complete)
		caveat(s, CAVEAT_LOWER_BOUND, 0, 0, t->first_ts);
	if (!t->has_pids && t->seq)
		caveat(s, CAVEAT_NO_PIDS, 0, 0, TS_UNKNOWN);
	/* What the log said about the settings, else a guess from the counts. */
	gap_caveat(s, t, &t->disc_gaps, CAVEAT_DISCONNECTIONS_GAP, t->silent, t->silent > 0);
	gap_caveat(s, t, &t->conn_gaps, CAVEAT_CONNECTIONS_GAP, t->unseen, t->unseen);
	if (!t->disc_gaps.seen && t->connects >= NO_DISCONNECTIONS_MIN && t->disconnects == 0 &&
	    t->unmatched_disconnects == 0)
		caveat(s, CAVEAT_NO_DISCONNECTIONS, t->connects, 0, TS_UNKNOWN);
	if (!t->conn_gaps.seen && t->connects == 0 &&
	    t->unmatched_disconnects >= NO_CONNECTIONS_MIN)
		caveat(s, CAVEAT_NO_CONNECTIONS, t->unmatched_disconnects, 0, TS_UNKNOWN);
	if (t->names.refused)
		caveat(s, CAVEAT_NAMES_OVER_LIMIT, (int64_t)t->names.refused, TRACKER_MAX_NAMES,
		       TS_UNKNOWN);
	if (model_non_english(m))
		caveat(s, CAVEAT_NOT_ENGLISH, (int64_t)(m->english + m->told), (int64_t)m->checked,
		       TS_UNKNOWN);
	summary_langs(s, m);
	if (m->st.skipped)
		caveat(s, CAVEAT_SKIPPED, (int64_t)m->st.skipped, 0, TS_UNKNOWN);
	s->servers = m->servers;
	s->nservers = m->nservers;
	s->server = m->server;
	bool found = false;
	for (size_t i = 0; m->server && i < m->nservers; i++)
		found |= strcmp(m->servers[i], m->server) == 0;
	if (m->server && !found)
		caveat(s, CAVEAT_NO_SUCH_SERVER, (int64_t)m->nservers, 0, TS_UNKNOWN);
	else if (!m->server && m->nservers > 1)
		caveat(s, CAVEAT_SERVERS, (int64_t)m->nservers, (int64_t)m->servers_over,
		       TS_UNKNOWN);
	if (!m->server && m->nservers > 1)
		tally_servers(s, m);
}

void summary_release(struct summary *s)
{
	free(s->by_db.v);
	free(s->by_user.v);
	free(s->by_app.v);
	free(s->by_host.v);
	free(s->by_server);
}

const struct caveat *summary_caveat(const struct summary *s, enum caveat_kind k)
{
	for (size_t i = 0; i < s->ncaveats; i++)
		if (s->caveats[i].kind == k)
			return &s->caveats[i];
	return NULL;
}
