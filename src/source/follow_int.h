/* SPDX-License-Identifier: PostgreSQL */
/*
 * follow_int: the parts of the follower that follow.c uses and nothing
 * else should: the inotify watcher (follow_inotify.c) and the choice of the
 * current file in a log directory (follow_pick.c).
 */
#ifndef PGTAIL_FOLLOW_INT_H
#define PGTAIL_FOLLOW_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "source/follow.h"

/* What the drained events ask for (fwatch_drain). */
enum fwatch_flags {
	FW_DATA = 1 << 0,  /* a watched file, or a file in a watched directory, was written */
	FW_NAMES = 1 << 1, /* names changed (created, renamed, removed), attributes
			      changed, a watch went away, or events were lost:
			      look at everything again */
};

/* Directory watch slots; two slots may name the same directory (they then
 * share one inotify watch). */
enum fwatch_slot {
	FWS_LOG_DIR = 0, /* the log directory (or the followed file's directory) */
	FWS_DATA_DIR,    /* where current_logfiles is */
	FWS_CUR_DIR,     /* the directory of the file being read */
	FWS_NEXT_DIR,    /* the directory of the file current_logfiles names */
	FWS_NSLOTS
};

struct fwatch;

/* An inotify instance (non-blocking, close-on-exec).  NULL, after an error
 * on diag (may be NULL), when inotify cannot be used.  Free with
 * fwatch_free. */
struct fwatch *fwatch_new(struct out *diag);
void fwatch_free(struct fwatch *w);
int fwatch_fd(const struct fwatch *w);
/*
 * Keep slot watching directory path (NULL: stop).  Cheap when nothing
 * changed: one stat; the watch is added again when path is now another
 * directory (removed and recreated).  Returns 0, or -1 when path cannot be
 * watched (errno set; the periodic check still covers it).
 */
int fwatch_dir(struct fwatch *w, enum fwatch_slot slot, const char *path);
/* Watch the open file fd itself (-1: stop), so that writes still wake the
 * caller after the file was renamed elsewhere or removed. */
void fwatch_file(struct fwatch *w, int fd);
/* Read every pending event; returns enum fwatch_flags bits (0: none). */
unsigned fwatch_drain(struct fwatch *w);
/* True when path is on a file system where inotify misses remote writes
 * (NFS, SMB, FUSE, ...): polling is then chosen. */
bool fwatch_fs_is_remote(const char *path);

/*
 * The file current_logfiles (clf_path) names for dest, in *path (the caller
 * frees), joined to data_dir when relative.  Returns 1 when found, 0 when
 * the file has no line for dest, -1 when it cannot be read (errno set;
 * ENOENT: the logging collector is off, or the server is restarting).
 */
int follow_clf_lookup(const char *clf_path, const char *data_dir, enum log_format dest,
		      char **path);
/*
 * The newest regular file in dir whose name matches pattern (fnmatch with
 * FNM_PERIOD): the latest modification time, then the greatest name (the
 * default log_filename sorts by time).  Returns 1 and *path (dir/name, the
 * caller frees), 0 when none matches, -1 when dir cannot be read (errno).
 */
int follow_scan_newest(const char *dir, const char *pattern, char **path);
/*
 * The oldest regular file in dir matching pattern that is newer, by the same
 * order, than (mtime, name) -- the file written after that one; name itself
 * is never the answer.  Returns as follow_scan_newest.
 */
int follow_scan_after(const char *dir, const char *pattern, const struct timespec *mtime,
		      const char *name, char **path);

#endif
