/* SPDX-License-Identifier: PostgreSQL */
/* Errors, warnings, notes and BUG(); see diag.h. */
#include "util/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* The longest message kept; longer ones are cut (out_escape stops at the
 * end of its buffer). */
#define DIAG_MAX 2048

static void emit(struct out *o, unsigned long *count, const char *label, const char *fmt,
		 va_list ap)
{
	char msg[DIAG_MAX], shown[4 * DIAG_MAX];
	if (!o)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	(*count)++;
	out_puts(o, "pgtail: ");
	out_puts(o, label);
	out_puts(o, out_escape(msg, shown, sizeof(shown)));
	out_puts(o, "\n");
}

int diag_error(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (o)
		emit(o, &o->errors, "", fmt, ap);
	va_end(ap);
	return -1;
}

void diag_warn(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (o)
		emit(o, &o->warnings, "", fmt, ap);
	va_end(ap);
}

void diag_note(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (o)
		emit(o, &o->notes, "note: ", fmt, ap);
	va_end(ap);
}

void diag_bug(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "pgtail: BUG: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	fflush(stderr);
	abort();
}
