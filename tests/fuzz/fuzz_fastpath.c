/* SPDX-License-Identifier: PostgreSQL */
/*
 * Differential libFuzzer target for the fast paths: the input is read as a
 * whole file in each format, record by record, and wherever a format's fast
 * path lets a record go, that format's parser must read the same bytes as
 * one record (same length, same newlines, a message or a stderr
 * continuation as the fast path said) whose entry classify_maybe rejects:
 * the fast path may never hide a record that matters.  The stderr parser
 * runs without a prefix, so that it finds the severity word as the fast
 * path does.  The csvlog fast path reads a record as bit masks of its
 * quotes, commas and newlines, 64 bytes at a time: the regression input
 * csv-quotes-at-every-seam shifts records across every block seam; it is
 * checked in every way the CPU can compute the masks (csvscan_use).  A
 * record the parser refuses (LOGFMT_BAD) may be let go: the
 * fast path does not validate, it only decides that nothing in it matters.
 * Nor does the jsonlog fast path parse JSON: it is held to its promise only
 * on lines laid out as PostgreSQL writes them, which the strict scanner of
 * jsonscan.c accepts (no key of interest twice, no escaped key).  The
 * syslog transport's fast path hands the payload to stderr's, so the same
 * promise holds through its header; it may let go a line its parser would
 * leave out as another program's (ENTRY_FOREIGN), which nothing counts.
 * journald's fast path finds MESSAGE without parsing the object: it is held
 * to its promises (the kind and the interest of the record) on the lines
 * its parser's strict scanner accepts (a MESSAGE key twice, say, is no
 * journalctl output).  The container and cloud transports are held to the
 * same promises where their payload is a stderr line as it is (CRI,
 * docker logs -t and json-file, CloudWatch, Heroku): a payload that is a
 * JSON object goes to CloudNativePG's fast path, which the parser here,
 * whose inner format is not inferred, does not use; a json-file line whose
 * "log" is no valid JSON string (invalid UTF-8, which Docker never writes)
 * is no promise either.  A CloudNativePG line,
 * whose record is nested, is no jsonlog line PostgreSQL writes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conn/classify.h"
#include "logfmt/csvscan.h"
#include "logfmt/formats.h"
#include "logfmt/journald_scan.h"
#include "logfmt/jsonscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t count_nl(const char *p, size_t n)
{
	uint64_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += p[i] == '\n';
	return c;
}

/* Does the record p[0..n) of a CRI or Docker file carry a JSON object
 * (CloudNativePG's record) rather than a stderr line? */
static bool carries_object(const struct logfmt_ops *ops, const char *p, size_t n)
{
	static const char head[] = "{\"log\":\"";
	if (ops == &docker_ops && n >= sizeof(head) && memcmp(p, head, sizeof(head) - 1) == 0)
		return p[sizeof(head) - 1] == '{';
	int spaces = ops == &cri_ops ? 3 : 1;
	for (size_t i = 0; i < n; i++)
		if (p[i] == ' ' && --spaces == 0)
			return i + 1 < n && p[i + 1] == '{';
	return false;
}

/* Is the record p[0..n) one the fast path of ops makes promises about? */
static bool promised(const struct logfmt_ops *ops, const char *p, size_t n)
{
	static char *out;
	static size_t out_alloc;
	struct jscan_value v[JSCAN_NKEYS];

	if (ops == &cri_ops)
		return !carries_object(ops, p, n);
	if (ops != &jsonlog_ops && ops != &journald_ops && ops != &docker_ops)
		return true;
	if (n && p[n - 1] == '\n')
		n--;
	if (ops == &docker_ops) {
		/* A json-file line: held to the promises where the parser's
		 * scanner reads its "log" (valid UTF-8, as Docker writes it). */
		const char *next;
		size_t olen;
		char *o = malloc(n + 1);
		if (!o)
			abort();
		bool json = n > 8 && memcmp(p, "{\"log\":\"", 8) == 0;
		bool ok = !carries_object(ops, p, n) &&
			  (!json || jscan_string(p + 8, p + n, o, &olen, &next));
		free(o);
		return ok;
	}
	if (ops == &journald_ops) {
		/* Its parser's scanner reads the line as the fast path does. */
		struct sbuf msg;
		struct jd_rec r;
		sbuf_init(&msg, 0);
		bool ok = jd_scan(p, n, &r, &msg);
		sbuf_release(&msg);
		return ok;
	}
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
			if (s == LOGFMT_OK && e.kind != ENTRY_FOREIGN &&
			    sk.message != (e.kind == ENTRY_MESSAGE) &&
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
	/* The csvlog fast path in every way this CPU can scan a block. */
	enum csvscan_isa best = csvscan_best();
	for (int isa = CSVSCAN_BYTEWISE; isa <= (int)best; isa++) {
		csvscan_use((enum csvscan_isa)isa);
		check(&csvlog_ops, buf, size);
	}
	csvscan_use(best);
	check(&jsonlog_ops, buf, size);
	check(&syslog_ops, buf, size);
	check(&journald_ops, buf, size);
	check(&docker_ops, buf, size);
	check(&cri_ops, buf, size);
	check(&cloudwatch_ops, buf, size);
	check(&heroku_ops, buf, size);
	free(buf);
	return 0;
}
