/* SPDX-License-Identifier: PostgreSQL */
/*
 * sdjournal: read the server's records straight from the systemd journal
 * with libsystemd's sd-journal (connections --journal), instead of
 * journalctl's output.  Each entry is handed to a feed as the line
 * "journalctl -o json" would write for it (the fields the journald
 * transport reads), so it is parsed exactly as that output is: both
 * transports, the syslog copy dropped when the stdout copy is there, the
 * ident rule, the host.  Built only with libsystemd (meson option
 * journal); without it sdjournal_run says so and fails.
 */
#ifndef PGTAIL_SDJOURNAL_H
#define PGTAIL_SDJOURNAL_H

#include <stdbool.h>

#include "source/reader.h"

/* Was this pgtail built with sd-journal? */
bool sdjournal_available(void);

/*
 * Read the local journal (or the journal files of the directory named by
 * the environment variable PGTAIL_JOURNAL_DIR, for tests) from its start:
 * the entries of unit (a systemd unit, ".service" added when it has no
 * suffix) when unit is not NULL, else those of opts->ident when set, else
 * every entry (the journald transport keeps the server's), up to the entry
 * at cursor until (sdjournal_cursor) or, when until is NULL, to the end.
 * fn receives each message; *st is updated (one file).  Returns 0, or -1
 * reported on opts->err when the journal cannot be opened or read.
 */
int sdjournal_run(const char *unit, const char *until, const struct reader_opts *opts,
		  reader_entry_fn fn, void *ctx, struct reader_stats *st);

/*
 * The journal followed (connections --watch --journal): sdjournal_open
 * selects the entries as sdjournal_run does and stands before the first;
 * sdjournal_read hands fn every entry up to the journal's end, and again,
 * after the journal's fd (sdjournal_fd) polls readable or its timeout
 * (sdjournal_timeout_ms, -1: none) passes, those added since.  opts and
 * ctx must outlive the handle.  Open returns NULL, and read -1, after an
 * error on opts->err.
 */
struct sdjournal;
struct sdjournal *sdjournal_open(const char *unit, const struct reader_opts *opts,
				 reader_entry_fn fn, void *ctx, struct reader_stats *st);
int sdjournal_read(struct sdjournal *s);
int sdjournal_fd(struct sdjournal *s);
int sdjournal_timeout_ms(struct sdjournal *s);
/* The cursor of the last entry read (NULL: none yet): a replay up to it
 * (sdjournal_run) reads what s has read. */
const char *sdjournal_cursor(const struct sdjournal *s);
void sdjournal_close(struct sdjournal *s);

#endif
