/* SPDX-License-Identifier: PostgreSQL */
/*
 * The three format parsers behind logfmt.h.  Internal to logfmt/: the rest
 * of pgtail uses logfmt_*.  Each *_next has the contract of logfmt_next().
 */
#ifndef PGTAIL_FORMATS_H
#define PGTAIL_FORMATS_H

#include <stdbool.h>
#include <stddef.h>

#include "logfmt/entry.h"
#include "logfmt/logfmt.h"

/* stderr: one physical line per call. */
struct stderr_parser;
/* prefix: a log_line_prefix to use, or NULL to infer one.  NULL + *err on a
 * prefix that does not compile. */
struct stderr_parser *stderr_parser_new(const char *prefix, const char **err);
void stderr_parser_free(struct stderr_parser *sp);
/* See logfmt_infer_prefix. */
int stderr_parser_infer(struct stderr_parser *sp, const char *sample, size_t len);
const char *stderr_parser_prefix(const struct stderr_parser *sp);
enum logfmt_status stderr_parser_next(struct stderr_parser *sp, const char *buf, size_t len,
				      bool at_eof, struct pg_entry *e, size_t *used,
				      const char **why);

/* csvlog: 23 (9.6-12), 24 (13) or 26 (14+) columns, detected per record. */
struct csv_parser;
struct csv_parser *csv_parser_new(void);
void csv_parser_free(struct csv_parser *cp);
enum logfmt_status csv_parser_next(struct csv_parser *cp, const char *buf, size_t len,
				   bool at_eof, struct pg_entry *e, size_t *used,
				   const char **why);
/* Does a csvlog record start at p[0..n): a timestamp and a comma? */
bool csv_record_start(const char *p, size_t n);
/* Is n a number of fields PostgreSQL writes (23, 24 or 26)? */
bool csv_field_count_ok(size_t n);

/* jsonlog: one object per line, parsed with jansson. */
struct json_parser;
struct json_parser *json_parser_new(void);
void json_parser_free(struct json_parser *jp);
enum logfmt_status json_parser_next(struct json_parser *jp, const char *buf, size_t len,
				    bool at_eof, struct pg_entry *e, size_t *used,
				    const char **why);

#endif
