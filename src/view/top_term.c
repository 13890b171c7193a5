/* SPDX-License-Identifier: PostgreSQL */
/* The dashboard's terminal, through ncursesw; see top_term.h. */
#include "view/top_term.h"

#include <curses.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "util/diag.h"
#include "util/xalloc.h"

struct top_term {
	SCREEN *scr;
	bool color;
	char *old_ctype;      /* LC_CTYPE before (curses writes UTF-8 only under a
				 UTF-8 LC_CTYPE); owned */
	struct top_grid prev; /* what is on the screen; rows 0 after a resize */
};

enum {
	PAIR_GOOD = 1,
	PAIR_WARN,
	PAIR_BAD
};

/* exit() with the screen taken (a fatal error): give it back. */
static void restore_at_exit(void)
{
	if (!isendwin())
		endwin();
}

struct top_term *top_term_start(bool color, struct out *err)
{
	static bool hooked; /* restore_at_exit is registered (once a process) */
	struct top_term *t = xcalloc(1, sizeof(*t));
	const char *ct = setlocale(LC_CTYPE, NULL);

	t->old_ctype = xstrdup(ct ? ct : "C");
	setlocale(LC_CTYPE, "");
	t->scr = newterm(NULL, stdout, stdin);
	if (!t->scr) {
		setlocale(LC_CTYPE, t->old_ctype);
		free(t->old_ctype);
		free(t);
		diag_error(err, "cannot draw on this terminal (TERM='%s')",
			   getenv("TERM") ? getenv("TERM") : "");
		return NULL;
	}
	if (!hooked) {
		atexit(restore_at_exit);
		hooked = true;
	}
	set_term(t->scr);
	cbreak(); /* keys one at a time; Ctrl+C still a signal */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	/* Home and End as terminals other than TERM's send them (tmux's
	 * panes, xterm out of keypad mode, the Linux console). */
	static const char *const ends[] = {"\033[4~", "\033[F", "\033OF", "\033[8~"};
	static const char *const homes[] = {"\033[1~", "\033[H", "\033OH", "\033[7~"};
	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		define_key(ends[i], KEY_END);
		define_key(homes[i], KEY_HOME);
	}
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	t->color = color && has_colors();
	if (t->color) {
		start_color();
		use_default_colors();
		init_pair(PAIR_GOOD, COLOR_GREEN, -1);
		init_pair(PAIR_WARN, COLOR_YELLOW, -1);
		init_pair(PAIR_BAD, COLOR_RED, -1);
	}
	return t;
}

void top_term_stop(struct top_term *t)
{
	if (!t)
		return;
	endwin();
	delscreen(t->scr);
	setlocale(LC_CTYPE, t->old_ctype);
	free(t->old_ctype);
	top_grid_release(&t->prev);
	free(t);
}

void top_term_size(struct top_term *t, int *rows, int *cols)
{
	(void)t;
	getmaxyx(stdscr, *rows, *cols);
}

void top_term_resized(struct top_term *t)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	top_grid_release(&t->prev);
	clearok(stdscr, TRUE);
}

static attr_t attr_of(const struct top_term *t, enum top_attr a)
{
	switch (a) {
	case TA_TITLE:
		return A_BOLD;
	case TA_SEL:
		return A_REVERSE;
	case TA_FAINT:
		return A_DIM;
	case TA_GOOD:
		return t->color ? COLOR_PAIR(PAIR_GOOD) : A_NORMAL;
	case TA_WARN:
		return t->color ? COLOR_PAIR(PAIR_WARN) : A_BOLD;
	case TA_BAD:
		return t->color ? COLOR_PAIR(PAIR_BAD) | A_BOLD : A_BOLD;
	case TA_PLAIN:
	default:
		return A_NORMAL;
	}
}

void top_term_draw(struct top_term *t, const struct top_grid *g)
{
	bool full = t->prev.rows != g->rows || t->prev.cols != g->cols;
	if (full) {
		top_grid_release(&t->prev);
		top_grid_init(&t->prev, g->rows, g->cols);
		erase();
	}
	for (int y = 0; y < g->rows; y++)
		for (int x = 0; x < g->cols; x++) {
			const struct top_cell *c = &g->c[y * g->cols + x];
			struct top_cell *p = &t->prev.c[y * g->cols + x];
			if (!full && c->attr == p->attr && !strcmp(c->ch, p->ch))
				continue;
			/* The last cell of the screen: writing it would scroll. */
			if (y == g->rows - 1 && x == g->cols - 1)
				continue;
			attrset(attr_of(t, c->attr));
			mvaddstr(y, x, c->ch);
			*p = *c;
		}
	attrset(A_NORMAL);
	refresh();
}

int top_term_key(struct top_term *t)
{
	(void)t;
	int c = getch();
	switch (c) {
	case ERR:
		return TK_NONE;
	case KEY_UP:
		return TK_UP;
	case KEY_DOWN:
		return TK_DOWN;
	case KEY_LEFT:
		return TK_LEFT;
	case KEY_RIGHT:
		return TK_RIGHT;
	case KEY_HOME:
		return TK_HOME;
	case KEY_END:
		return TK_END;
	case KEY_ENTER:
	case '\r':
	case '\n':
		return TK_ENTER;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		return TK_BACKSPACE;
	case 27:
		return TK_ESC;
	case '\t':
		return TK_TAB;
	default:
		return c >= 0 && c < 256 ? c : TK_OTHER;
	}
}
