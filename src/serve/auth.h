/* SPDX-License-Identifier: PostgreSQL */
/*
 * auth: HTTP basic authentication against the web config's bcrypt hashes,
 * checked with libxcrypt's crypt_rn (bcrypt is not written here).  Safe to
 * call from several threads at once.
 */
#ifndef PGTAIL_AUTH_H
#define PGTAIL_AUTH_H

#include <stdbool.h>

#include "serve/webconfig.h"

/*
 * May a request with this user name and password (NULL: the request had no
 * credentials) in?  True when wc has no users.  The time taken does not
 * tell whether the user exists: names are compared in constant time, all of
 * them, and an unknown user's password is still hashed (against the first
 * user's hash, so at the same cost) before the refusal.  A hash comparison
 * is constant-time too.  Each check costs one bcrypt (tens of ms at cost 10).
 */
bool auth_check(const struct webconfig *wc, const char *user, const char *password);

/* a[0..) and b[0..) equal as strings, in time that depends only on their
 * lengths, not on where they differ. */
bool auth_streq(const char *a, const char *b);

#endif
