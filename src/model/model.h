/* SPDX-License-Identifier: PostgreSQL */
/*
 * model: the connection model of one replay or one followed server -- the
 * tracker and its history, fed from log entries -- plus what the replay
 * learned on the way (the newest timestamp, whether the log is English,
 * the read statistics).  It ties the layers together: bytes → feed →
 * classify → tracker; views read the tracker and the history.
 */
#ifndef PGTAIL_MODEL_H
#define PGTAIL_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "conn/history.h"
#include "conn/lang_tables.h"
#include "conn/tracker.h"
#include "source/paths.h"
#include "source/reader.h"

/* Records remembered for telling a twin after a change of destination:
 * the most recent interesting ones. */
#define MODEL_RECENT 512

/* A record remembered (model.recent). */
struct model_recent {
	int64_t ts_ms, pid;
	uint64_t hash; /* of its message */
	bool guest;    /* it was a guest (pg_entry.guest) */
};

/* The most hosts a model tells apart (a central log host's file); the
 * records of later ones share the tracker's last part. */
#define MODEL_MAX_SERVERS (TRACKER_MAX_PARTS - 1)

/* Without --server, the sessions of the second and later hosts are keyed
 * by their pid plus the host's index shifted past this many bits, so two
 * hosts' pids never meet; the pid shown is the key's low bits. */
#define MODEL_SERVER_SHIFT 32
#define MODEL_PID_OF(key) ((key) & ((INT64_C(1) << MODEL_SERVER_SHIFT) - 1))

struct model {
	struct tracker t; /* the sessions; t.history points at hist */
	struct history hist;
	struct reader_stats st; /* what was read */
	int64_t newest_ts;      /* newest timestamp of any record, TS_UNKNOWN */
	int64_t clock_ms;       /* following live: the wall clock the views take
				   as now (set before each query); TS_UNKNOWN
				   after the fact, when now is the newest record */
	int64_t skip_through;   /* after a change of destination: records up to this
				   time were read from the other one (TS_UNKNOWN: none) */
	uint64_t skipped_twins; /* records dropped for that */
	/* The newest interesting records read (a ring): after a change of
	 * destination, a record no newer than skip_through is a twin -- and
	 * dropped -- only when one of these is the same record (the same
	 * process and message, less than a second apart), as source/merge.c
	 * tells twins.  A destination switched to from another one holds
	 * records the old one never had. */
	struct model_recent recent[MODEL_RECENT];
	size_t recent_next;
	size_t recent_guests; /* of recent[], the guests */
	uint64_t checked;     /* messages looked at for their language */
	uint64_t english;     /* of those, recognisably English */
	uint64_t told;        /* of those, recognisably in a catalog's language */
	/* Messages by language (conn/lang_tables.h): those checked that told
	 * one, and every connection event after them, so that a language a
	 * reload switched to later in the log is seen too. */
	uint64_t lang_msgs[LANG__COUNT];
	unsigned langs;  /* the languages read (a set, conn/lang.h): every
			    one, or --lang's and English */
	int lang_forced; /* --lang's language, or -1: told from the log */
	/* The hosts the records came from, when a transport names them
	 * (syslog, journald: pg_entry.server), first seen first; owned.  Past
	 * MODEL_MAX_SERVERS more are counted in servers_over. */
	char *servers[MODEL_MAX_SERVERS];
	size_t nservers;
	uint64_t servers_over;
	size_t last_server;     /* servers[] index of the last record's host */
	const char *server;     /* --server: only this host's records are read;
				   NULL: all, each host's pids kept apart */
	uint64_t other_servers; /* records of other hosts left out for server */
};

/* Set up an empty model keeping retention_ms of history. */
void model_init(struct model *m, int64_t retention_ms);
void model_release(struct model *m);

/* Entry callback (a reader_entry_fn): classify e and feed the tracker. */
void model_entry(void *model, const struct pg_entry *e);

/*
 * The next records come from another destination's file (a log_destination
 * change, or twins of 'stderr,csvlog'): until the first one newer than the
 * newest record read so far, those that were read already, from the other
 * file (model.recent), are dropped.
 */
void model_dest_change(struct model *m);

/* Replay every file of pl in order, then apply what the reorder buffer
 * still holds.  Returns the number of files that could not be read whole. */
int model_replay(struct model *m, const struct path_list *pl, const struct reader_opts *ro);

/* The wall clock in UTC ms. */
int64_t model_wall_clock(void);

/* Replay what a followed log delivered (source/journal.h), then as
 * model_replay.  *lost (may be NULL) receives the bytes that are gone. */
struct journal;
struct journal_loss;
int model_replay_journal(struct model *m, const struct journal *j, const struct reader_opts *ro,
			 struct journal_loss *lost);

/* Replay the server's records in the systemd journal (source/sdjournal.h:
 * unit, or NULL; up to the entry at cursor until, or NULL: to its end),
 * then as model_replay.  Returns sdjournal_run's result. */
int model_replay_sdjournal(struct model *m, const char *unit, const char *until,
			   const struct reader_opts *ro);

/* True when fewer than 1 in 20 messages read were in a language pgtail
 * reads (English or a catalog's). */
bool model_non_english(const struct model *m);

/* Read only language lang (an index of lang_codes) besides English, and
 * say so: --lang. */
void model_force_lang(struct model *m, int lang);

/* The time of the state shown: until, else the wall clock when following
 * live, else the newest record. */
int64_t model_now(const struct model *m);

/* The kinds of names a session has. */
enum model_name {
	MODEL_APP,
	MODEL_USER,
	MODEL_DB,
	MODEL_HOST,
};

/* Give fn, once each, every name seen in the log in one role -- in a
 * session, a failed attempt or a receipt -- in the order first seen.  The
 * strings are valid while the model lives. */
void model_names(const struct model *m, enum model_name kind,
		 void (*fn)(void *ctx, const char *name), void *ctx);

#endif
