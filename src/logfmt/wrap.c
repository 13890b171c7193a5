/* SPDX-License-Identifier: PostgreSQL */
/* The transport layer's shared part: the inner parser and the payload; see
 * wrap.h. */
#include "logfmt/wrap.h"

#include <stdlib.h>
#include <string.h>

#include "logfmt/jsonscan.h"
#include "logfmt/ts.h"
#include "util/xalloc.h"

/* The largest payload kept (READER_MAX_RECORD): a longer one is cut. */
#define WRAP_MAX_PAYLOAD (64u * 1024 * 1024)

int wrap_init(struct wrap *w, const char *prefix, const char **err)
{
	memset(w, 0, sizeof(*w));
	sbuf_init(&w->payload, WRAP_MAX_PAYLOAD);
	w->inner_ops = &stderr_ops;
	w->inner = stderr_ops.new(prefix, err);
	if (!w->inner) {
		sbuf_release(&w->payload);
		return -1;
	}
	w->prefix = prefix ? xstrdup(prefix) : NULL;
	return 0;
}

void wrap_release(struct wrap *w)
{
	if (w->inner)
		w->inner_ops->free(w->inner);
	free(w->prefix);
	sbuf_release(&w->payload);
	memset(w, 0, sizeof(*w));
}

int wrap_infer(struct wrap *w, const char *sample, size_t len, wrap_unwrap_fn fn, void *transport)
{
	struct sbuf un;
	size_t off = 0;

	/* Unescaping never lengthens a payload, so the sample stays small. */
	sbuf_init(&un, len + 1);
	while (off < len) {
		const char *p = sample + off;
		const char *nl = memchr(p, '\n', len - off);
		if (!nl)
			break; /* a cut line: not worth a guess */
		size_t n = (size_t)(nl - p), mark = un.len;
		if (n && p[n - 1] == '\r')
			n--;
		if (fn(transport, p, n, &un)) {
			if (sbuf_addch(&un, '\n') < 0)
				un.len = mark; /* no room: drop the partial payload */
		} else {
			un.len = mark;
		}
		if (un.alloc)
			un.buf[un.len] = '\0';
		off = (size_t)(nl - sample) + 1;
	}
	const struct logfmt_ops *ops = logfmt_detect_destination(un.buf, un.len);
	/* CloudNativePG's JSON on a node, in a CRI or Docker file: its own
	 * records, not wrapped further. */
	const char *nl1 = memchr(un.buf, '\n', un.len);
	if (ops == &jsonlog_ops && cnpg_ops.sniff(un.buf, nl1 ? (size_t)(nl1 - un.buf) : un.len))
		ops = &cnpg_ops;
	if (ops != w->inner_ops) {
		const char *err = NULL;
		void *inner = ops->new (w->prefix, &err);
		if (inner) {
			w->inner_ops->free(w->inner);
			w->inner_ops = ops;
			w->inner = inner;
		}
	}
	int rc =
	    w->inner_ops->infer && !w->prefix ? w->inner_ops->infer(w->inner, un.buf, un.len) : 0;
	sbuf_release(&un);
	return rc;
}

struct sbuf *wrap_payload(struct wrap *w)
{
	sbuf_reset(&w->payload);
	return &w->payload;
}

enum logfmt_status wrap_parse(struct wrap *w, struct pg_entry *e, const char **why)
{
	size_t used = 0;
	const char *inner_why = NULL;

	pg_entry_clear(e);
	enum logfmt_status st = w->inner_ops->next(w->inner, w->payload.buf, w->payload.len, true,
						   e, &used, &inner_why);
	if (st == LOGFMT_NEED_MORE) {
		/* Only an empty payload: nothing the server wrote. */
		pg_entry_clear(e);
		e->kind = ENTRY_OTHER;
		e->message = slice_make(w->payload.buf, 0);
		st = LOGFMT_OK;
	}
	if (why)
		*why = inner_why;
	return st;
}

bool wrap_line(const char *buf, size_t len, bool at_eof, size_t *n, size_t *used)
{
	if (!logfmt_line(buf, len, at_eof, n, used))
		return false;
	if (*n && buf[*n - 1] == '\r')
		(*n)--;
	return true;
}

size_t wrap_stamp(const char *p, size_t n, int digits, int64_t *ms)
{
	size_t end = 21 + (size_t)digits; /* "YYYY-MM-DDTHH:MM:SS." digits "Z" */
	size_t used;
	if (n <= end || p[10] != 'T' || p[19] != '.' || p[end - 1] != 'Z' || p[end] != ' ' ||
	    ts_parse_rfc3339(p, end, ms, &used) < 0 || used != end)
		return 0;
	return end + 1;
}

bool wrap_fast_json_string(const char *buf, size_t len, size_t at, bool ends_line,
			   logfmt_interest_fn interest, struct logfmt_skip *sk)
{
	const char *nl = memchr(buf, '\n', len);
	if (!nl || at >= (size_t)(nl - buf))
		return false;
	size_t n = (size_t)(nl - buf) - at;
	const char *p = buf + at;
	const char *q = memchr(p, '"', n);
	const char *bs = memchr(p, '\\', q ? (size_t)(q - p) : n);
	if (!q || (bs && (q != bs + 2 || bs[1] != 'n')) || (ends_line && !bs))
		return false;
	/* A whole object: else the parser reports the line. */
	size_t rest = n - (size_t)(q - p);
	if (rest > 1 && q[rest - 1] == '\r')
		rest--; /* as wrap_line reads the line */
	if (q[rest - 1] != '}' || (p < q && p[0] == '\t'))
		return false;
	if (!stderr_fast_reject(p, (size_t)((bs ? bs : q) - p), interest))
		return false;
	sk->used = (size_t)(nl - buf) + 1;
	sk->lines = 1;
	sk->message = true;
	return true;
}

bool wrap_json_value(const char *p, size_t n, const char *key, struct slice *v)
{
	size_t kl = strlen(key);
	const char *k = memmem(p, n, key, kl);
	if (!k)
		return false;
	const char *s = k + kl, *end = p + n;
	const char *q = memchr(s, '"', (size_t)(end - s));
	if (!q || memchr(s, '\\', (size_t)(q - s)))
		return false;
	*v = slice_make(s, (size_t)(q - s));
	return true;
}

bool wrap_json_string(const char *p, size_t n, const char *key, struct sbuf *out)
{
	size_t kl = strlen(key), mark = out->len, olen;
	const char *k = memmem(p, n, key, kl), *next;
	if (!k)
		return false;
	const char *s = k + kl, *end = p + n;
	/* Room for the escaped text, which the unescaped never passes. */
	if (sbuf_add(out, s, (size_t)(end - s)) < 0)
		return false;
	bool ok = jscan_string(s, end, out->buf + mark, &olen, &next);
	out->len = ok ? mark + olen : mark;
	while (ok && out->len > mark &&
	       (out->buf[out->len - 1] == '\n' || out->buf[out->len - 1] == '\r'))
		out->len--;
	out->buf[out->len] = '\0';
	return ok;
}

enum logfmt_status wrap_parse_outer(struct wrap *w, struct pg_entry *e, const char **why,
				    const struct wrap_outer *o)
{
	enum logfmt_status st = wrap_parse(w, e, why);
	if (st != LOGFMT_OK)
		return st;
	if (e->kind == ENTRY_OTHER && o->chunk >= 2) {
		e->kind = ENTRY_CONTINUATION;
		return LOGFMT_OK;
	}
	if (o->server.len || e->kind != ENTRY_MESSAGE)
		e->server = o->server; /* else the inner record's (a CloudNativePG pod) */
	if (e->kind != ENTRY_MESSAGE)
		return LOGFMT_OK;
	if (e->pid == PID_UNKNOWN)
		e->pid = o->pid;
	if (e->ts_ms == TS_UNKNOWN)
		e->ts_ms = o->ts_ms;
	return LOGFMT_OK;
}

void *wrap_new(const char *prefix, const char **err)
{
	struct wrap *w = xmalloc(sizeof(*w));
	if (wrap_init(w, prefix, err) < 0) {
		free(w);
		return NULL;
	}
	return w;
}

void wrap_free(void *w)
{
	if (!w)
		return;
	wrap_release(w);
	free(w);
}

bool wrap_fast_raw(const char *buf, size_t len, size_t at, logfmt_interest_fn interest,
		   struct logfmt_skip *sk)
{
	logfmt_fast_skip_fn inner =
	    at < len && buf[at] == '{' ? cnpg_ops.fast_skip : stderr_ops.fast_skip;
	return wrap_fast_inner(inner, buf, len, at, interest, sk);
}
