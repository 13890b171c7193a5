/* SPDX-License-Identifier: PostgreSQL */
/*
 * summary views: "connections" as text or as one JSON object, both drawn
 * from the view model (model/summary.h); the applications the history
 * flags as potential leaks come from its report (conn/report.h).
 */
#ifndef PGTAIL_SUMMARY_VIEW_H
#define PGTAIL_SUMMARY_VIEW_H

#include <stddef.h>

#include "conn/report.h"
#include "model/summary.h"
#include "util/out.h"

/* hr (may be NULL) supplies the potential leaks. */
void summary_print_text(const struct summary *s, const struct history_report *hr, struct out *o);
void summary_print_json(const struct summary *s, const struct history_report *hr, struct out *o);

/* The caveats as a JSON array of {kind, message[, periods]}, for every
 * view's --json (the --history and --sessions ones too). */
struct json_t;
struct json_t *summary_caveats_json(const struct summary *s);

/* A caveat's key in JSON ("lower_bound") and its text, with '\n' where the
 * text view breaks the line (JSON shows them as spaces); buf is always
 * NUL-terminated. */
const char *caveat_key(enum caveat_kind k);
void caveat_text(const struct caveat *c, char *buf, size_t len);
/* The periods a caveat names, as text ("from 10:02:11 to 10:09:40 and
 * since 10:15:00"); buf is always NUL-terminated. */
void caveat_spans(const struct caveat *c, char *buf, size_t len);

#endif
