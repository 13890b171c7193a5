/* SPDX-License-Identifier: PostgreSQL */
/*
 * classify: decide what a pg_entry means for connections.  Pure function of
 * the entry; no state.  Messages are matched in English (lc_messages C/en)
 * and in every language of PostgreSQL's catalogs (conn/lang.h).
 */
#ifndef PGTAIL_CLASSIFY_H
#define PGTAIL_CLASSIFY_H

#include <stdbool.h>

#include "conn/event.h"
#include "logfmt/entry.h"

/*
 * Fill *ev from *e.  Returns ev->kind (EV_NONE when the entry is not about
 * connections or the server's life: statements, checkpoints, DETAIL lines,
 * continuation lines...).  ev's slices point into e's buffers.
 * Attributes carried by the message text (user=, database=, host=, port=,
 * application_name=) win over those of the prefix/columns, which fill the
 * gaps (e.g. the user of a FATAL from %u).
 */
enum ev_kind classify_entry(const struct pg_entry *e, struct conn_event *ev);

/* classify_entry reading only the languages of the set langs (bit n:
 * lang_codes[n], bit 0 English; conn/lang.h).  classify_entry is this with
 * every language.  ev->lang says which one the message was in. */
enum ev_kind classify_entry_lang(const struct pg_entry *e, unsigned langs, struct conn_event *ev);

/*
 * Cheap pre-test for the hot path: could a message of severity sev starting
 * with msg[0..len)
 * possibly classify as something other than EV_NONE?  False positives are
 * fine, false negatives are bugs.
 */
bool classify_maybe(enum pg_sev sev, const char *msg, size_t len);

/* True if the message is one PostgreSQL writes in English whatever it is
 * about (used to warn about logs written in another language). */
bool classify_is_english(const struct pg_entry *e);

#endif
