/* SPDX-License-Identifier: PostgreSQL */
/*
 * Differential libFuzzer target for the fast paths: the input is read as a
 * whole file in each format, record by record, and wherever a format's fast
 * path lets a record go, that format's parser must read the same bytes as
 * one record (same length, same newlines, a message or a stderr
 * continuation as the fast path said) whose entry classify_maybe rejects:
 * the fast path may never hide a record that matters.  The stderr parser
 * runs without a prefix, so that it finds the severity word as the fast
 * path does.  A record the parser refuses (LOGFMT_BAD) may be let go: the
 * fast path does not validate, it only decides that nothing in it matters.
 * Nor does the jsonlog fast path parse JSON: it is held to its promises
 * (a message, and one that does not matter) only on lines laid out as
 * PostgreSQL writes them, which the strict scanner of jsonscan.c accepts
 * (no key of interest twice, no escaped key, nothing nested: a
 * CloudNativePG line, whose record is nested, is counted as a message).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conn/classify.h"
#include "logfmt/formats.h"
#include "logfmt/jsonscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t count_nl(const char *p, size_t n)
{
	uint64_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += p[i] == '\n';
	return c;
}

/* Is the record p[0..n) one the fast path of ops makes promises about? */
static bool promised(const struct logfmt_ops *ops, const char *p, size_t n)
{
	static char *out;
	static size_t out_alloc;
	struct jscan_value v[JSCAN_NKEYS];

	if (ops != &jsonlog_ops)
		return true;
	if (n && p[n - 1] == '\n')
		n--;
	if (out_alloc < n + 1) {
		free(out);
		out_alloc = n + 1;
		out = malloc(out_alloc);
		if (!out)
			abort();
	}
	return jscan_line(p, n, out, v);
}

static void check(const struct logfmt_ops *ops, const char *buf, size_t size)
{
	const char *err = NULL;
	void *parser = ops->new (NULL, &err);
	size_t off = 0;

	if (!parser)
		abort();
	while (off < size) {
		struct logfmt_skip sk;
		bool skip = ops->fast_skip(buf + off, size - off, classify_maybe, &sk);
		struct pg_entry e;
		size_t used = 0;
		const char *why = NULL;
		enum logfmt_status s =
		    ops->next(parser, buf + off, size - off, true, &e, &used, &why);
		if (used == 0 || used > size - off)
			abort();
		if (skip) {
			if (sk.used != used || sk.lines != count_nl(buf + off, used))
				abort(); /* framed otherwise than the parser frames it */
			if (s == LOGFMT_OK && sk.message != (e.kind == ENTRY_MESSAGE) &&
			    promised(ops, buf + off, used))
				abort();
			if (s == LOGFMT_OK && e.kind == ENTRY_MESSAGE &&
			    classify_maybe(e.sev, e.message.p, e.message.len) &&
			    promised(ops, buf + off, used))
				abort(); /* let go of a record that matters */
		}
		off += used;
	}
	ops->free(parser);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A private copy: ASan then catches reads past the end. */
	char *buf = malloc(size ? size : 1);
	memcpy(buf, data, size);
	check(&stderr_ops, buf, size);
	check(&csvlog_ops, buf, size);
	check(&jsonlog_ops, buf, size);
	free(buf);
	return 0;
}
