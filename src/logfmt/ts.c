/* SPDX-License-Identifier: PostgreSQL */
/*
 * ts: parse the timestamps PostgreSQL prints (%m, %t, %s, %n, csv log_time,
 * json timestamp) into UTC milliseconds, and format milliseconds back.
 * Pure arithmetic (days-from-civil), no timegm(), no locale, no tz database:
 * zone abbreviations come from a small fixed table.
 */
#include "logfmt/ts.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/*
 * Zone abbreviations with a fixed offset east of UTC, in minutes.  known = 0
 * marks abbreviations used by more than one zone (IST: India, Ireland,
 * Israel; CST: US Central, China, Cuba; AST: Atlantic, Arabia): the offset
 * given is the most common reading and the caller is told it is a guess.
 */
static const struct {
	const char *abbr;
	int offset_min;
	int known;
} zones[] = {
    {"UTC", 0, 1},    {"GMT", 0, 1},    {"Z", 0, 1},       {"UCT", 0, 1},     {"UT", 0, 1},
    {"WET", 0, 1},    {"WEST", 60, 1},  {"BST", 60, 1},    {"IST", 330, 0},   {"CET", 60, 1},
    {"CEST", 120, 1}, {"MET", 60, 1},   {"MEST", 120, 1},  {"EET", 120, 1},   {"EEST", 180, 1},
    {"MSK", 180, 1},  {"WAT", 60, 1},   {"CAT", 120, 1},   {"EAT", 180, 1},   {"SAST", 120, 1},
    {"IDT", 180, 1},  {"PKT", 300, 1},  {"WIB", 420, 1},   {"WITA", 480, 1},  {"WIT", 540, 1},
    {"HKT", 480, 1},  {"JST", 540, 1},  {"KST", 540, 1},   {"AWST", 480, 1},  {"ACST", 570, 1},
    {"ACDT", 630, 1}, {"AEST", 600, 1}, {"AEDT", 660, 1},  {"NZST", 720, 1},  {"NZDT", 780, 1},
    {"HST", -600, 1}, {"HDT", -540, 1}, {"AKST", -540, 1}, {"AKDT", -480, 1}, {"PST", -480, 1},
    {"PDT", -420, 1}, {"MST", -420, 1}, {"MDT", -360, 1},  {"CST", -360, 0},  {"CDT", -300, 1},
    {"EST", -300, 1}, {"EDT", -240, 1}, {"AST", -240, 0},  {"ADT", -180, 1},  {"NST", -210, 1},
    {"NDT", -150, 1}, {"SST", -660, 1}, {"ChST", 600, 1},
};

/* Value of n ASCII digits at p, or -1 if any of them is not a digit. */
static int digits(const char *p, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

static bool is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_alnum(char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

/*
 * Parse a zone at p[0..len) (the text after the space that follows the
 * time).  Returns its length (0: not a zone) and stores the offset east of
 * UTC in *off_min and whether it is certain in *known.
 */
static size_t parse_zone(const char *p, size_t len, int *off_min, int *known)
{
	if (len == 0)
		return 0;
	if (p[0] == '+' || p[0] == '-') {
		/* +HH, +HHMM, +HH:MM */
		int sign = p[0] == '-' ? -1 : 1;
		if (len < 3 || digits(p + 1, 2) < 0)
			return 0;
		int h = digits(p + 1, 2), m = 0;
		size_t n = 3;
		if (len >= 6 && p[3] == ':' && digits(p + 4, 2) >= 0) {
			m = digits(p + 4, 2);
			n = 6;
		} else if (len >= 5 && digits(p + 3, 2) >= 0) {
			m = digits(p + 3, 2);
			n = 5;
		}
		if (n < len && (p[n] >= '0' && p[n] <= '9'))
			return 0;
		if (h > 15 || m > 59)
			return 0;
		*off_min = sign * (h * 60 + m);
		*known = 1;
		return n;
	}
	size_t n = 0;
	while (n < len && n < 7 && is_alpha(p[n]))
		n++;
	if (n == 0 || n > 6 || (n < len && is_alnum(p[n])))
		return 0;
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
		if (strlen(zones[i].abbr) == n && memcmp(zones[i].abbr, p, n) == 0) {
			*off_min = zones[i].offset_min;
			*known = zones[i].known;
			return n;
		}
	}
	/* Unknown abbreviation: tzdata prints them in capitals.  A word followed
	 * by ':' or '@' is a severity ("LOG:") or a user, not a zone. */
	if (p[0] < 'A' || p[0] > 'Z' || (n < len && (p[n] == ':' || p[n] == '@')))
		return 0;
	*off_min = 0;
	*known = 0;
	return n;
}

int64_t ts_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	/* Howard Hinnant's days_from_civil: years start in March so the leap
	 * day falls at the end of the year. */
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;                                            /* [0, 399] */
	int64_t doy = (153 * (int64_t)(m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                    /* [0, 146096] */
	return era * 146097 + doe - 719468;
}

/* Inverse of ts_days_from_civil. */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/*
 * The last "YYYY-MM-DD HH:MM" read in this thread and its seconds since the
 * epoch, and the last zone word and its meaning: a log's timestamps share
 * their minute and zone with the one before, so most are read from here
 * (each parse costed more than the rest of a record's parse).
 */
static _Thread_local struct {
	char minute[16];
	int64_t minute_secs;
	char zone[8];
	size_t zone_len;
	int zone_off, zone_known;
} last;

/* The seconds since the epoch (zone aside) of p's "YYYY-MM-DD HH:MM"
 * (p[10] is ' ' or 'T', checked), or -1 when it is no such time. */
static int64_t minute_secs(const char *p)
{
	if (last.minute[0] && memcmp(p, last.minute, 16) == 0)
		return last.minute_secs;
	int y = digits(p, 4), mo = digits(p + 5, 2), d = digits(p + 8, 2);
	int h = digits(p + 11, 2), mi = digits(p + 14, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59)
		return -1;
	int64_t secs =
	    ts_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60;
	memcpy(last.minute, p, 16);
	last.minute_secs = secs;
	return secs;
}

/* parse_zone, from the last zone read when it is the same word. */
static size_t zone_cached(const char *p, size_t len, int *off_min, int *known)
{
	size_t n = last.zone_len;
	/* The word alone (a longer one is another), and not before ':' or
	 * '@', where an unknown word is no zone. */
	if (n && n < len && memcmp(p, last.zone, n) == 0 && !is_alnum(p[n]) && p[n] != ':' &&
	    p[n] != '@') {
		*off_min = last.zone_off;
		*known = last.zone_known;
		return n;
	}
	n = parse_zone(p, len, off_min, known);
	if (n > 0 && n < sizeof(last.zone) && (p[0] < '0' || p[0] > '9') && p[0] != '+' &&
	    p[0] != '-') {
		memcpy(last.zone, p, n);
		last.zone_len = n;
		last.zone_off = *off_min;
		last.zone_known = *known;
	}
	return n;
}

/* ts_parse, also giving the zone's offset and where its word lies
 * (*zone_len 0 when there is no zone). */
static int parse_ts(const char *p, size_t len, int64_t *out_ms, size_t *used, int *zone_known,
		    int *off_min, size_t *zone_at, size_t *zone_len)
{
	/* "YYYY-MM-DD HH:MM:SS" */
	if (len < 19 || p[4] != '-' || p[7] != '-' || (p[10] != ' ' && p[10] != 'T') ||
	    p[13] != ':' || p[16] != ':')
		return -1;
	int64_t base = minute_secs(p);
	int s = digits(p + 17, 2);
	if (base < 0 || s < 0 || s > 60)
		return -1;
	size_t n = 19;
	int ms = 0;
	if (n + 1 < len && p[n] == '.' && p[n + 1] >= '0' && p[n + 1] <= '9') {
		/* Fraction: the first three digits are milliseconds; up to six read. */
		int scale = 100;
		n++;
		for (size_t k = 0; n < len && k < 6 && p[n] >= '0' && p[n] <= '9'; k++, n++) {
			ms += (p[n] - '0') * scale;
			scale /= 10;
		}
	}
	int off = 0, known = 0;
	*zone_at = n;
	*zone_len = 0;
	if (n < len && p[n] == ' ') {
		size_t z = zone_cached(p + n + 1, len - n - 1, &off, &known);
		if (z > 0) {
			*zone_at = n + 1;
			*zone_len = z;
			n += 1 + z;
		}
	}
	*off_min = off;
	int64_t secs = base + s - (int64_t)off * 60;
	*out_ms = secs * 1000 + ms;
	*used = n;
	if (zone_known)
		*zone_known = known;
	return 0;
}

int ts_parse_rfc3339(const char *p, size_t len, int64_t *out_ms, size_t *used)
{
	int off, known;
	size_t at, zlen, n;
	int64_t ms;

	if (len < 20 || p[10] != 'T' || parse_ts(p, 19, &ms, &n, &known, &off, &at, &zlen) < 0)
		return -1;
	n = 19;
	if (p[n] == '.') {
		int scale = 100;
		for (n++; n < len && p[n] >= '0' && p[n] <= '9'; n++) {
			ms += (p[n] - '0') * scale;
			scale /= 10;
		}
	}
	if (n < len && p[n] == 'Z') {
		*out_ms = ms;
		*used = n + 1;
		return 0;
	}
	if (n + 3 > len || (p[n] != '+' && p[n] != '-'))
		return -1;
	int h = digits(p + n + 1, 2), m = 0;
	size_t k = n + 3;
	if (k < len && p[k] == ':')
		k++;
	if (k + 2 <= len && digits(p + k, 2) >= 0) {
		m = digits(p + k, 2);
		k += 2;
	} else if (k > n + 3) {
		return -1; /* "+hh:" */
	}
	if (h < 0 || h > 23 || m > 59)
		return -1;
	int64_t zone_ms = (int64_t)(h * 60 + m) * 60000;
	*out_ms = p[n] == '-' ? ms + zone_ms : ms - zone_ms;
	*used = k;
	return 0;
}

int ts_parse(const char *p, size_t len, int64_t *out_ms, size_t *used, int *zone_known)
{
	int off;
	size_t at, zlen;
	return parse_ts(p, len, out_ms, used, zone_known, &off, &at, &zlen);
}

int ts_zone_unsure(const char *p, size_t len, size_t *zone_at, size_t *zone_len, int *off_min)
{
	int64_t ms;
	size_t used;
	int known = 1;
	if (parse_ts(p, len, &ms, &used, &known, off_min, zone_at, zone_len) != 0)
		return -1;
	return *zone_len > 0 && !known;
}

int ts_parse_epoch(const char *p, size_t len, int64_t *out_ms, size_t *used)
{
	int64_t secs = 0;
	size_t n = 0;
	/* At most 12 digits of seconds: no overflow, and far beyond year 9999. */
	while (n < len && n < 12 && p[n] >= '0' && p[n] <= '9')
		secs = secs * 10 + (p[n++] - '0');
	if (n == 0 || (n < len && p[n] >= '0' && p[n] <= '9'))
		return -1;
	int ms = 0;
	if (n + 1 < len && p[n] == '.' && p[n + 1] >= '0' && p[n + 1] <= '9') {
		int scale = 100;
		n++;
		for (size_t k = 0; n < len && k < 6 && p[n] >= '0' && p[n] <= '9'; k++, n++) {
			ms += (p[n] - '0') * scale;
			scale /= 10;
		}
	}
	*out_ms = secs * 1000 + ms;
	*used = n;
	return 0;
}

/* Split ms into a civil date and time of day (floor division, so times
 * before 1970 come out right too). */
static void split_ms(int64_t ms, int64_t *y, unsigned *mo, unsigned *d, int *h, int *mi, int *s,
		     int *frac)
{
	int64_t secs = ms / 1000, rem = ms % 1000;
	if (rem < 0) {
		rem += 1000;
		secs--;
	}
	int64_t days = secs / 86400, sod = secs % 86400;
	if (sod < 0) {
		sod += 86400;
		days--;
	}
	civil_from_days(days, y, mo, d);
	*h = (int)(sod / 3600);
	*mi = (int)(sod / 60 % 60);
	*s = (int)(sod % 60);
	*frac = (int)rem;
}

void ts_format_iso(int64_t ms, char *buf, size_t buflen)
{
	int64_t y;
	unsigned mo, d;
	int h, mi, s, frac;
	split_ms(ms, &y, &mo, &d, &h, &mi, &s, &frac);
	snprintf(buf, buflen, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ", (long long)y, mo, d, h, mi,
		 s, frac);
}

void ts_format_hms(int64_t ms, char *buf, size_t buflen)
{
	int64_t y;
	unsigned mo, d;
	int h, mi, s, frac;
	split_ms(ms, &y, &mo, &d, &h, &mi, &s, &frac);
	snprintf(buf, buflen, "%02d:%02d:%02d", h, mi, s);
}
