/* SPDX-License-Identifier: PostgreSQL */
/*
 * out: the single output sink.  Commands never call printf; they write to
 * the struct out they are given.  Whether to use colour (a terminal, and
 * NO_COLOR unset) is decided once, here, and the terminal's control
 * sequences (colours, clearing a line or the screen) are written only here.
 * Diagnostics are written with util/diag.h, which counts them in the sink.
 */
#ifndef PGTAIL_OUT_H
#define PGTAIL_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct out {
	FILE *fp;   /* where text goes (stdout for results, stderr for diagnostics) */
	bool color; /* emit ANSI colour sequences */
	bool utf8;  /* the user's locale is UTF-8: symbols may be non-ASCII */
	int width;  /* columns to fit prose into: the terminal's, else 80 */
	unsigned long errors, warnings, notes; /* diag_* messages written here */
};

/* What a piece of text means, shown as a colour when o->color is set. */
enum out_style {
	OUT_PLAIN,
	OUT_GOOD,  /* green: a connect */
	OUT_WARN,  /* yellow: a disconnect, a warning */
	OUT_BAD,   /* red: a failure, an error */
	OUT_FAINT, /* dim: context, status lines */
};

/* Set up o for fp: colour when fp is a terminal and NO_COLOR is unset or
 * empty; UTF-8 symbols when the locale (LC_ALL, else LC_CTYPE, else LANG)
 * names UTF-8; the width of the terminal fp is, else $COLUMNS, else 80. */
void out_init(struct out *o, FILE *fp);
/* The symbol to show: utf8 when o->utf8, else its ASCII stand-in. */
const char *out_sym(const struct out *o, const char *utf8, const char *ascii);
/* Write text fitted to o->width: lines are broken at spaces (a word longer
 * than a line stays whole), each continuation indented by indent spaces;
 * a '\n' in text ends a line (the next is not indented); OUT_GLUE is shown
 * as a space where the line may not break ("max_connections 2").  Ends
 * with '\n'. */
#define OUT_GLUE '\x1f'
#define OUT_GLUE_S "\x1f"
void out_wrap(struct out *o, const char *text, int indent);
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
/* Start text in a style (nothing without colour); out_style_end goes back
 * to plain.  Every out_style_begin is followed by one out_style_end. */
void out_style_begin(struct out *o, enum out_style st);
void out_style_end(struct out *o, enum out_style st);
/* On a terminal: move to the start of the line and erase it (a status line). */
void out_clear_line(struct out *o);
/* On a terminal: clear the screen and home the cursor. */
void out_clear_screen(struct out *o);
/* Write buffered text now (live views). */
void out_flush(struct out *o);

#endif
