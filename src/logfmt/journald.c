/* SPDX-License-Identifier: PostgreSQL */
/*
 * journald: the transport of "journalctl -o json" (wrap.h): one JSON object
 * per line (systemd's Journal JSON Format), the server's stderr line in
 * MESSAGE -- a string, or an array of byte values when it is not UTF-8.
 * A record reaches the journal by the syslog transport (_TRANSPORT=syslog,
 * MESSAGE led by PostgreSQL's "[N-k] " mark, pgsyslog.h) or by the stdout
 * transport of a unit with logging_collector = off (the raw line); with
 * log_destination = 'stderr,syslog' every record is there twice, and only
 * the stdout copy, whole and unmarked, is read.  The program is
 * SYSLOG_IDENTIFIER (else _COMM), the process _PID (else SYSLOG_PID), the
 * host _HOSTNAME, the time __REALTIME_TIMESTAMP (µs) when the prefix has
 * none.  Pieces of a cut line (over 900 bytes) are not joined here: they
 * come back as continuations.
 */
#include "logfmt/formats.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "logfmt/pgsyslog.h"
#include "logfmt/wrap.h"
#include "util/xalloc.h"

struct journald_parser {
	struct wrap w;
	const char *ident; /* --ident, or NULL (logfmt_env) */
	bool saw_syslog;   /* records of both transports were seen: the */
	bool saw_stdout;   /* syslog copies are left out */
	json_t *obj;       /* the record parsed last; its strings back the
			      entry's server slice */
};

/* One journal record's fields. */
struct jd_rec {
	const char *ident, *host, *transport;
	size_t host_len;
	int64_t pid;
	int64_t ts_ms;
	json_t *message;
};

static const char *str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int64_t int_of(const char *s)
{
	int64_t v = 0;
	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > INT64_MAX / 10 - 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

static bool rec_of(json_t *o, struct jd_rec *r)
{
	if (!json_is_object(o))
		return false;
	r->message = json_object_get(o, "MESSAGE");
	if (!json_is_string(r->message) && !json_is_array(r->message))
		return false;
	r->ident = str(o, "SYSLOG_IDENTIFIER");
	if (!r->ident)
		r->ident = str(o, "_COMM");
	json_t *h = json_object_get(o, "_HOSTNAME");
	r->host = json_is_string(h) ? json_string_value(h) : NULL;
	r->host_len = r->host ? json_string_length(h) : 0;
	r->transport = str(o, "_TRANSPORT");
	r->pid = int_of(str(o, "_PID"));
	if (r->pid < 0)
		r->pid = int_of(str(o, "SYSLOG_PID"));
	int64_t us = int_of(str(o, "__REALTIME_TIMESTAMP"));
	r->ts_ms = us >= 0 ? us / 1000 : TS_UNKNOWN;
	return true;
}

/* MESSAGE's bytes into out: the string, or the array of byte values. */
static int message_bytes(json_t *m, struct sbuf *out)
{
	if (json_is_string(m))
		return sbuf_add(out, json_string_value(m), json_string_length(m));
	size_t i;
	json_t *b;
	json_array_foreach(m, i, b)
	{
		json_int_t v = json_is_integer(b) ? json_integer_value(b) : -1;
		if (v < 0 || v > 255 || sbuf_addch(out, (int)v) < 0)
			return -1;
	}
	return 0;
}

/* The mark at the payload's start, taken off: its length. */
static size_t strip_mark(const struct sbuf *pay, struct pgsyslog_mark *mk)
{
	pgsyslog_mark(pay->buf, pay->len, mk);
	return mk->len;
}

/* Is r the server's (--ident, else the default idents)? */
static bool ours(const struct journald_parser *jp, const struct jd_rec *r, bool marked)
{
	if (!r->ident)
		return marked;
	if (jp->ident)
		return strcmp(r->ident, jp->ident) == 0;
	return strncmp(r->ident, "postgres", 8) == 0 || marked;
}

static void saw(struct journald_parser *jp, const struct jd_rec *r)
{
	if (r->transport && strcmp(r->transport, "syslog") == 0)
		jp->saw_syslog = true;
	else if (r->transport && strcmp(r->transport, "stdout") == 0)
		jp->saw_stdout = true;
}

/* wrap_unwrap_fn: MESSAGE of a sample line, its mark taken off. */
static bool unwrap(void *transport, const char *line, size_t n, struct sbuf *out)
{
	struct journald_parser *jp = transport;
	json_t *o = json_loadb(line, n, 0, NULL);
	struct jd_rec r;
	struct sbuf m;
	bool ok = false;

	sbuf_init(&m, n + 1);
	if (o && rec_of(o, &r) && message_bytes(r.message, &m) == 0) {
		struct pgsyslog_mark mk;
		size_t skip = strip_mark(&m, &mk);
		saw(jp, &r);
		ok = ours(jp, &r, mk.len > 0) &&
		     !(mk.chunk >= 2 && skip < m.len && m.buf[skip] == ' ');
		if (ok)
			ok = sbuf_add(out, m.buf + skip, m.len - skip) == 0;
	}
	sbuf_release(&m);
	json_decref(o);
	return ok;
}

static void *ops_new(const char *prefix, const char **err)
{
	struct journald_parser *jp = xcalloc(1, sizeof(*jp));
	if (wrap_init(&jp->w, prefix, err) < 0) {
		free(jp);
		return NULL;
	}
	return jp;
}

static void ops_free(void *parser)
{
	struct journald_parser *jp = parser;
	if (!jp)
		return;
	json_decref(jp->obj);
	wrap_release(&jp->w);
	free(jp);
}

static enum logfmt_status ops_next(void *parser, const char *buf, size_t len, bool at_eof,
				   struct pg_entry *e, size_t *used, const char **why)
{
	struct journald_parser *jp = parser;
	const char *nl = memchr(buf, '\n', len);
	size_t n;
	struct jd_rec r;

	if (why)
		*why = NULL;
	if (nl) {
		n = (size_t)(nl - buf);
		*used = n + 1;
	} else if (at_eof && len > 0) {
		n = len;
		*used = len;
	} else {
		*used = 0;
		return LOGFMT_NEED_MORE;
	}
	pg_entry_clear(e);
	while (n && (buf[n - 1] == '\r' || buf[n - 1] == ' '))
		n--;
	if (n == 0) {
		e->kind = ENTRY_OTHER;
		return LOGFMT_OK;
	}
	json_decref(jp->obj);
	jp->obj = json_loadb(buf, n, 0, NULL);
	if (!jp->obj || !rec_of(jp->obj, &r)) {
		if (why)
			*why = jp->obj ? "a journal record without MESSAGE, skipped"
				       : "invalid JSON, skipped";
		return LOGFMT_BAD;
	}
	saw(jp, &r);
	struct sbuf *pay = wrap_payload(&jp->w);
	if (message_bytes(r.message, pay) < 0) {
		if (why)
			*why = "a journal MESSAGE that is not a string or bytes, skipped";
		return LOGFMT_BAD;
	}
	struct pgsyslog_mark mk;
	size_t skip = strip_mark(pay, &mk);
	bool syslog_copy = r.transport && strcmp(r.transport, "syslog") == 0;
	if (!ours(jp, &r, mk.len > 0) || (syslog_copy && jp->saw_stdout)) {
		e->kind = ENTRY_FOREIGN;
		return LOGFMT_OK;
	}
	if (skip) {
		memmove(pay->buf, pay->buf + skip, pay->len - skip);
		pay->len -= skip;
		pay->buf[pay->len] = '\0';
	}
	enum logfmt_status st = wrap_parse(&jp->w, e, why);
	if (st != LOGFMT_OK)
		return st;
	if (e->kind == ENTRY_OTHER && mk.chunk >= 2) {
		e->kind = ENTRY_CONTINUATION; /* a piece of a cut line */
		return LOGFMT_OK;
	}
	e->server = slice_make(r.host, r.host_len);
	if (e->kind != ENTRY_MESSAGE)
		return LOGFMT_OK;
	if (e->pid == PID_UNKNOWN && r.pid >= 0)
		e->pid = r.pid;
	if (e->ts_ms == TS_UNKNOWN)
		e->ts_ms = r.ts_ms;
	return LOGFMT_OK;
}

static int ops_infer(void *parser, const char *sample, size_t len)
{
	struct journald_parser *jp = parser;
	return wrap_infer(&jp->w, sample, len, unwrap, jp);
}

static void ops_set_env(void *parser, const struct logfmt_env *env)
{
	struct journald_parser *jp = parser;
	jp->ident = env->ident;
}

/* A JSON object with a journal field of its own (a key only the journal
 * writes, followed by its colon). */
static bool sniff(const char *line, size_t n)
{
	static const char *const keys[] = {"\"__CURSOR\"", "\"__REALTIME_TIMESTAMP\"",
					   "\"_TRANSPORT\"", NULL};
	if (n < 2 || line[0] != '{' || line[1] != '"')
		return false;
	for (const char *const *k = keys; *k; k++) {
		size_t kl = strlen(*k);
		const char *at = memmem(line, n, *k, kl);
		if (!at)
			continue;
		size_t i = (size_t)(at - line) + kl;
		while (i < n && line[i] == ' ')
			i++;
		if (i < n && line[i] == ':')
			return true;
	}
	return false;
}

static const char *const aliases[] = {"journal", "journalctl", NULL};

const struct logfmt_ops journald_ops = {
    .id = LOGFMT_JOURNALD,
    .name = "journald",
    .aliases = aliases,
    .transport = true,
    .suffix = "",
    .suffix_decides = false,
    .sniff = sniff,
    .new = ops_new,
    .free = ops_free,
    .infer = ops_infer,
    .next = ops_next,
    .fast_skip = NULL,
    .set_env = ops_set_env,
    .note = NULL,
};
