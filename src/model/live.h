/* SPDX-License-Identifier: PostgreSQL */
/*
 * live: a followed server log.  Starting replays what the log files hold
 * (so the model knows who is connected now), then follows the current file
 * through rotation (or reads standard input as it comes, to its end); each
 * poll reads what was appended, feeds the model, and applies events at most
 * a short moment after they were written.
 */
#ifndef PGTAIL_LIVE_H
#define PGTAIL_LIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "logfmt/entry.h"
#include "model/model.h"
#include "source/paths.h"
#include "util/out.h"

struct live;

/* Called for every log record read live (for "tail": show the lines). */
typedef void (*live_entry_fn)(void *ctx, const struct pg_entry *e);

/*
 * Following starts in two steps, so that the caller can hook the model (e.g.
 * its on_event callback) before the replay.  live_open finds the files: args
 * are PATH arguments (a log file, a log directory, ...; the newest file is
 * the one followed), label names the target in messages (NULL: args[0]),
 * prefix is the log_line_prefix (NULL: inferred).  Every diagnostic, now and
 * while following, goes to err.  Returns NULL, after an error on err, when
 * there is no file to follow.  live_begin replays the files and opens the
 * current one; it returns -1, after an error on err, when that cannot be
 * done, and the caller still frees with live_stop.
 */
struct live *live_open(char *const *args, size_t nargs, const char *label, const char *prefix,
		       struct out *err);
int live_begin(struct live *l);
void live_stop(struct live *l);

/* Following the systemd journal (source/sdjournal.h) instead of files:
 * the entries of unit, or of the ident (live_set_ident), or all; begun and
 * stopped as above.  Its views have no files and no journal of bytes. */
struct live *live_open_journal(const char *unit, struct out *err);
/* The server's syslog_ident in a syslog or journal log (--ident), before
 * live_begin; NULL: the usual ones. */
void live_set_ident(struct live *l, const char *ident);

/* Following the systemd journal: true, with the ident its records are read
 * with in *ident (NULL: the usual ones); false when following files. */
bool live_sdjournal(const struct live *l, const char **ident);

/* Replay into m what following has read, with ro (whose prefix and ident
 * are the caller's: live_prefix, live_sdjournal say what following used):
 * the bytes of live_journal, or, following the systemd journal, the
 * journal as it is now.  The views other than the live model's own (a
 * filter, a window, sessions, the past of --watch) start from this. */
int live_replay(const struct live *l, struct model *m, const struct reader_opts *ro);

/* An fd to poll() for input (-1 if none) and the longest wait allowed. */
int live_fd(const struct live *l);
int live_timeout_ms(const struct live *l);
/* Read what is new and update the model.  Returns -1 when following
 * stopped for good (reported on err). */
int live_poll(struct live *l);
/* True when the target is standard input ("-" as the last path) and it has
 * reached its end: everything read has been applied, nothing more will come. */
bool live_ended(const struct live *l);

/* Read what is new and apply everything read, even events read a moment
 * ago: before answering a query about now. */
int live_sync(struct live *l);

/* Stop reading, keeping the model: what was read is applied, the files are
 * closed; from now on live_fd is -1, the timeout none, and live_poll and
 * live_sync do nothing.  The journal stays, for the replayed views. */
void live_halt(struct live *l);
bool live_halted(const struct live *l);

struct model *live_model(struct live *l);
/* The files found when following began. */
const struct path_list *live_files(const struct live *l);
/* Every byte fed to the model so far, in order: a replay of it gives the
 * model again, with any filter or window (the shell's other views). */
struct journal;
const struct journal *live_journal(const struct live *l);
const char *live_target(const struct live *l);
/* Show each record read live through fn (NULL to stop). */
void live_set_entry_fn(struct live *l, live_entry_fn fn, void *ctx);
/* How many times following moved to another destination's file: a model
 * fed through live_set_entry_fn calls model_dest_change when it grows, as
 * the live model does (records both files hold are counted once). */
uint64_t live_dest_changes(const struct live *l);
/* The log_line_prefix following was given (NULL: inferred); a replay of
 * live_journal reads with it, and with the model's forced language
 * (model.lang_forced) when there is one. */
const char *live_prefix(const struct live *l);

#endif
