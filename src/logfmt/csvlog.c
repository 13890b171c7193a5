/* SPDX-License-Identifier: PostgreSQL */
/* STUB: replaced by the real csvlog parser. */
#include "logfmt/formats.h"
#include "util/xalloc.h"
#include <stdlib.h>
struct csv_parser { int x; };
struct csv_parser *csv_parser_new(void) { return xcalloc(1, sizeof(struct csv_parser)); }
void csv_parser_free(struct csv_parser *cp) { free(cp); }
enum logfmt_status csv_parser_next(struct csv_parser *cp, const char *buf, size_t len, bool at_eof, struct pg_entry *e, size_t *used, const char **why) { *used = len; *why = "stub"; return LOGFMT_BAD; }
