/* SPDX-License-Identifier: PostgreSQL */
/* The output sink: colour decision, escaping of names from the log. */
#include "view/out.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void out_init(struct out *o, FILE *fp)
{
	const char *nc = getenv("NO_COLOR");
	o->fp = fp;
	o->color = isatty(fileno(fp)) && !(nc && *nc);
}

void out_printf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(o->fp, fmt, ap);
	va_end(ap);
}

void out_puts(struct out *o, const char *s)
{
	fputs(s, o->fp);
}

char *out_escape(const char *s, char *buf, size_t len)
{
	size_t j = 0;
	static const char hex[] = "0123456789abcdef";

	if (len == 0)
		return buf;
	for (const unsigned char *p = (const unsigned char *)s; *p && j + 5 < len; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			buf[j++] = '\\';
			buf[j++] = 'x';
			buf[j++] = hex[*p >> 4];
			buf[j++] = hex[*p & 15];
		} else {
			buf[j++] = (char)*p;
		}
	}
	buf[j] = '\0';
	return buf;
}

void out_name(struct out *o, const char *s)
{
	char buf[1024];
	out_puts(o, out_escape(s, buf, sizeof(buf)));
}

void out_warn(struct out *o, const char *fmt, ...)
{
	va_list ap;
	fputs("pgtail: ", o->fp);
	va_start(ap, fmt);
	vfprintf(o->fp, fmt, ap);
	va_end(ap);
	fputc('\n', o->fp);
}
