/* SPDX-License-Identifier: PostgreSQL */
/*
 * libFuzzer target for logfmt/stderr.c and stderr_infer.c: the input is a
 * whole log file.  A parser infers its prefix from the first 64 KB (the
 * inference of stderr_infer.c), then logfmt-style calls
 * consume the file record by record; the same input then goes through a
 * parser given the Debian prefix '%m [%p] %q%u@%d '.  Checks that every call
 * makes progress and that slices stay inside the record's bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logfmt/formats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_slice(struct slice s, const char *buf, size_t len)
{
	if (s.len != 0 && (s.p < buf || s.p + s.len > buf + len))
		abort();
}

static void run(const char *prefix, const char *buf, size_t size)
{
	const char *err = NULL;
	struct stderr_parser *sp = stderr_parser_new(prefix, &err);
	if (!sp)
		abort();
	stderr_parser_infer(sp, buf, size < 65536 ? size : 65536);
	size_t off = 0;
	while (off < size) {
		struct pg_entry e;
		size_t used = 0;
		const char *why = NULL;
		/* First pass without EOF: must ask for more or consume a line. */
		enum logfmt_status st =
		    stderr_parser_next(sp, buf + off, size - off, false, &e, &used, &why);
		if (st == LOGFMT_NEED_MORE)
			st = stderr_parser_next(sp, buf + off, size - off, true, &e, &used, &why);
		if (st != LOGFMT_OK || used == 0 || used > size - off)
			abort();
		check_slice(e.message, buf + off, used);
		check_slice(e.sev_word, buf + off, used);
		check_slice(e.user, buf + off, used);
		check_slice(e.database, buf + off, used);
		check_slice(e.application, buf + off, used);
		check_slice(e.host, buf + off, used);
		check_slice(e.session_id, buf + off, used);
		check_slice(e.sqlstate, buf + off, used);
		off += used;
	}
	stderr_parser_free(sp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A private copy: ASan then catches reads past the end. */
	char *buf = malloc(size ? size : 1);
	memcpy(buf, data, size);
	run(NULL, buf, size);
	run("%m [%p] %q%u@%d ", buf, size);
	free(buf);
	return 0;
}
