/* SPDX-License-Identifier: PostgreSQL */
/*
 * tracker: the session model.  Consumes connection events in log order and
 * knows, at every moment, which client sessions are open, with their user,
 * database, application, source host and open time, plus the counters the
 * views show (connects, disconnects, failures by reason, peak).
 *
 * Sessions are keyed by backend PID; the host and port come from the same
 * PID's "connection received".  The traps it handles:
 *  - "connection authorized" followed by a refusal (role/database/limits) is a
 *    failed attempt, not a session (see reorder.h; the tracker also undoes
 *    a session whose refusal arrives after the reorder window);
 *  - a crash, an immediate shutdown, a stop or a restart ends every session
 *    without a line for any of them -- every session of that server, when
 *    the log holds several servers' records (a central log host): the
 *    model keys each server's sessions apart (part_shift) and the tracker
 *    resets, completes and counts each server's part on its own;
 *  - PIDs are reused: a new "connection received" replaces what the PID had;
 *  - a disconnection of a session opened before the log began is counted as
 *    unmatched and never subtracted from another session;
 *  - the state is exact only after a server start (or crash reset) was seen;
 *    until then the open count is a lower bound (tracker.complete is false);
 *  - a log without PIDs (empty log_line_prefix): receipts are paired with the
 *    authorization that follows them, disconnections with the open session
 *    of the same user, database, host and port;
 *  - log_disconnections turned off by a reload: a session keeps the value
 *    its backend was forked with, so one started while it was off never
 *    logs its end, not even after it is turned on again.  Such a session is
 *    "silent" (SESS_SILENT): it is counted in the connects but not as open;
 *    tracker.silent counts those still held, as an upper bound of how many
 *    are still open.  A silent session leaves, uncounted, when its PID is
 *    reused or the server restarts; it never gets a duration;
 *  - log_connections turned off by a reload: sessions started then are not
 *    seen at all (their disconnections are unmatched), so from then until the
 *    next server start the open count is a lower bound (tracker.unseen);
 *  - the periods each setting was off are kept (tracker_gaps), for the views.
 * Memory is bounded by the open sessions (silent ones included: at most one
 * per PID; a log without PIDs only counts them) and the distinct names.
 */
#ifndef PGTAIL_TRACKER_H
#define PGTAIL_TRACKER_H

#include <stdbool.h>
#include <stdint.h>

#include "conn/durations.h"
#include "conn/event.h"
#include "conn/filter.h"
#include "conn/history.h"
#include "conn/reorder.h"
#include "conn/tevent.h"
#include "util/hashmap.h"
#include "util/intern.h"

/* Distinct user, database, application and host names kept; names first
 * seen past this are counted under TRACKER_OVER_NAME, so a log that gives
 * every session a new name cannot grow memory without end (~60 MB). */
#define TRACKER_MAX_NAMES 1000000
#define TRACKER_OVER_NAME "(other names)"

enum session_state {
	SESS_FREE = 0, /* pool slot unused */
	SESS_RECEIVED, /* "connection received" seen, not yet authorized */
	SESS_OPEN,     /* authorized: an open session */
	SESS_SILENT,   /* authorized while log_disconnections was off: its end
			  will not be logged, so it is held (by PID) but not
			  counted open */
};

struct session {
	enum session_state state;
	int64_t key;                  /* pid, or a negative synthetic key in a log without PIDs */
	int64_t t_received;           /* ms of "connection received", TS_UNKNOWN if not seen */
	int64_t t_open;               /* ms of "connection authorized" */
	uint32_t user, db, app, host; /* intern ids */
	int32_t port;
	bool replication;   /* a walsender, counted apart from client sessions */
	bool matches;       /* passes the tracker's filter (fixed at authorization) */
	uint8_t ending;     /* enum end_reason the server gave before it ends */
	bool disc_off;      /* SESS_RECEIVED: log_disconnections was off at the receipt
			       (the backend's fork), so it will be silent */
	bool conn_off;      /* SESS_RECEIVED: log_connections was off at the receipt
			       (18 with "receipt" only): no authorization line will
			       follow, so it is not an abandoned attempt */
	uint32_t next_free; /* free-list link while SESS_FREE */
};

/* The roles a name is seen in (tracker.name_kinds). */
enum tracker_name_kind {
	TNAME_APP = 1 << 0,
	TNAME_USER = 1 << 1,
	TNAME_DB = 1 << 2,
	TNAME_HOST = 1 << 3,
};

/* The most servers told apart in one tracker; later ones share the last
 * part. */
#define TRACKER_MAX_PARTS 64

/* The most unmatched disconnections kept for an authorization read after
 * them. */
#define TRACKER_EARLY 32

/* The most periods kept per setting; later ones merge into the last. */
#define TRACKER_MAX_GAPS 8

/* A period in which a logging setting was off. */
struct tracker_gap {
	int64_t from; /* the line that turned it off; TS_UNKNOWN: it was off before
			 any line said so (only a line turning it on was seen) */
	int64_t to;   /* the line that turned it on again; TS_UNKNOWN while off */
};

/* What the log said about one of the two logging settings. */
struct tracker_gaps {
	struct tracker_gap v[TRACKER_MAX_GAPS]; /* oldest first */
	size_t n;                               /* periods kept (<= TRACKER_MAX_GAPS) */
	int64_t count; /* periods seen; past n the last kept one spans the rest */
	bool seen;     /* some line about the setting was seen */
	bool off;      /* off now (v[n - 1].to is TS_UNKNOWN) */
};

/* Callback for each event as the tracker applies it (watch mode); s is the
 * session the event concerns, or NULL. */
typedef void (*tracker_event_fn)(void *ctx, const struct tevent *ev, const struct session *s);

struct tracker {
	struct intern names; /* every user/db/app/host name seen */
	uint8_t *name_kinds; /* name_kinds[id]: enum tracker_name_kind bits of
				the roles the name was seen in */
	size_t name_kinds_len;
	struct filter filter; /* what the counters count (owned) */
	struct reorder reorder;
	struct session *pool;                   /* sessions, indexed by the map's values */
	uint32_t pool_len, pool_cap, free_head; /* free_head = UINT32_MAX when empty */
	struct hashmap by_key;                  /* pid (or synthetic key) → pool index */
	int64_t next_anon;                      /* next synthetic key (negative) */
	uint64_t seq;                           /* arrival counter for tevents */
	uint64_t applied;                       /* events applied, for periodic sweeps */

	int64_t since_ms; /* window start, TS_UNKNOWN = from the beginning */
	int64_t until_ms; /* window end, TS_UNKNOWN = to the end */
	bool past_until;  /* an event after until_ms was seen: stop applying */

	/* State, whole model (not filtered). */
	uint32_t open_total; /* SESS_OPEN client sessions */
	/* Counters, filtered, within the window. */
	int64_t active; /* open client sessions that match the filter */
	int64_t replication_active;
	int64_t connects;
	int64_t disconnects;
	struct durations durations;   /* of the disconnects: each one's session time */
	int64_t ended_by[END__COUNT]; /* of those, by the reason the server gave (END_NONE: none) */
	int64_t replication_connects;
	int64_t failed;
	int64_t failed_by_reason[FAIL__COUNT];
	int64_t unmatched_disconnects; /* sessions that began before the log */
	/* The last unmatched disconnections, kept whole: a session whose
	 * authorization is read after its disconnection (the two came from
	 * different files, read at different moments) is closed again when
	 * the authorization comes (tracker.c, early_disconnect). */
	struct early_disc {
		struct tevent ev; /* its message is NULL */
		bool counted;     /* counted in unmatched_disconnects */
	} early[TRACKER_EARLY];
	size_t nearly;          /* entries used (the ring's next slot: nearly % TRACKER_EARLY) */
	int64_t early_closed;   /* authorizations closed by an earlier-read disconnection */
	int64_t abandoned;      /* received, then nothing (client gave up) */
	int64_t ended_by_reset; /* sessions ended by a crash/stop without a line */
	int64_t lost_by_reuse;  /* a PID reappeared while its session was open */
	int64_t silent;         /* state: client sessions that match the filter, authorized
				   while log_disconnections was off and still held; how
				   many of them are still open is unknown (<= silent) */
	bool unseen;            /* state: log_connections was off since the last server
				   start, so sessions the log never showed may be open:
				   active is a lower bound */
	struct tracker_gaps conn_gaps;  /* when log_connections was off */
	struct tracker_gaps disc_gaps;  /* when log_disconnections was off */
	int64_t authorized_since_reset; /* authorizations applied since the last reset */
	int64_t peak;
	int64_t peak_at; /* ms, TS_UNKNOWN when never set */
	/* Time. */
	int64_t first_ts, last_ts; /* of the events applied (TS_UNKNOWN before any) */
	int64_t window_first_ts;   /* first event inside the window */
	bool complete;             /* a server start/reset was seen: counts are exact */
	int64_t complete_since;    /* ts of the last reset, TS_UNKNOWN */
	int64_t resets;            /* server starts/crashes/stops seen */
	bool has_pids;             /* some event carried a PID */
	/* Several servers in one log: the bits of a key (pid) at and above
	 * part_shift name its server, its part (0: the key is a pid, one
	 * server; keys without a pid are in part 0).  Set before feeding. */
	unsigned part_shift;
	uint64_t parts_seen;                      /* parts some event with a pid came from */
	uint64_t parts_reset;                     /* parts a server start/crash/stop was seen for */
	int64_t part_connects[TRACKER_MAX_PARTS]; /* connects, per part (as connects) */
	int64_t part_failed[TRACKER_MAX_PARTS];   /* failed, per part (as failed) */
	bool has_connection_events; /* some received/authorized/disconnection/failure was fed */

	struct history *history; /* optional, not owned: fed as events are applied */
	int64_t cur_ts;          /* timestamp of the event being applied */
	int64_t cur_session_ms;  /* its "session time" (disconnections), else -1 */

	int64_t wall_ms; /* live: monotonic ms stamped on events as they are fed */

	tracker_event_fn on_event; /* optional */
	void *on_event_ctx;
	/* Optional: called with each event about to be applied (inside the
	 * window), before the state changes -- the state it sees is the state
	 * at every instant between the event before and this one (the
	 * dashboard's snapshots). */
	void (*before_event)(void *ctx, const struct tevent *ev);
	void *before_event_ctx;
};

void tracker_init(struct tracker *t);
void tracker_release(struct tracker *t);
/* Set the window; call before feeding. */
void tracker_set_window(struct tracker *t, int64_t since_ms, int64_t until_ms);
/* Take a classified event (its slices are copied/interned). */
void tracker_feed(struct tracker *t, const struct conn_event *ev);
/* Live following: apply the events fed at or before wall_ms - hold_ms. */
void tracker_tick(struct tracker *t, int64_t wall_ms, int64_t hold_ms);
/* Apply everything still held in the reorder buffer (end of input). */
void tracker_finish(struct tracker *t);

/* The part (server) a session key or event pid belongs to. */
unsigned tracker_part(const struct tracker *t, int64_t key);

/* Display helpers: a name or the placeholder for unset ("unknown"). */
const char *tracker_name(const struct tracker *t, uint32_t id);

#endif
