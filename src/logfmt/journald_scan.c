/* SPDX-License-Identifier: PostgreSQL */
/* The journal record scanner; see journald_scan.h. */
#include "logfmt/journald_scan.h"

#include <string.h>

#include "logfmt/entry.h"

enum jd_key {
	K_MESSAGE,
	K_IDENT,
	K_COMM,
	K_HOST,
	K_TRANSPORT,
	K_PID,
	K_SPID,
	K_TS,
	K__COUNT
};

static const char *const key_names[K__COUNT] = {
    [K_MESSAGE] = "MESSAGE", [K_IDENT] = "SYSLOG_IDENTIFIER", [K_COMM] = "_COMM",
    [K_HOST] = "_HOSTNAME",  [K_TRANSPORT] = "_TRANSPORT",    [K_PID] = "_PID",
    [K_SPID] = "SYSLOG_PID", [K_TS] = "__REALTIME_TIMESTAMP",
};

int64_t jd_int(const char *p, size_t n)
{
	int64_t v = 0;
	if (n == 0 || n > 18)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

static size_t ws(const char *p, size_t n, size_t i)
{
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r'))
		i++;
	return i;
}

static int hex(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

/* Append the JSON string body s[0..n) to out, unescaped; false on an
 * escape this scanner leaves to jansson. */
static bool unescape(const char *s, size_t n, struct sbuf *out)
{
	size_t i = 0;
	while (i < n) {
		const char *bs = memchr(s + i, '\\', n - i);
		size_t run = bs ? (size_t)(bs - (s + i)) : n - i;
		if (sbuf_add(out, s + i, run) < 0)
			return false;
		i += run;
		if (!bs)
			break;
		if (i + 1 >= n)
			return false;
		char c = s[i + 1];
		i += 2;
		switch (c) {
		case '"':
		case '\\':
		case '/':
			break;
		case 'n':
			c = '\n';
			break;
		case 't':
			c = '\t';
			break;
		case 'r':
			c = '\r';
			break;
		case 'b':
			c = '\b';
			break;
		case 'f':
			c = '\f';
			break;
		case 'u': {
			if (i + 4 > n)
				return false;
			int a = hex(s[i]), b = hex(s[i + 1]), h = hex(s[i + 2]), l = hex(s[i + 3]);
			if (a != 0 || b != 0 || h < 0 || h > 7 || l < 0)
				return false; /* beyond ASCII: jansson */
			c = (char)(h * 16 + l);
			i += 4;
			break;
		}
		default:
			return false;
		}
		if (sbuf_addch(out, c) < 0)
			return false;
	}
	return true;
}

/* The end of the string whose body starts at p[i] (the index of its
 * closing quote), whether it holds escapes; n when it does not end. */
static size_t string_end(const char *p, size_t n, size_t i, bool *esc)
{
	*esc = false;
	while (i < n) {
		const char *q = p + i;
		size_t rest = n - i;
		const char *dq = memchr(q, '"', rest);
		const char *bs = memchr(q, '\\', dq ? (size_t)(dq - q) : rest);
		if (!bs)
			return dq ? (size_t)(dq - p) : n;
		*esc = true;
		i = (size_t)(bs - p) + 2;
	}
	return n;
}

bool jd_scan(const char *p, size_t n, struct jd_rec *r, struct sbuf *msg)
{
	struct slice v[K__COUNT] = {{0}};
	bool esc[K__COUNT] = {false}, seen[K__COUNT] = {false};
	size_t i = ws(p, n, 0);

	if (i >= n || p[i] != '{')
		return false;
	i = ws(p, n, i + 1);
	if (i < n && p[i] == '}')
		return false; /* no MESSAGE */
	for (;;) {
		bool kesc;
		if (i >= n || p[i] != '"')
			return false;
		size_t ks = i + 1, ke = string_end(p, n, ks, &kesc);
		if (ke >= n || kesc)
			return false;
		i = ws(p, n, ke + 1);
		if (i >= n || p[i] != ':')
			return false;
		i = ws(p, n, i + 1);
		int k = -1;
		size_t kl = ke - ks;
		/* Most keys are none of ours: their length or first letters tell. */
		if (kl >= 4 && kl <= 20 && (p[ks] == 'M' || p[ks] == 'S' || p[ks] == '_'))
			for (int j = 0; j < K__COUNT && k < 0; j++)
				if (key_names[j][1] == p[ks + 1] && strlen(key_names[j]) == kl &&
				    memcmp(p + ks, key_names[j], kl) == 0)
					k = j;
		if (i < n && p[i] == '"') {
			bool e;
			size_t vs = i + 1, vend = string_end(p, n, vs, &e);
			if (vend >= n)
				return false;
			if (k >= 0) {
				if (seen[k])
					return false; /* twice: jansson's answer */
				seen[k] = true;
				v[k] = slice_make(p + vs, vend - vs);
				esc[k] = e;
			}
			i = vend + 1;
		} else {
			if (k >= 0)
				return false; /* a field of interest that is no string */
			/* A number, null, or an array of numbers: to the next , or }. */
			size_t s = i;
			while (i < n && p[i] != ',' && p[i] != '}' && p[i] != '"')
				i++;
			if (i >= n || p[i] == '"' || i == s)
				return false;
		}
		i = ws(p, n, i);
		if (i < n && p[i] == ',') {
			i = ws(p, n, i + 1);
			continue;
		}
		if (i < n && p[i] == '}')
			break;
		return false;
	}
	if (ws(p, n, i + 1) != n || !seen[K_MESSAGE])
		return false;
	for (int k = K_IDENT; k < K__COUNT; k++)
		if (esc[k])
			return false;
	if (esc[K_MESSAGE] ? !unescape(v[K_MESSAGE].p, v[K_MESSAGE].len, msg)
			   : sbuf_add(msg, v[K_MESSAGE].p, v[K_MESSAGE].len) < 0)
		return false;
	r->ident = seen[K_IDENT] ? v[K_IDENT] : v[K_COMM];
	r->host = v[K_HOST];
	r->transport = v[K_TRANSPORT];
	r->pid = seen[K_PID] ? jd_int(v[K_PID].p, v[K_PID].len) : -1;
	if (r->pid < 0 && seen[K_SPID])
		r->pid = jd_int(v[K_SPID].p, v[K_SPID].len);
	int64_t us = seen[K_TS] ? jd_int(v[K_TS].p, v[K_TS].len) : -1;
	r->ts_ms = us >= 0 ? us / 1000 : TS_UNKNOWN;
	return true;
}
