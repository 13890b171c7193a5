/* SPDX-License-Identifier: PostgreSQL */
/* The values of time options: --since/--until times and durations. */
#ifndef PGTAIL_OPTS_H
#define PGTAIL_OPTS_H

#include <stdbool.h>
#include <stdint.h>

/* True when s is a relative time ("15m") or a bare clock time ("10:30"),
 * which need the newest event's time to resolve. */
bool opts_time_relative(const char *s);

/*
 * Parse a --since/--until value into UTC ms: ISO 8601 ("2026-11-29T10:30:00Z",
 * "2026-11-29 10:30[:00][.mmm]" taken as UTC, an offset such as +02:00
 * allowed), a clock time "HH:MM[:SS]" (on the newest event's day, or the
 * day before when that would be after it), or a duration before the newest
 * event ("90s", "15m", "2h", "1d").  Returns 0, or -1 with *err set.
 */
int opts_parse_time(const char *s, int64_t newest_ms, int64_t *out, const char **err);

#endif
