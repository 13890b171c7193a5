/* SPDX-License-Identifier: PostgreSQL */
/*
 * history_view: "connections --history" rendered from its report
 * (conn/report.h) as text or JSON, and "connections --sessions" (the open
 * sessions, oldest first).
 */
#ifndef PGTAIL_HISTORY_VIEW_H
#define PGTAIL_HISTORY_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "conn/report.h"
#include "conn/tracker.h"
#include "util/out.h"

void history_report_print_text(const struct history_report *r, struct out *o);
/* caveats (may be NULL): a JSON array the document takes over, as "caveats". */
struct json_t;
void history_report_print_json(const struct history_report *r, struct json_t *caveats,
			       struct out *o);

/* The leaks of a report as a JSON array (for the summary's --json too). */
struct json_t;
struct json_t *history_leaks_json(const struct history_report *r);

/* "connections --sessions": the open sessions, oldest first. */
struct session_list;
void sessions_print_text(const struct session_list *l, struct out *o);
void sessions_print_json(const struct session_list *l, struct json_t *caveats, struct out *o);

/* "2.3s", "4m05s", "3h12m", "2d04h" */
void fmt_duration(int64_t ms, char *buf, size_t len);

#endif
