/* SPDX-License-Identifier: PostgreSQL */
/*
 * top_layout: the dashboard laid out as a grid of cells -- a pure function
 * of the view model (model/dash.h) and the screen's state (size, the
 * grouping selected, help shown, the filter being typed).  It knows no
 * terminal: view/top_term.c draws the grid with curses, --once prints it as
 * text, and the unit tests read its lines.
 *
 * The screen, top to bottom: two header lines (what is shown, live,
 * paused or "as of"; the open count and whether it is exact, the peak, the
 * last minute's connects, disconnects and failures, the filter); the chart
 * of open sessions over the window with a line of marks under it (! a
 * failure, ^ a flagged application growing); the breakdowns by database,
 * user, application and host (four side by side from 112 columns, two by
 * two from 52, else stacked), each row a name, its count, its change over
 * the last minute and its trend; the event stream; a line of keys (or the
 * filter being typed).  A grid too small for that drops the chart, then the
 * events; the header and a breakdown title always stay.
 */
#ifndef PGTAIL_TOP_LAYOUT_H
#define PGTAIL_TOP_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/dash.h"

/* What a cell means, shown as an attribute or a colour. */
enum top_attr {
	TA_PLAIN,
	TA_TITLE, /* bold: titles, the open count */
	TA_GOOD,  /* green: connects, growth */
	TA_WARN,  /* yellow: disconnects, leaks, paused */
	TA_BAD,   /* red: failures */
	TA_FAINT, /* dim: context */
	TA_SEL,   /* reverse: the selected row or grouping */
};

struct top_cell {
	char ch[5];   /* one character, UTF-8, NUL-terminated (" " when empty) */
	uint8_t attr; /* enum top_attr */
};

struct top_grid {
	int rows, cols;
	struct top_cell *c; /* rows * cols, row-major; owned */
};

void top_grid_init(struct top_grid *g, int rows, int cols);
void top_grid_release(struct top_grid *g);
/* Line y as text (trailing spaces dropped) into buf, always NUL-terminated. */
void top_grid_line(const struct top_grid *g, int y, char *buf, size_t len);
/* The cell at (y, x); NULL outside the grid. */
const struct top_cell *top_grid_at(const struct top_grid *g, int y, int x);

/* The screen's state, besides the model's. */
struct top_ui {
	const char *target; /* the server or log shown */
	bool live;          /* following a log (else: what was read) */
	bool paused;        /* 'p': the screen is held */
	bool past;          /* the instant was moved back: "as of" */
	enum dash_dim dim;  /* the grouping selected */
	enum dash_sort sort;
	bool expanded;       /* the selected grouping fills the body */
	int row;             /* the row selected in it (-1: none) */
	bool help;           /* the keys are shown instead of the body */
	bool utf8;           /* block characters; else ASCII */
	const char *prompt;  /* the filter being typed after '/', or NULL */
	const char *message; /* a line for the bottom (completions, a problem), or NULL */
};

/* Lay d out into g (its size is the screen's). */
void top_layout(struct top_grid *g, const struct dash *d, const struct top_ui *ui);

/* The rows of the selected grouping that fit when expanded, for scrolling
 * (used to keep the selection in view). */
int top_layout_rows_visible(const struct top_grid *g, const struct top_ui *ui);

#endif
