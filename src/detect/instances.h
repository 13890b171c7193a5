/* SPDX-License-Identifier: PostgreSQL */
/*
 * instances: find the PostgreSQL servers of this machine and where each
 * one logs.  Sources, in order: running postmaster processes (/proc),
 * $PGDATA, the Debian/Ubuntu layout (/etc/postgresql/VER/CLUSTER and
 * /var/lib/postgresql/VER/CLUSTER), Red Hat (/var/lib/pgsql), Homebrew
 * (/opt/homebrew/var, /usr/local/var) and ~/.pgrx/data-*.  One instance per
 * data directory (after resolving symbolic links).
 *
 * For each: version, port, status, the configuration as the server reads
 * it (postgresql.conf, its includes, postgresql.auto.conf, then the
 * postmaster's command line), the log files in use (current_logfiles, the
 * postmaster's standard error, Debian's pg_ctlcluster log, or the newest
 * file in log_directory), and advice: log_connections/log_disconnections
 * to turn on, files this user cannot read and who can.
 */
#ifndef PGTAIL_INSTANCES_H
#define PGTAIL_INSTANCES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "logfmt/logfmt.h"

enum instance_status {
	INSTANCE_STOPPED, /* no postmaster.pid, or none we could read */
	INSTANCE_RUNNING, /* a live postmaster serves this data directory */
	INSTANCE_STALE,   /* postmaster.pid names a process that is not running */
};

/* Where an instance was found; several may apply. */
enum instance_found {
	FOUND_PROCESS = 1 << 0,
	FOUND_PGDATA = 1 << 1,
	FOUND_DEBIAN = 1 << 2,
	FOUND_REDHAT = 1 << 3,
	FOUND_HOMEBREW = 1 << 4,
	FOUND_PGRX = 1 << 5,
};

enum instance_note_kind {
	NOTE_CONNECTIONS_OFF, /* log_connections and/or log_disconnections off */
	NOTE_UNREADABLE,      /* a file or directory this user cannot read */
	NOTE_NOT_ENGLISH,     /* lc_messages is a language pgtail does not read (neither
				 English nor one of PostgreSQL's catalogs) */
	NOTE_NO_LOG_FILE,     /* no log file could be located */
	NOTE_SYSLOG,          /* some output goes to syslog or the event log */
	NOTE_JOURNAL,         /* standard error goes to the systemd journal */
	NOTE_CONFIG,          /* a configuration file has problems */
};

struct instance_note {
	enum instance_note_kind kind;
	char *text;             /* one line, no trailing newline, owned */
	const char *const *fix; /* NULL, or NULL-terminated lines to run (static) */
};

struct instance_log {
	char *path;           /* system path, owned */
	enum log_format dest; /* the destination writing it (never LOGFMT_AUTO) */
	const char *how;      /* how it was found, e.g. "current_logfiles" (static) */
	bool readable;        /* this process can open it */
	char *advice;         /* when not readable: who can read it; else NULL; owned */
};

struct instance {
	char *datadir;     /* canonical data directory (system path), owned */
	char *config_file; /* the postgresql.conf read, or NULL; owned */
	char *cluster;     /* Debian "VER/NAME", or NULL; owned */
	char *version;     /* "15", "9.6", or NULL when unknown; owned */
	int port;          /* the port it listens on (or will); 0 when unknown (the
			      settings and postmaster.pid cannot be read) */
	bool port_default; /* port is 5432 only because nothing set it */
	enum instance_status status;
	pid_t pid;       /* the postmaster when RUNNING (or the stale one); else 0 */
	int64_t started; /* start time (Unix seconds) from postmaster.pid; 0 unknown */
	unsigned found;  /* enum instance_found bits */

	/* Log settings as the server sees them (defaults filled in). */
	bool collector;      /* logging_collector */
	char *destination;   /* log_destination, owned */
	char *log_directory; /* absolute system path, owned */
	char *log_filename;  /* owned */
	char *line_prefix;   /* log_line_prefix, owned */
	char *lc_messages;   /* owned; NULL when unset */
	char *journal_unit;  /* without the collector, the systemd service whose journal
				holds the server's standard error; else NULL; owned */
	bool log_connections, log_disconnections;
	bool settings_known; /* false: the configuration could not be read */

	struct instance_log *logs; /* the files in use, stderr first; owned */
	size_t nlogs;
	char **older; /* older files of logs[0] (rotated .1, .N.gz, or earlier
		       * files of log_directory), newest first; owned */
	size_t nolder;
	struct instance_note *notes; /* owned */
	size_t nnotes;
};

struct instance_list {
	struct instance *v; /* sorted by data directory; owned */
	size_t n;
};

/* The environment detection reads; NULL fields come from the process. */
struct detect_env {
	const char *pgdata; /* $PGDATA */
	const char *home;   /* $HOME */
};

/*
 * Find instances.  root is "" for this system, or a directory holding a
 * fake layout (every path, /proc included, is read under it).  env may be
 * NULL.  Fills *out (release it with instance_list_release); never fails:
 * what cannot be read is reported in each instance's notes.
 */
void detect_instances(const char *root, const struct detect_env *env, struct instance_list *out);
void instance_list_release(struct instance_list *l);

/* The SQL that turns both settings on, NULL-terminated. */
extern const char *const detect_connections_fix[];

/*
 * Who can read a file, from its stat values: "not readable: owned by
 * postgres:adm, mode 0640 — run as postgres or add yourself to group adm".
 * dir is set when the thing is a directory (it needs r and x); where, when
 * not NULL, names the directory that blocks the way to the file.  Returns
 * a string the caller frees.
 */
char *detect_perm_advice(const char *owner, const char *group, mode_t mode, bool dir,
			 const char *where);

#endif
