/* SPDX-License-Identifier: PostgreSQL */
/*
 * instance_pick: turn "an instance" -- a number from 'list', or none when
 * there is a single one -- into the log files to replay and follow.
 */
#ifndef PGTAIL_INSTANCE_PICK_H
#define PGTAIL_INSTANCE_PICK_H

#include <stdbool.h>
#include <stddef.h>

#include "util/out.h"

struct instance_target {
	char **args; /* PATH arguments: the log directory, or the log file and its
			rotated copies; owned */
	size_t nargs;
	char *label;        /* "instance 1 (15/main, port 5432)"; owned */
	char *server;       /* a short name for it: the cluster ("15/main"), else the
			       data directory; owned */
	char *journal_unit; /* no log file, but the server's standard error is
			       this systemd service's journal (nargs is 0); owned */
};

/*
 * which: "1", "2"... as numbered by 'list' (the numbers can change when an
 * instance starts or stops), a port ("5433"), a Debian cluster name
 * ("15/main") or a data directory -- or NULL for the only instance (the
 * only running one when several exist).  Returns 0, or -1 after saying why
 * on err (no instance, ambiguous, no log file, unreadable).  An instance
 * whose log is only the systemd journal gives no args and its
 * journal_unit.
 */
int instance_pick(const char *which, struct out *err, struct instance_target *t);
void instance_target_release(struct instance_target *t);
/* For a command that reads files only (what: its name): say that t's
 * instance logs only to the journal and how to read it; returns -1. */
int instance_journal_only(const struct instance_target *t, const char *what, struct out *err);
/* Every instance of this machine whose log can be read, into *v (an
 * array the caller frees after releasing each element): the count, 0 after
 * a warning on err for each that has no readable log or when there is none. */
size_t instance_pick_all(struct out *err, struct instance_target **v);
/* True when s names an instance rather than a log: a number from 'list'
 * ("1".."999"), a port (1000-65535), a cluster name ("15/main"), or a
 * directory holding PG_VERSION. */
bool instance_is_name(const char *s);

#endif
