/* SPDX-License-Identifier: PostgreSQL */
/* The HTTP server of pgtail serve on libmicrohttpd; see http.h. */
#include "serve/http.h"

#include <microhttpd.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "serve/auth.h"
#include "view/metrics.h"
#include "util/diag.h"
#include "util/xalloc.h"

/* Threads answering requests, each with its own event loop.  Two: a scrape
 * being sent slowly (over TLS, to a slow client) does not hold up another,
 * and a bcrypt check of basic auth runs beside a scrape. */
#define HTTP_THREADS 2
/* Open connections at most (Prometheus keeps one per target open). */
#define HTTP_MAX_CONNECTIONS 64
/* An idle connection is closed after this many seconds. */
#define HTTP_IDLE_TIMEOUT_S 30
/* The realm basic auth names. */
#define HTTP_REALM "pgtail"

static const char index_page[] =
    "<!DOCTYPE html>\n"
    "<html><head><meta charset=\"utf-8\"><title>pgtail</title></head>\n"
    "<body><h1>pgtail</h1>\n"
    "<p>Connection metrics of PostgreSQL, read from the server's log.</p>\n"
    "<p><a href=\"metrics\">Metrics</a></p>\n"
    "</body></html>\n";

struct http {
	struct MHD_Daemon *d;
	const struct webconfig *wc;
	struct snapshot_box *box;
	/* The first message libmicrohttpd logged, for the error message of a
	 * failed start; its messages once running (a client that hung up, a
	 * TLS handshake that failed) are the clients' problem and are not
	 * written anywhere. */
	char start_log[512];
	atomic_flag logged; /* set by whichever thread writes start_log, once */
};

/* MHD_OPTION_EXTERNAL_LOGGER: keep the first message.  The flag makes one
 * thread its only writer; it is read only after a failed start, when no
 * other thread exists. */
static void on_log(void *cls, const char *fmt, va_list ap)
{
	struct http *h = cls;
	if (atomic_flag_test_and_set(&h->logged))
		return;
	vsnprintf(h->start_log, sizeof(h->start_log), fmt, ap);
	h->start_log[strcspn(h->start_log, "\r\n")] = '\0';
}

double http_accept_q(const char *header, const char *token)
{
	double best = -1;
	size_t tlen = strlen(token);

	if (!header)
		return -1;
	for (const char *p = header; *p;) {
		const char *end = p + strcspn(p, ",");
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *tend = semi ? semi : end;
		while (tend > p && (tend[-1] == ' ' || tend[-1] == '\t'))
			tend--;
		if ((size_t)(tend - p) == tlen && !strncasecmp(p, token, tlen)) {
			double q = 1;
			for (const char *s = semi; s && s < end;) {
				s++;
				while (s < end && (*s == ' ' || *s == '\t'))
					s++;
				if (end - s > 2 && (s[0] == 'q' || s[0] == 'Q') && s[1] == '=')
					q = strtod(s + 2, NULL);
				s = memchr(s, ';', (size_t)(end - s));
			}
			if (q > best)
				best = q;
		}
		p = *end ? end + 1 : end;
	}
	return best;
}

/* The free callback of a response sending a snapshot. */
static void unref_snapshot(void *cls)
{
	snapshot_unref(cls);
}

/* A response of text[0..len) that libmicrohttpd copies. */
static struct MHD_Response *copied(const char *text, size_t len, const char *type)
{
	struct MHD_Response *r =
	    MHD_create_response_from_buffer(len, (void *)text, MHD_RESPMEM_MUST_COPY);
	if (r)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	return r;
}

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *text)
{
	struct MHD_Response *r = copied(text, strlen(text), "text/plain; charset=utf-8");
	if (!r)
		return MHD_NO;
	enum MHD_Result rc = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return rc;
}

/* s gzip-compressed into a new buffer (*len its size), or NULL when zlib
 * fails (the caller then sends s as it is). */
static void *gzip(const struct snapshot *s, size_t *len)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	/* 15 + 16: a gzip header; level 1: a scrape's latency matters more than
	 * the last bytes (the text is repetitive and shrinks well anyway). */
	if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	uLong bound = deflateBound(&z, (uLong)s->len);
	unsigned char *out = xmalloc(bound);
	z.next_in = (unsigned char *)s->text;
	z.avail_in = (uInt)s->len;
	z.next_out = out;
	z.avail_out = (uInt)bound;
	int rc = deflate(&z, Z_FINISH);
	*len = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(out);
		return NULL;
	}
	return out;
}

static enum MHD_Result send_metrics(struct http *h, struct MHD_Connection *c)
{
	const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept");
	const char *enc = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding");
	double q_om = http_accept_q(accept, "application/openmetrics-text");
	bool om = q_om > 0 && q_om >= http_accept_q(accept, "text/plain");
	struct snapshot *s = snapshot_box_get(h->box, om ? SNAP_OPENMETRICS : SNAP_TEXT);
	struct MHD_Response *r = NULL;
	bool gz = false;

	if (!s) /* serve publishes before it starts the server: cannot happen */
		return send_text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "no metrics yet\n");
	if (http_accept_q(enc, "gzip") > 0) {
		size_t zlen = 0;
		void *z = gzip(s, &zlen);
		if (z) {
			r = MHD_create_response_from_buffer_with_free_callback_cls(zlen, z, free,
										   z);
			if (!r)
				free(z);
			gz = r != NULL;
		}
	}
	if (!gz) {
		/* The snapshot itself is sent: its reference goes with the response. */
		r = MHD_create_response_from_buffer_with_free_callback_cls(
		    s->len, s->text, unref_snapshot, snapshot_ref(s));
		if (!r)
			snapshot_unref(s);
	}
	snapshot_unref(s);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				om ? METRICS_CT_OPENMETRICS : METRICS_CT_TEXT);
	MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept, Accept-Encoding");
	if (gz)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
	enum MHD_Result rc = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return rc;
}

/* Basic auth, when the web config has users: true when the request may in. */
static bool authorized(struct http *h, struct MHD_Connection *c)
{
	if (h->wc->nusers == 0)
		return true;
	char *pass = NULL;
	char *user = MHD_basic_auth_get_username_password(c, &pass);
	bool ok = auth_check(h->wc, user, pass);
	if (pass) {
		explicit_bzero(pass, strlen(pass));
		MHD_free(pass);
	}
	if (user)
		MHD_free(user);
	return ok;
}

/* MHD_AccessHandlerCallback: one request, called after its headers, for
 * each piece of its body (none is used), and once more at its end. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_size, void **con_cls)
{
	struct http *h = cls;
	(void)version;
	(void)upload_data;
	if (!*con_cls) {
		/* The first call, right after the headers: answering now would
		 * make libmicrohttpd close the connection after the response
		 * (it cannot know the request ended), so answer at the last. */
		*con_cls = h; /* any pointer: "the headers were seen" */
		return MHD_YES;
	}
	if (*upload_size) {
		*upload_size = 0; /* a body is read and dropped; the answer comes after it */
		return MHD_YES;
	}
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD)) {
		struct MHD_Response *r = copied("only GET and HEAD\n", 18, "text/plain");
		if (!r)
			return MHD_NO;
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
		enum MHD_Result rc = MHD_queue_response(c, MHD_HTTP_METHOD_NOT_ALLOWED, r);
		MHD_destroy_response(r);
		return rc;
	}
	if (!authorized(h, c)) {
		struct MHD_Response *r =
		    copied("401 Unauthorized\n", 17, "text/plain; charset=utf-8");
		if (!r)
			return MHD_NO;
		enum MHD_Result rc = MHD_queue_basic_auth_fail_response(c, HTTP_REALM, r);
		MHD_destroy_response(r);
		return rc;
	}
	if (!strcmp(url, "/metrics"))
		return send_metrics(h, c);
	if (!strcmp(url, "/")) {
		struct MHD_Response *r =
		    copied(index_page, sizeof(index_page) - 1, "text/html; charset=utf-8");
		if (!r)
			return MHD_NO;
		enum MHD_Result rc = MHD_queue_response(c, MHD_HTTP_OK, r);
		MHD_destroy_response(r);
		return rc;
	}
	return send_text(c, MHD_HTTP_NOT_FOUND, "404 page not found: try /metrics\n");
}

struct http *http_start(const struct http_opts *o, struct out *err)
{
	struct http *h = xcalloc(1, sizeof(*h));
	bool tls = o->wc->cert_pem != NULL;
	unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;

	h->wc = o->wc;
	h->box = o->box;
	atomic_flag_clear(&h->logged);
	if (tls) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			diag_error(err,
				   "cannot serve TLS: this libmicrohttpd was built without it");
			free(h);
			return NULL;
		}
		flags |= MHD_USE_TLS;
	}
	struct MHD_OptionItem tls_opts[] = {
	    {MHD_OPTION_HTTPS_MEM_KEY, 0, o->wc->key_pem},
	    {MHD_OPTION_HTTPS_MEM_CERT, 0, o->wc->cert_pem},
	    {MHD_OPTION_END, 0, NULL},
	};
	h->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, h, MHD_OPTION_EXTERNAL_LOGGER,
				on_log, h, MHD_OPTION_LISTEN_SOCKET, o->listen_fd,
				MHD_OPTION_THREAD_POOL_SIZE, (unsigned)HTTP_THREADS,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_MAX_CONNECTIONS,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_IDLE_TIMEOUT_S,
				MHD_OPTION_ARRAY, tls ? tls_opts : tls_opts + 2, MHD_OPTION_END);
	if (!h->d) {
		diag_error(err, "cannot start the HTTP server%s%s%s",
			   tls ? " with the web config's certificate and key" : "",
			   h->start_log[0] ? ": " : "", h->start_log);
		free(h);
		return NULL;
	}
	return h;
}

void http_stop(struct http *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->d);
	free(h);
}
