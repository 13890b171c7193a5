/* SPDX-License-Identifier: PostgreSQL */
/* Basic authentication with bcrypt hashes; see auth.h. */
#include "serve/auth.h"

#include <crypt.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

bool auth_streq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t n = la > lb ? la : lb;
	unsigned char diff = la != lb;
	for (size_t i = 0; i < n; i++) {
		unsigned char ca = i < la ? (unsigned char)a[i] : 0;
		unsigned char cb = i < lb ? (unsigned char)b[i] : 0;
		diff |= ca ^ cb;
	}
	return diff == 0;
}

bool auth_check(const struct webconfig *wc, const char *user, const char *password)
{
	if (wc->nusers == 0)
		return true;
	if (!user || !password)
		return false;
	size_t found = wc->nusers;
	for (size_t i = 0; i < wc->nusers; i++) {
		bool same = auth_streq(wc->users[i].name, user);
		/* no early exit: every name is compared */
		found = same ? i : found;
	}
	const char *hash = wc->users[found < wc->nusers ? found : 0].hash;
	/* struct crypt_data is some 32 kB: on the heap, not an HTTP thread's
	 * stack.  crypt_rn, libxcrypt's crypt_r that returns NULL on failure,
	 * also escapes the sanitizers' crypt_r interceptor, which finds no
	 * crypt_r to call in libxcrypt (a versioned symbol) and jumps to 0. */
	struct crypt_data *cd = xcalloc(1, sizeof(*cd));
	const char *out = crypt_rn(password, hash, cd, (int)sizeof(*cd));
	bool ok = out && out[0] == '$' && auth_streq(out, hash);
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return ok && found < wc->nusers;
}
