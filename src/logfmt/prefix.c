/* SPDX-License-Identifier: PostgreSQL */
/*
 * prefix: compile a log_line_prefix into a list of items (literal text,
 * escapes with padding, %q marks) and match stderr lines against it without
 * allocating.  Escapes with a fixed shape (%m %p %c ...) are matched by
 * shape; free-text escapes (%u %d %a %h %r %b %i %L) are delimited by what
 * follows them, with a small bounded backtracking when the first guess fails.
 */
#include "logfmt/prefix.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "logfmt/ts.h"
#include "util/sbuf.h"
#include "util/xalloc.h"

/* Longest prefix we compile, in items.  Real prefixes have fewer than 50;
 * the cap bounds the matcher's recursion and its per-call capture array. */
#define PREFIX_MAX_ITEMS 128

/* Candidate ends a line may try for free-text escapes before giving up.
 * Keeps a hostile line from making the match quadratic or worse. */
#define MATCH_BUDGET 64

/* Longest severity word we accept ("STATEMENT", translations in UTF-8). */
#define SEV_WORD_MAX 48

enum item_kind {
	IT_LIT, /* literal text: lit_off/lit_len into px->lits */
	IT_ESC, /* an escape that prints a value */
	IT_Q,   /* %q: non-session processes end the prefix here */
};

/* How a free-text escape finds where its value ends. */
enum item_end {
	END_NONE, /* not free text: the value has a fixed shape */
	END_LIT,  /* at an occurrence of the literal item that follows */
	END_SEV,  /* only literals (and %q) follow: before those literals and the
		     severity word; tail_off/tail_len hold the literals' text */
	END_SCAN, /* another escape follows directly: try each position */
};

struct item {
	enum item_kind kind;
	char esc;          /* IT_ESC: the escape letter */
	int pad;           /* IT_ESC: padding width; < 0 left-aligned, 0 none */
	enum item_end end; /* IT_ESC: how a free-text value ends */
	size_t lit_off;    /* IT_LIT: offset of the text in px->lits */
	size_t lit_len;    /* IT_LIT: its length (> 0) */
	size_t tail_off;   /* END_SEV: offset of the trailing literal text */
	size_t tail_len;   /* END_SEV: its length (may be 0) */
};

struct prefix {
	char *spec;         /* the log_line_prefix as given, NUL-terminated */
	char *lits;         /* literal bytes of all items (not NUL-separated) */
	struct item *items; /* n items, adjacent literals merged */
	size_t n;           /* number of items, at most PREFIX_MAX_ITEMS */
};

/* One escape's matched text while a match is in progress. */
struct cap {
	size_t off; /* offset in the line */
	size_t len; /* length, padding included */
};

/* State of one prefix_match call; lives on the caller's stack. */
struct mstate {
	const struct prefix *px;
	const char *line;
	size_t len;
	int budget;                        /* remaining free-text candidates */
	size_t end_item;                   /* items [0, end_item) took part in the match */
	size_t end_pos;                    /* offset of the severity word */
	struct cap caps[PREFIX_MAX_ITEMS]; /* per item; valid for IT_ESC items < end_item */
};

static bool is_free_text(char esc)
{
	return esc != '\0' && strchr("audrhbiL", esc) != NULL;
}

/* Escapes the server knows; any other letter prints nothing. */
static bool is_known_escape(char esc)
{
	return esc != '\0' && strchr("audrhbiLpPtmneclsvxqQ", esc) != NULL;
}

/* Append a literal to the item list, merging with a literal just before. */
static void add_lit(struct prefix *px, size_t *cap_items, struct sbuf *lits, const char *p,
		    size_t len)
{
	if (px->n > 0 && px->items[px->n - 1].kind == IT_LIT &&
	    px->items[px->n - 1].lit_off + px->items[px->n - 1].lit_len == lits->len) {
		sbuf_add(lits, p, len);
		px->items[px->n - 1].lit_len += len;
		return;
	}
	if (px->n == *cap_items) {
		*cap_items = *cap_items ? *cap_items * 2 : 16;
		px->items = xreallocarray(px->items, *cap_items, sizeof(*px->items));
	}
	struct item *it = &px->items[px->n++];
	memset(it, 0, sizeof(*it));
	it->kind = IT_LIT;
	it->lit_off = lits->len;
	it->lit_len = len;
	sbuf_add(lits, p, len);
}

/* Append a zeroed item to px->items (growing it) and return it. */
static struct item *add_item(struct prefix *px, size_t *cap_items)
{
	if (px->n == *cap_items) {
		*cap_items = *cap_items ? *cap_items * 2 : 16;
		px->items = xreallocarray(px->items, *cap_items, sizeof(*px->items));
	}
	struct item *it = &px->items[px->n++];
	memset(it, 0, sizeof(*it));
	return it;
}

/* Decide, for each free-text escape, how its value ends (see enum item_end).
 * Trailing literal text for END_SEV items is appended to lits. */
static void plan_ends(struct prefix *px, struct sbuf *lits)
{
	for (size_t i = 0; i < px->n; i++) {
		struct item *it = &px->items[i];
		if (it->kind != IT_ESC || !is_free_text(it->esc))
			continue;
		bool only_lits = true;
		for (size_t k = i + 1; k < px->n; k++)
			if (px->items[k].kind == IT_ESC)
				only_lits = false;
		if (only_lits) {
			/* Gather the tail apart first: appending lits to itself
			 * would read memory the append may have moved. */
			struct sbuf tail;
			sbuf_init(&tail, 0);
			for (size_t k = i + 1; k < px->n; k++)
				if (px->items[k].kind == IT_LIT)
					sbuf_add(&tail, lits->buf + px->items[k].lit_off,
						 px->items[k].lit_len);
			it->end = END_SEV;
			it->tail_off = lits->len;
			it->tail_len = tail.len;
			sbuf_add(lits, tail.buf, tail.len);
			sbuf_release(&tail);
		} else if (px->items[i + 1].kind == IT_LIT) {
			it->end = END_LIT;
		} else {
			/* Next is an escape or a %q followed by more escapes. */
			it->end = END_SCAN;
		}
	}
}

struct prefix *prefix_compile(const char *spec, const char **err)
{
	struct prefix *px = xcalloc(1, sizeof(*px));
	struct sbuf lits;
	size_t cap_items = 0;

	sbuf_init(&lits, 0);
	px->spec = xstrdup(spec);
	/* Walk the spec as log_status_format() in elog.c does. */
	for (const char *p = spec; *p; p++) {
		if (*p != '%') {
			add_lit(px, &cap_items, &lits, p, 1);
			continue;
		}
		p++;
		if (*p == '\0')
			break; /* a lone trailing '%' prints nothing */
		int pad = 0;
		if (*p == '-' || (*p >= '0' && *p <= '9')) {
			/* process_log_prefix_padding(): [-]digits, then the escape. */
			bool left = *p == '-';
			if (left)
				p++;
			long w = 0;
			while (*p >= '0' && *p <= '9') {
				if (w < 100000)
					w = w * 10 + (*p - '0');
				p++;
			}
			if (*p == '\0')
				break;
			pad = left ? -(int)w : (int)w;
		}
		if (*p == '%') {
			add_lit(px, &cap_items, &lits, "%", 1);
			continue;
		}
		if (!is_known_escape(*p))
			continue; /* unknown escapes print nothing, as in the server */
		if (*p == 'q') {
			if (px->n > 0 && px->items[px->n - 1].kind == IT_Q)
				continue;
			add_item(px, &cap_items)->kind = IT_Q;
			continue;
		}
		struct item *it = add_item(px, &cap_items);
		it->kind = IT_ESC;
		it->esc = *p;
		it->pad = pad;
	}
	if (px->n > PREFIX_MAX_ITEMS) {
		*err = "log_line_prefix has too many escapes";
		sbuf_release(&lits);
		prefix_free(px);
		return NULL;
	}
	plan_ends(px, &lits);
	px->lits = sbuf_detach(&lits, NULL);
	return px;
}

void prefix_free(struct prefix *px)
{
	if (!px)
		return;
	free(px->spec);
	free(px->lits);
	free(px->items);
	free(px);
}

const char *prefix_spec(const struct prefix *px)
{
	return px->spec;
}

/* A byte that may be part of a severity word: capitals, digits ("DEBUG1"),
 * and any non-ASCII byte so translated words ("СООБЩЕНИЕ") count too. */
static bool is_sev_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

/* Is line[pos..) a severity word followed by ":  "? */
static bool sev_at(const char *line, size_t len, size_t pos)
{
	size_t k = pos;
	if (k >= len || (line[k] >= '0' && line[k] <= '9'))
		return false;
	while (k < len && k - pos < SEV_WORD_MAX && is_sev_char((unsigned char)line[k]))
		k++;
	return k > pos && k + 3 <= len && line[k] == ':' && line[k + 1] == ' ' &&
	       line[k + 2] == ' ';
}

/* Number of leading ASCII digits of p[0..len), at most max. */
static size_t count_digits(const char *p, size_t len, size_t max)
{
	size_t n = 0;
	while (n < len && n < max && p[n] >= '0' && p[n] <= '9')
		n++;
	return n;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/*
 * Match the value of a fixed-shape escape at p[0..len).  Returns its length
 * or -1 when p does not start with such a value.
 */
static long match_shape(char esc, const char *p, size_t len)
{
	int64_t ms;
	size_t used, n, k;

	switch (esc) {
	case 'm':
		/* with milliseconds */
		if (ts_parse(p, len, &ms, &used, NULL) != 0 || used <= 19 || p[19] != '.')
			return -1;
		return (long)used;
	case 't':
	case 's':
		/* without milliseconds */
		if (ts_parse(p, len, &ms, &used, NULL) != 0 || (used > 19 && p[19] == '.'))
			return -1;
		return (long)used;
	case 'n':
		if (ts_parse_epoch(p, len, &ms, &used) != 0)
			return -1;
		return (long)used;
	case 'p':
	case 'l':
	case 'x':
		n = count_digits(p, len, 20);
		return n > 0 ? (long)n : -1;
	case 'P':
		return (long)count_digits(p, len, 20);
	case 'Q':
		k = len > 0 && p[0] == '-';
		n = count_digits(p + k, len - k, 20);
		return n > 0 ? (long)(k + n) : -1;
	case 'c':
		for (n = 0; n < len && n < 16 && is_hex(p[n]); n++)
			;
		if (n == 0 || n >= len || p[n] != '.')
			return -1;
		for (k = n + 1; k < len && k - n - 1 < 16 && is_hex(p[k]); k++)
			;
		return k > n + 1 ? (long)k : -1;
	case 'e':
		if (len < 5)
			return -1;
		for (n = 0; n < 5; n++)
			if (!((p[n] >= '0' && p[n] <= '9') || (p[n] >= 'A' && p[n] <= 'Z')))
				return -1;
		return 5;
	case 'v':
		/* "backendid/lxid" or nothing */
		k = len > 0 && p[0] == '-';
		n = count_digits(p + k, len - k, 20);
		if (n == 0 || k + n >= len || p[k + n] != '/')
			return 0;
		n += k + 1;
		k = n < len && p[n] == '-';
		used = count_digits(p + n + k, len - n - k, 20);
		return used > 0 ? (long)(n + k + used) : 0;
	default:
		return -1;
	}
}

static bool match_from(struct mstate *st, size_t i, size_t pos);

/* Try a free-text value line[pos..end) for item i and match the rest. */
static bool try_free(struct mstate *st, size_t i, size_t pos, size_t end)
{
	if (st->budget-- <= 0)
		return false;
	st->caps[i].off = pos;
	st->caps[i].len = end - pos;
	return match_from(st, i + 1, end);
}

/* Match a free-text escape (item i) at pos, trying candidate ends in order. */
static bool match_free(struct mstate *st, size_t i, size_t pos)
{
	const struct prefix *px = st->px;
	const struct item *it = &px->items[i];
	const char *line = st->line;
	size_t len = st->len;

	switch (it->end) {
	case END_LIT: {
		const struct item *nx = &px->items[i + 1];
		const char *lit = px->lits + nx->lit_off;
		for (size_t from = pos; from + nx->lit_len <= len;) {
			const char *hit = memmem(line + from, len - from, lit, nx->lit_len);
			if (!hit)
				return false;
			size_t at = (size_t)(hit - line);
			if (try_free(st, i, pos, at))
				return true;
			if (st->budget <= 0)
				return false;
			from = at + 1;
		}
		return false;
	}
	case END_SEV: {
		const char *tail = px->lits + it->tail_off;
		size_t tl = it->tail_len;
		for (size_t from = pos; from + 3 <= len;) {
			const char *hit = memmem(line + from, len - from, ":  ", 3);
			if (!hit)
				return false;
			size_t colon = (size_t)(hit - line);
			/* Every start j of a severity word ending at the colon. */
			size_t j = colon;
			while (j > pos && colon - j < SEV_WORD_MAX &&
			       is_sev_char((unsigned char)line[j - 1]))
				j--;
			for (; j < colon; j++) {
				if (line[j] >= '0' && line[j] <= '9')
					continue;
				if (j < pos + tl || memcmp(line + j - tl, tail, tl) != 0)
					continue;
				if (try_free(st, i, pos, j - tl))
					return true;
				if (st->budget <= 0)
					return false;
			}
			from = colon + 1;
		}
		return false;
	}
	case END_SCAN:
		for (size_t end = pos; end <= len; end++) {
			if (try_free(st, i, pos, end))
				return true;
			if (st->budget <= 0)
				return false;
		}
		return false;
	case END_NONE:
		break;
	}
	return false;
}

/* Match items [i, n) at line[pos..); on success record where it ended. */
static bool match_from(struct mstate *st, size_t i, size_t pos)
{
	const struct prefix *px = st->px;
	const char *line = st->line;
	size_t len = st->len;

	for (; i < px->n; i++) {
		const struct item *it = &px->items[i];
		switch (it->kind) {
		case IT_LIT:
			if (len - pos < it->lit_len ||
			    memcmp(line + pos, px->lits + it->lit_off, it->lit_len) != 0)
				return false;
			pos += it->lit_len;
			break;
		case IT_Q:
			if (sev_at(line, len, pos)) {
				st->end_item = i;
				st->end_pos = pos;
				return true;
			}
			break;
		case IT_ESC: {
			if (is_free_text(it->esc))
				return match_free(st, i, pos);
			size_t start = pos;
			if (it->pad > 0)
				while (pos < len && line[pos] == ' ')
					pos++;
			long v = match_shape(it->esc, line + pos, len - pos);
			if (v < 0)
				return false;
			pos += (size_t)v;
			if (it->pad < 0) {
				/* left-aligned: up to width - value length spaces */
				size_t want = (size_t) - (long)it->pad;
				while (pos < len && (size_t)(pos - start) < want &&
				       line[pos] == ' ')
					pos++;
			}
			st->caps[i].off = start;
			st->caps[i].len = pos - start;
			break;
		}
		}
	}
	if (!sev_at(line, len, pos))
		return false;
	st->end_item = px->n;
	st->end_pos = pos;
	return true;
}

/* The captured text of item i, with padding spaces trimmed. */
static struct slice cap_text(const struct mstate *st, size_t i)
{
	const char *p = st->line + st->caps[i].off;
	size_t n = st->caps[i].len;
	if (st->px->items[i].pad != 0) {
		while (n > 0 && p[0] == ' ') {
			p++;
			n--;
		}
		while (n > 0 && p[n - 1] == ' ')
			n--;
	}
	return slice_make(p, n);
}

/* A session value: absent when empty or printed as "[unknown]". */
static struct slice session_value(struct slice s)
{
	if (s.len == 0 || slice_eq(s, "[unknown]"))
		return SLICE_NULL;
	return s;
}

/* Value of a run of digits (at most 18 used, so no overflow). */
static int64_t parse_int(struct slice s)
{
	int64_t v = 0;
	for (size_t k = 0; k < s.len && k < 18; k++)
		v = v * 10 + (s.p[k] - '0');
	return v;
}

/*
 * The process id in a session id: %c is the process's start time and its
 * pid in hex, "%lx.%x" (elog.c), so a prefix without %p (Azure's default
 * '%t-%c-') still names the process.  PID_UNKNOWN when s is not of that
 * shape.
 */
static int64_t pid_of_session_id(struct slice s)
{
	size_t dot = 0;
	while (dot < s.len && s.p[dot] != '.')
		dot++;
	if (dot == 0 || dot >= s.len - 1 || s.len - dot - 1 > 8)
		return PID_UNKNOWN;
	int64_t pid = 0;
	for (size_t k = 0; k < s.len; k++) {
		char c = s.p[k];
		int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (k == dot)
			continue;
		if (v < 0 || k - (k > dot ? dot + 1 : 0) >= 16)
			return PID_UNKNOWN;
		if (k > dot)
			pid = pid * 16 + v;
	}
	return pid;
}

/* Turn the captures of a successful match into pg_entry fields. */
static void fill_entry(const struct mstate *st, struct pg_entry *e)
{
	int64_t ts_n = TS_UNKNOWN, ts_m = TS_UNKNOWN, ts_t = TS_UNKNOWN;

	for (size_t i = 0; i < st->end_item; i++) {
		const struct item *it = &st->px->items[i];
		if (it->kind != IT_ESC)
			continue;
		struct slice v = cap_text(st, i);
		int64_t ms;
		size_t used;
		switch (it->esc) {
		case 'm':
			if (ts_parse(v.p, v.len, &ms, &used, NULL) == 0)
				ts_m = ms;
			break;
		case 't':
			if (ts_parse(v.p, v.len, &ms, &used, NULL) == 0)
				ts_t = ms;
			break;
		case 'n':
			if (ts_parse_epoch(v.p, v.len, &ms, &used) == 0)
				ts_n = ms;
			break;
		case 'p':
			e->pid = parse_int(v);
			break;
		case 'c':
			e->session_id = v;
			break;
		case 'e':
			e->sqlstate = v;
			break;
		case 'u':
			e->user = session_value(v);
			break;
		case 'd':
			e->database = session_value(v);
			break;
		case 'a':
			e->application = session_value(v);
			break;
		case 'b':
			e->backend_type = session_value(v);
			break;
		case 'h':
			e->host = session_value(v);
			break;
		case 'r': {
			v = session_value(v);
			/* "host(port)" or "[local]" */
			if (v.len >= 3 && v.p[v.len - 1] == ')') {
				const char *open = NULL;
				for (size_t k = v.len - 1; k-- > 0;)
					if (v.p[k] == '(') {
						open = v.p + k;
						break;
					}
				if (open && open > v.p) {
					e->host = slice_make(v.p, (size_t)(open - v.p));
					e->port =
					    slice_make(open + 1, (size_t)(v.p + v.len - open - 2));
					break;
				}
			}
			if (v.len > 0)
				e->host = v;
			break;
		}
		default:
			break;
		}
	}
	if (e->pid == PID_UNKNOWN)
		e->pid = pid_of_session_id(e->session_id);
	/* %n is exact; %m and %t depend on how well we know the zone. */
	if (ts_n != TS_UNKNOWN)
		e->ts_ms = ts_n;
	else if (ts_m != TS_UNKNOWN)
		e->ts_ms = ts_m;
	else if (ts_t != TS_UNKNOWN)
		e->ts_ms = ts_t;
}

int prefix_match(const struct prefix *px, const char *line, size_t len, struct pg_entry *e,
		 size_t *used)
{
	struct mstate st;

	st.px = px;
	st.line = line;
	st.len = len;
	st.budget = MATCH_BUDGET;
	st.end_item = 0;
	st.end_pos = 0;
	if (!match_from(&st, 0, 0))
		return -1;
	fill_entry(&st, e);
	*used = st.end_pos;
	return 0;
}
