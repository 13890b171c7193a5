/* SPDX-License-Identifier: PostgreSQL */
/*
 * libFuzzer target for the timestamp parser (logfmt/ts.c), which every
 * format reads first: "YYYY-MM-DD HH:MM:SS[.fff] ZONE" and epoch "%n".
 * Checks that a parse consumes no more than it was given, and that a
 * time it accepts, formatted as ISO 8601 UTC and parsed back, gives the
 * same millisecond.
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
	if (ts_parse_epoch(p, size, &ms, &used) == 0 && (used == 0 || used > size))
		abort();
	return 0;
}
