/* SPDX-License-Identifier: PostgreSQL */
/*
 * http: the HTTP server of pgtail serve, on libmicrohttpd (no HTTP parsing
 * here).  Its threads answer
 *
 *   /         a small HTML page linking /metrics
 *   /metrics  the latest exposition of the snapshot box: OpenMetrics 1.0
 *             when the Accept header asks for application/openmetrics-text
 *             at least as much as for text/plain, the Prometheus text format
 *             otherwise; gzip-compressed when Accept-Encoding allows it
 *   else      404; a method other than GET or HEAD is 405
 *
 * over TLS when the web config names a certificate, and only to the users
 * it names when it has basic_auth_users (401 with WWW-Authenticate
 * otherwise, on every path).  The threads read nothing but the snapshot box
 * and the web config: see serve/snapshot.h for how they stay apart from
 * the follower.
 */
#ifndef PGTAIL_HTTP_H
#define PGTAIL_HTTP_H

#include "serve/snapshot.h"
#include "serve/webconfig.h"
#include "util/out.h"

struct http;

struct http_opts {
	int listen_fd;              /* a listening socket (serve/listen.h); the
				       server owns it once started */
	const struct webconfig *wc; /* TLS and users; lives longer than the server */
	struct snapshot_box *box;   /* where the expositions are; likewise */
};

/* Start serving on o->listen_fd.  Returns the server, or NULL after an error
 * on err (TLS not built in, a certificate or key the TLS library refuses);
 * the caller then still owns and closes the socket. */
struct http *http_start(const struct http_opts *o, struct out *err);

/* Stop accepting, finish or drop the requests in flight, wait for the
 * threads, close the socket, free h (may be NULL). */
void http_stop(struct http *h);

/*
 * The weight ("q") an Accept or Accept-Encoding header value gives to
 * token (a media type without parameters, or a content coding), matched
 * case-insensitively: the largest q of its entries, 1 when an entry has
 * none, -1 when the token is not named at all (no wildcard is expanded).
 */
double http_accept_q(const char *header, const char *token);

#endif
