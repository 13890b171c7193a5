/* SPDX-License-Identifier: PostgreSQL */
/*
 * libFuzzer target for logfmt/prefix.c: the input up to the first newline is
 * compiled as a log_line_prefix; each later line (and a few fixed lines) is
 * matched against it.  Checks that a match reports an offset inside the line
 * followed by "WORD:  ", and that every slice it fills lies within the line.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logfmt/prefix.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fixed_lines[] = {
    "2026-11-29 00:37:03.554 UTC [5546] LOG:  starting PostgreSQL",
    "2026-11-29 00:37:35.142 UTC [6181] reporting@production FATAL:  password",
    "2026-11-29 02:20:59 CET|2026-11-29 02:20:59.222 CET|1795915259.222|p=26738|P=|l=1|"
    "c=6b0b7dfb.6872|s=2026-11-29 02:20:59 CET|v=3/3|x=0|e=00000|b=client backend||"
    "a=[unknown]|u=alice|d=postgres|r=127.0.0.1(34848)|h=127.0.0.1|i=idle|Q=0|"
    "pad=[alice     ][  postgres]| LOG:  x",
    "LOG:  database system is ready",
    "",
};

/* Abort unless s is absent or inside line[0..len). */
static void check_slice(struct slice s, const char *line, size_t len)
{
	if (s.len == 0)
		return;
	if (s.p < line || s.p + s.len > line + len)
		abort();
}

static void try_line(const struct prefix *px, const char *line, size_t len)
{
	struct pg_entry e;
	size_t used = 0;

	pg_entry_clear(&e);
	if (prefix_match(px, line, len, &e, &used) != 0)
		return;
	if (used >= len)
		abort();
	const char *colon = memchr(line + used, ':', len - used);
	if (!colon || (size_t)(colon - line) + 3 > len || colon[1] != ' ' || colon[2] != ' ')
		abort();
	check_slice(e.session_id, line, len);
	check_slice(e.user, line, len);
	check_slice(e.database, line, len);
	check_slice(e.application, line, len);
	check_slice(e.host, line, len);
	check_slice(e.port, line, len);
	check_slice(e.backend_type, line, len);
	check_slice(e.sqlstate, line, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	const char *nl = memchr(buf, '\n', size);
	size_t speclen = nl ? (size_t)(nl - buf) : size;
	char *spec = xmemdupz(buf, speclen);
	const char *err = NULL;
	struct prefix *px = prefix_compile(spec, &err);

	free(spec);
	if (!px)
		return 0;
	for (size_t i = 0; i < sizeof(fixed_lines) / sizeof(fixed_lines[0]); i++)
		try_line(px, fixed_lines[i], strlen(fixed_lines[i]));
	/* The rest of the input, line by line, copied so ASan sees overreads. */
	size_t off = nl ? speclen + 1 : size;
	while (off < size) {
		const char *p = buf + off;
		const char *e = memchr(p, '\n', size - off);
		size_t n = e ? (size_t)(e - p) : size - off;
		char *line = malloc(n ? n : 1);
		memcpy(line, p, n);
		try_line(px, line, n);
		free(line);
		off += n + 1;
	}
	prefix_free(px);
	return 0;
}
