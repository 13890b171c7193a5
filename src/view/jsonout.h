/* SPDX-License-Identifier: PostgreSQL */
/* Helpers shared by the JSON renderers. */
#ifndef PGTAIL_JSONOUT_H
#define PGTAIL_JSONOUT_H

#include <jansson.h>
#include <stdint.h>

#include "util/out.h"

/* ISO 8601 UTC string, or null for TS_UNKNOWN. */
json_t *json_time(int64_t ms);
/* A JSON string for a name from the log.  Bytes that are not valid UTF-8
 * are written as "\xNN" so the key or value is never lost. */
json_t *json_text(const char *s);
/* The same escaping for an object key, into buf; returns buf. */
const char *json_key(const char *s, char *buf, size_t len);
/* Print root (indented, keys in insertion order) and a newline to o, then
 * release it. */
void json_print(struct out *o, json_t *root);

#endif
