/* SPDX-License-Identifier: PostgreSQL */
/*
 * The body of the transports' libFuzzer targets (fuzz_docker.c, fuzz_cri.c,
 * fuzz_cnpg.c, ...): the input is a whole file, read through the
 * transport's ops as the feed reads it -- the inner format and prefix
 * inferred from the first 64 KB, then record by record, NEED_MORE retried
 * with at_eof -- checking that every call makes progress within the
 * buffer, that a BAD record says why, that the fast path lets go of whole
 * records only, and touching every slice of an entry so ASan checks where
 * it points.
 */
#ifndef PGTAIL_FUZZ_TRANSPORT_H
#define PGTAIL_FUZZ_TRANSPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logfmt/formats.h"

static bool fuzz_interest_none(enum pg_sev sev, const char *msg, size_t len)
{
	(void)sev;
	(void)msg;
	(void)len;
	return false;
}

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
	void *p = ops->new (NULL, &err);
	size_t off = 0;

	if (!buf || !p)
		abort();
	memcpy(buf, data, size);
	if (ops->infer)
		ops->infer(p, buf, size < 65536 ? size : 65536);
	while (off < size) {
		struct logfmt_skip sk;
		if (ops->fast_skip &&
		    ops->fast_skip(buf + off, size - off, fuzz_interest_none, &sk) &&
		    (sk.used == 0 || sk.used > size - off || buf[off + sk.used - 1] != '\n'))
			abort(); /* whole records only */
		struct pg_entry e;
		size_t used = 0;
		const char *why = NULL;
		enum logfmt_status s = ops->next(p, buf + off, size - off, false, &e, &used, &why);
		if (s == LOGFMT_NEED_MORE)
			s = ops->next(p, buf + off, size - off, true, &e, &used, &why);
		if (s == LOGFMT_NEED_MORE || used == 0 || used > size - off)
			abort(); /* at_eof must settle it, and every call must progress */
		if (s == LOGFMT_BAD && !why)
			abort();
		if (s == LOGFMT_OK)
			fuzz_touch(&e);
		off += used;
	}
	ops->free(p);
	free(buf);
	return 0;
}

#endif
