/* SPDX-License-Identifier: PostgreSQL */
/*
 * struct tevent: a connection event with its names interned, so that it can
 * outlive the log buffer it came from (it waits in the reorder buffer).
 */
#ifndef PGTAIL_TEVENT_H
#define PGTAIL_TEVENT_H

#include <stdbool.h>
#include <stdint.h>

#include "conn/event.h"

struct tevent {
	enum ev_kind kind;
	int64_t ts_ms;          /* UTC ms or TS_UNKNOWN */
	int64_t pid;            /* PID_UNKNOWN when the log has no %p */
	uint64_t seq;           /* arrival order, breaks timestamp ties */
	uint32_t user, db, app; /* intern ids, 0 = absent */
	uint32_t host;          /* intern id */
	int32_t port;           /* TCP port, 0 when absent */
	bool replication;
	bool after_auth;          /* EV_FAILED: refused after "connection authorized" */
	bool cancelled;           /* EV_AUTHORIZED later refused: not a session */
	enum fail_reason reason;  /* EV_FAILED */
	int64_t session_ms;       /* EV_DISCONNECTED, else -1 */
	int64_t other_pid;        /* EV_BACKEND_DIED, else -1 */
	enum end_reason ending;   /* EV_SESSION_ENDING; on EV_DISCONNECTED, the one its
				     session was given (set as it is applied) */
	enum log_setting setting; /* EV_SETTING: which */
	bool setting_on;          /* EV_SETTING: on after the change */
	char *message;            /* EV_FAILED: owned copy of the message, else NULL */
	int64_t arrived_ms;       /* monotonic clock when it was read (live), else 0 */
};

#endif
