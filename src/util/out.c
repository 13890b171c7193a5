/* SPDX-License-Identifier: PostgreSQL */
/* The output sink: colour decision, escaping of names from the log. */
#include "util/out.h"

#include <locale.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

/* Does the user's locale use UTF-8?  The first of LC_ALL, LC_CTYPE and LANG
 * that is set decides, as setlocale(LC_CTYPE, "") would. */
static bool locale_is_utf8(void)
{
	static const char *const vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};
	for (size_t i = 0; i < 3; i++) {
		const char *v = getenv(vars[i]);
		if (!v || !*v)
			continue;
		return strcasestr(v, "utf-8") || strcasestr(v, "utf8");
	}
	return false;
}

static int fit_width(FILE *fp)
{
	struct winsize ws;
	if (isatty(fileno(fp)) && ioctl(fileno(fp), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	const char *c = getenv("COLUMNS");
	if (c && *c) {
		long n = strtol(c, NULL, 10);
		if (n >= 20 && n <= 1000)
			return (int)n;
	}
	return 80;
}

void out_init(struct out *o, FILE *fp)
{
	const char *nc = getenv("NO_COLOR");
	memset(o, 0, sizeof(*o));
	o->fp = fp;
	o->utf8 = locale_is_utf8();
	o->width = fit_width(fp);
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

/* Length of the valid UTF-8 sequence at p (1-4), or 0 when it is not one. */
static size_t utf8_len(const unsigned char *p)
{
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		return (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (p[0] >= 0xe0 && p[0] <= 0xef) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] > 0x9f))
			return 0; /* overlong, surrogate */
		return 3;
	}
	if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
			return 0;
		if ((p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] > 0x8f))
			return 0;
		return 4;
	}
	return 0;
}

char *out_escape(const char *s, char *buf, size_t len)
{
	size_t j = 0;
	static const char hex[] = "0123456789abcdef";

	if (len == 0)
		return buf;
	for (const unsigned char *p = (const unsigned char *)s; *p && j + 7 < len;) {
		size_t n = utf8_len(p);
		/* C0 controls, DEL, C1 controls (U+0080-U+009F) and bytes that
		 * are not UTF-8 are shown as \xNN, never sent to the terminal. */
		bool c1 = n == 2 && p[0] == 0xc2 && p[1] < 0xa0;
		if (n == 0 || *p < 0x20 || *p == 0x7f || c1) {
			size_t k = c1 ? 2 : 1;
			for (size_t i = 0; i < k && j + 5 < len; i++) {
				buf[j++] = '\\';
				buf[j++] = 'x';
				buf[j++] = hex[p[i] >> 4];
				buf[j++] = hex[p[i] & 15];
			}
			p += k;
			continue;
		}
		memcpy(buf + j, p, n);
		j += n;
		p += n;
	}
	buf[j] = '\0';
	return buf;
}

/* The C library's character widths, read under a UTF-8 locale whatever the
 * user's is (names from the log are UTF-8); NULL when there is none. */
static locale_t utf8_locale(void)
{
	static locale_t loc;
	static bool tried;
	if (!tried) {
		tried = true;
		loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	}
	return loc;
}

size_t out_width(const char *s)
{
	locale_t loc = utf8_locale();
	if (!loc) { /* no UTF-8 locale: a column per character */
		size_t w = 0;
		for (const unsigned char *p = (const unsigned char *)s; *p; p++)
			w += (*p & 0xc0) != 0x80;
		return w;
	}
	locale_t old = uselocale(loc);
	size_t w = 0, left = strlen(s);
	mbstate_t st;
	memset(&st, 0, sizeof(st));
	while (left) {
		wchar_t c;
		size_t n = mbrtowc(&c, s, left, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) { /* not UTF-8: a column */
			memset(&st, 0, sizeof(st));
			n = 1;
			w++;
		} else {
			int cw = wcwidth(c);
			w += cw < 0 ? 1 : (size_t)cw;
		}
		s += n;
		left -= n;
	}
	uselocale(old);
	return w;
}

void out_padded(struct out *o, const char *s, size_t width)
{
	out_puts(o, s);
	for (size_t w = out_width(s); w < width; w++)
		fputc(' ', o->fp);
}

void out_name(struct out *o, const char *s)
{
	char buf[1024];
	out_puts(o, out_escape(s, buf, sizeof(buf)));
}

const char *out_sym(const struct out *o, const char *utf8, const char *ascii)
{
	return o->utf8 ? utf8 : ascii;
}

void out_wrap(struct out *o, const char *text, int indent)
{
	int col = 0;
	const char *p = text;
	while (*p) {
		if (*p == '\n') {
			fputc('\n', o->fp);
			col = 0;
			p++;
			continue;
		}
		if (*p == ' ') {
			p++;
			continue;
		}
		/* The next word and its width on the terminal. */
		size_t n = strcspn(p, " \n");
		char word[512];
		size_t k = n < sizeof(word) - 1 ? n : sizeof(word) - 1;
		memcpy(word, p, k);
		word[k] = '\0';
		for (char *g = word; (g = strchr(g, OUT_GLUE)) != NULL;)
			*g = ' ';
		int w = (int)out_width(word);
		if (col > 0 && col + 1 + w > o->width) {
			fprintf(o->fp, "\n%*s", indent, "");
			col = indent;
		} else if (col > 0) {
			fputc(' ', o->fp);
			col++;
		}
		for (size_t i = 0; i < n; i++)
			fputc(p[i] == OUT_GLUE ? ' ' : p[i], o->fp);
		col += w;
		p += n;
	}
	fputc('\n', o->fp);
}

static const char *const style_seq[] = {
    [OUT_PLAIN] = "",       [OUT_GOOD] = "\033[32m", [OUT_WARN] = "\033[33m",
    [OUT_BAD] = "\033[31m", [OUT_FAINT] = "\033[2m",
};

void out_style_begin(struct out *o, enum out_style st)
{
	if (o->color && st != OUT_PLAIN)
		fputs(style_seq[st], o->fp);
}

void out_style_end(struct out *o, enum out_style st)
{
	if (o->color && st != OUT_PLAIN)
		fputs("\033[0m", o->fp);
}

void out_clear_line(struct out *o)
{
	fputs("\r\033[K", o->fp);
}

void out_clear_screen(struct out *o)
{
	fputs("\033[H\033[2J", o->fp);
}

void out_flush(struct out *o)
{
	fflush(o->fp);
}
