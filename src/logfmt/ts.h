/* SPDX-License-Identifier: PostgreSQL */
/*
 * Timestamps as PostgreSQL prints them: "%Y-%m-%d %H:%M:%S[.mmm] ZONE"
 * (%m, %t, csv log_time, json timestamp) and "%n" (epoch seconds.mmm).
 */
#ifndef PGTAIL_TS_H
#define PGTAIL_TS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Parse "YYYY-MM-DD HH:MM:SS[.fff] ZONE" at p[0..len).  ZONE is a letter
 * abbreviation (UTC, GMT, CET, CEST, EST, PDT, ...) or a numeric offset
 * (+05:30, -03, +0545).  Unknown or ambiguous abbreviations are taken as UTC
 * and *zone_known is set to 0 (the caller may warn once).  The zone may be
 * missing (then UTC, zone_known 0).
 * On success stores UTC milliseconds since the epoch in *out_ms, the number
 * of bytes consumed (including the zone, not a following space) in *used,
 * and returns 0.  Returns -1 when p does not start with such a timestamp.
 * zone_known may be NULL.
 */
int ts_parse(const char *p, size_t len, int64_t *out_ms, size_t *used, int *zone_known);

/* For a timestamp at p: 1 when its zone is an abbreviation that is unknown
 * or has several meanings (IST, CST, AST), with *zone_at and *zone_len
 * where the abbreviation is and *off_min the offset east of UTC taken for
 * it; 0 when the zone is sure or absent; -1 when p holds no timestamp. */
int ts_zone_unsure(const char *p, size_t len, size_t *zone_at, size_t *zone_len, int *off_min);
/*
 * Parse an RFC 3339 timestamp as container runtimes and log services write
 * it: "YYYY-MM-DDTHH:MM:SS[.f...](Z|+hh:mm|+hhmm|+hh)" at p[0..len) (any
 * number of fraction digits, the first three read).  Same return
 * convention as ts_parse; *used covers the zone.  A time without a zone is
 * refused: RFC 3339 has none.
 */
int ts_parse_rfc3339(const char *p, size_t len, int64_t *out_ms, size_t *used);

/* Parse "%n": "1795915259.222" → ms.  Same return convention as ts_parse. */
int ts_parse_epoch(const char *p, size_t len, int64_t *out_ms, size_t *used);

/* Format ms as ISO 8601 UTC "2026-11-29T00:45:42.699Z" into buf (>= 32 bytes). */
void ts_format_iso(int64_t ms, char *buf, size_t buflen);

/* Format ms as "HH:MM:SS" UTC into buf (>= 16 bytes). */
void ts_format_hms(int64_t ms, char *buf, size_t buflen);

/* Days since 1970-01-01 for a proleptic Gregorian date. */
int64_t ts_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
