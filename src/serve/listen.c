/* SPDX-License-Identifier: PostgreSQL */
/* The listening socket of pgtail serve; see listen.h. */
#include "serve/listen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/diag.h"

/* Connections the kernel queues before the HTTP server accepts them. */
#define LISTEN_BACKLOG 64

static int parse_port(const char *s, int *port)
{
	char *end;
	if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 5)
		return -1;
	long v = strtol(s, &end, 10);
	if (v > 65535)
		return -1;
	*port = (int)v;
	return 0;
}

int listen_parse(const char *spec, struct listen_addr *a, const char **why)
{
	const char *colon;
	size_t hlen;

	memset(a, 0, sizeof(*a));
	a->port = LISTEN_DEFAULT_PORT;
	if (spec[0] == '[') { /* [IPV6]:PORT */
		const char *close = strchr(spec, ']');
		if (!close || (close[1] && close[1] != ':')) {
			*why = "an IPv6 address goes in brackets: [::1]:PORT";
			return -1;
		}
		hlen = (size_t)(close - spec - 1);
		colon = close[1] ? close + 1 : NULL;
		spec++;
	} else {
		colon = strrchr(spec, ':');
		if (colon && strchr(spec, ':') != colon) {
			*why = "an IPv6 address goes in brackets: [::1]:PORT";
			return -1;
		}
		hlen = colon ? (size_t)(colon - spec) : strlen(spec);
	}
	if (hlen >= sizeof(a->host)) {
		*why = "the host name is too long";
		return -1;
	}
	memcpy(a->host, spec, hlen);
	a->host[hlen] = '\0';
	if (colon && parse_port(colon + 1, &a->port) < 0) {
		*why = "the port must be a number from 0 to 65535";
		return -1;
	}
	if (!colon && !hlen) {
		*why = "give ADDRESS:PORT, :PORT or ADDRESS";
		return -1;
	}
	return 0;
}

/* "HOST:PORT" of a bound socket. */
static void describe(int fd, char *shown, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char host[INET6_ADDRSTRLEN] = "?";
	int port = 0;

	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
		if (ss.ss_family == AF_INET6) {
			struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
			inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof(host));
			port = ntohs(s6->sin6_port);
			snprintf(shown, len, "[%s]:%d", host, port);
			return;
		}
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		inet_ntop(AF_INET, &s4->sin_addr, host, sizeof(host));
		port = ntohs(s4->sin_port);
	}
	snprintf(shown, len, "%s:%d", host, port);
}

/* Bind fd to sa and listen; 0, or -1 with errno set. */
static int bind_listen(int fd, const struct sockaddr *sa, socklen_t len)
{
	int one = 1;
	/* A restarted pgtail may bind while the old connections linger in TIME_WAIT. */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, sa, len) < 0 || listen(fd, LISTEN_BACKLOG) < 0)
		return -1;
	return 0;
}

/* Every interface: IPv6 and IPv4 on one socket where the system has IPv6. */
static int open_any(int port)
{
	int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		struct sockaddr_in6 s6 = {.sin6_family = AF_INET6,
					  .sin6_port = htons((uint16_t)port),
					  .sin6_addr = in6addr_any};
		int off = 0;
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
		if (bind_listen(fd, (struct sockaddr *)&s6, sizeof(s6)) == 0)
			return fd;
		int saved = errno;
		close(fd);
		if (saved != EAFNOSUPPORT && saved != EADDRNOTAVAIL) {
			errno = saved;
			return -1;
		}
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in s4 = {.sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_ANY)};
	if (bind_listen(fd, (struct sockaddr *)&s4, sizeof(s4)) == 0)
		return fd;
	int saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

int listen_open(const struct listen_addr *a, struct out *err, char *shown, size_t shownlen)
{
	char where[300], port[8];
	int fd = -1, saved = 0;

	if (strchr(a->host, ':'))
		snprintf(where, sizeof(where), "[%s]:%d", a->host, a->port);
	else
		snprintf(where, sizeof(where), "%s:%d", a->host, a->port);
	if (!a->host[0]) {
		fd = open_any(a->port);
		saved = errno;
	} else {
		struct addrinfo hints = {
		    .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
		struct addrinfo *res = NULL;
		snprintf(port, sizeof(port), "%d", a->port);
		int gai = getaddrinfo(a->host, port, &hints, &res);
		if (gai != 0)
			return diag_error(err, "cannot listen on '%s': %s", where,
					  gai_strerror(gai));
		saved = EADDRNOTAVAIL;
		for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
			fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
			if (fd < 0) {
				saved = errno;
				continue;
			}
			if (bind_listen(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
				saved = errno;
				close(fd);
				fd = -1;
			}
		}
		freeaddrinfo(res);
	}
	if (fd < 0) {
		const char *hint = saved == EADDRINUSE ? ": the port is in use (another pgtail "
							 "serve or an exporter?); choose another "
							 "with --listen"
				   : saved == EACCES   ? ": a port below 1024 needs privileges"
				   : saved == EADDRNOTAVAIL ? ": the address is not this machine's"
							    : "";
		return diag_error(err, "cannot listen on '%s': %s%s", where, strerror(saved), hint);
	}
	describe(fd, shown, shownlen);
	return fd;
}
