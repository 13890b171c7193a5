/* SPDX-License-Identifier: PostgreSQL */
/*
 * struct conn_event: what one log record means for the connection model.
 * The classifier makes one from a pg_entry; the tracker consumes it.
 * Slices point into the entry's buffers (valid until the parser runs again);
 * what must outlive them becomes a struct tevent (tevent.h), its names
 * interned.
 */
#ifndef PGTAIL_EVENT_H
#define PGTAIL_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include "logfmt/entry.h"

enum ev_kind {
	EV_NONE = 0,       /* not about connections or the server's life */
	EV_RECEIVED,       /* connection received: host=H [port=P] */
	EV_AUTHENTICATED,  /* connection authenticated: identity=... method=... (14+) */
	EV_AUTHORIZED,     /* [replication ]connection authorized: user=U [database=D]
			      [application_name=A] [SSL ...] [GSS ...] */
	EV_READY,          /* connection ready: setup total=... (18) */
	EV_DISCONNECTED,   /* disconnection: session time: H:MM:SS.mmm user= database= host= [port=]
			    */
	EV_FAILED,         /* a FATAL (or LOG) that ends a connection attempt before it
			      is established; reason says which */
	EV_SESSION_ENDING, /* a FATAL ending an established session that will still log
			      its disconnection (terminating connection due to ...) */
	EV_SERVER_START,   /* starting PostgreSQL / database system was shut down at /
			      listening on ...: a postmaster (re)start, nothing open */
	EV_SERVER_READY,   /* database system is ready to accept [read[- ]only] connections */
	EV_SERVER_CRASH,   /* terminating any other active server processes / all server
			      processes terminated; reinitializing / received immediate
			      shutdown request: every session ends without a line */
	EV_SERVER_STOPPED, /* database system is shut down: nothing is open */
	EV_SHUTDOWN_REQUEST, /* received smart/fast shutdown request (sessions may still end) */
	EV_BACKEND_DIED,     /* "server process (PID n) was terminated by signal ..." (other_pid) */
	EV_SETTING,          /* the postmaster, after a reload: parameter "log_connections" or
				"log_disconnections" changed to "V" / removed from configuration
				file, reset to default (setting, setting_on) */
	EV__COUNT
};

/*
 * The two settings that decide what the log shows of a session.  Both are
 * PGC_SU_BACKEND: a backend keeps the value the postmaster had when it
 * forked it, so a reload changes them for sessions started afterwards only.
 */
enum log_setting {
	SETTING_NONE = 0,
	SETTING_LOG_CONNECTIONS,    /* "connection received" / "authorized" */
	SETTING_LOG_DISCONNECTIONS, /* "disconnection: session time: ..." */
};

enum fail_reason {
	FAIL_NONE = 0,
	FAIL_PASSWORD,        /* password_authentication_failed */
	FAIL_AUTH,            /* authentication_failed (peer, ident, ldap, cert, ...) */
	FAIL_HBA_REJECT,      /* pg_hba_reject (rejects / no pg_hba.conf entry) */
	FAIL_NO_DATABASE,     /* database_does_not_exist */
	FAIL_NO_ROLE,         /* role_does_not_exist */
	FAIL_ROLE_LIMIT,      /* role_connection_limit */
	FAIL_DB_LIMIT,        /* database_connection_limit */
	FAIL_RESERVED_SLOTS,  /* reserved_connection_slots */
	FAIL_MAX_CONNECTIONS, /* max_connections ("sorry, too many clients already") */
	FAIL_NOT_ACCEPTING,   /* server_not_accepting (starting up, shutting down, recovery) */
	FAIL_OTHER,           /* other */
	FAIL__COUNT
};

/* The reason's name as used in output and JSON ("role_does_not_exist"). */
const char *fail_reason_name(enum fail_reason r);

/* True for the reasons that PostgreSQL reports *after* "connection authorized"
 * (role/database checks, limits, reserved slots): the authorized line was not
 * an established session. */
bool fail_reason_after_auth(enum fail_reason r);

/* Why the server ended an established session (the FATAL before its
 * disconnection line); END_NONE when the client left or nothing was said. */
enum end_reason {
	END_NONE = 0,
	END_ADMIN,             /* administrator command: pg_terminate_backend() */
	END_IDLE_SESSION,      /* idle_session_timeout */
	END_IDLE_TX,           /* idle_in_transaction_session_timeout */
	END_TX_TIMEOUT,        /* transaction_timeout */
	END_RECOVERY_CONFLICT, /* conflict with recovery on a standby */
	END_POSTMASTER_EXIT,   /* the postmaster died */
	END_PROTOCOL,          /* protocol synchronization lost, bad message type */
	END_CLIENT_LOST,       /* connection to client lost */
	END__COUNT
};

/* The reason's name in output and JSON ("administrator_command"). */
const char *end_reason_name(enum end_reason r);

struct conn_event {
	enum ev_kind kind;
	int64_t ts_ms;           /* UTC ms, or TS_UNKNOWN */
	int64_t pid;             /* backend pid, or PID_UNKNOWN */
	struct slice session_id; /* len 0 when absent */
	/* From the message text first, else from the entry's prefix/columns. */
	struct slice user;
	struct slice database;
	struct slice application; /* EV_AUTHORIZED: application_name=, may contain spaces */
	struct slice host;        /* EV_RECEIVED / EV_DISCONNECTED: "[local]" for the socket */
	struct slice port;
	bool replication;         /* EV_AUTHORIZED / EV_DISCONNECTED of a walsender */
	enum fail_reason reason;  /* EV_FAILED */
	bool after_auth;          /* EV_FAILED: the server refuses this after "connection
				     authorized" (role, database, limits, reserved slots,
				     not permitted to log in, no CONNECT privilege) */
	int64_t session_ms;       /* EV_DISCONNECTED: "session time" in ms; -1 otherwise */
	int64_t other_pid;        /* EV_BACKEND_DIED: the pid that died; -1 otherwise */
	enum end_reason ending;   /* EV_SESSION_ENDING: why */
	enum log_setting setting; /* EV_SETTING: which; SETTING_NONE otherwise */
	bool setting_on;          /* EV_SETTING: the new value logs what the setting is
				     about (log_connections: the authorization line) */
	struct slice message;     /* the message text (for EV_FAILED, watch output), as the
				     server wrote it (translated or not) */
	uint8_t lang;             /* the language of the message's text: 0 English, else
				     the index of its catalog in conn/lang_tables.h */
};

#endif
