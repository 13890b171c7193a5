/* SPDX-License-Identifier: PostgreSQL */
/*
 * Differential libFuzzer target for jsondoc (source/jsondoc.c), which turns
 * a JSON document of records into one record per line:
 *  - pushed whole or cut into pieces (where the input's first byte says),
 *    it gives the same lines;
 *  - every line ends with its newline and holds no other;
 *  - when jansson reads the input as an array of values (or an object
 *    {"records": [...]}), the lines are its object elements, in order, each
 *    equal to jansson's reading of it.
 * Any difference aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "source/jsondoc.h"
#include "util/sbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void collect(void *ctx, const char *line, size_t len)
{
	struct sbuf *out = ctx;
	if (!len || line[len - 1] != '\n' || memchr(line, '\n', len - 1))
		abort();
	if (sbuf_add(out, line, len) < 0)
		abort();
}

/* The lines of data[0..n) pushed in pieces of step bytes (0: whole). */
static void run(const char *p, size_t n, size_t step, struct sbuf *out, uint64_t *elements)
{
	struct jsondoc d;
	jsondoc_init(&d, 1u << 20);
	if (!step)
		step = n ? n : 1;
	for (size_t off = 0; off < n; off += step)
		jsondoc_push(&d, p + off, off + step < n ? step : n - off, collect, out);
	*elements = d.elements;
	jsondoc_release(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t step = data[0] % 17;
	const char *p = (const char *)data + 1;
	size_t n = size - 1;
	struct sbuf whole, cut;
	uint64_t ew, ec;

	sbuf_init(&whole, 0);
	sbuf_init(&cut, 0);
	run(p, n, 0, &whole, &ew);
	run(p, n, step, &cut, &ec);
	if (ew != ec || whole.len != cut.len ||
	    (whole.len && memcmp(whole.buf, cut.buf, whole.len)))
		abort();

	json_error_t err;
	json_t *doc = json_loadb(p, n, 0, &err);
	json_t *arr = NULL;
	if (doc && json_is_array(doc))
		arr = doc;
	else if (doc && json_is_object(doc) && json_object_size(doc) == 1 &&
		 json_is_array(json_object_get(doc, "records")))
		arr = json_object_get(doc, "records");
	if (arr && jsondoc_sniff(p, n)) {
		/* The object elements, one per line, in order. */
		const char *line = whole.buf;
		size_t left = whole.len, i;
		json_t *v;
		json_array_foreach(arr, i, v)
		{
			if (!json_is_object(v))
				continue;
			const char *nl = left ? memchr(line, '\n', left) : NULL;
			if (!nl)
				abort();
			json_t *got = json_loadb(line, (size_t)(nl - line), 0, &err);
			if (!got || !json_equal(got, v))
				abort();
			json_decref(got);
			left -= (size_t)(nl + 1 - line);
			line = nl + 1;
		}
		if (left)
			abort();
	}
	json_decref(doc);
	sbuf_release(&whole);
	sbuf_release(&cut);
	return 0;
}
