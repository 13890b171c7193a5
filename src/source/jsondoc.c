/* SPDX-License-Identifier: PostgreSQL */
/* JSON documents of records, one record per line; see jsondoc.h. */
#include "source/jsondoc.h"

#include <string.h>

static bool space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool jsondoc_sniff(const char *p, size_t n)
{
	static const char records[] = "{\"records\":[";
	const char *want = NULL;
	size_t k = 0;
	/* A UTF-8 byte order mark first. */
	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		p += 3;
		n -= 3;
	}
	for (size_t i = 0; i < n; i++) {
		if (space(p[i]))
			continue;
		if (!want) {
			/* An array of objects ("[pod/..." is a line of another
			 * shape), or the records object. */
			want = p[i] == '[' ? "[{" : records;
			if (p[i] == '[' && i + 1 < n) {
				size_t j = i + 1;
				while (j < n && space(p[j]))
					j++;
				if (j < n && p[j] == ']')
					return true;
			}
		}
		if (p[i] != want[k])
			return false;
		if (want[++k] == '\0')
			return true;
	}
	return false;
}

void jsondoc_init(struct jsondoc *d, size_t max)
{
	memset(d, 0, sizeof(*d));
	d->elem_depth = -1;
	d->max = max;
	sbuf_init(&d->cur, max);
}

void jsondoc_release(struct jsondoc *d)
{
	sbuf_release(&d->cur);
}

/* Keep p[0..n) of the element (while it fits). */
static void keep(struct jsondoc *d, const char *p, size_t n)
{
	if (n && !d->too_long && sbuf_add(&d->cur, p, n) < 0)
		d->too_long = true;
}

/* The element ended at its closing brace. */
static void element_end(struct jsondoc *d, jsondoc_line_fn fn, void *ctx)
{
	d->in_elem = false;
	if (d->too_long || sbuf_addch(&d->cur, '\n') < 0) {
		d->dropped++;
	} else {
		d->elements++;
		fn(ctx, d->cur.buf, d->cur.len);
	}
	d->too_long = false;
	sbuf_reset(&d->cur);
}

void jsondoc_push(struct jsondoc *d, const char *p, size_t n, jsondoc_line_fn fn, void *ctx)
{
	size_t run = 0; /* start of the bytes to keep as they are */

	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (d->in_str) {
			if (c == '\n' || c == '\r') {
				/* Not JSON; kept on the line as a space all the same. */
				if (d->in_elem) {
					keep(d, p + run, i - run);
					keep(d, " ", 1);
				}
				run = i + 1;
				d->esc = false;
			} else if (d->esc) {
				d->esc = false;
			} else if (c == '\\') {
				d->esc = true;
			} else if (c == '"') {
				d->in_str = false;
			}
			continue;
		}
		switch (c) {
		case '"':
			d->in_str = true;
			break;
		case '{':
		case '[':
			if (!d->in_elem && d->elem_depth < 0 && c == '[' && d->depth <= 1) {
				d->elem_depth = d->depth + 1; /* the array of records */
			} else if (!d->in_elem && d->depth == d->elem_depth && c == '{') {
				d->in_elem = true;
				run = i;
			}
			d->depth++;
			break;
		case '}':
		case ']':
			if (d->depth > 0)
				d->depth--;
			if (d->in_elem && d->depth == d->elem_depth) {
				keep(d, p + run, i + 1 - run);
				element_end(d, fn, ctx);
				run = i + 1;
			} else if (d->depth < d->elem_depth) {
				d->elem_depth = -1; /* the array closed; another may follow */
			}
			break;
		case ' ':
		case '\n':
		case '\r':
		case '\t':
			/* Between tokens: left out, so the line is as compact as the
			 * one-object-per-line exports. */
			if (d->in_elem)
				keep(d, p + run, i - run);
			run = i + 1;
			break;
		default:
			break;
		}
	}
	if (d->in_elem)
		keep(d, p + run, n - run);
}
