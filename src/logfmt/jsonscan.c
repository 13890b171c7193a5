/* SPDX-License-Identifier: PostgreSQL */
/*
 * jsonscan: the strict scanner of one flat jsonlog object (see jsonscan.h).
 *
 * It accepts a subset of what jansson (json_loadb with JSON_ALLOW_NUL)
 * accepts, and must extract the same values from it; the differential fuzzer
 * tests/fuzz/fuzz_jsonscan.c checks both.  Whatever it is not sure about, it
 * refuses: reals, integers outside long long, lone surrogates, escaped keys,
 * a key of interest given twice, nested arrays and objects, invalid UTF-8.
 */
#include "logfmt/jsonscan.h"
#include "util/utf8.h"

#include <limits.h>
#include <string.h>

const char *const jscan_key_names[JSCAN_NKEYS] = {
    [JSCAN_TIMESTAMP] = "timestamp",
    [JSCAN_USER] = "user",
    [JSCAN_DBNAME] = "dbname",
    [JSCAN_PID] = "pid",
    [JSCAN_REMOTE_HOST] = "remote_host",
    [JSCAN_REMOTE_PORT] = "remote_port",
    [JSCAN_SESSION_ID] = "session_id",
    [JSCAN_ERROR_SEVERITY] = "error_severity",
    [JSCAN_STATE_CODE] = "state_code",
    [JSCAN_MESSAGE] = "message",
    [JSCAN_APPLICATION_NAME] = "application_name",
    [JSCAN_BACKEND_TYPE] = "backend_type",
};

/* Length of each name in jscan_key_names. */
static const unsigned char key_len[JSCAN_NKEYS] = {9, 4, 6, 3, 11, 11, 10, 14, 10, 7, 16, 12};

typedef const unsigned char *cup;

/* JSON whitespace (a line holds no '\n', but jansson would skip it too). */
static cup skip_ws(cup p, cup end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

/* The value of the four hex digits at p[0..4) (p + 4 <= end), or -1. */
static long hex4(cup p, cup end)
{
	long v = 0;

	if (end - p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		unsigned c = p[i];
		if (c >= '0' && c <= '9')
			v = v * 16 + (c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v * 16 + (c - 'A' + 10);
		else
			return -1;
	}
	return v;
}

/* Write code point cp (not a surrogate, <= 0x10FFFF) as UTF-8; its length. */
static size_t put_utf8(char *o, unsigned long cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/*
 * Scan a string whose opening quote is just before *pp; on success set *pp
 * past the closing quote and *olen to the unescaped length, written to out
 * unless out is NULL.  The unescaped form is never longer than the escaped
 * one.  A key (is_key) with any escape is refused: jansson refuses "\u0000"
 * there, and PostgreSQL never escapes its key names.
 */
static bool scan_string(cup *pp, cup end, char *out, size_t *olen, bool is_key)
{
	cup p = *pp;
	size_t o = 0;

	for (;;) {
		cup s = p;
		while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
			p++;
		if (out && p > s) {
			memcpy(out + o, s, (size_t)(p - s));
			o += (size_t)(p - s);
		}
		if (p >= end)
			return false;
		unsigned c = *p;
		if (c == '"') {
			*pp = p + 1;
			*olen = o;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c >= 0x80) {
			size_t k = utf8_seq(p, (size_t)(end - p)); /* c >= 0x80: never 1 */
			if (k == 0)
				return false;
			if (out)
				memcpy(out + o, p, k);
			o += k;
			p += k;
			continue;
		}
		/* a backslash */
		if (is_key || end - p < 2)
			return false;
		char ch;
		switch (p[1]) {
		case '"':
			ch = '"';
			break;
		case '\\':
			ch = '\\';
			break;
		case '/':
			ch = '/';
			break;
		case 'b':
			ch = '\b';
			break;
		case 'f':
			ch = '\f';
			break;
		case 'n':
			ch = '\n';
			break;
		case 'r':
			ch = '\r';
			break;
		case 't':
			ch = '\t';
			break;
		case 'u': {
			long cp = hex4(p + 2, end);
			if (cp < 0 || (cp >= 0xDC00 && cp <= 0xDFFF))
				return false;
			p += 6;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
					return false;
				long lo = hex4(p + 2, end);
				if (lo < 0xDC00 || lo > 0xDFFF)
					return false;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				p += 6;
			}
			if (out)
				o += put_utf8(out + o, (unsigned long)cp);
			else
				o += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
			continue;
		}
		default:
			return false;
		}
		if (out)
			out[o] = ch;
		o++;
		p += 2;
	}
}

bool jscan_string(const char *p, const char *end, char *out, size_t *olen, const char **next)
{
	cup q = (cup)p;
	if (!scan_string(&q, (cup)end, out, olen, false))
		return false;
	*next = (const char *)q;
	return true;
}

/*
 * Scan an integer as jansson's grammar has it (-?(0|[1-9][0-9]*)), refusing
 * reals and anything outside long long (which jansson rejects).
 */
static bool scan_int(cup *pp, cup end, long long *val)
{
	cup p = *pp;
	bool neg = false;
	unsigned long long u = 0;

	if (p < end && *p == '-') {
		neg = true;
		p++;
	}
	if (p >= end || *p < '0' || *p > '9')
		return false;
	if (*p == '0') {
		p++;
	} else {
		cup d = p;
		while (p < end && *p >= '0' && *p <= '9') {
			if (p - d >= 19)
				return false;
			u = u * 10 + (unsigned)(*p - '0');
			p++;
		}
	}
	if (p < end && ((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' || *p == 'E'))
		return false;
	if (neg) {
		if (u > (unsigned long long)LLONG_MAX + 1)
			return false;
		*val = u == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)u;
	} else {
		if (u > (unsigned long long)LLONG_MAX)
			return false;
		*val = (long long)u;
	}
	*pp = p;
	return true;
}

/* Match the literal word at *pp. */
static bool scan_word(cup *pp, cup end, const char *w, size_t n)
{
	if ((size_t)(end - *pp) < n || memcmp(*pp, w, n) != 0)
		return false;
	*pp += n;
	return true;
}

/* The field a key names in names[] (of the lengths in lens[]), or -1. */
static int key_index(const char *const *names, const size_t *lens, cup k, size_t n)
{
	for (int i = 0; i < JSCAN_NKEYS; i++)
		if (lens[i] == n && n && memcmp(k, names[i], n) == 0)
			return i;
	return -1;
}

bool jscan_line(const char *line, size_t n, char *out, struct jscan_value v[JSCAN_NKEYS])
{
	return jscan_object(line, n, out, jscan_key_names, v);
}

bool jscan_object(const char *line, size_t n, char *out, const char *const *names,
		  struct jscan_value v[JSCAN_NKEYS])
{
	cup p = (cup)line, end = p + n;
	size_t o = 0, lens[JSCAN_NKEYS];

	for (int i = 0; i < JSCAN_NKEYS; i++)
		lens[i] = names == jscan_key_names ? key_len[i] : names[i] ? strlen(names[i]) : 0;

	for (int i = 0; i < JSCAN_NKEYS; i++)
		v[i] = (struct jscan_value){JSCAN_ABSENT, NULL, 0, 0};

	p = skip_ws(p, end);
	if (p >= end || *p != '{')
		return false;
	p = skip_ws(p + 1, end);
	if (p < end && *p == '}') {
		p++;
	} else {
		for (;;) {
			size_t len;
			if (p >= end || *p != '"')
				return false;
			cup ks = ++p;
			if (!scan_string(&p, end, NULL, &len, true))
				return false;
			int k = key_index(names, lens, ks, (size_t)(p - 1 - ks));
			p = skip_ws(p, end);
			if (p >= end || *p != ':')
				return false;
			p = skip_ws(p + 1, end);
			if (p >= end)
				return false;

			struct jscan_value dummy, *tv = &dummy;
			if (k >= 0) {
				tv = &v[k];
				if (tv->type != JSCAN_ABSENT)
					return false; /* jansson keeps the last; leave it to it */
			}
			switch (*p) {
			case '"':
				p++;
				if (!scan_string(&p, end, k >= 0 ? out + o : NULL, &len, false))
					return false;
				tv->type = JSCAN_STRING;
				tv->p = out + o;
				tv->len = len;
				if (k >= 0)
					o += len;
				break;
			case '-':
			case '0':
			case '1':
			case '2':
			case '3':
			case '4':
			case '5':
			case '6':
			case '7':
			case '8':
			case '9':
				if (!scan_int(&p, end, &tv->n))
					return false;
				tv->type = JSCAN_INT;
				break;
			case 'n':
				if (!scan_word(&p, end, "null", 4))
					return false;
				tv->type = JSCAN_OTHER;
				break;
			case 't':
				if (!scan_word(&p, end, "true", 4))
					return false;
				tv->type = JSCAN_OTHER;
				break;
			case 'f':
				if (!scan_word(&p, end, "false", 5))
					return false;
				tv->type = JSCAN_OTHER;
				break;
			default:
				return false; /* nested values, junk */
			}
			p = skip_ws(p, end);
			if (p >= end)
				return false;
			if (*p == '}') {
				p++;
				break;
			}
			if (*p != ',')
				return false;
			p = skip_ws(p + 1, end);
		}
	}
	return skip_ws(p, end) == end;
}
