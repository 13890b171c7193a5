/* SPDX-License-Identifier: PostgreSQL */
/* The connection model: entries in, tracker and history updated. */
#include "model/model.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conn/classify.h"
#include "conn/lang.h"
#include "source/journal.h"
#include "source/merge.h"
#include "source/parallel.h"
#include "source/sdjournal.h"
#include "util/clock.h"
#include "util/hash.h"
#include "util/xalloc.h"

void model_init(struct model *m, int64_t retention_ms)
{
	memset(m, 0, sizeof(*m));
	tracker_init(&m->t);
	history_setup(&m->hist, retention_ms);
	m->t.history = &m->hist;
	m->t.part_shift = MODEL_SERVER_SHIFT;
	m->newest_ts = TS_UNKNOWN;
	m->clock_ms = TS_UNKNOWN;
	m->skip_through = TS_UNKNOWN;
	for (size_t i = 0; i < MODEL_RECENT; i++)
		m->recent[i].ts_ms = TS_UNKNOWN;
	m->langs = LANGS_ALL;
	m->lang_forced = -1;
}

void model_force_lang(struct model *m, int lang)
{
	m->lang_forced = lang;
	m->langs = 1u << LANG_EN | 1u << lang;
}

void model_dest_change(struct model *m)
{
	m->skip_through = m->newest_ts;
}

void model_release(struct model *m)
{
	for (size_t i = 0; i < m->nservers; i++)
		free(m->servers[i]);
	tracker_release(&m->t);
	history_release(&m->hist);
}

/* The servers[] index of host h, added when new; MODEL_MAX_SERVERS when
 * there is no room left. */
static size_t server_index(struct model *m, struct slice h)
{
	if (m->nservers && slice_eq(h, m->servers[m->last_server]))
		return m->last_server;
	for (size_t i = 0; i < m->nservers; i++)
		if (slice_eq(h, m->servers[i]))
			return m->last_server = i;
	if (m->nservers == MODEL_MAX_SERVERS) {
		m->servers_over++;
		return MODEL_MAX_SERVERS;
	}
	m->servers[m->nservers] = xmemdupz(h.p, h.len);
	return m->last_server = m->nservers++;
}

/* The hash of a record's message (its first 256 bytes). */
static uint64_t message_hash(const struct pg_entry *e)
{
	return hash_bytes(e->message.p, e->message.len < 256 ? e->message.len : 256);
}

/* Was e read already (model.recent), from another destination's file?
 * guests_only: only a guest's copy counts. */
static bool read_already(const struct model *m, const struct pg_entry *e, uint64_t h,
			 bool guests_only)
{
	for (size_t i = 0; i < MODEL_RECENT; i++) {
		const struct model_recent *r = &m->recent[i];
		if (guests_only && !r->guest)
			continue;
		if (r->hash == h && r->ts_ms != TS_UNKNOWN && r->ts_ms - e->ts_ms < 1000 &&
		    e->ts_ms - r->ts_ms < 1000 &&
		    (r->pid == e->pid || r->pid == PID_UNKNOWN || e->pid == PID_UNKNOWN))
			return true;
	}
	return false;
}

void model_entry(void *model, const struct pg_entry *e)
{
	struct model *m = model;
	struct conn_event ev;
	int64_t salt = 0;

	if (e->server.len) {
		size_t idx = server_index(m, e->server);
		if (m->server && !slice_eq(e->server, m->server)) {
			m->other_servers++;
			return;
		}
		if (!m->server)
			salt = (int64_t)idx << MODEL_SERVER_SHIFT;
	}

	/* A guest (a record of another destination's format in the stderr
	 * file) was written there because its own file was not open: it is in
	 * no other destination's file.  But it can be read twice -- by the side
	 * follower, and again when the stderr file it is in becomes current --
	 * and with stderr among the destinations its plain twin is beside it:
	 * one read already is dropped. */
	uint64_t h = 0;
	bool hashed = false;
	if (e->guest && e->ts_ms != TS_UNKNOWN) {
		h = message_hash(e);
		hashed = true;
		if (read_already(m, e, h, false)) {
			m->skipped_twins++;
			return;
		}
	} else if (m->recent_guests && e->ts_ms != TS_UNKNOWN &&
		   classify_maybe(e->sev, e->message.p, e->message.len)) {
		/* The plain twin of a guest read just before it (the server
		 * writes a record's csvlog and jsonlog forms before its stderr
		 * one). */
		h = message_hash(e);
		hashed = true;
		if (read_already(m, e, h, true)) {
			m->skipped_twins++;
			return;
		}
	}
	if (!e->guest && m->skip_through != TS_UNKNOWN && e->ts_ms != TS_UNKNOWN) {
		if (e->ts_ms <= m->skip_through) {
			if (!hashed)
				h = message_hash(e);
			hashed = true;
			if (read_already(m, e, h, false)) {
				m->skipped_twins++;
				return;
			}
		} else {
			m->skip_through = TS_UNKNOWN;
		}
	}

	if (e->ts_ms != TS_UNKNOWN && (m->newest_ts == TS_UNKNOWN || e->ts_ms > m->newest_ts))
		m->newest_ts = e->ts_ms;
	if (m->checked < 4096 && e->sev < SEV_DETAIL) {
		int lang = -1;
		m->checked++;
		if (classify_is_english(e)) {
			m->english++;
			lang = LANG_EN;
		} else if ((lang = lang_of_entry(e)) >= 0 && (m->langs & 1u << lang)) {
			m->told++;
		} else {
			lang = -1;
		}
		if (lang >= 0)
			m->lang_msgs[lang]++;
	}
	if (!classify_maybe(e->sev, e->message.p, e->message.len))
		return;
	struct model_recent *slot = &m->recent[m->recent_next++ % MODEL_RECENT];
	m->recent_guests -= slot->guest;
	*slot = (struct model_recent){.ts_ms = e->ts_ms,
				      .pid = e->pid,
				      .hash = hashed ? h : message_hash(e),
				      .guest = e->guest};
	m->recent_guests += slot->guest;
	if (classify_entry_lang(e, m->langs, &ev) == EV_NONE)
		return;
	if (m->checked >= 4096)
		m->lang_msgs[ev.lang]++;
	if (salt && ev.pid >= 0)
		ev.pid += salt;
	if (salt && ev.other_pid >= 0)
		ev.other_pid += salt;
	tracker_feed(&m->t, &ev);
}

/* After a replay: apply what the reorder buffer holds; now is the newest record. */
static void replay_done(struct model *m)
{
	tracker_finish(&m->t);
	if (m->t.until_ms == TS_UNKNOWN && m->newest_ts != TS_UNKNOWN &&
	    m->newest_ts > m->t.last_ts)
		m->t.last_ts = m->newest_ts;
}

static void journal_dest_change(void *model)
{
	model_dest_change(model);
}

int model_replay_journal(struct model *m, const struct journal *j, const struct reader_opts *ro,
			 struct journal_loss *lost)
{
	struct journal_loss l;
	int rc = journal_replay(j, ro, model_entry, m, &m->st, &l, journal_dest_change, m);
	m->skipped_twins += l.twins;
	if (lost)
		*lost = l;
	replay_done(m);
	return rc;
}

int model_replay(struct model *m, const struct path_list *pl, const struct reader_opts *ro)
{
	int bad = 0;
	if (path_list_dests(pl) > 1) {
		/* Several destinations: their files overlap in time. */
		struct merge_src *src = xcalloc(pl->n, sizeof(*src));
		for (size_t i = 0; i < pl->n; i++)
			src[i] = (struct merge_src){
			    .path = pl->paths[i], .fmt = pl->formats[i], .fd = -1};
		struct merge_out mo;
		bad = merge_run(src, pl->n, ro, model_entry, m, &m->st, &mo);
		m->skipped_twins += mo.twins;
		free(src);
	} else {
		bad = parallel_run((const char *const *)pl->paths, pl->n, ro, ro->jobs, model_entry,
				   m, &m->st);
	}
	replay_done(m);
	return bad;
}

int model_replay_sdjournal(struct model *m, const char *unit, const char *until,
			   const struct reader_opts *ro)
{
	int rc = sdjournal_run(unit, until, ro, model_entry, m, &m->st);
	replay_done(m);
	return rc;
}

bool model_non_english(const struct model *m)
{
	return m->checked >= 20 && (m->english + m->told) * 20 < m->checked;
}

int64_t model_wall_clock(void)
{
	return clock_wall_ms();
}

int64_t model_now(const struct model *m)
{
	if (m->t.until_ms != TS_UNKNOWN)
		return m->t.until_ms;
	if (m->clock_ms != TS_UNKNOWN)
		return m->clock_ms;
	return m->newest_ts != TS_UNKNOWN ? m->newest_ts : m->t.last_ts;
}

void model_names(const struct model *m, enum model_name kind,
		 void (*fn)(void *ctx, const char *name), void *ctx)
{
	static const uint8_t bits[] = {[MODEL_APP] = TNAME_APP,
				       [MODEL_USER] = TNAME_USER,
				       [MODEL_DB] = TNAME_DB,
				       [MODEL_HOST] = TNAME_HOST};
	const struct tracker *t = &m->t;
	for (size_t id = 1; id < t->name_kinds_len && id < intern_count(&t->names); id++)
		if (t->name_kinds[id] & bits[kind])
			fn(ctx, tracker_name(t, (uint32_t)id));
}
