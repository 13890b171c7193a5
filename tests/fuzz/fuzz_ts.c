/* SPDX-License-Identifier: PostgreSQL */
/*
 * libFuzzer target for the timestamp parser (logfmt/ts.c), which every
 * format reads first: "YYYY-MM-DD HH:MM:SS[.fff] ZONE" and epoch "%n".
 * Checks that a parse consumes no more than it was given, that a time it
 * accepts, formatted as ISO 8601 UTC and parsed back, gives the same
 * millisecond, and that the input reads the same whatever was read before
 * it (the parser keeps the last minute and zone it read): after itself,
 * and after two other timestamps.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logfmt/ts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	int64_t ms = 0, back = 0;
	size_t used = 0, used2 = 0;
	int known = -1;

	if (ts_parse(p, size, &ms, &used, &known) == 0) {
		if (used == 0 || used > size || (known != 0 && known != 1))
			abort();
		/* ISO form "2026-11-29T00:45:42.699Z": as ts_parse reads it, with
		 * a space for the T and " UTC" for the Z. */
		char iso[64];
		ts_format_iso(ms, iso, sizeof(iso));
		size_t n = strlen(iso);
		if (n >= 24 && iso[10] == 'T' && iso[n - 1] == 'Z') {
			iso[10] = ' ';
			memcpy(iso + n - 1, " UTC", 5);
			if (ts_parse(iso, strlen(iso), &back, &used2, NULL) != 0 || back != ms)
				abort();
		}
		char hms[32];
		ts_format_hms(ms, hms, sizeof(hms));
	}
	/* The same input after other timestamps and after itself. */
	static const char *before[] = {"2026-11-29 00:00:00 UTC", "1999-01-01 23:59:59 XYZT"};
	int rc = ts_parse(p, size, &ms, &used, &known);
	for (size_t i = 0; i < 3; i++) {
		int64_t ms2 = 0;
		size_t u2 = 0, u0 = 0;
		int known2 = -1;
		if (i < 2)
			ts_parse(before[i], strlen(before[i]), &back, &u0, NULL);
		if (ts_parse(p, size, &ms2, &u2, &known2) != rc ||
		    (rc == 0 && (ms2 != ms || u2 != used || known2 != known)))
			abort();
	}
	if (ts_parse_epoch(p, size, &ms, &used) == 0 && (used == 0 || used > size))
		abort();
	return 0;
}
