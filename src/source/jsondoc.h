/* SPDX-License-Identifier: PostgreSQL */
/*
 * jsondoc: a JSON document of log records turned into one record per line.
 *
 * Some exports hold their records in one JSON document rather than one
 * object per line: `gcloud logging read --format=json` writes a
 * pretty-printed array of Cloud Logging entries, Azure's storage export
 * (PT1H.json) an object {"records": [...]}.  The transports read one
 * object per line, so the feed passes such a document through a jsondoc:
 * each object element of the outer array comes out on a line of its own,
 * compact (the white space between its tokens left out; JSON allows no
 * newline inside a string), the array's brackets, commas and the wrapper
 * left out.  It is a byte-at-a-time state machine over pushed chunks: no whole
 * document is held, only the element being read, up to max bytes (a longer
 * one is left out and counted).
 */
#ifndef PGTAIL_JSONDOC_H
#define PGTAIL_JSONDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/sbuf.h"

/*
 * Does a file starting with p[0..n) hold a JSON document of records: an
 * array of objects ("[{", or "[]"), or an object whose first key is
 * "records" holding one, white space anywhere between?  n may be short:
 * what is there decides.
 */
bool jsondoc_sniff(const char *p, size_t n);

struct jsondoc {
	int depth;         /* brackets and braces open */
	int elem_depth;    /* the depth the records are at; -1 before the array */
	bool in_str, esc;  /* inside a string; after its backslash */
	bool in_elem;      /* reading an object element */
	bool too_long;     /* the element passed max: it is dropped */
	size_t max;        /* the longest element kept */
	struct sbuf cur;   /* the element so far */
	uint64_t elements; /* elements delivered */
	uint64_t dropped;  /* elements left out for their length */
};

/* Set up for elements of at most max bytes. */
void jsondoc_init(struct jsondoc *d, size_t max);
void jsondoc_release(struct jsondoc *d);

/* Take p[0..n); each element completed is handed to fn as one line with its
 * newline (valid until fn returns). */
typedef void (*jsondoc_line_fn)(void *ctx, const char *line, size_t len);
void jsondoc_push(struct jsondoc *d, const char *p, size_t n, jsondoc_line_fn fn, void *ctx);

#endif
