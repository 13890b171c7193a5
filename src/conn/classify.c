/* SPDX-License-Identifier: PostgreSQL */
/* STUB */
#include "conn/classify.h"
enum ev_kind classify_entry(const struct pg_entry *e, struct conn_event *ev) { ev->kind = EV_NONE; return EV_NONE; }
bool classify_maybe(enum pg_sev sev, const char *msg, size_t len) { return true; }
bool classify_is_english(const struct pg_entry *e) { return true; }
const char *fail_reason_name(enum fail_reason r) { return "other"; }
bool fail_reason_after_auth(enum fail_reason r) { return false; }
