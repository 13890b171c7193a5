/* SPDX-License-Identifier: PostgreSQL */
/*
 * top_term: the one file that knows curses (ncursesw).  It takes the
 * terminal over (the alternate screen, keys one at a time, no echo, no
 * cursor), draws a laid-out grid (view/top_layout.h) writing only the cells
 * that changed since the last one, reads keys without blocking, follows the
 * terminal's size, and gives the terminal back as it found it.
 *
 * top_term_stop must run on every way out; top_term_start also arranges
 * for it at exit() (a fatal error dies through exit), and the caller's
 * signal handling (cli/top_loop.c) turns SIGINT, SIGTERM and SIGHUP into a
 * way out.  Colour is used when the caller says so (util/out.c decides it
 * once: a terminal and NO_COLOR unset); without it, attributes only.
 */
#ifndef PGTAIL_TOP_TERM_H
#define PGTAIL_TOP_TERM_H

#include <stdbool.h>

#include "util/out.h"
#include "view/top_layout.h"

/* Keys past the characters (which are returned as themselves, 0-255). */
enum top_key {
	TK_NONE = -1, /* nothing waiting */
	TK_UP = 0x100,
	TK_DOWN,
	TK_LEFT,
	TK_RIGHT,
	TK_HOME,
	TK_END,
	TK_ENTER,
	TK_BACKSPACE,
	TK_ESC,
	TK_TAB,
	TK_OTHER, /* a key of no use here (a function key, a resize note) */
};

struct top_term;

/* Take the terminal (standard input and output).  NULL, said on err, when
 * it cannot be used (no terminfo entry for TERM, ...). */
struct top_term *top_term_start(bool color, struct out *err);
/* Give the terminal back and free t (NULL: nothing). */
void top_term_stop(struct top_term *t);
/* The screen's size now (after a SIGWINCH: asks the terminal). */
void top_term_size(struct top_term *t, int *rows, int *cols);
/* The terminal changed size: take the new one, and redraw everything next. */
void top_term_resized(struct top_term *t);
/* Show g: the cells that differ from the grid drawn before. */
void top_term_draw(struct top_term *t, const struct top_grid *g);
/* The next key typed, or TK_NONE when none is waiting (never blocks). */
int top_term_key(struct top_term *t);

#endif
