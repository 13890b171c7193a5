/* SPDX-License-Identifier: PostgreSQL */
/*
 * libFuzzer target for detect/conf.c, the postgresql.conf reader.  The
 * input is parsed as a configuration file; include lines are followed
 * under a root that does not exist, so the error paths run without
 * touching real files.  Checks that every setting has a non-empty lower
 * case name, that the problem count matches what was recorded, and that
 * lookups return the last setting of a name.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect/conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pgconf c;

	pgconf_init(&c, "/nonexistent-pgtail-fuzz-root");
	int problems = pgconf_parse(&c, (const char *)data, size, "/etc/fuzz/postgresql.conf", 0);
	if (problems < 0 || (size_t)problems != c.nerrors)
		abort();
	for (size_t i = 0; i < c.n; i++) {
		const struct pgconf_setting *s = &c.v[i];
		if (!s->name[0] || !s->value || s->line < 1)
			abort();
		for (const char *p = s->name; *p; p++)
			if (isupper((unsigned char)*p))
				abort();
		if (strlen(s->value) > size)
			abort();
		(void)pgconf_bool(s->value);
		const struct pgconf_setting *last = pgconf_find(&c, s->name);
		if (!last || last < s || strcmp(last->name, s->name) != 0)
			abort();
	}
	for (size_t i = 0; i < c.nerrors && i < PGCONF_MAX_ERRORS; i++)
		if (!c.errors[i] || !c.errors[i][0])
			abort();
	pgconf_release(&c);
	return 0;
}
