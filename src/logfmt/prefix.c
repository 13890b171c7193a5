/* SPDX-License-Identifier: PostgreSQL */
/* STUB */
#include "logfmt/prefix.h"
struct prefix *prefix_compile(const char *spec, const char **err) { *err = "stub"; return NULL; }
void prefix_free(struct prefix *px) {}
const char *prefix_spec(const struct prefix *px) { return ""; }
int prefix_match(const struct prefix *px, const char *line, size_t len, struct pg_entry *e, size_t *used) { return -1; }
