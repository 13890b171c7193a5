/* SPDX-License-Identifier: PostgreSQL */
/* PostgreSQL's "[N-k] " syslog marks; see pgsyslog.h. */
#include "logfmt/pgsyslog.h"

/* Digits at p[*i..n) (at most 18), their value in *v; false when none. */
static bool number(const char *p, size_t n, size_t *i, long long *v)
{
	size_t start = *i;
	*v = 0;
	while (*i < n && p[*i] >= '0' && p[*i] <= '9' && *i - start < 18)
		*v = *v * 10 + (p[(*i)++] - '0');
	return *i > start;
}

bool pgsyslog_mark(const char *p, size_t n, struct pgsyslog_mark *m)
{
	size_t i = 1;
	long long a, b;

	*m = (struct pgsyslog_mark){.seq = -1, .chunk = 0, .len = 0};
	if (n < 4 || p[0] != '[' || !number(p, n, &i, &a))
		return false;
	if (i < n && p[i] == '-') {
		i++;
		if (!number(p, n, &i, &b) || b < 1)
			goto none;
		m->seq = a;
		m->chunk = b;
	} else {
		if (a < 1)
			goto none;
		m->chunk = a;
	}
	if (i >= n || p[i] != ']' || (i + 1 < n && p[i + 1] != ' '))
		goto none;
	m->len = i + 1 < n ? i + 2 : i + 1;
	return true;
none:
	*m = (struct pgsyslog_mark){.seq = -1, .chunk = 0, .len = 0};
	return false;
}
