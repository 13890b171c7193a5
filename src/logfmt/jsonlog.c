/* SPDX-License-Identifier: PostgreSQL */
/* STUB: replaced by the real jsonlog parser. */
#include "logfmt/formats.h"
#include "util/xalloc.h"
#include <stdlib.h>
struct json_parser { int x; };
struct json_parser *json_parser_new(void) { return xcalloc(1, sizeof(struct json_parser)); }
void json_parser_free(struct json_parser *jp) { free(jp); }
enum logfmt_status json_parser_next(struct json_parser *jp, const char *buf, size_t len, bool at_eof, struct pg_entry *e, size_t *used, const char **why) { *used = len; *why = "stub"; return LOGFMT_BAD; }
