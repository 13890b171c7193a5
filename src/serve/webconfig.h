/* SPDX-License-Identifier: PostgreSQL */
/*
 * webconfig: the web configuration file of pgtail serve, in the format
 * Prometheus exporters share (the exporter-toolkit's --web.config.file):
 *
 *   tls_server_config:
 *     cert_file: server.crt     # PEM; relative paths are taken from the
 *     key_file: server.key      # directory the web config file is in
 *   basic_auth_users:
 *     prometheus: $2y$10$...    # name: bcrypt hash (htpasswd -nbB)
 *
 * Both parts are optional; an empty file changes nothing.  The file is read
 * with libyaml (a library that is fuzzed upstream; this module only walks
 * the document it builds).  As the exporters do, an unknown key is an error,
 * not a silent no-op, and so is a key of that format pgtail does not
 * implement (client certificates, TLS versions, cipher suites, HTTP
 * headers): a setting that would be ignored must not look applied.  Every
 * error names the file and the line.
 */
#ifndef PGTAIL_WEBCONFIG_H
#define PGTAIL_WEBCONFIG_H

#include <stddef.h>

#include "util/out.h"

struct webconfig_user {
	char *name; /* owned */
	char *hash; /* bcrypt ($2a$, $2b$ or $2y$), owned */
};

struct webconfig {
	char *cert_file, *key_file;   /* resolved paths; both set or both NULL (owned) */
	char *cert_pem, *key_pem;     /* their contents, NUL-terminated, after
					 webconfig_load; NULL without TLS (owned) */
	struct webconfig_user *users; /* basic_auth_users, in file order (owned) */
	size_t nusers;                /* 0: no authentication */
};

/*
 * Parse the web config text[0..len) into *wc (zeroed first).  path names the
 * file in messages; relative file names in it are resolved against dir
 * (NULL: as they are).  Reads no other file.  Returns 0, or -1 after an
 * error on err naming path and the line; *wc is then released.
 */
int webconfig_parse(const char *path, const char *dir, const char *text, size_t len,
		    struct webconfig *wc, struct out *err);

/* Read and parse the file at path, then read the certificate and key it
 * names.  Returns 0, or -1 after an error on err (the file that cannot be
 * read, or the line that is wrong). */
int webconfig_load(const char *path, struct webconfig *wc, struct out *err);

void webconfig_release(struct webconfig *wc);

#endif
