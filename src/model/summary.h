/* SPDX-License-Identifier: PostgreSQL */
/*
 * summary: the view model of "connections" -- the open sessions by
 * database, user, application and host, the window's counters and peak,
 * what happened to sessions without a disconnection line, and the caveats
 * a DBA must read with the numbers (a lower bound, no PIDs, the periods a
 * logging setting was turned off, a logging setting that looks off,
 * skipped records, another language).  Built once
 * from a model; view/summary*.c render it as text or JSON from the same
 * data, without looking at the tracker.  Names are owned by the tracker.
 */
#ifndef PGTAIL_SUMMARY_H
#define PGTAIL_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>

#include "conn/durations.h"
#include "conn/event.h"
#include "model/model.h"

struct name_count {
	const char *name; /* display name ("unknown" for unset), owned by the tracker */
	int64_t count;
	uint32_t id; /* breakdowns: the name's intern id in the tracker (0: unset) */
};

/* One server's figures, when the log holds several (summary.by_server). */
struct server_count {
	const char *name; /* owned by the model; "(other servers)" past its limit */
	int64_t active, connects, failed;
};

struct breakdown {
	struct name_count *v; /* sorted by count descending, then name */
	size_t n;
};

/* Something the numbers cannot say by themselves, in the order shown. */
enum caveat_kind {
	CAVEAT_EMPTY,              /* the log files are empty (of: files) */
	CAVEAT_NO_EVENTS,          /* no connection event at all (n: lines read, of: files) */
	CAVEAT_LOWER_BOUND,        /* no server start before the first line: the open
				      count is a lower bound (at: the first line) */
	CAVEAT_NO_PIDS,            /* no process IDs: sessions paired by order */
	CAVEAT_DISCONNECTIONS_GAP, /* log_disconnections was turned off (spans: when; n:
				     silent sessions still held; of: 1 while still off) */
	CAVEAT_CONNECTIONS_GAP,    /* log_connections was turned off (spans: when; n: 1
				      while the open count is a lower bound because of
				      it; of: 1 while still off) */
	CAVEAT_NO_DISCONNECTIONS,  /* log_disconnections looks off (n: connects) */
	CAVEAT_NO_CONNECTIONS,     /* log_connections looks off (n: disconnections) */
	CAVEAT_NAMES_OVER_LIMIT,   /* too many distinct names (n: refused) */
	CAVEAT_NOT_ENGLISH,        /* a language not read (n: read, of: checked) */
	CAVEAT_SKIPPED,            /* unreadable lines or records (n) */
	CAVEAT_SERVERS,            /* records of several hosts added up (n: hosts; of:
				      records of hosts past the model's limit) */
	CAVEAT_NO_SUCH_SERVER,     /* --server names none of the hosts (n: hosts) */
	CAVEAT__COUNT
};

/* The most periods a caveat names; more are merged into the last. */
#define CAVEAT_MAX_SPANS 8

/* A period a caveat names: from, to (TS_UNKNOWN: open-ended on that side). */
struct span {
	int64_t from, to;
};

struct caveat {
	enum caveat_kind kind;
	int64_t n, of;                       /* the counts the kind names */
	int64_t at;                          /* a time the kind names, TS_UNKNOWN */
	struct span spans[CAVEAT_MAX_SPANS]; /* periods the kind names, oldest first */
	size_t nspans;
	int64_t merged; /* periods merged into the last span (past CAVEAT_MAX_SPANS) */
	bool days;      /* show the spans' dates (the state spans days) */
};

struct summary {
	int64_t now_ms;          /* time of the state shown, TS_UNKNOWN without timestamps */
	bool following;          /* live: now_ms is the wall clock */
	int64_t last_line_ms;    /* the newest record's time, TS_UNKNOWN */
	int64_t window_start_ms; /* first event counted, TS_UNKNOWN */
	int64_t active;          /* open client sessions that match the filter */
	int64_t active_unknown;  /* more that may be open: started while log_disconnections
				    was off, so their ends are not logged (an upper bound) */
	bool complete;           /* active is exact: the replay starts at a server start
				    and log_connections was not off since */
	bool has_pids;
	struct breakdown by_db, by_user, by_app, by_host;
	int64_t replication_active, replication_connects;
	int64_t connects, disconnects, failed;
	struct name_count ended_by_server[END__COUNT]; /* disconnections the server
							  caused, by reason; n_ended used */
	size_t n_ended;
	struct name_count failed_by_reason[FAIL__COUNT]; /* in enum fail_reason order */
	size_t n_reasons;
	struct durations durations; /* session times of the disconnects, in fixed buckets */
	int64_t peak, peak_at;      /* peak_at TS_UNKNOWN without timestamps */
	int64_t abandoned, ended_by_reset, ended_by_pid_reuse, unmatched_disconnects;
	uint64_t names_over_limit;
	char filter_desc[512]; /* "" when no filter */
	uint64_t files;        /* files read */
	uint64_t lines;        /* physical lines read */
	uint64_t skipped;      /* lines/records that could not be parsed */
	/* The hosts a transport named (syslog, journald), first seen first;
	 * owned by the model.  0 for the destinations' own files. */
	char *const *servers;
	size_t nservers;
	const char *server; /* --server, or NULL */
	/* Without --server, when the log holds several servers: each one's
	 * figures, in the order first seen (n_by_server 0 otherwise). */
	struct server_count *by_server;
	size_t n_by_server;
	/* The languages the log's messages were read in (codes: "en", "de"),
	 * most messages first; static strings.  nlangs 0 when none was told. */
	const char *langs[LANG__COUNT];
	size_t nlangs;
	bool lang_forced; /* --lang said it (langs[0] is its language) */
	struct caveat caveats[CAVEAT__COUNT];
	size_t ncaveats;
};

/* Fill s from m; breakdowns count open client sessions that match m's filter. */
void summary_build(struct summary *s, const struct model *m);
void summary_release(struct summary *s);
/* The caveat of kind k, or NULL when s has none. */
const struct caveat *summary_caveat(const struct summary *s, enum caveat_kind k);

#endif
