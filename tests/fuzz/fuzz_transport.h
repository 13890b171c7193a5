/* SPDX-License-Identifier: PostgreSQL */
/*
 * The body of the transports' libFuzzer targets (fuzz_syslog.c,
 * fuzz_journald.c): the input is a whole file, given to the transport's
 * prefix inference (its unwrapping of a sample, the inner format's
 * detection) and then read record by record the way the feed does
 * (NEED_MORE before the end is retried with more bytes: here, at_eof),
 * checking that every call makes progress within the buffer, that a BAD
 * record says why, and that every slice of an entry points at readable
 * bytes (ASan).  Half the inputs run with --ident set from their first
 * line, so the other programs' lines are exercised too.
 */
#ifndef PGTAIL_FUZZ_TRANSPORT_H
#define PGTAIL_FUZZ_TRANSPORT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logfmt/formats.h"

static void fuzz_touch(const struct pg_entry *e)
{
	const struct slice all[] = {e->session_id, e->sev_word,     e->message,     e->sqlstate,
				    e->user,       e->database,     e->application, e->host,
				    e->port,       e->backend_type, e->server};
	volatile unsigned char sink = 0;
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		for (size_t j = 0; j < all[i].len; j++)
			sink ^= (unsigned char)all[i].p[j];
	(void)sink;
}

static int fuzz_transport(const struct logfmt_ops *ops, const uint8_t *data, size_t size)
{
	/* A private copy: ASan then catches reads past the end. */
	char *buf = malloc(size ? size : 1);
	const char *err = NULL;
	void *parser = ops->new (NULL, &err);
	char ident[16] = "";
	size_t off = 0;

	if (!buf || !parser)
		abort();
	memcpy(buf, data, size);
	if (size > 1 && (data[0] & 1)) {
		size_t n = size - 1 < sizeof(ident) - 1 ? size - 1 : sizeof(ident) - 1;
		memcpy(ident, buf + 1, n);
		ident[n] = '\0';
		ident[strcspn(ident, "\n")] = '\0';
	}
	struct logfmt_env env = {.ident = ident[0] ? ident : NULL, .file_mtime_ms = 0};
	if (ops->set_env)
		ops->set_env(parser, &env);
	if (ops->infer)
		ops->infer(parser, buf, size);
	while (off < size) {
		struct pg_entry e;
		size_t used = 0;
		const char *why = NULL;
		enum logfmt_status s =
		    ops->next(parser, buf + off, size - off, false, &e, &used, &why);
		if (s == LOGFMT_NEED_MORE)
			s = ops->next(parser, buf + off, size - off, true, &e, &used, &why);
		if (s == LOGFMT_NEED_MORE || used == 0 || used > size - off)
			abort(); /* at_eof must settle it, and every call must progress */
		if (s == LOGFMT_BAD && !why)
			abort();
		if (s == LOGFMT_OK)
			fuzz_touch(&e);
		off += used;
	}
	if (ops->note)
		(void)ops->note(parser);
	ops->free(parser);
	free(buf);
	return 0;
}

#endif
