/* SPDX-License-Identifier: PostgreSQL */
/*
 * follow: deliver, in order and exactly once, every byte appended to a
 * PostgreSQL log as it is written, through rotation.
 *
 * The follower is single-threaded and owns no event loop: the caller puts
 * follower_fd() into its own poll() (when it is not -1), waits at most
 * follower_timeout_ms(), and then calls follower_poll(), which reads what is
 * new and hands it over in chunks.  Two backends decide how soon a change
 * is seen: inotify wakes the caller as soon as something is written (and a
 * periodic stat every FOLLOW_SAFETY_MS still runs, in case an event was
 * missed), and the poll backend, for file systems without inotify (NFS,
 * SMB, FUSE) or when PGTAIL_FOLLOW=poll is set, stats every FOLLOW_POLL_MS.
 * Both backends run the same checks; they differ only in when.
 *
 * What is followed (struct follow_opts):
 *   - one file (tail -F): the path is followed through truncation,
 *     rename-and-recreate and removal;
 *   - a log directory: the current file is the one the data directory's
 *     current_logfiles names for the destination, when that file exists, and
 *     otherwise the newest file (by modification time, then by name) whose
 *     name matches the pattern ("*.log", "*.csv" or "*.json" by destination).
 *
 * Rotation, and what the follower does:
 *   - a newer file appears, or current_logfiles names another file
 *     (PostgreSQL's time/size rotation, pg_rotate_logfile(), the logging
 *     collector restarting with the server), or the followed path is now a
 *     different file (rename-and-recreate): the old file is read to its end,
 *     then the new one is read from its start.  While the new file is still
 *     empty and the old one still exists, the old one stays current, so a
 *     writer that has not reopened yet loses nothing;
 *   - the file shrinks below the offset already read, or the bytes just
 *     before that offset changed (copytruncate, then a refill past the old
 *     size): it is read again from the start.  What was appended before the
 *     truncation was delivered if a poll saw it; with inotify that is
 *     nearly always;
 *   - the file is removed and not recreated: the open descriptor is read
 *     to its end (a writer may still be appending), and the follower waits
 *     for a new file;
 *   - a file left before is seen again as the current one (two files
 *     written in turn): it resumes where it was left, up to 16 such files.
 * Everything the follower has to say goes to one sink, follow_opts.diag:
 * what it did about an event above is a note (diag_note); a problem that
 * stops it (bad options, a missing log directory, a read error) is an
 * error (diag_error), and follower_new returns NULL or follower_poll -1.
 *
 * Partial lines: bytes are delivered as they arrive, a record may be cut
 * anywhere between two chunks, and the last chunk of a file may end in the
 * middle of a line.  The caller's parser (source/feed.h) keeps the
 * incomplete tail; it must start over (feed_finish, then a new feed) when a
 * chunk says new_file.
 *
 * Files are read with pread(2), never mapped (a truncated mapping faults).
 */
#ifndef PGTAIL_FOLLOW_H
#define PGTAIL_FOLLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "logfmt/logfmt.h"
#include "util/out.h"

/* Longest wait between two checks with inotify, in case an event was lost. */
#define FOLLOW_SAFETY_MS 250
/* Interval between two checks with the poll backend. */
#define FOLLOW_POLL_MS 100
/* Most bytes one follower_poll() delivers; the rest waits for the next call
 * (follower_timeout_ms() is then 0), so a large backlog cannot starve the
 * caller's other inputs. */
#define FOLLOW_MAX_PER_POLL (8u << 20)

/* Where to begin in the file that is current when the follower starts.
 * Files that become current later are always read from their start. */
enum follow_start {
	FOLLOW_START_END = 0, /* only what is appended from now on (from the
				 start of the last line when the file does not
				 end with a newline, so no record starts cut) */
	FOLLOW_START_OFFSET,  /* from follow_opts.offset (0: the whole file); an
				 offset past the end means the file was
				 truncated since: it is read from the start */
};

enum follow_backend {
	FOLLOW_BACKEND_AUTO = 0, /* inotify, unless the file system is remote or
				    inotify cannot be set up: then poll */
	FOLLOW_BACKEND_INOTIFY,  /* inotify or fail */
	FOLLOW_BACKEND_POLL,     /* stat every FOLLOW_POLL_MS */
};

/*
 * What to follow.  Exactly one target: file, or log_dir and/or data_dir
 * (data_dir alone follows whatever current_logfiles names), or a pattern
 * with a directory part ("/var/log/pg/postgresql-*.log").
 * The strings are copied by follower_new.
 */
struct follow_opts {
	const char *file;     /* one log file, followed by name */
	const char *log_dir;  /* a log directory: its current file */
	const char *data_dir; /* $PGDATA holding current_logfiles, or NULL; its
				 relative paths are relative to data_dir */
	const char *pattern;  /* fnmatch(3) pattern for file names in log_dir
				 (NULL: by dest); with a '/' and no log_dir, its
				 directory part is the log directory */
	enum log_format dest; /* the server's log destination to follow: the
				 current_logfiles line read, and the pattern
				 "*<suffix>" when none is given; LOGFMT_AUTO
				 means stderr */
	enum follow_start start;
	uint64_t offset;             /* with FOLLOW_START_OFFSET */
	enum follow_backend backend; /* the environment's PGTAIL_FOLLOW=poll
					overrides it (the hidden switch the
					tests use to force polling) */
	struct out *diag;            /* notes and errors (util/diag.h); NULL
					drops them */
};

/* A run of bytes from one file.  Everything is valid only during the call. */
struct follow_chunk {
	const char *path; /* the name the file was opened by (it may since have
			     been renamed or removed) */
	bool new_file;    /* the first bytes of a file, or of a file that was
			     truncated: the caller starts its parser over */
	uint64_t offset;  /* where data[0] is in the file */
	const char *data;
	size_t len; /* > 0 */
};

typedef void (*follow_data_fn)(void *ctx, const struct follow_chunk *c);

struct follower;

/*
 * Set up following.  Opens the current file now (so FOLLOW_START_END means
 * "from this call on"); no current file yet (an empty log directory, a path
 * that does not exist yet) is not an error: it is waited for, with a note.
 * Returns NULL, after an error on o->diag, when the options are invalid,
 * the directory to watch does not exist, or inotify was asked for and
 * cannot be used.  Free with follower_free.
 */
struct follower *follower_new(const struct follow_opts *o);
void follower_free(struct follower *f);

/* The descriptor to poll() for POLLIN (inotify), or -1 (poll backend). */
int follower_fd(const struct follower *f);
/* The longest the caller may wait before calling follower_poll again: the
 * time left until the next periodic check, 0 while a backlog remains. */
int follower_timeout_ms(const struct follower *f);

/*
 * Read everything new (up to FOLLOW_MAX_PER_POLL bytes), handling rotation,
 * and call fn for each chunk, in file order.  Never blocks.  Returns the
 * number of chunks delivered, or -1 on a fatal problem: the error went to
 * the diag sink, the chunks read before it were delivered, and the
 * follower is finished (every later call returns -1 and says nothing).
 * Safe to call at any time, not only when follower_fd is readable.
 */
int follower_poll(struct follower *f, follow_data_fn fn, void *ctx);
/* The file being followed and the offset read up to (*off may be NULL);
 * NULL while waiting for a file. */
const char *follower_current(const struct follower *f, uint64_t *off);
/* The file being followed opened again, read-only, as a file description
 * of its own (the same file even if it was renamed or replaced since);
 * -1 while waiting for a file or when it cannot be.  The caller closes it. */
int follower_reopen_current(const struct follower *f);
/* "inotify" or "poll". */
const char *follower_backend_name(const struct follower *f);

#endif
