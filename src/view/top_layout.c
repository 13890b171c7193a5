/* SPDX-License-Identifier: PostgreSQL */
/* The dashboard laid out as a grid of cells; see top_layout.h. */
#include "view/top_layout.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logfmt/ts.h"
#include "util/out.h"
#include "util/xalloc.h"
#include "view/watch.h"

#define BOX_MIN_W 28 /* a breakdown box: name, count, change, trend */
#define TREND_MIN_W 30

void top_grid_init(struct top_grid *g, int rows, int cols)
{
	g->rows = rows > 0 ? rows : 1;
	g->cols = cols > 0 ? cols : 1;
	g->c = xcalloc((size_t)g->rows * (size_t)g->cols, sizeof(*g->c));
	for (int i = 0; i < g->rows * g->cols; i++)
		strcpy(g->c[i].ch, " ");
}

void top_grid_release(struct top_grid *g)
{
	free(g->c);
	g->c = NULL;
	g->rows = g->cols = 0;
}

const struct top_cell *top_grid_at(const struct top_grid *g, int y, int x)
{
	if (y < 0 || x < 0 || y >= g->rows || x >= g->cols)
		return NULL;
	return &g->c[y * g->cols + x];
}

void top_grid_line(const struct top_grid *g, int y, char *buf, size_t len)
{
	size_t n = 0, keep = 0;
	buf[0] = '\0';
	for (int x = 0; y >= 0 && y < g->rows && x < g->cols; x++) {
		const char *ch = g->c[y * g->cols + x].ch;
		size_t l = strlen(ch);
		if (n + l + 1 > len)
			break;
		memcpy(buf + n, ch, l);
		n += l;
		if (strcmp(ch, " "))
			keep = n;
	}
	buf[keep] = '\0';
}

/* Write s (escaped: no control character reaches the screen) at (y, x),
 * at most w columns, a code point per column.  Returns the columns used. */
static int put(struct top_grid *g, int y, int x, const char *s, enum top_attr a, int w)
{
	char esc[1024];
	int n = 0;
	if (y < 0 || y >= g->rows)
		return 0;
	out_escape(s, esc, sizeof(esc));
	for (const unsigned char *p = (const unsigned char *)esc; *p && n < w && x + n < g->cols;) {
		size_t l = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : 4;
		if (x + n >= 0) {
			struct top_cell *c = &g->c[y * g->cols + x + n];
			memcpy(c->ch, p, l);
			c->ch[l] = '\0';
			c->attr = (uint8_t)a;
		}
		for (size_t i = 0; i < l && *p; i++)
			p++;
		n++;
	}
	return n;
}

static int putf(struct top_grid *g, int y, int x, enum top_attr a, int w, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static int putf(struct top_grid *g, int y, int x, enum top_attr a, int w, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return put(g, y, x, buf, a, w);
}

/* Paint the attribute a over a run of cells (the selected row). */
static void paint(struct top_grid *g, int y, int x, int w, enum top_attr a)
{
	for (int i = 0; i < w && y >= 0 && y < g->rows && x + i < g->cols; i++)
		if (x + i >= 0)
			g->c[y * g->cols + x + i].attr = (uint8_t)a;
}

static void hms(int64_t ms, char *buf, size_t len)
{
	if (ms == TS_UNKNOWN)
		snprintf(buf, len, "--:--:--");
	else
		ts_format_hms(ms, buf, len);
}

/* "2026-11-29 00:45:00" */
static void when(int64_t ms, char *buf, size_t len)
{
	char iso[40];
	if (ms == TS_UNKNOWN) {
		snprintf(buf, len, "-");
		return;
	}
	ts_format_iso(ms, iso, sizeof(iso));
	snprintf(buf, len, "%.10s %.8s", iso, iso + 11);
}

static void span(int64_t ms, char *buf, size_t len)
{
	if (ms % 3600000 == 0)
		snprintf(buf, len, "%lldh", (long long)(ms / 3600000));
	else if (ms % 60000 == 0)
		snprintf(buf, len, "%lldm", (long long)(ms / 60000));
	else
		snprintf(buf, len, "%llds", (long long)(ms / 1000));
}

/* An age in whole minutes at least: "45m", "3h12m", "2d3h". */
static void age(int64_t ms, char *buf, size_t len)
{
	long long m = (long long)(ms / 60000);
	if (m >= 1440)
		snprintf(buf, len, "%lldd%lldh", m / 1440, m % 1440 / 60);
	else if (m >= 60)
		snprintf(buf, len, "%lldh%02lldm", m / 60, m % 60);
	else
		snprintf(buf, len, "%lldm", m);
}

static const char *const dim_titles[DASH__DIMS] = {
    [DASH_DB] = "Database", [DASH_USER] = "User", [DASH_APP] = "Application", [DASH_HOST] = "Host"};

static void header(struct top_grid *g, const struct dash *d, const struct top_ui *ui)
{
	char a[40], b[64];
	when(d->now, a, sizeof(a));
	if (ui->past)
		snprintf(b, sizeof(b), "as of %s", a);
	else if (ui->paused)
		snprintf(b, sizeof(b), "PAUSED at %s", a);
	else
		snprintf(b, sizeof(b), "%s %s", ui->live ? "LIVE" : "END", a);
	int bw = (int)strlen(b);
	int x = put(g, 0, 0, "pgtail top ", TA_TITLE, g->cols);
	int room = g->cols - x - bw - 2;
	const char *tg = ui->target ? ui->target : "";
	if ((int)strlen(tg) > room && room > 4) {
		/* the end of a path says the most */
		char cut[512];
		snprintf(cut, sizeof(cut), "...%s", tg + strlen(tg) - (size_t)(room - 3));
		put(g, 0, x, cut, TA_PLAIN, room);
	} else {
		put(g, 0, x, tg, TA_PLAIN, room > 0 ? room : 0);
	}
	put(g, 0, g->cols - bw, b, ui->past || ui->paused ? TA_WARN : TA_GOOD, bw);

	x = put(g, 1, 0, "Open ", TA_PLAIN, g->cols);
	x += putf(g, 1, x, TA_TITLE, g->cols - x, "%lld", (long long)d->active);
	x += put(g, 1, x, d->complete ? " exact" : " at least", TA_FAINT, g->cols - x);
	x += put(g, 1, x, "  last min ", TA_PLAIN, g->cols - x);
	x += putf(g, 1, x, TA_GOOD, g->cols - x, "+%lld", (long long)d->connects);
	x += putf(g, 1, x, TA_WARN, g->cols - x, " -%lld", (long long)d->disconnects);
	x += putf(g, 1, x, d->failed ? TA_BAD : TA_PLAIN, g->cols - x, " !%lld",
		  (long long)d->failed);
	hms(d->peak_at, a, sizeof(a));
	if (d->peak_at != TS_UNKNOWN)
		x += putf(g, 1, x, TA_PLAIN, g->cols - x, "  peak %lld at %s", (long long)d->peak,
			  a);
	hms(d->newest, a, sizeof(a));
	x += putf(g, 1, x, TA_FAINT, g->cols - x, "  newest %s", a);
	/* Following a log nothing was written to for longer than the chart
	 * shows (an old file, an idle server): the chart is a flat line, and
	 * the newest record's clock time alone may be of another day. */
	if (ui->live && !ui->past && !ui->paused && d->newest != TS_UNKNOWN &&
	    d->now - d->newest > d->window_ms && d->now - d->newest >= 60000) {
		age(d->now - d->newest, a, sizeof(a));
		x += putf(g, 1, x, TA_WARN, g->cols - x, " (%s ago)", a);
	}
	if (d->filter_desc[0])
		putf(g, 1, x, TA_WARN, g->cols - x, "  [%s]", d->filter_desc);
}

/* The open count per column over the window: the most open in it (a cell
 * spanning several columns holds its value across them); -1 before the
 * log.  fails[c] and leaks[c] mark the columns. */
static void chart_columns(const struct dash *d, int w, int64_t *v, bool *fails, bool *leaks)
{
	int64_t start = d->now - d->window_ms;
	size_t p = 0;
	int64_t held = -1;
	for (int c = 0; c < w; c++) {
		int64_t lo = start + d->window_ms * c / w, hi = start + d->window_ms * (c + 1) / w;
		v[c] = -1;
		fails[c] = leaks[c] = false;
		while (p < d->nchart && d->chart[p].at <= lo)
			held = d->chart[p++].active;
		v[c] = held;
		/* Cells ending in (lo, hi]; a cell ending later covers hi too. */
		for (size_t q = p; q < d->nchart && d->chart[q].at - d->cell_ms < hi; q++) {
			if (d->chart[q].active > v[c])
				v[c] = d->chart[q].active;
			/* a failure at the column its cell ends in; a leak's growth
			 * over the whole cell */
			if (d->chart[q].at <= hi)
				fails[c] |= d->chart[q].failed > 0;
			leaks[c] |= d->chart[q].leak;
		}
	}
}

static void chart(struct top_grid *g, const struct dash *d, const struct top_ui *ui, int y, int h)
{
	static const char *const blocks[] = {" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
	static const char *const ascii[] = {" ", " ", ".", ".", "o", "o", "#", "#", "#"};
	const int lw = 6; /* the scale's labels */
	int w = g->cols - lw;
	char sp[32];
	if (w < 4 || h < 1)
		return;
	int64_t *v = xcalloc((size_t)w, sizeof(*v));
	bool *fails = xcalloc((size_t)w, sizeof(*fails)), *leaks = xcalloc((size_t)w, 1);
	chart_columns(d, w, v, fails, leaks);
	int64_t max = 1;
	for (int c = 0; c < w; c++)
		if (v[c] > max)
			max = v[c];
	span(d->window_ms, sp, sizeof(sp));
	int x = put(g, y, 0, "Open sessions", TA_TITLE, g->cols);
	putf(g, y, x, TA_FAINT, g->cols - x, ", last %s (+/- zoom), max %lld", sp, (long long)max);
	for (int r = 0; r < h; r++) {
		int yy = y + 1 + r;
		if (r == 0)
			putf(g, yy, 0, TA_FAINT, lw, "%5lld", (long long)max);
		else if (r == h - 1)
			putf(g, yy, 0, TA_FAINT, lw, "%5d", 0);
		for (int c = 0; c < w; c++) {
			if (v[c] < 0)
				continue;
			/* eighths of a row filled at this row, from the bottom */
			int64_t units = (v[c] * h * 8 + max - 1) / max;
			if (v[c] > 0 && units == 0)
				units = 1;
			int64_t below = (int64_t)(h - 1 - r) * 8;
			int64_t fill = units - below;
			if (fill <= 0)
				continue;
			if (fill > 8)
				fill = 8;
			put(g, yy, lw + c, ui->utf8 ? blocks[fill] : ascii[fill], TA_GOOD, 1);
		}
	}
	/* The marks under the chart. */
	int ym = y + 1 + h;
	for (int c = 0; c < w; c++) {
		if (fails[c])
			put(g, ym, lw + c, "!", TA_BAD, 1);
		else if (leaks[c])
			put(g, ym, lw + c, "^", TA_WARN, 1);
		else if (v[c] >= 0)
			put(g, ym, lw + c, ui->utf8 ? "─" : "-", TA_FAINT, 1);
	}
	putf(g, ym, 0, TA_FAINT, lw, "-%s", sp);
	free(v);
	free(fails);
	free(leaks);
}

static void trend_text(const struct dash_row *w, bool utf8, char *buf, size_t len)
{
	static const char *const blocks[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
	static const char *const ascii[] = {"_", ".", "-", "-", "=", "=", "#", "#"};
	int64_t lo = w->trend[0], hi = w->trend[0];
	size_t n = 0;
	for (int k = 1; k < DASH_TREND; k++) {
		lo = w->trend[k] < lo ? w->trend[k] : lo;
		hi = w->trend[k] > hi ? w->trend[k] : hi;
	}
	buf[0] = '\0';
	for (int k = 0; k < DASH_TREND; k++) {
		int lvl = hi == lo ? (hi ? 3 : 0) : (int)((w->trend[k] - lo) * 7 / (hi - lo));
		const char *s = utf8 ? blocks[lvl] : ascii[lvl];
		size_t l = strlen(s);
		if (n + l + 1 > len)
			break;
		memcpy(buf + n, s, l + 1);
		n += l;
	}
}

/* One breakdown in the box at (y, x) of w by h: its title and the rows
 * from first on. */
static void box(struct top_grid *g, const struct dash *d, const struct top_ui *ui,
		enum dash_dim dim, int y, int x, int w, int h, int first)
{
	const struct dash_group *gr = &d->g[dim];
	bool sel = ui->dim == dim;
	int numw = 5, chw = 5, trw = DASH_TREND + 1;
	bool trend = w - numw - chw - trw - 1 >= 12;
	int namew = w - numw - chw - (trend ? trw : 0) - 1;
	char t[64];
	if (h < 1 || w < 8)
		return;
	snprintf(t, sizeof(t), "%s (%zu)", dim_titles[dim], gr->n);
	int tw = put(g, y, x, t, sel ? TA_SEL : TA_TITLE, w - 1);
	if (namew > tw) {
		putf(g, y, x + namew, TA_FAINT, numw, "%*s", numw, "open");
		putf(g, y, x + namew + numw, TA_FAINT, chw, "%*s", chw, "1m");
	}
	for (int i = 0; i + 1 < h && first + i < (int)gr->n; i++) {
		const struct dash_row *r = &gr->v[first + i];
		int yy = y + 1 + i;
		char name[256], num[32];
		snprintf(name, sizeof(name), "%s%s", r->leak ? "LEAK " : "", r->name);
		put(g, yy, x, name, r->leak ? TA_WARN : TA_PLAIN, namew);
		snprintf(num, sizeof(num), "%*lld", numw, (long long)r->count);
		put(g, yy, x + namew, num, TA_PLAIN, numw);
		if (r->change)
			snprintf(num, sizeof(num), "%+*lld", chw, (long long)r->change);
		else
			snprintf(num, sizeof(num), "%*s", chw, "0");
		put(g, yy, x + namew + numw, num,
		    r->change > 0   ? TA_GOOD
		    : r->change < 0 ? TA_WARN
				    : TA_FAINT,
		    chw);
		if (trend) {
			char tr[64];
			trend_text(r, ui->utf8, tr, sizeof(tr));
			put(g, yy, x + namew + numw + chw + 1, tr, TA_FAINT, DASH_TREND);
		}
		if (sel && ui->row == first + i)
			paint(g, yy, x, w - 1, TA_SEL);
	}
	if (!gr->n && h > 1)
		put(g, y + 1, x, "(none open)", TA_FAINT, w - 1);
}

static void events(struct top_grid *g, const struct dash *d, int y, int h)
{
	if (h < 1)
		return;
	int x = put(g, y, 0, "Events", TA_TITLE, g->cols);
	put(g, y, x, " (newest last; [+] connect, [-] disconnect, [!] failed)", TA_FAINT,
	    g->cols - x);
	int n = h - 1;
	size_t first = d->nevents > (size_t)n ? d->nevents - (size_t)n : 0;
	for (size_t i = first; i < d->nevents; i++) {
		char line[1024];
		enum out_style st = watch_format(&d->events[i].x, line, sizeof(line));
		int yy = y + 1 + (int)(i - first);
		enum top_attr a = st == OUT_GOOD   ? TA_GOOD
				  : st == OUT_WARN ? TA_WARN
				  : st == OUT_BAD  ? TA_BAD
						   : TA_FAINT;
		put(g, yy, 0, line, TA_PLAIN, g->cols);
		paint(g, yy, 0, 3, a);
	}
}

static const char *const help_lines[] = {
    "Keys",
    "  ?            this help (any key closes it)",
    "  q, Ctrl+C    quit",
    "  Tab, g       select the next grouping (database, user, application, host)",
    "  s            sort the groupings: by open count, by change, by name",
    "  e            expand the selected grouping to the whole screen (again: back)",
    "  Up/Down      select a row; Enter: filter by it",
    "  /            filter: app=NAME user=NAME db=NAME host=NAME (* and ? match",
    "               anything); Tab completes the names seen; empty: no filter",
    "  c            clear the filter",
    "  p            pause: hold the screen (again: go on)",
    "  Left/Right   move the instant shown back or forward by 10 seconds",
    "  [ / ]        move it back or forward by a minute",
    "  Home         the first event of the log",
    "  End          back to now (live)",
    "  + / -        zoom the chart in or out (1m, 5m, 15m, 1h, 6h)",
    "",
    "The changes are over the minute before the instant shown; the trend",
    "shows each row's open count over that minute.  Under the chart: ! a",
    "failed attempt, ^ an application flagged as a potential leak growing.",
    NULL,
};

static void keys_line(struct top_grid *g, const struct top_ui *ui)
{
	int y = g->rows - 1;
	if (ui->prompt) {
		int x = put(g, y, 0, "filter: ", TA_TITLE, g->cols);
		x += put(g, y, x, ui->prompt, TA_PLAIN, g->cols - x);
		put(g, y, x, "_", TA_SEL, 1);
		if (ui->message && y > 2)
			put(g, y - 1, 0, ui->message, TA_FAINT, g->cols);
		return;
	}
	if (ui->message) {
		put(g, y, 0, ui->message, TA_WARN, g->cols);
		return;
	}
	put(g, y, 0,
	    ui->utf8 ? "? help  q quit  / filter  Tab group  s sort  e expand  p pause  ←/→ [/] "
		       "time  End live  +/- zoom"
		     : "? help  q quit  / filter  Tab group  s sort  e expand  p pause  <-/-> [/] "
		       "time  End live  +/- zoom",
	    TA_FAINT, g->cols);
}

/* How the body splits: the chart's rows, the breakdowns' boxes per row and
 * their rows, the events' rows. */
struct split {
	int chart_h;  /* chart rows (0: none), plus its title and marks */
	int per_line; /* boxes side by side: 4, 2 or 1 */
	int box_h;    /* each box: title + rows */
	int events_h; /* events: title + lines (0: none) */
};

static struct split plan(const struct top_grid *g, const struct dash *d)
{
	struct split s = {0};
	int body = g->rows - 3; /* two header lines, the keys */
	int most = 1;
	for (int i = 0; i < DASH__DIMS; i++)
		most = (int)d->g[i].n > most ? (int)d->g[i].n : most;
	s.per_line = g->cols >= 4 * BOX_MIN_W ? 4 : g->cols >= 2 * 26 ? 2 : 1;
	int lines = DASH__DIMS / s.per_line;
	if (body >= 14) {
		s.chart_h = body / 6;
		s.chart_h = s.chart_h < 2 ? 2 : s.chart_h > 10 ? 10 : s.chart_h;
		body -= s.chart_h + 2;
	}
	/* Half of what is left to the breakdowns, at least a title and a row. */
	int rows = (body / 2) / lines - 1;
	if (rows > most)
		rows = most;
	if (rows < 1)
		rows = 1;
	s.box_h = 1 + rows;
	if (s.box_h * lines > body)
		s.box_h = body / lines > 1 ? body / lines : 1;
	s.events_h = body - s.box_h * lines;
	if (s.events_h < 2)
		s.events_h = 0;
	return s;
}

int top_layout_rows_visible(const struct top_grid *g, const struct top_ui *ui)
{
	return g->rows - 4;
}

void top_layout(struct top_grid *g, const struct dash *d, const struct top_ui *ui)
{
	for (int i = 0; i < g->rows * g->cols; i++) {
		strcpy(g->c[i].ch, " ");
		g->c[i].attr = TA_PLAIN;
	}
	header(g, d, ui);
	keys_line(g, ui);
	int y = 2;
	if (ui->help) {
		for (int i = 0; help_lines[i] && y < g->rows - 1; i++, y++)
			put(g, y, 0, help_lines[i], i ? TA_PLAIN : TA_TITLE, g->cols);
		return;
	}
	if (ui->expanded) {
		int h = g->rows - 3, vis = top_layout_rows_visible(g, ui);
		int first = ui->row >= vis ? ui->row - vis + 1 : 0;
		box(g, d, ui, ui->dim, y, 0, g->cols, h, first);
		return;
	}
	struct split s = plan(g, d);
	if (s.chart_h) {
		chart(g, d, ui, y, s.chart_h);
		y += s.chart_h + 2;
	}
	int bw = g->cols / s.per_line;
	for (int i = 0; i < DASH__DIMS; i++) {
		int line = i / s.per_line, col = i % s.per_line;
		int w = col == s.per_line - 1 ? g->cols - col * bw : bw;
		int first = 0, vis = s.box_h - 1;
		if (ui->dim == (enum dash_dim)i && ui->row >= vis)
			first = ui->row - vis + 1;
		box(g, d, ui, (enum dash_dim)i, y + line * s.box_h, col * bw, w, s.box_h, first);
	}
	y += s.box_h * (DASH__DIMS / s.per_line);
	if (s.events_h && ui->message && ui->prompt)
		s.events_h--;
	events(g, d, y, s.events_h);
}
