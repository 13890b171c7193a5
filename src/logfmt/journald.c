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

#include "logfmt/journald_scan.h"
#include "logfmt/pgsyslog.h"
#include "logfmt/wrap.h"
#include "util/xalloc.h"

struct journald_parser {
	struct wrap w;
	const char *ident; /* --ident, or NULL (logfmt_env) */
	bool saw_syslog;   /* records of both transports were seen: the */
	bool saw_stdout;   /* syslog copies are left out */
	json_t *obj;       /* the record jansson parsed last, or NULL: its
			      strings back the entry's server slice (else the
			      line does) */
};

/* A jansson string as a slice (len 0 when v is no string). */
static struct slice str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? slice_make(json_string_value(v), json_string_length(v))
				 : SLICE_NULL;
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

/*
 * The record on line p[0..n): jd_scan, else jansson (*obj then holds the
 * object the slices point into; the caller frees it).  MESSAGE is appended
 * to msg.  False when the line is no journal record: *why says so.
 */
static bool record(const char *p, size_t n, struct jd_rec *r, struct sbuf *msg, json_t **obj,
		   const char **why)
{
	size_t mark = msg->len;
	*obj = NULL;
	if (jd_scan(p, n, r, msg))
		return true;
	msg->len = mark;
	if (msg->alloc)
		msg->buf[mark] = '\0';
	*obj = json_loadb(p, n, 0, NULL);
	json_t *m = *obj ? json_object_get(*obj, "MESSAGE") : NULL;
	if (!json_is_object(*obj) || !(json_is_string(m) || json_is_array(m))) {
		*why = *obj ? "a journal record without MESSAGE, skipped" : "invalid JSON, skipped";
		return false;
	}
	if (message_bytes(m, msg) < 0) {
		*why = "a journal MESSAGE that is not a string or bytes, skipped";
		return false;
	}
	r->ident = str(*obj, "SYSLOG_IDENTIFIER");
	if (!r->ident.len)
		r->ident = str(*obj, "_COMM");
	r->host = str(*obj, "_HOSTNAME");
	r->transport = str(*obj, "_TRANSPORT");
	struct slice pid = str(*obj, "_PID"), spid = str(*obj, "SYSLOG_PID");
	r->pid = jd_int(pid.p, pid.len);
	if (r->pid < 0)
		r->pid = jd_int(spid.p, spid.len);
	struct slice ts = str(*obj, "__REALTIME_TIMESTAMP");
	int64_t us = jd_int(ts.p, ts.len);
	r->ts_ms = us >= 0 ? us / 1000 : TS_UNKNOWN;
	return true;
}

/* Is r the server's (--ident, else the default idents)? */
static bool ours(const struct journald_parser *jp, const struct jd_rec *r, bool marked)
{
	if (!r->ident.len)
		return marked;
	if (jp->ident)
		return slice_eq(r->ident, jp->ident);
	return slice_starts(r->ident, "postgres") || marked;
}

static void saw(struct journald_parser *jp, const struct jd_rec *r)
{
	if (slice_eq(r->transport, "syslog"))
		jp->saw_syslog = true;
	else if (slice_eq(r->transport, "stdout"))
		jp->saw_stdout = true;
}

/* wrap_unwrap_fn: MESSAGE of a sample line, its mark taken off. */
static bool unwrap(void *transport, const char *line, size_t n, struct sbuf *out)
{
	struct journald_parser *jp = transport;
	struct jd_rec r;
	struct sbuf m;
	json_t *o;
	const char *why;
	bool ok = false;

	sbuf_init(&m, n + 1);
	if (record(line, n, &r, &m, &o, &why)) {
		struct pgsyslog_mark mk;
		pgsyslog_mark(m.buf, m.len, &mk);
		saw(jp, &r);
		ok = ours(jp, &r, mk.len > 0) &&
		     !(mk.chunk >= 2 && mk.len < m.len && m.buf[mk.len] == ' ') &&
		     sbuf_add(out, m.buf + mk.len, m.len - mk.len) == 0;
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
	size_t n;
	struct jd_rec r;

	if (why)
		*why = NULL;
	if (!logfmt_line(buf, len, at_eof, &n, used))
		return LOGFMT_NEED_MORE;
	pg_entry_clear(e);
	while (n && (buf[n - 1] == '\r' || buf[n - 1] == ' '))
		n--;
	if (n == 0) {
		e->kind = ENTRY_OTHER;
		return LOGFMT_OK;
	}
	json_decref(jp->obj);
	struct sbuf *pay = wrap_payload(&jp->w);
	const char *bad = NULL;
	if (!record(buf, n, &r, pay, &jp->obj, &bad)) {
		if (why)
			*why = bad;
		return LOGFMT_BAD;
	}
	saw(jp, &r);
	struct pgsyslog_mark mk;
	pgsyslog_mark(pay->buf, pay->len, &mk);
	size_t skip = mk.len;
	bool syslog_copy = slice_eq(r.transport, "syslog");
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
	e->server = r.host;
	if (e->kind != ENTRY_MESSAGE)
		return LOGFMT_OK;
	if (e->pid == PID_UNKNOWN && r.pid >= 0)
		e->pid = r.pid;
	if (e->ts_ms == TS_UNKNOWN)
		e->ts_ms = r.ts_ms;
	return LOGFMT_OK;
}

/* The longest MESSAGE the fast path copies (a longer one goes to the parser). */
#define FAST_MAX 4096

/*
 * The fast path (see logfmt_fast_skip_fn): MESSAGE's string found in the
 * line without parsing the object (the key, after '{' or ',': inside a
 * string a quote is escaped, so the bytes "MESSAGE":" are a key), its
 * simple escapes turned back into a copy that ends in a newline, and that
 * copy handed to stderr's fast path.  A line with a \u escape, a MESSAGE
 * of bytes or one longer than FAST_MAX goes to the parser, which reads the
 * same fields (journald_scan.c, else jansson; a line this scan misreads is
 * one both refuse).  Whose record it is is not asked: another program's,
 * or the syslog copy of a record the journal holds twice, that nothing in
 * matters is let go as a message.
 */
static bool fast_skip(const char *buf, size_t len, logfmt_interest_fn interest,
		      struct logfmt_skip *sk)
{
	static const char key[] = "\"MESSAGE\":\"";
	const char *nl = memchr(buf, '\n', len);
	char copy[FAST_MAX + 1];
	size_t k = 0;

	if (!nl || len < 2 || buf[0] != '{')
		return false;
	size_t n = (size_t)(nl - buf);
	const char *at = memmem(buf, n, key, sizeof(key) - 1);
	if (!at || (at[-1] != '{' && at[-1] != ','))
		return false;
	const char *p = at + sizeof(key) - 1, *end = buf + n;
	for (; p < end && *p != '"'; p++) {
		char c = *p;
		if (c == '\\') {
			if (++p >= end)
				return false;
			switch (*p) {
			case '"':
			case '\\':
			case '/':
				c = *p;
				break;
			case 't':
				c = '\t';
				break;
			case 'n':
				c = '\n';
				break;
			case 'r':
				c = '\r';
				break;
			default:
				return false; /* \u, \b, \f: the parser */
			}
		} else if ((unsigned char)c < 0x20) {
			return false; /* not JSON */
		}
		if (k == FAST_MAX)
			return false;
		copy[k++] = c;
	}
	if (p >= end || (k && copy[0] == '['))
		return false;
	copy[k++] = '\n';
	struct logfmt_skip inner;
	if (!stderr_ops.fast_skip(copy, k, interest, &inner) || inner.used != k)
		return false; /* a newline in MESSAGE: its first line only */
	sk->used = n + 1;
	sk->lines = 1;
	sk->message = inner.message;
	return true;
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
    .fast_skip = fast_skip,
    .set_env = ops_set_env,
    .note = NULL,
};
