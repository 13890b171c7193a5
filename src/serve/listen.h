/* SPDX-License-Identifier: PostgreSQL */
/*
 * listen: the socket pgtail serve listens on, from --listen.  pgtail opens
 * it itself, before the HTTP server starts, so that a port in use or an
 * address not on this machine is said plainly rather than as a failed
 * start.
 */
#ifndef PGTAIL_LISTEN_H
#define PGTAIL_LISTEN_H

#include <stddef.h>

#include "util/out.h"

/* Where pgtail serve listens without --listen: see cmd_serve.c for why. */
#define LISTEN_DEFAULT_PORT 10062
#define LISTEN_DEFAULT_HOST "127.0.0.1"

struct listen_addr {
	char host[256]; /* "127.0.0.1", "::1", "localhost"; "" for every interface */
	int port;       /* 0-65535; 0 lets the system choose */
};

/*
 * Parse a --listen value: "HOST:PORT", "[IPV6]:PORT", ":PORT" (every
 * interface, IPv6 and IPv4), or "HOST" alone (the default port).  Returns 0,
 * or -1 with *why set to what is wrong.
 */
int listen_parse(const char *spec, struct listen_addr *a, const char **why);

/*
 * Bind and listen on a.  Returns the socket (close-on-exec), or -1 after an
 * error on err that says why (the port is in use, the address is not this
 * machine's, a privileged port).  shown receives where it listens as a URL
 * authority, with the port the system chose for port 0 ("127.0.0.1:10062",
 * "[::1]:10062").
 */
int listen_open(const struct listen_addr *a, struct out *err, char *shown, size_t shownlen);

#endif
