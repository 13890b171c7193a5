/* SPDX-License-Identifier: PostgreSQL */
/*
 * wrapjson: the part of the transport layer (wrap.h) shared by the
 * transports whose outer records are JSON objects, one per line, the
 * server's line a string in them (Cloud SQL's LogEntry, Azure Monitor's
 * record).  A transport gives two readers of one record -- a scan of the
 * plain shape without parsing, and a reading of the object jansson parsed
 * for the rest -- and its ops use wrapjson_new (through a one-line new),
 * wrapjson_free, wrapjson_infer and wrapjson_next.
 */
#ifndef PGTAIL_WRAPJSON_H
#define PGTAIL_WRAPJSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "logfmt/wrap.h"

struct wrapjson_reader {
	/* Read the line p[0..n) (a '{' ... '}') without parsing it: the
	 * payload appended to out (unescaped, without a line end), *o filled.
	 * False, out unchanged, when not sure of it: read then asks jansson. */
	bool (*scan)(const char *p, size_t n, struct sbuf *out, struct wrap_outer *o);
	/* The same from the parsed object obj; false when obj holds no record
	 * of the server (ENTRY_FOREIGN).  o's server may point into obj. */
	bool (*read)(json_t *obj, struct sbuf *out, struct wrap_outer *o);
};

/* A parser (ops->new) reading records with r (static, outlives it);
 * prefix as for wrap_init.  Freed with wrapjson_free. */
void *wrapjson_new(const struct wrapjson_reader *r, const char *prefix, const char **err);
void wrapjson_free(void *parser);
/* ops->infer: the payloads of the sample's records, by read. */
int wrapjson_infer(void *parser, const char *sample, size_t len);
/* ops->next: one line, scanned or else parsed; invalid JSON is BAD. */
enum logfmt_status wrapjson_next(void *parser, const char *buf, size_t len, bool at_eof,
				 struct pg_entry *e, size_t *used, const char **why);

/* A fast path (logfmt_fast_skip_fn) handing the value of key (with its
 * quotes, colon and opening quote) to stderr's fast path in place, when
 * it holds no escape (wrap_fast_json_string). */
bool wrapjson_fast_skip(const char *key, size_t klen, const char *buf, size_t len,
			logfmt_interest_fn interest, struct logfmt_skip *sk);

/* The string out of obj at the path k1.k2.k3 (k2, k3 may be NULL), or
 * NULL when there is none. */
json_t *wrapjson_string(json_t *obj, const char *k1, const char *k2, const char *k3);

/* Append the string s to out without its line end ("\n", "\r\n"). */
void wrapjson_add_line(struct sbuf *out, json_t *s);

#endif
