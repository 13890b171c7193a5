/* SPDX-License-Identifier: PostgreSQL */
/* STUB: replaced by the real stderr parser. */
#include "logfmt/formats.h"
#include "util/xalloc.h"
#include <stdlib.h>
struct stderr_parser { int x; };
struct stderr_parser *stderr_parser_new(const char *prefix, const char **err) { return xcalloc(1, sizeof(struct stderr_parser)); }
void stderr_parser_free(struct stderr_parser *sp) { free(sp); }
int stderr_parser_infer(struct stderr_parser *sp, const char *sample, size_t len) { return -1; }
const char *stderr_parser_prefix(const struct stderr_parser *sp) { return NULL; }
enum logfmt_status stderr_parser_next(struct stderr_parser *sp, const char *buf, size_t len, bool at_eof, struct pg_entry *e, size_t *used, const char **why) { *used = len; *why = "stub"; return LOGFMT_BAD; }
