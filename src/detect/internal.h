/* SPDX-License-Identifier: PostgreSQL */
/*
 * The parts of instance detection that share state across its files:
 * the postmaster scan (proc.c), the permission check (perm.c) and the
 * log locator (logloc.c), driven by instances.c.  Not for use outside
 * src/detect.
 */
#ifndef PGTAIL_DETECT_INTERNAL_H
#define PGTAIL_DETECT_INTERNAL_H

#include <stddef.h>
#include <sys/types.h>

#include "detect/conf.h"
#include "detect/instances.h"

/* A running postmaster, as /proc shows it.  Paths are system paths. */
struct postmaster {
	pid_t pid;
	char *cwd;         /* /proc/PID/cwd: the data directory once started; NULL if hidden */
	char *datadir_arg; /* -D DIR when absolute, else NULL */
	char *pgdata_env;  /* PGDATA from /proc/PID/environ, or NULL */
	char *stderr_path; /* /proc/PID/fd/2 when it is a file (pg_ctl -l), else NULL */
	char *unit;        /* the systemd service it runs in (/proc/PID/cgroup) when its
			      fd 2 is a socket -- the journal's stdout stream --, else NULL */
	char *exe;         /* argv[0] */
	char **gucs;       /* "name=value" from -c, --name=value and -p, in order */
	size_t ngucs;
};

/* Every postmaster under root/proc (processes named postgres or postmaster
 * whose parent is not one).  Returns the count; *out is owned by the caller
 * (postmasters_free). */
size_t proc_scan(const char *root, struct postmaster **out);
void postmasters_free(struct postmaster *v, size_t n);

/* Everything known about a data directory before its files are read. */
struct candidate {
	char *datadir;               /* canonical system path, owned */
	char *config_file;           /* postgresql.conf to read, or NULL for DATADIR's; owned */
	char *cluster;               /* Debian "VER/NAME", owned */
	char *version_hint;          /* from a path (Debian, Homebrew, pgrx, the binary), owned */
	char *side_log;              /* a log file the layout implies, owned */
	const char *side_how;        /* how side_log is implied (static) */
	unsigned found;              /* enum instance_found */
	const struct postmaster *pm; /* the running postmaster, or NULL; not owned */
};

/*
 * NULL when this process can read path (a file, or a directory it can list);
 * else the advice of detect_perm_advice() for the file or for the first
 * directory on the way that blocks it.  Caller frees.
 */
char *perm_check(const char *root, const char *path);

/* Append a note to in; text is copied. */
void instance_note(struct instance *in, enum instance_note_kind kind, const char *const *fix,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Fill in's log settings, log files, older files and the notes about them,
 * from the configuration cf (NULL when it could not be read) and what the
 * candidate knows.
 */
void logloc_fill(const char *root, struct instance *in, const struct pgconf *cf,
		 const struct candidate *cd);

#endif
