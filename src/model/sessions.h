/* SPDX-License-Identifier: PostgreSQL */
/*
 * sessions: the view model of "connections --sessions" -- the open client
 * sessions that match the filter, oldest first, with their names resolved.
 * view/sessions_view.c renders it as text or JSON.
 */
#ifndef PGTAIL_SESSIONS_H
#define PGTAIL_SESSIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

struct open_session {
	int64_t pid;                 /* -1 when the log has no process IDs */
	const char *user, *db, *app; /* names, owned by the tracker */
	const char *host;            /* NULL when unknown */
	int port;                    /* 0 when unknown */
	int64_t opened_at;           /* TS_UNKNOWN when unknown */
};

struct session_list {
	struct open_session *v; /* oldest first (then by pid) */
	size_t n;
	int64_t now;           /* the time of the state shown, TS_UNKNOWN */
	bool complete;         /* the list is exact, not a lower bound */
	bool unseen;           /* not exact because log_connections was off since the
				  last server start (else: no server start in the log) */
	int64_t unknown;       /* not listed: sessions started while log_disconnections
				  was off, whose ends are not logged (an upper bound) */
	char filter_desc[512]; /* "" when no filter */
};

void session_list_build(struct session_list *l, const struct model *m);
void session_list_release(struct session_list *l);

#endif
