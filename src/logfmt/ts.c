/* SPDX-License-Identifier: PostgreSQL */
/* STUB */
#include "logfmt/ts.h"
#include <stdio.h>
int ts_parse(const char *p, size_t len, int64_t *out_ms, size_t *used, int *zone_known) { return -1; }
int ts_parse_epoch(const char *p, size_t len, int64_t *out_ms, size_t *used) { return -1; }
void ts_format_iso(int64_t ms, char *buf, size_t buflen) { snprintf(buf, buflen, "?"); }
void ts_format_hms(int64_t ms, char *buf, size_t buflen) { snprintf(buf, buflen, "?"); }
int64_t ts_days_from_civil(int64_t y, unsigned m, unsigned d) { return 0; }
