/* SPDX-License-Identifier: PostgreSQL */
/*
 * struct pg_entry: one log record (one message of one server process), the
 * common shape every format parser (stderr, csvlog, jsonlog, and the transports
 * that unwrap them: syslog, journald, containers', cloud services') produces and the
 * classifier consumes.  Fields are slices into the parser's own buffers and
 * stay valid only until the parser is called again.
 */
#ifndef PGTAIL_ENTRY_H
#define PGTAIL_ENTRY_H

#include <stdbool.h>
#include <stdint.h>

#include "util/slice.h"

#define TS_UNKNOWN INT64_MIN /* a pg_entry or event without a timestamp */
#define PID_UNKNOWN (-1)     /* the format carries no process id */

enum pg_sev {
	SEV_UNKNOWN = 0, /* a word we do not know (e.g. a translated severity) */
	SEV_DEBUG,
	SEV_LOG,
	SEV_INFO,
	SEV_NOTICE,
	SEV_WARNING,
	SEV_ERROR,
	SEV_FATAL,
	SEV_PANIC,
	/* Secondary lines of a stderr record, each with its own prefix.  The
	 * classifier ignores them; they belong to the previous primary line. */
	SEV_DETAIL,
	SEV_HINT,
	SEV_QUERY,
	SEV_CONTEXT,
	SEV_LOCATION,
	SEV_STATEMENT,
	SEV_BACKTRACE,
};

/* What kind of record the parser returned. */
enum entry_kind {
	ENTRY_MESSAGE = 0,  /* a record with a severity and a message */
	ENTRY_CONTINUATION, /* stderr: a tab-indented line continuing the previous record */
	ENTRY_OTHER,        /* a line that is not a server log record (e.g. pg_ctl output);
			       counted as skipped by the reader */
	ENTRY_FOREIGN,      /* a transport's record that is not this server's: another
			       program's line in a shared syslog file, another --server,
			       the second copy of a record the journal holds twice;
			       left out without a word */
};

/* A new slice field must also be listed in source/merge.c's entry_slices,
 * which copies a record's slices while it waits to be merged. */
struct pg_entry {
	enum entry_kind kind;
	int64_t ts_ms;           /* UTC milliseconds since the epoch, or TS_UNKNOWN */
	int64_t pid;             /* backend process id, or PID_UNKNOWN */
	struct slice session_id; /* %c / session_id ("6b0b7dca.644a"); len 0 when absent */
	enum pg_sev sev;
	struct slice sev_word; /* the severity as printed ("LOG", "FATAL", "СООБЩЕНИЕ") */
	struct slice message;  /* the primary message; for stderr only its first physical
				  line, for csv/json the whole field (unescaped) */
	struct slice sqlstate; /* %e / sql_state_code / state_code; len 0 when absent */
	/* Session attributes from the prefix or the csv/json columns.  len 0 when
	 * the format does not carry them or the server printed them as unknown
	 * ("[unknown]" in a prefix, an empty csv column, an absent json key). */
	struct slice user;
	struct slice database;
	struct slice application;
	struct slice host;         /* "127.0.0.1", "[local]" */
	struct slice port;         /* digits; len 0 for [local] */
	struct slice backend_type; /* %b / backend_type ("client backend", "postmaster") */
	struct slice server;       /* the host a transport names as the record's origin
				      (syslog HOSTNAME, journal _HOSTNAME, CloudNativePG's pod,
				      Cloud SQL's database_id, Azure's server name,
				      Heroku's attachment); len 0 when the format carries
				      none */
	bool guest;                /* a csvlog or jsonlog record read from a stderr file (the
				      collector writes one there while its own file is not open) */
};

/* Reset every field of e to "absent". */
static inline void pg_entry_clear(struct pg_entry *e)
{
	e->kind = ENTRY_MESSAGE;
	e->ts_ms = TS_UNKNOWN;
	e->pid = PID_UNKNOWN;
	e->session_id = SLICE_NULL;
	e->sev = SEV_UNKNOWN;
	e->sev_word = SLICE_NULL;
	e->message = SLICE_NULL;
	e->sqlstate = SLICE_NULL;
	e->user = SLICE_NULL;
	e->database = SLICE_NULL;
	e->application = SLICE_NULL;
	e->host = SLICE_NULL;
	e->port = SLICE_NULL;
	e->backend_type = SLICE_NULL;
	e->server = SLICE_NULL;
	e->guest = false;
}

/* The longest severity word pg_sev_from_word knows, in bytes (a
 * translated one: "ПРЕДУПРЕЖДЕНИЕ" is 28). */
#define PG_SEV_WORD_MAX 36

/* Map a severity word ("LOG", "FATAL", "DETAIL", ..., or a translation of
 * one in any of PostgreSQL's catalogs: "FEHLER", "СООБЩЕНИЕ") to enum
 * pg_sev; SEV_UNKNOWN for anything else.  Exact, case-sensitive. */
enum pg_sev pg_sev_from_word(const char *p, size_t len);

#endif
