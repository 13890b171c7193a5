/* SPDX-License-Identifier: PostgreSQL */
/* Time values of options; see opts.h. */
#include "cli/opts.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logfmt/entry.h"
#include "logfmt/ts.h"
#include "util/diag.h"

/* The longest duration taken: 100 years. */
#define OPTS_MAX_DURATION_MS (36525LL * 86400000)

static bool is_duration(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || !strchr("smhd", s[n - 1]))
		return false;
	for (size_t i = 0; i + 1 < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static bool is_clock(const char *s)
{
	/* HH:MM or HH:MM:SS */
	size_t n = strlen(s);
	if (n != 5 && n != 8)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (i % 3 == 2) {
			if (s[i] != ':')
				return false;
		} else if (!isdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return true;
}

bool opts_time_relative(const char *s)
{
	return is_duration(s) || is_clock(s);
}

int opts_parse_time(const char *s, int64_t newest_ms, int64_t *out, const char **err)
{
	if (is_duration(s)) {
		if (newest_ms == TS_UNKNOWN) {
			*err = "a relative time needs a log with timestamps";
			return -1;
		}
		size_t n = strlen(s);
		int64_t unit = s[n - 1] == 's'   ? 1000
			       : s[n - 1] == 'm' ? 60000
			       : s[n - 1] == 'h' ? 3600000
						 : 86400000;
		/* Digits only, so no sign; more than a century is a typo. */
		errno = 0;
		long long v = strtoll(s, NULL, 10);
		if (errno == ERANGE || v > OPTS_MAX_DURATION_MS / unit) {
			*err = "a duration longer than 100 years";
			return -1;
		}
		*out = newest_ms - (int64_t)v * unit;
		return 0;
	}
	if (is_clock(s)) {
		if (newest_ms == TS_UNKNOWN) {
			*err = "a clock time needs a log with timestamps";
			return -1;
		}
		int h = atoi(s), m = atoi(s + 3), sec = strlen(s) == 8 ? atoi(s + 6) : 0;
		if (h > 23 || m > 59 || sec > 59) {
			*err = "not a valid clock time";
			return -1;
		}
		int64_t day =
		    newest_ms >= 0 ? newest_ms / 86400000 : (newest_ms - 86399999) / 86400000;
		int64_t t = day * 86400000 + ((int64_t)h * 3600 + m * 60 + sec) * 1000;
		if (t > newest_ms)
			t -= 86400000;
		*out = t;
		return 0;
	}
	/* ISO 8601: accept 'T' or ' ' between date and time, seconds optional. */
	char buf[64];
	size_t n = strlen(s);
	if (n >= sizeof(buf) - 8 || n < 10) {
		*err = "not a time (use 2026-11-29T10:30:00Z, 10:30, or 15m)";
		return -1;
	}
	memcpy(buf, s, n + 1);
	if (n > 10 && buf[10] == 'T')
		buf[10] = ' ';
	if (n == 10) { /* date only: midnight */
		strcpy(buf + 10, " 00:00:00");
	} else if (n >= 16 && (n == 16 || !isdigit((unsigned char)buf[16]) || buf[16] != ':')) {
		/* "YYYY-MM-DD HH:MM" + maybe zone: insert ":00" */
		if (n == 16 || buf[16] != ':') {
			char rest[32];
			strncpy(rest, buf + 16, sizeof(rest) - 1);
			rest[sizeof(rest) - 1] = '\0';
			snprintf(buf + 16, sizeof(buf) - 16, ":00%s", rest);
		}
	}
	/* A trailing Z or an offset is the zone; ts_parse wants a space before it. */
	size_t m = strlen(buf);
	char zbuf[80];
	size_t base = 19;
	if (m > base && buf[base] == '.') {
		base++;
		while (base < m && isdigit((unsigned char)buf[base]))
			base++;
	}
	if (base > m) {
		*err = "not a time (use 2026-11-29T10:30:00Z, 10:30, or 15m)";
		return -1;
	}
	snprintf(zbuf, sizeof(zbuf), "%.*s %s", (int)base, buf,
		 buf[base] ? (buf[base] == ' ' ? buf + base + 1 : buf + base) : "UTC");
	int64_t ms;
	size_t used;
	if (ts_parse(zbuf, strlen(zbuf), &ms, &used, NULL) < 0 || used != strlen(zbuf)) {
		*err = "not a time (use 2026-11-29T10:30:00Z, 10:30, or 15m)";
		return -1;
	}
	*out = ms;
	return 0;
}

int opts_parse_lang(const char *s, struct out *err)
{
	int lang = lang_from_code(s, strlen(s));
	if (lang < 0)
		diag_error(err, "unknown --lang '%s'", s);
	return lang;
}
