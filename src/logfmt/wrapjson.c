/* SPDX-License-Identifier: PostgreSQL */
/* The transports whose records are JSON objects: see wrapjson.h. */
#include "logfmt/wrapjson.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

struct wrapjson {
	struct wrap w;
	const struct wrapjson_reader *r;
	json_t *obj; /* the record parsed last by jansson: the entry's server
			may point into it */
};

void *wrapjson_new(const struct wrapjson_reader *r, const char *prefix, const char **err)
{
	struct wrapjson *wj = xcalloc(1, sizeof(*wj));
	if (wrap_init(&wj->w, prefix, err) < 0) {
		free(wj);
		return NULL;
	}
	wj->r = r;
	return wj;
}

void wrapjson_free(void *parser)
{
	struct wrapjson *wj = parser;
	if (!wj)
		return;
	json_decref(wj->obj);
	wrap_release(&wj->w);
	free(wj);
}

/* wrap_unwrap_fn: a sample record's payload. */
static bool unwrap(void *transport, const char *line, size_t n, struct sbuf *out)
{
	const struct wrapjson *wj = transport;
	json_t *o = json_loadb(line, n, 0, NULL);
	struct wrap_outer outer;
	bool ok = o && wj->r->read(o, out, &outer);
	json_decref(o);
	return ok;
}

int wrapjson_infer(void *parser, const char *sample, size_t len)
{
	struct wrapjson *wj = parser;
	return wrap_infer(&wj->w, sample, len, unwrap, wj);
}

enum logfmt_status wrapjson_next(void *parser, const char *buf, size_t len, bool at_eof,
				 struct pg_entry *e, size_t *used, const char **why)
{
	struct wrapjson *wj = parser;
	struct wrap_outer o = {.ts_ms = TS_UNKNOWN, .pid = PID_UNKNOWN};
	size_t n;

	if (why)
		*why = NULL;
	if (!wrap_line(buf, len, at_eof, &n, used))
		return LOGFMT_NEED_MORE;
	pg_entry_clear(e);
	json_decref(wj->obj);
	wj->obj = NULL;
	struct sbuf *pay = wrap_payload(&wj->w);
	if (!(n && buf[0] == '{' && buf[n - 1] == '}' && wj->r->scan(buf, n, pay, &o))) {
		wj->obj = json_loadb(buf, n, 0, NULL);
		if (!json_is_object(wj->obj)) {
			if (why)
				*why = "invalid JSON, skipped";
			return LOGFMT_BAD;
		}
		if (!wj->r->read(wj->obj, pay, &o)) {
			e->kind = ENTRY_FOREIGN;
			return LOGFMT_OK;
		}
	}
	return wrap_parse_outer(&wj->w, e, why, &o);
}

json_t *wrapjson_string(json_t *obj, const char *k1, const char *k2, const char *k3)
{
	json_t *v = json_object_get(obj, k1);
	if (k2)
		v = json_object_get(v, k2);
	if (k3)
		v = json_object_get(v, k3);
	return json_is_string(v) ? v : NULL;
}

void wrapjson_add_line(struct sbuf *out, json_t *s)
{
	size_t n = json_string_length(s);
	const char *t = json_string_value(s);
	while (n && (t[n - 1] == '\n' || t[n - 1] == '\r'))
		n--;
	sbuf_add(out, t, n);
}

bool wrapjson_fast_skip(const char *key, size_t klen, const char *buf, size_t len,
			logfmt_interest_fn interest, struct logfmt_skip *sk)
{
	const char *nl = memchr(buf, '\n', len);
	const char *k = nl ? memmem(buf, (size_t)(nl - buf), key, klen) : NULL;
	return k && wrap_fast_json_string(buf, len, (size_t)(k - buf) + klen, false, interest, sk);
}
