/* SPDX-License-Identifier: PostgreSQL */
/*
 * libFuzzer target for the csvlog parser: the input is a whole file, read
 * record by record the way the reader does (NEED_MORE at the end is retried
 * with at_eof), checking that every call makes progress within the buffer
 * and that a record is framed the same whatever follows it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logfmt/formats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct csv_parser *cp; /* reused across inputs, as a real reader does */
	const char *buf = (const char *)data;
	size_t off = 0;

	if (!cp)
		cp = csv_parser_new();
	while (off < size) {
		struct pg_entry e;
		size_t used = 0;
		const char *why = NULL;
		enum logfmt_status s =
		    csv_parser_next(cp, buf + off, size - off, false, &e, &used, &why);

		if (s == LOGFMT_NEED_MORE) {
			s = csv_parser_next(cp, buf + off, size - off, true, &e, &used, &why);
		} else if (!(s == LOGFMT_BAD && strstr(why, "unbalanced quotes"))) {
			/* A record found without at_eof is framed by its own bytes:
			 * the same answer when the buffer ends right after it.  (A
			 * record cut where the next one starts is not: its quotes
			 * are open at the cut.) */
			size_t used2 = 0;
			struct pg_entry e2;
			if (csv_parser_next(cp, buf + off, used, false, &e2, &used2, &why) != s ||
			    used2 != used)
				abort();
			csv_parser_next(cp, buf + off, size - off, false, &e, &used, &why);
		}
		if (s == LOGFMT_NEED_MORE || used == 0 || used > size - off)
			abort(); /* at_eof must settle it, and every call must progress */
		if (s == LOGFMT_BAD && !why)
			abort();
		if (s == LOGFMT_OK && e.kind == ENTRY_MESSAGE) {
			/* touch every slice so ASan checks where they point */
			const struct slice all[] = {
			    e.session_id, e.sev_word,    e.message, e.sqlstate, e.user,
			    e.database,   e.application, e.host,    e.port,     e.backend_type};
			volatile unsigned char sink = 0;
			for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
				for (size_t j = 0; j < all[i].len; j++)
					sink ^= (unsigned char)all[i].p[j];
			(void)sink;
		}
		off += used;
	}
	return 0;
}
