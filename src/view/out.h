/* SPDX-License-Identifier: PostgreSQL */
/*
 * out: the single output sink.  Commands never call printf; they write to
 * the struct out they are given.  Whether to use colour (a terminal, and
 * NO_COLOR unset) is decided once, here.
 */
#ifndef PGTAIL_OUT_H
#define PGTAIL_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct out {
	FILE *fp;   /* where text goes (stdout for results, stderr for diagnostics) */
	bool color; /* emit ANSI colour sequences */
};

/* Set up o for fp: colour when fp is a terminal and NO_COLOR is unset or empty. */
void out_init(struct out *o, FILE *fp);
void out_printf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void out_puts(struct out *o, const char *s);
/* Write s with control characters and invalid bytes escaped (\x1b → "\x1b"),
 * so a name from a log cannot move the cursor or recolour the terminal. */
void out_name(struct out *o, const char *s);
/* Escape s into buf (always NUL-terminated): control characters (C0, DEL,
 * C1) and bytes that are not valid UTF-8 become "\xNN".  Returns buf. */
char *out_escape(const char *s, char *buf, size_t len);
/* Display width of an escaped string: its number of code points. */
size_t out_width(const char *s);
/* Write s and pad with spaces to width columns. */
void out_padded(struct out *o, const char *s, size_t width);
/* "pgtail: <message>" on the diagnostics sink. */
void out_warn(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
