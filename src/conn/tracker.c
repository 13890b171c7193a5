/* SPDX-License-Identifier: PostgreSQL */
/* The session model: which client sessions are open, and the counters
 * around them.  See tracker.h for the traps it handles. */
#include "conn/tracker.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* How long the reorder buffer holds events, in log time. */
#define TRACKER_REORDER_MS 2000
/* A receipt older than this without authorization is an abandoned attempt
 * (authentication_timeout defaults to one minute). */
#define RECEIPT_TIMEOUT_MS (5 * 60 * 1000)
#define NO_SLOT UINT32_MAX

static void tracker_apply(void *ctx, struct tevent *ev);

void tracker_init(struct tracker *t)
{
	memset(t, 0, sizeof(*t));
	intern_init(&t->names);
	intern_set_max(&t->names, TRACKER_MAX_NAMES, TRACKER_OVER_NAME);
	filter_init(&t->filter);
	reorder_init(&t->reorder, TRACKER_REORDER_MS, tracker_apply, t);
	hashmap_init(&t->by_key);
	t->free_head = NO_SLOT;
	t->next_anon = -2;
	t->since_ms = t->until_ms = TS_UNKNOWN;
	t->peak_at = TS_UNKNOWN;
	t->first_ts = t->last_ts = t->window_first_ts = TS_UNKNOWN;
	t->complete_since = TS_UNKNOWN;
}

void tracker_release(struct tracker *t)
{
	reorder_release(&t->reorder);
	intern_release(&t->names);
	free(t->name_kinds);
	filter_release(&t->filter);
	hashmap_release(&t->by_key);
	free(t->pool);
	memset(t, 0, sizeof(*t));
}

void tracker_set_window(struct tracker *t, int64_t since_ms, int64_t until_ms)
{
	t->since_ms = since_ms;
	t->until_ms = until_ms;
}

unsigned tracker_part(const struct tracker *t, int64_t key)
{
	if (!t->part_shift || key < 0)
		return 0;
	int64_t p = key >> t->part_shift;
	return p < TRACKER_MAX_PARTS ? (unsigned)p : TRACKER_MAX_PARTS - 1;
}

const char *tracker_name(const struct tracker *t, uint32_t id)
{
	if (id == HISTORY_OTHER_APPS)
		return "(other applications)";
	return id ? intern_str(&t->names, id) : "unknown";
}

/* ---- session pool ---- */

static struct session *sess_lookup(struct tracker *t, int64_t key)
{
	uint32_t idx;
	if (key == PID_UNKNOWN || !hashmap_get(&t->by_key, key, &idx))
		return NULL;
	return &t->pool[idx];
}

static struct session *sess_new(struct tracker *t, int64_t key)
{
	uint32_t idx;
	if (t->free_head != NO_SLOT) {
		idx = t->free_head;
		t->free_head = t->pool[idx].next_free;
	} else {
		if (t->pool_len == t->pool_cap) {
			t->pool_cap = t->pool_cap ? t->pool_cap * 2 : 256;
			t->pool = xreallocarray(t->pool, t->pool_cap, sizeof(*t->pool));
		}
		idx = t->pool_len++;
	}
	struct session *s = &t->pool[idx];
	memset(s, 0, sizeof(*s));
	s->key = key;
	s->t_received = s->t_open = TS_UNKNOWN;
	hashmap_put(&t->by_key, key, idx);
	return s;
}

static void sess_free(struct tracker *t, struct session *s)
{
	uint32_t idx = (uint32_t)(s - t->pool);
	hashmap_del(&t->by_key, s->key);
	s->state = SESS_FREE;
	s->next_free = t->free_head;
	t->free_head = idx;
}

static bool in_window(const struct tracker *t, int64_t ts)
{
	if (t->since_ms == TS_UNKNOWN || ts == TS_UNKNOWN)
		return true;
	return ts >= t->since_ms;
}

static bool matches(struct tracker *t, uint32_t app, uint32_t user, uint32_t db, uint32_t host)
{
	if (filter_empty(&t->filter))
		return true;
	return filter_match(&t->filter, app ? intern_str(&t->names, app) : NULL,
			    user ? intern_str(&t->names, user) : NULL,
			    db ? intern_str(&t->names, db) : NULL,
			    host ? intern_str(&t->names, host) : NULL);
}

enum close_how {
	CLOSE_ENDED,   /* the session ended (disconnection, crash, lost) */
	CLOSE_REFUSED, /* it never was a session: refused after authorization */
};

/* A session leaves the open set (or the silent ones). */
static void sess_close_how(struct tracker *t, struct session *s, enum close_how how)
{
	if (s->state == SESS_SILENT && !s->replication && s->matches)
		t->silent--;
	if (s->state == SESS_OPEN) {
		if (s->replication) {
			if (s->matches)
				t->replication_active--;
		} else {
			t->open_total--;
			if (s->matches) {
				t->active--;
				if (t->history && how == CLOSE_REFUSED) {
					history_unopen(t->history, s->t_open, t->cur_ts, s->app);
				} else if (t->history) {
					int64_t d = t->cur_session_ms;
					if (d < 0 && t->cur_ts != TS_UNKNOWN &&
					    s->t_open != TS_UNKNOWN)
						d = t->cur_ts - s->t_open;
					history_close(t->history, t->cur_ts, s->app, d);
				}
			}
		}
	}
	sess_free(t, s);
}

static void sess_close(struct tracker *t, struct session *s)
{
	sess_close_how(t, s, CLOSE_ENDED);
}

static void note_peak(struct tracker *t, int64_t ts)
{
	if (t->active > t->peak) {
		t->peak = t->active;
		t->peak_at = ts;
	}
}

/* ---- events ---- */

static void count_failure(struct tracker *t, const struct tevent *ev, uint32_t host)
{
	if (!in_window(t, ev->ts_ms))
		return;
	if (!matches(t, ev->app, ev->user, ev->db, host))
		return;
	t->failed++;
	t->part_failed[tracker_part(t, ev->pid)]++;
	t->failed_by_reason[ev->reason]++;
	if (t->history)
		history_fail(t->history, ev->ts_ms);
}

/* A receipt that will never be authorized: the client gave up -- unless
 * log_connections did not log authorizations when it came. */
static void count_abandoned(struct tracker *t, const struct session *s, int64_t ts)
{
	if (!s->conn_off && in_window(t, ts) && matches(t, 0, 0, 0, s->host))
		t->abandoned++;
}

/* The server restarted, crashed or stopped: every session of its part is
 * gone (of every part when the event has no pid to say which).  The silent
 * ones go uncounted: nothing says whether they were still open. */
static void reset_all(struct tracker *t, int64_t ts, int64_t pid)
{
	unsigned part = tracker_part(t, pid);
	bool all = pid == PID_UNKNOWN || t->parts_seen == UINT64_C(1) << part;
	for (uint32_t i = 0; i < t->pool_len; i++) {
		struct session *s = &t->pool[i];
		if (s->state == SESS_FREE)
			continue;
		if (!all && tracker_part(t, s->key) != part)
			continue;
		/* A receipt that never went further can no longer become a session. */
		if (s->state == SESS_RECEIVED)
			count_abandoned(t, s, ts);
		if (s->state == SESS_OPEN && s->matches && !s->replication && in_window(t, ts))
			t->ended_by_reset++;
		sess_close(t, s);
	}
	if (all)
		t->silent = 0; /* those of a log without PIDs, which are only counted */
	/* The settings outlive a restart: still off, the next sessions are
	 * unseen again. */
	t->unseen = t->conn_gaps.off;
	t->authorized_since_reset = 0;
	t->parts_reset |= all ? t->parts_seen | 1 : UINT64_C(1) << part;
	/* Exact when every server seen so far was seen starting. */
	t->complete = (t->parts_seen & ~t->parts_reset) == 0;
	t->complete_since = ts;
	t->resets++;
}

/*
 * In a log without PIDs: the receipt an authorization (or a failure before
 * it) belongs to.  Backends log "connection received" and then, a moment
 * later, their authorization, so the oldest unclaimed receipt is the best
 * guess -- except for receipts of clients that gave up, which would shift
 * every later pairing by one: a receipt passed over by ANON_MAX_SKEW newer
 * ones is taken as abandoned and no longer claimed.
 */
#define ANON_MAX_SKEW 16

static struct session *anon_claim_receipt(struct tracker *t, int64_t ts)
{
	struct session *best = NULL;
	for (uint32_t i = 0; i < t->pool_len; i++) {
		struct session *s = &t->pool[i];
		if (s->state != SESS_RECEIVED || s->key >= 0)
			continue;
		if (ts != TS_UNKNOWN && s->t_received != TS_UNKNOWN &&
		    ts - s->t_received > RECEIPT_TIMEOUT_MS)
			continue;
		/* Keys count down from -2: the receipt's age in receipts. */
		if (s->key - t->next_anon > ANON_MAX_SKEW) {
			count_abandoned(t, s, s->t_received);
			sess_close(t, s);
			continue;
		}
		if (!best || s->key > best->key) /* larger key is older */
			best = s;
	}
	return best;
}

/*
 * In a log without PIDs: the open session a disconnection closes.  The
 * disconnection names user, database, host and port: the session with all
 * four is it; failing that (its receipt was paired wrongly), the oldest
 * session of the same user and database, so that the totals stay exact
 * even where the host of a session was guessed wrong.
 */
static struct session *anon_find_open(struct tracker *t, const struct tevent *ev)
{
	struct session *best = NULL;
	int best_score = -1;
	for (uint32_t i = 0; i < t->pool_len; i++) {
		struct session *s = &t->pool[i];
		if (s->state != SESS_OPEN || s->user != ev->user || s->db != ev->db)
			continue;
		int score = 0;
		if (ev->host && s->host == ev->host)
			score += 1;
		if (ev->port && s->port == ev->port)
			score += 2;
		/* Among equals, the oldest session (keys count down). */
		if (score > best_score || (score == best_score && s->key > best->key)) {
			best = s;
			best_score = score;
		}
	}
	return best;
}

static void on_received(struct tracker *t, struct tevent *ev)
{
	int64_t key = ev->pid;
	if (key != PID_UNKNOWN) {
		struct session *old = sess_lookup(t, key);
		if (old) {
			if (old->state == SESS_OPEN) {
				/* The PID's session ended without a line. */
				if (old->matches && !old->replication && in_window(t, ev->ts_ms))
					t->lost_by_reuse++;
			} else if (old->state == SESS_RECEIVED) {
				count_abandoned(t, old, ev->ts_ms);
			}
			/* A silent session has ended: it leaves uncounted. */
			sess_close(t, old);
		}
	} else {
		key = t->next_anon--;
	}
	struct session *s = sess_new(t, key);
	s->state = SESS_RECEIVED;
	s->t_received = ev->ts_ms;
	s->host = ev->host;
	s->port = ev->port;
	/* The backend has just been forked with the settings of this moment. */
	s->disc_off = t->disc_gaps.off;
	s->conn_off = t->conn_gaps.off;
}

/* What an authorization says of its session: when it opened, who, where to,
 * with what; the host and port of its receipt stay unless it names its own. */
static void sess_take_authorization(struct session *s, const struct tevent *ev)
{
	s->t_open = ev->ts_ms;
	s->user = ev->user;
	s->db = ev->db;
	s->app = ev->app;
	if (ev->host) {
		s->host = ev->host;
		s->port = ev->port;
	}
	s->replication = ev->replication;
}

/*
 * A session authorized while log_disconnections was off: counted as a
 * connect, held by PID as silent, never as open.  In a log without PIDs
 * nothing could ever release it, so it is only counted (until a reset).
 */
static void open_silent(struct tracker *t, struct tevent *ev, struct session *s)
{
	bool m = matches(t, ev->app, ev->user, ev->db, s ? s->host : ev->host);
	if (ev->replication) {
		if (m && in_window(t, ev->ts_ms))
			t->replication_connects++;
	} else if (m) {
		t->silent++;
		if (t->history)
			history_connect(t->history, ev->ts_ms, ev->app);
		if (in_window(t, ev->ts_ms)) {
			t->connects++;
			t->part_connects[tracker_part(t, ev->pid)]++;
		}
	}
	if (ev->pid == PID_UNKNOWN) {
		if (s)
			sess_close(t, s); /* its receipt */
		return;
	}
	if (!s)
		s = sess_new(t, ev->pid);
	s->state = SESS_SILENT;
	sess_take_authorization(s, ev);
	s->matches = m;
}

static void on_disconnected(struct tracker *t, struct tevent *ev);

/* Keep an unmatched disconnection for an authorization read after it. */
static void keep_early(struct tracker *t, const struct tevent *ev, bool counted)
{
	if (ev->pid == PID_UNKNOWN || ev->ts_ms == TS_UNKNOWN)
		return;
	struct early_disc *e = &t->early[t->nearly++ % TRACKER_EARLY];
	e->ev = *ev;
	e->ev.message = NULL;
	e->counted = counted;
}

/*
 * The session just authorized (ev) has already been seen to end: its
 * disconnection, from the same PID, no older than the authorization, its
 * session begun (by its session time) up to a minute before it, was read
 * first.  That happens when the two are in different files read at
 * different moments -- while log_destination changes, a record the logging
 * collector could not yet put in its new file goes to the stderr file.
 * Close the session now with that disconnection.
 */
static void early_disconnect(struct tracker *t, const struct tevent *ev)
{
	if (ev->pid == PID_UNKNOWN || ev->ts_ms == TS_UNKNOWN)
		return;
	size_t n = t->nearly < TRACKER_EARLY ? t->nearly : TRACKER_EARLY;
	for (size_t i = 0; i < n; i++) {
		struct early_disc *e = &t->early[i];
		if (e->ev.pid != ev->pid || e->ev.ts_ms < ev->ts_ms)
			continue;
		/* Its session began (the backend's start) before the
		 * authorization, by no more than authentication_timeout's
		 * default. */
		int64_t began = e->ev.ts_ms - e->ev.session_ms;
		if (e->ev.session_ms >= 0 &&
		    (began > ev->ts_ms + 1000 || began < ev->ts_ms - 61000))
			continue;
		struct tevent d = e->ev;
		e->ev.pid = PID_UNKNOWN; /* used up */
		if (e->counted)
			t->unmatched_disconnects--;
		t->early_closed++;
		on_disconnected(t, &d);
		return;
	}
}

static void authorize(struct tracker *t, struct tevent *ev);

static void on_authorized(struct tracker *t, struct tevent *ev)
{
	if (ev->cancelled)
		return; /* refused a moment later: reorder took it back */
	authorize(t, ev);
	if (t->nearly)
		early_disconnect(t, ev);
}

static void authorize(struct tracker *t, struct tevent *ev)
{
	struct session *s = NULL;
	if (ev->pid != PID_UNKNOWN) {
		s = sess_lookup(t, ev->pid);
		if (s && (s->state == SESS_OPEN || s->state == SESS_SILENT)) {
			/* Authorized twice without a close: the first was lost. */
			sess_close(t, s);
			s = NULL;
		}
	} else {
		s = anon_claim_receipt(t, ev->ts_ms);
	}
	t->authorized_since_reset++;
	/* The backend has the settings of its fork: its receipt's moment when
	 * the receipt was seen, else this one. */
	if (s ? s->disc_off : t->disc_gaps.off) {
		open_silent(t, ev, s);
		return;
	}
	if (!s)
		s = sess_new(t, ev->pid != PID_UNKNOWN ? ev->pid : t->next_anon--);
	s->state = SESS_OPEN;
	s->ending = END_NONE;
	sess_take_authorization(s, ev);
	s->matches = matches(t, s->app, s->user, s->db, s->host);
	if (s->replication) {
		if (s->matches) {
			t->replication_active++;
			if (in_window(t, ev->ts_ms))
				t->replication_connects++;
		}
		return;
	}
	t->open_total++;
	if (s->matches) {
		t->active++;
		if (t->history)
			history_open(t->history, ev->ts_ms, s->app);
		if (in_window(t, ev->ts_ms)) {
			t->connects++;
			t->part_connects[tracker_part(t, s->key)]++;
			note_peak(t, ev->ts_ms);
		}
	}
}

/* A disconnection counted: its session time, as the line gives it (else
 * from the authorization, when both times are known). */
static void count_duration(struct tracker *t, const struct session *s, const struct tevent *ev)
{
	int64_t d = ev->session_ms;
	if (d < 0 && ev->ts_ms != TS_UNKNOWN && s->t_open != TS_UNKNOWN)
		d = ev->ts_ms - s->t_open;
	durations_add(&t->durations, d);
}

static void on_disconnected(struct tracker *t, struct tevent *ev)
{
	struct session *s;
	if (ev->pid != PID_UNKNOWN) {
		s = sess_lookup(t, ev->pid);
		if (s && (s->state == SESS_OPEN || s->state == SESS_SILENT) &&
		    ev->session_ms >= 0 && ev->ts_ms != TS_UNKNOWN && s->t_open != TS_UNKNOWN &&
		    s->t_received != TS_UNKNOWN &&
		    ev->ts_ms - ev->session_ms < s->t_received - 2000) {
			/* This session began long before the one we hold for the PID:
			 * not ours. */
			s = NULL;
		}
	} else {
		s = anon_find_open(t, ev);
	}
	if (s && s->state == SESS_SILENT) {
		/* It logged its end after all (forked just before the reload, or a
		 * per-role setting): a disconnect, which was never counted open. */
		if (s->matches && in_window(t, ev->ts_ms) && !s->replication) {
			t->disconnects++;
			count_duration(t, s, ev);
		}
		if (t->on_event)
			t->on_event(t->on_event_ctx, ev, s);
		sess_close(t, s);
		return;
	}
	if (!s || s->state != SESS_OPEN) {
		/* Began before the log did (or its start was not logged, or
		 * is yet to be read). */
		bool counted = in_window(t, ev->ts_ms) &&
			       matches(t, 0, ev->user, ev->db, ev->host) && !t->filter.app;
		if (counted)
			t->unmatched_disconnects++;
		keep_early(t, ev, counted);
		if (s)
			sess_close(t, s);
		return;
	}
	ev->ending = (enum end_reason)s->ending;
	if (s->matches && in_window(t, ev->ts_ms) && !s->replication) {
		t->disconnects++;
		t->ended_by[ev->ending]++;
		count_duration(t, s, ev);
	}
	if (t->on_event)
		t->on_event(t->on_event_ctx, ev, s);
	sess_close(t, s);
}

/* The server said why it ends a session: keep it for its disconnection. */
static void on_session_ending(struct tracker *t, const struct tevent *ev)
{
	struct session *s = ev->pid != PID_UNKNOWN ? sess_lookup(t, ev->pid) : NULL;
	if (s && s->state == SESS_OPEN)
		s->ending = (uint8_t)ev->ending;
}

static void on_failed(struct tracker *t, struct tevent *ev)
{
	struct session *s = NULL;
	uint32_t host = ev->host;
	if (ev->pid != PID_UNKNOWN) {
		s = sess_lookup(t, ev->pid);
	} else if (!ev->after_auth) {
		s = anon_claim_receipt(t, ev->ts_ms);
	}
	if (s && (s->state == SESS_OPEN || s->state == SESS_SILENT) && !ev->after_auth)
		s = NULL; /* an established session: not this attempt */
	if (s) {
		if (!host) {
			host = s->host;
			ev->host = s->host;
			ev->port = s->port;
		}
		if (s->state == SESS_OPEN || s->state == SESS_SILENT) {
			/* Refused after the reorder window: undo the connect. */
			if (!s->replication && s->matches && in_window(t, s->t_open)) {
				t->connects--;
				t->part_connects[tracker_part(t, s->key)]--;
			}
			if (!ev->app)
				ev->app = s->app;
		}
	}
	count_failure(t, ev, host);
	if (t->on_event)
		t->on_event(t->on_event_ctx, ev, s);
	if (s)
		sess_close_how(t, s, s->state == SESS_OPEN ? CLOSE_REFUSED : CLOSE_ENDED);
}

static void on_backend_died(struct tracker *t, struct tevent *ev)
{
	struct session *s = sess_lookup(t, ev->other_pid);
	if (!s)
		return;
	/* A silent session leaves uncounted, as at a reset. */
	if (s->state == SESS_OPEN && s->matches && !s->replication && in_window(t, ev->ts_ms))
		t->ended_by_reset++;
	sess_close(t, s);
}

/* Start a period in which a setting is off. */
static void gap_begin(struct tracker_gaps *g, int64_t ts)
{
	g->off = true;
	g->count++;
	if (g->n < TRACKER_MAX_GAPS) {
		g->v[g->n].from = ts;
		g->n++;
	}
	/* Past the limit the last period kept stretches over the later ones. */
	g->v[g->n - 1].to = TS_UNKNOWN;
}

static void gap_end(struct tracker_gaps *g, int64_t ts)
{
	g->off = false;
	g->v[g->n - 1].to = ts;
}

/* log_disconnections was off, unknown to us, when the open sessions were
 * authorized: none of them will log its end. */
static void open_to_silent(struct tracker *t)
{
	for (uint32_t i = 0; i < t->pool_len; i++) {
		struct session *s = &t->pool[i];
		if (s->state == SESS_RECEIVED)
			s->disc_off = true;
		if (s->state != SESS_OPEN)
			continue;
		s->state = SESS_SILENT;
		if (s->replication) {
			if (s->matches)
				t->replication_active--;
			continue;
		}
		t->open_total--;
		if (!s->matches)
			continue;
		t->active--;
		t->silent++;
		if (t->history)
			history_forget(t->history, t->cur_ts, s->app);
	}
}

/*
 * The postmaster reloaded a changed log_connections or log_disconnections.
 * Turning one on without a line that turned it off means it was off before
 * the log said anything: since the last server start at least (the file is
 * read at the start).  For log_connections that is taken only when no
 * authorization was logged since: in 18 a list such as 'receipt,
 * authorization' may change to 'all', on to on.
 */
static void on_setting(struct tracker *t, const struct tevent *ev)
{
	bool conn = ev->setting == SETTING_LOG_CONNECTIONS;
	struct tracker_gaps *g = conn ? &t->conn_gaps : &t->disc_gaps;
	bool first = !g->seen;

	g->seen = true;
	if (!ev->setting_on) {
		if (g->off)
			return; /* from one value that is off to another */
		gap_begin(g, ev->ts_ms);
		if (conn)
			t->unseen = true;
		return;
	}
	if (g->off) {
		gap_end(g, ev->ts_ms);
		return;
	}
	if (!first || (conn && t->authorized_since_reset))
		return;
	gap_begin(g, TS_UNKNOWN);
	gap_end(g, ev->ts_ms);
	if (conn)
		t->unseen = true;
	else
		open_to_silent(t);
}

static void sweep_receipts(struct tracker *t, int64_t max_age_ms);

/* Apply one event, in timestamp order (called by the reorder buffer). */
static void tracker_apply(void *ctx, struct tevent *ev)
{
	struct tracker *t = ctx;

	if (t->past_until)
		return;
	if (t->until_ms != TS_UNKNOWN && ev->ts_ms != TS_UNKNOWN && ev->ts_ms > t->until_ms) {
		t->past_until = true;
		return;
	}
	if (t->before_event)
		t->before_event(t->before_event_ctx, ev);
	t->cur_ts = ev->ts_ms;
	t->cur_session_ms = ev->kind == EV_DISCONNECTED ? ev->session_ms : -1;
	if (t->history)
		history_advance(t->history, ev->ts_ms);
	if (ev->ts_ms != TS_UNKNOWN) {
		if (t->first_ts == TS_UNKNOWN)
			t->first_ts = ev->ts_ms;
		if (t->last_ts == TS_UNKNOWN || ev->ts_ms > t->last_ts)
			t->last_ts = ev->ts_ms;
		if (t->window_first_ts == TS_UNKNOWN && in_window(t, ev->ts_ms))
			t->window_first_ts = ev->ts_ms;
	}
	if (t->since_ms != TS_UNKNOWN && ev->ts_ms != TS_UNKNOWN && ev->ts_ms >= t->since_ms &&
	    t->peak_at == TS_UNKNOWN) {
		/* Entering the window: the peak starts from what is open. */
		t->peak = t->active;
		t->peak_at = t->since_ms;
	}

	if ((++t->applied & 0xffff) == 0)
		sweep_receipts(t, RECEIPT_TIMEOUT_MS);
	if (ev->pid != PID_UNKNOWN) {
		uint64_t bit = UINT64_C(1) << tracker_part(t, ev->pid);
		if (!(t->parts_seen & bit)) {
			/* A server not seen before: exact only once it is seen starting. */
			t->parts_seen |= bit;
			if (!(t->parts_reset & bit))
				t->complete = false;
		}
	}

	switch (ev->kind) {
	case EV_RECEIVED:
		on_received(t, ev);
		break;
	case EV_AUTHORIZED:
		on_authorized(t, ev);
		if (t->on_event && !ev->cancelled)
			t->on_event(t->on_event_ctx, ev, sess_lookup(t, ev->pid));
		break;
	case EV_DISCONNECTED:
		on_disconnected(t, ev);
		break;
	case EV_FAILED:
		on_failed(t, ev);
		break;
	case EV_SERVER_START:
	case EV_SERVER_CRASH:
	case EV_SERVER_STOPPED:
		reset_all(t, ev->ts_ms, ev->pid);
		if (t->on_event)
			t->on_event(t->on_event_ctx, ev, NULL);
		break;
	case EV_BACKEND_DIED:
		on_backend_died(t, ev);
		break;
	case EV_SESSION_ENDING:
		on_session_ending(t, ev);
		break;
	case EV_SETTING:
		on_setting(t, ev);
		break;
	default:
		break;
	}
}

static uint32_t intern_bytes(struct tracker *t, struct slice s)
{
	if (!s.len || !memchr(s.p, '\0', s.len))
		return intern_get(&t->names, s.p, s.len);
	char buf[1024];
	size_t j = 0;
	for (size_t i = 0; i < s.len && j + 4 < sizeof(buf); i++) {
		if (s.p[i] == '\0') {
			memcpy(buf + j, "\\x00", 4);
			j += 4;
		} else {
			buf[j++] = s.p[i];
		}
	}
	return intern_get(&t->names, buf, j);
}

/* Intern a name seen in role kind (enum tracker_name_kind); a NUL byte in
 * it (the views use C strings) is kept as the text "\\x00" rather than
 * cutting the name short. */
static uint32_t intern_name(struct tracker *t, struct slice s, unsigned kind)
{
	uint32_t id = intern_bytes(t, s);
	if (!id)
		return 0;
	if (id >= t->name_kinds_len) {
		size_t n = t->name_kinds_len ? t->name_kinds_len : 64;
		while (n <= id)
			n *= 2;
		t->name_kinds = xrealloc(t->name_kinds, n);
		memset(t->name_kinds + t->name_kinds_len, 0, n - t->name_kinds_len);
		t->name_kinds_len = n;
	}
	t->name_kinds[id] |= (uint8_t)kind;
	return id;
}

void tracker_feed(struct tracker *t, const struct conn_event *ce)
{
	struct tevent ev;

	switch (ce->kind) {
	case EV_RECEIVED:
	case EV_AUTHORIZED:
	case EV_DISCONNECTED:
	case EV_FAILED:
	case EV_SERVER_START:
	case EV_SERVER_CRASH:
	case EV_SERVER_STOPPED:
	case EV_BACKEND_DIED:
	case EV_SESSION_ENDING:
	case EV_SETTING:
		break;
	default:
		return; /* nothing the model needs */
	}
	memset(&ev, 0, sizeof(ev));
	ev.kind = ce->kind;
	ev.ts_ms = ce->ts_ms;
	ev.pid = ce->pid;
	ev.seq = t->seq++;
	if (ce->pid != PID_UNKNOWN)
		t->has_pids = true;
	if (ce->kind == EV_RECEIVED || ce->kind == EV_AUTHORIZED || ce->kind == EV_DISCONNECTED ||
	    ce->kind == EV_FAILED)
		t->has_connection_events = true;
	ev.user = intern_name(t, ce->user, TNAME_USER);
	ev.db = intern_name(t, ce->database, TNAME_DB);
	ev.app = intern_name(t, ce->application, TNAME_APP);
	ev.host = intern_name(t, ce->host, TNAME_HOST);
	int32_t port = 0;
	for (size_t i = 0; i < ce->port.len && i < 6; i++) {
		char c = ce->port.p[i];
		if (c < '0' || c > '9') {
			port = 0;
			break;
		}
		port = port * 10 + (c - '0');
	}
	ev.port = port;
	ev.replication = ce->replication;
	ev.after_auth = ce->after_auth;
	ev.reason = ce->reason;
	ev.session_ms = ce->session_ms;
	ev.other_pid = ce->other_pid;
	ev.ending = ce->ending;
	ev.setting = ce->setting;
	ev.setting_on = ce->setting_on;
	if (ce->kind == EV_FAILED && ce->message.len)
		ev.message = xmemdupz(ce->message.p, ce->message.len);
	ev.arrived_ms = t->wall_ms;
	reorder_push(&t->reorder, &ev);
}

/*
 * Receipts that never went further: the client gave up (psql's password-less
 * first try, a port probe).  A receipt older than max_age_ms before the
 * newest event counts as abandoned and is dropped, which also keeps memory
 * bounded when a scanner hammers the port.
 */
static void sweep_receipts(struct tracker *t, int64_t max_age_ms)
{
	if (t->last_ts == TS_UNKNOWN)
		return;
	for (uint32_t i = 0; i < t->pool_len; i++) {
		struct session *s = &t->pool[i];
		if (s->state != SESS_RECEIVED || s->t_received == TS_UNKNOWN ||
		    t->last_ts - s->t_received <= max_age_ms)
			continue;
		count_abandoned(t, s, s->t_received);
		sess_close(t, s);
	}
}

void tracker_tick(struct tracker *t, int64_t wall_ms, int64_t hold_ms)
{
	reorder_flush_arrived(&t->reorder, wall_ms - hold_ms);
}

void tracker_finish(struct tracker *t)
{
	reorder_flush(&t->reorder);
	/* At the end of the log, an attempt still unauthorized after a second
	 * was abandoned; younger ones may still be authenticating. */
	sweep_receipts(t, 1000);
}
