/* SPDX-License-Identifier: PostgreSQL */
/*
 * syslog: the syslog transport (wrap.h).  One line per syslog message,
 * the server's stderr line in it after PostgreSQL's "[N-k] " mark
 * (pgsyslog.h), in any of the headers rsyslog, syslog-ng and journalctl
 * write:
 *   RFC 3339   "2026-12-07T04:56:07.384220+00:00 HOST IDENT[PID]: MSG"
 *              (rsyslog's RSYSLOG_FileFormat, Debian 12's default; also
 *              journalctl -o short-iso[-precise], "+0000" or "+00:00")
 *   traditional "Dec  7 04:56:07 HOST IDENT[PID]: MSG" (no year, no zone)
 *   RFC 5424   "<134>1 TIMESTAMP HOST IDENT PID MSGID SD  MSG"
 *   bare       "[N-k] MSG" (journalctl -o cat, a header stripped)
 * optionally led by "<PRI>".  rsyslog writes control characters as "#ooo"
 * (octal: TAB "#011", newline "#012"); they are turned back.  A line of
 * another program (a central log host's file) is ENTRY_FOREIGN.  Pieces of
 * a line PostgreSQL cut at 900 bytes are joined again; the first record of
 * a message sent whole (syslog_split_messages = off) is taken.  Timestamps:
 * the prefix's (%m, %t) when it has one, else the header's; a traditional
 * header's year is the file's modification time's, its zone the local one.
 */
#include "logfmt/formats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "logfmt/pgsyslog.h"
#include "logfmt/wrap.h"
#include "util/hash.h"
#include "util/xalloc.h"

/* The header shapes. */
enum sl_shape {
	SL_RFC3339,     /* rsyslog RSYSLOG_FileFormat, syslog-ng ISO */
	SL_SHORT_ISO,   /* RFC 3339 as journalctl writes it: no fraction, or "+0000";
			   both of the journal's copies may be there */
	SL_TRADITIONAL, /* "Mmm dd hh:mm:ss" */
	SL_RFC5424,     /* "<PRI>1 " */
	SL_BARE,        /* no header: "[N-k] " */
};

/* One syslog line, its header read. */
struct sl_line {
	enum sl_shape shape;
	const char *ts; /* the header's timestamp (not for SL_BARE) */
	size_t ts_len;
	struct slice host, ident; /* len 0 when absent */
	int64_t pid;              /* PID_UNKNOWN when absent */
	struct pgsyslog_mark mark;
	size_t msg; /* where the payload (after the mark) begins */
	size_t n;   /* the line's length, without '\n' or '\r' */
};

/* Consumed pieces: continuations joined to the line before them. */
#define SL_TAKEN 32
/* The most lines and bytes looked through for the next piece of a line. */
#define JOIN_LINES 64
#define JOIN_BYTES (1u << 20)

struct sl_taken {
	uint64_t host_hash; /* host_hash of the line's host */
	int64_t pid;
	long long seq, chunk;
};

struct syslog_parser {
	struct wrap w;
	const char *ident; /* --ident, or NULL (logfmt_env) */
	int64_t mtime_ms;  /* the file's, TS_UNKNOWN */
	bool saw_marked;   /* SL_SHORT_ISO lines with and without a mark were */
	bool saw_plain;    /* seen: the journal's syslog and stdout copies */
	bool used_trad_ts; /* a traditional header's time was used */
	int trad_year;     /* the year taken for it */
	char note[200];    /* logfmt_note's text */
	struct sl_taken taken[SL_TAKEN];
	size_t ntaken, taken_next;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The token at p[*i..n) up to a space; *i moves past the space. */
static struct slice token(const char *p, size_t n, size_t *i)
{
	size_t s = *i;
	const char *sp = memchr(p + s, ' ', n - s);
	size_t e = sp ? (size_t)(sp - p) : n;
	*i = sp ? e + 1 : n;
	return slice_make(p + s, e - s);
}

static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

/* "Mmm dd hh:mm:ss " at p: the month (0-11), else -1. */
static int trad_month(const char *p, size_t n)
{
	if (n < 16 || p[3] != ' ' || p[6] != ' ' || p[9] != ':' || p[12] != ':' || p[15] != ' ' ||
	    !is_digit(p[5]) || !(is_digit(p[4]) || p[4] == ' '))
		return -1;
	for (int m = 0; m < 12; m++)
		if (memcmp(p, months + 3 * m, 3) == 0)
			return m;
	return -1;
}

/* "YYYY-MM-DDTHH:MM:SS" at p. */
static bool rfc3339_at(const char *p, size_t n)
{
	return n >= 20 && p[4] == '-' && p[7] == '-' && p[10] == 'T' && p[13] == ':' &&
	       p[16] == ':' && is_digit(p[0]) && is_digit(p[3]) && is_digit(p[11]);
}

/* The tag "IDENT[PID]:" or "IDENT:" at p[*i..n); *i moves past it and
 * the space after it. */
static bool tag(const char *p, size_t n, size_t *i, struct sl_line *l)
{
	size_t s = *i, k = s;
	while (k < n && p[k] != '[' && p[k] != ':' && p[k] != ' ')
		k++;
	if (k == s || k >= n)
		return false;
	l->ident = slice_make(p + s, k - s);
	if (p[k] == '[') {
		int64_t pid = 0;
		size_t d = ++k;
		while (k < n && is_digit(p[k]) && k - d < 18)
			pid = pid * 10 + (p[k++] - '0');
		if (k == d || k >= n || p[k] != ']')
			return false;
		l->pid = pid;
		k++;
	}
	if (k >= n || p[k] != ':')
		return false;
	k++;
	if (k < n && p[k] == ' ')
		k++;
	*i = k;
	return true;
}

/* The RFC 5424 header after "<PRI>1 ". */
static bool rfc5424(const char *p, size_t n, size_t i, struct sl_line *l)
{
	struct slice ts = token(p, n, &i);
	l->ts = ts.p;
	l->ts_len = ts.len;
	l->host = token(p, n, &i);
	l->ident = token(p, n, &i);
	struct slice procid = token(p, n, &i);
	token(p, n, &i); /* MSGID */
	if (i >= n || !l->ident.len)
		return false;
	if (procid.len && is_digit(procid.p[0])) {
		int64_t pid = 0;
		for (size_t k = 0; k < procid.len && k < 18 && is_digit(procid.p[k]); k++)
			pid = pid * 10 + (procid.p[k] - '0');
		l->pid = pid;
	}
	if (slice_eq(l->host, "-"))
		l->host = SLICE_NULL;
	/* SD: "-" or "[id k="v"...]..." with \] escaped in values. */
	if (p[i] == '-') {
		i++;
	} else if (p[i] == '[') {
		bool quoted = false;
		for (; i < n; i++) {
			if (p[i] == '\\' && quoted && i + 1 < n)
				i++;
			else if (p[i] == '"')
				quoted = !quoted;
			else if (p[i] == ']' && !quoted && (i + 1 >= n || p[i + 1] != '['))
				break;
		}
		if (i >= n)
			return false;
		i++;
	} else {
		return false;
	}
	/* The MSG after one space; rsyslog's keeps the space that followed
	 * the tag, and a UTF-8 BOM may lead it. */
	if (i < n && p[i] == ' ')
		i++;
	if (n - i >= 3 && memcmp(p + i, "\xEF\xBB\xBF", 3) == 0)
		i += 3;
	if (i < n && p[i] == ' ')
		i++;
	l->msg = i;
	return true;
}

/* Read the header of line p[0..n) (no newline) into l.  False when it is
 * no syslog line. */
static bool sl_parse(const char *p, size_t n, struct sl_line *l)
{
	size_t i = 0;

	memset(l, 0, sizeof(*l));
	l->pid = PID_UNKNOWN;
	if (n && p[n - 1] == '\r')
		n--;
	l->n = n;
	if (n > 1 && p[0] == '<') {
		i = 1;
		while (i < n && i < 5 && is_digit(p[i]))
			i++;
		if (i == 1 || i >= n || p[i] != '>')
			return false;
		i++;
		if (n - i > 2 && p[i] == '1' && p[i + 1] == ' ') {
			l->shape = SL_RFC5424;
			if (!rfc5424(p, n, i + 2, l))
				return false;
			goto mark;
		}
	}
	if (rfc3339_at(p + i, n - i)) {
		struct slice ts = token(p, n, &i);
		l->ts = ts.p;
		l->ts_len = ts.len;
		/* journalctl: no fraction, or an offset without its colon. */
		bool frac = ts.len > 19 && ts.p[19] == '.';
		bool colon = ts.len >= 3 && ts.p[ts.len - 3] == ':';
		l->shape = !frac || (!colon && ts.p[ts.len - 1] != 'Z') ? SL_SHORT_ISO : SL_RFC3339;
	} else if (trad_month(p + i, n - i) >= 0) {
		l->shape = SL_TRADITIONAL;
		l->ts = p + i;
		l->ts_len = 15;
		i += 16;
	} else if (i == 0 && n > 3 && p[0] == '[' && is_digit(p[1])) {
		l->shape = SL_BARE;
		if (!pgsyslog_mark(p, n, &l->mark) || l->mark.seq < 0)
			return false; /* "[k] " alone would be a prefix's "[%p] " */
		l->msg = l->mark.len;
		return true;
	} else {
		return false;
	}
	l->host = token(p, n, &i);
	if (!l->host.len || !tag(p, n, &i, l))
		return false;
	l->msg = i;
mark:
	if (pgsyslog_mark(p + l->msg, n - l->msg, &l->mark))
		l->msg += l->mark.len;
	return true;
}

/* Is l one of the server's lines (--ident, or the default idents)? */
static bool ours(const struct syslog_parser *sp, const struct sl_line *l)
{
	if (l->shape == SL_BARE)
		return true;
	if (sp->ident)
		return slice_eq(l->ident, sp->ident);
	return slice_starts(l->ident, "postgres") || l->mark.len > 0;
}

/* Append p[0..n) to out with rsyslog's "#ooo" escapes of control
 * characters turned back.  -1 when out's cap is reached. */
static int unescape(struct sbuf *out, const char *p, size_t n)
{
	const char *end = p + n;
	while (p < end) {
		const char *h = memchr(p, '#', (size_t)(end - p));
		if (!h)
			return sbuf_add(out, p, (size_t)(end - p));
		if (sbuf_add(out, p, (size_t)(h - p)) < 0)
			return -1;
		if (end - h >= 4 && h[1] >= '0' && h[1] <= '3' && h[2] >= '0' && h[2] <= '7' &&
		    h[3] >= '0' && h[3] <= '7') {
			int c = (h[1] - '0') * 64 + (h[2] - '0') * 8 + (h[3] - '0');
			if (c < 32 || c == 127) {
				if (sbuf_addch(out, c) < 0)
					return -1;
				p = h + 4;
				continue;
			}
		}
		if (sbuf_addch(out, '#') < 0)
			return -1;
		p = h + 1;
	}
	return 0;
}

/* The unescaped length of p[0..n) (each "#ooo" is one byte). */
static size_t unescaped_len(const char *p, size_t n)
{
	size_t k = n;
	for (const char *h = p; (h = memchr(h, '#', n - (size_t)(h - p))) != NULL; h++)
		if (n - (size_t)(h - p) >= 4 && h[1] >= '0' && h[1] <= '3' && is_digit(h[2]) &&
		    is_digit(h[3]))
			k -= 3;
	return k;
}

static uint64_t host_hash(struct slice h)
{
	return hash_bytes(h.p, h.len);
}

static void take(struct syslog_parser *sp, const struct sl_line *l)
{
	struct sl_taken *t = &sp->taken[sp->taken_next];
	*t = (struct sl_taken){.host_hash = host_hash(l->host),
			       .pid = l->pid,
			       .seq = l->mark.seq,
			       .chunk = l->mark.chunk};
	sp->taken_next = (sp->taken_next + 1) % SL_TAKEN;
	if (sp->ntaken < SL_TAKEN)
		sp->ntaken++;
}

/* Was l joined to the piece before it already?  Forgets it if so. */
static bool was_taken(struct syslog_parser *sp, const struct sl_line *l)
{
	if (!sp->ntaken || l->mark.chunk < 2)
		return false;
	uint64_t hh = host_hash(l->host);
	for (size_t i = 0; i < sp->ntaken; i++) {
		struct sl_taken *t = &sp->taken[i];
		if (t->pid == l->pid && t->seq == l->mark.seq && t->chunk == l->mark.chunk &&
		    t->host_hash == hh) {
			t->pid = PID_UNKNOWN - 1; /* matches no line */
			return true;
		}
	}
	return false;
}

/*
 * The pieces that continue the line l (at buf[0..), its payload pl bytes
 * long as PostgreSQL sent it): the next lines of the same host and pid
 * with the next piece number that start mid-line, appended to out and
 * remembered as taken.  Looks from buf[from..len) for the next line of that
 * process only.  A piece of half the limit or more was likely cut: the
 * next JOIN_LINES lines are looked through, and when the buffer ends first
 * and more may come (!at_eof) it returns false: ask for more.  A shorter
 * piece is cut only when a long word follows it, which is rare: only the
 * very next line is looked at, and nothing is waited for.
 */
static bool join(struct syslog_parser *sp, const char *buf, size_t len, size_t from,
		 struct sl_line cur, size_t pl, bool at_eof, struct sbuf *out)
{
	size_t off = from;
	int lines = 0;

	while (cur.pid != PID_UNKNOWN) {
		bool likely = pgsyslog_may_continue(pl);
		const char *nl = off < len ? memchr(buf + off, '\n', len - off) : NULL;
		if (!nl)
			return !likely || at_eof || len - from >= JOIN_BYTES;
		if (++lines > (likely ? JOIN_LINES : 1))
			return true;
		size_t n = (size_t)(nl - (buf + off));
		struct sl_line l;
		const char *p = buf + off;
		off += n + 1;
		if (!sl_parse(p, n, &l) || l.pid != cur.pid || l.host.len != cur.host.len ||
		    memcmp(l.host.p, cur.host.p, l.host.len) != 0)
			continue;
		/* The process's next line: the next piece, if it starts mid-line. */
		const char *m = p + l.msg;
		size_t mn = l.n - l.msg;
		bool mid = mn > 0 && (m[0] == ' ' || (pl >= PGSYSLOG_LIMIT - 3 && m[0] != '#'));
		if (l.mark.chunk != cur.mark.chunk + 1 || l.mark.seq != cur.mark.seq || !mid)
			return true;
		if (unescape(out, m, mn) < 0)
			return true;
		take(sp, &l);
		cur = l;
		pl = unescaped_len(m, mn);
		lines = 0;
	}
	return true;
}

/* Days from the civil date (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int num(const char *p, int k)
{
	int v = 0;
	for (int i = 0; i < k; i++)
		v = v * 10 + (p[i] - '0');
	return v;
}

/* An RFC 3339 timestamp ("2026-12-07T04:56:07[.ffffff](Z|+hh:mm|+hhmm)")
 * as UTC ms; TS_UNKNOWN when it is not one. */
static int64_t rfc3339_ms(const char *p, size_t n)
{
	if (n < 20 || !rfc3339_at(p, n))
		return TS_UNKNOWN;
	for (int k = 0; k < 19; k++)
		if (k != 4 && k != 7 && k != 10 && k != 13 && k != 16 && !is_digit(p[k]))
			return TS_UNKNOWN;
	int64_t days = days_from_civil(num(p, 4), (unsigned)num(p + 5, 2), (unsigned)num(p + 8, 2));
	int64_t ms =
	    ((days * 24 + num(p + 11, 2)) * 60 + num(p + 14, 2)) * 60000 + num(p + 17, 2) * 1000;
	size_t i = 19;
	if (i < n && p[i] == '.') {
		int scale = 100;
		for (i++; i < n && is_digit(p[i]); i++) {
			ms += (p[i] - '0') * scale;
			scale /= 10;
		}
	}
	if (i < n && p[i] == 'Z')
		return ms;
	if (i + 3 <= n && (p[i] == '+' || p[i] == '-') && is_digit(p[i + 1]) &&
	    is_digit(p[i + 2])) {
		int off = num(p + i + 1, 2) * 60;
		size_t j = i + 3;
		if (j < n && p[j] == ':')
			j++;
		if (j + 2 <= n && is_digit(p[j]) && is_digit(p[j + 1]))
			off += num(p + j, 2);
		return ms - (p[i] == '-' ? -off : off) * 60000LL;
	}
	return TS_UNKNOWN;
}

/* A traditional timestamp ("Dec  7 04:56:07") as UTC ms: local time, in
 * the year of the file's modification time (the year before when that
 * would put it more than a day after the file was last written). */
static int64_t trad_ms(struct syslog_parser *sp, const char *p)
{
	time_t ref = sp->mtime_ms != TS_UNKNOWN ? (time_t)(sp->mtime_ms / 1000) : time(NULL);
	struct tm rt, tm;
	localtime_r(&ref, &rt);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = rt.tm_year;
	tm.tm_mon = trad_month(p, 16);
	tm.tm_mday = (p[4] == ' ' ? 0 : (p[4] - '0') * 10) + (p[5] - '0');
	tm.tm_hour = num(p + 7, 2);
	tm.tm_min = num(p + 10, 2);
	tm.tm_sec = num(p + 13, 2);
	tm.tm_isdst = -1;
	struct tm copy = tm;
	time_t t = mktime(&tm);
	if (t > ref + 86400) {
		copy.tm_year--;
		t = mktime(&copy);
		tm = copy;
	}
	sp->used_trad_ts = true;
	sp->trad_year = tm.tm_year + 1900;
	return (int64_t)t * 1000;
}

/* wrap_unwrap_fn: the payload of one sample line (a cut piece left out:
 * it has no prefix to infer from). */
static bool unwrap(void *transport, const char *line, size_t n, struct sbuf *out)
{
	struct syslog_parser *sp = transport;
	struct sl_line l;
	if (!sl_parse(line, n, &l) || !ours(sp, &l))
		return false;
	if (l.shape == SL_SHORT_ISO)
		*(l.mark.len ? &sp->saw_marked : &sp->saw_plain) = true;
	const char *m = line + l.msg;
	size_t mn = l.n - l.msg;
	if (l.mark.chunk >= 2 && mn && m[0] == ' ')
		return false;
	return unescape(out, m, mn) == 0;
}

static struct syslog_parser *syslog_parser_new(const char *prefix, const char **err)
{
	struct syslog_parser *sp = xcalloc(1, sizeof(*sp));
	if (wrap_init(&sp->w, prefix, err) < 0) {
		free(sp);
		return NULL;
	}
	sp->mtime_ms = TS_UNKNOWN;
	return sp;
}

static void syslog_parser_free(struct syslog_parser *sp)
{
	if (!sp)
		return;
	wrap_release(&sp->w);
	free(sp);
}

static enum logfmt_status syslog_parser_next(struct syslog_parser *sp, const char *buf, size_t len,
					     bool at_eof, struct pg_entry *e, size_t *used,
					     const char **why)
{
	size_t n;
	struct sl_line l;

	if (why)
		*why = NULL;
	if (!logfmt_line(buf, len, at_eof, &n, used))
		return LOGFMT_NEED_MORE;
	pg_entry_clear(e);
	if (!sl_parse(buf, n, &l)) {
		/* journalctl's "-- Boot ... --" and "-- No entries --" */
		e->kind = n >= 3 && memcmp(buf, "-- ", 3) == 0 ? ENTRY_FOREIGN : ENTRY_OTHER;
		e->message = slice_make(buf, n);
		return LOGFMT_OK;
	}
	if (!ours(sp, &l)) {
		e->kind = ENTRY_FOREIGN;
		return LOGFMT_OK;
	}
	if (l.shape == SL_SHORT_ISO) {
		/* Both of the journal's copies (log_destination 'stderr,syslog'
		 * under systemd): the stdout one, whole and unmarked, is read. */
		*(l.mark.len ? &sp->saw_marked : &sp->saw_plain) = true;
		if (l.mark.len && sp->saw_plain) {
			e->kind = ENTRY_FOREIGN;
			return LOGFMT_OK;
		}
	}
	if (was_taken(sp, &l)) {
		e->kind = ENTRY_CONTINUATION;
		e->message = slice_make(buf + l.msg, l.n - l.msg);
		return LOGFMT_OK;
	}
	struct sbuf *pay = wrap_payload(&sp->w);
	const char *m = buf + l.msg;
	size_t mn = l.n - l.msg;
	unescape(pay, m, mn);
	if (l.mark.chunk >= 1 && *used > n) { /* a newline ends it: lines may follow */
		struct sl_taken saved[SL_TAKEN];
		size_t ntaken = sp->ntaken, next = sp->taken_next;
		memcpy(saved, sp->taken, sizeof(saved));
		if (!join(sp, buf, len, *used, l, pay->len, at_eof, pay)) {
			/* Wait for the next line of the process; forget what
			 * was joined so far, it is joined again then. */
			memcpy(sp->taken, saved, sizeof(saved));
			sp->ntaken = ntaken;
			sp->taken_next = next;
			*used = 0;
			return LOGFMT_NEED_MORE;
		}
	}
	enum logfmt_status st = wrap_parse(&sp->w, e, why);
	if (st != LOGFMT_OK)
		return st;
	if (e->kind == ENTRY_OTHER && l.mark.chunk >= 2) {
		/* A piece of a cut line that was not joined: it has no prefix. */
		e->kind = ENTRY_CONTINUATION;
		return LOGFMT_OK;
	}
	e->server = l.host;
	if (e->kind != ENTRY_MESSAGE)
		return LOGFMT_OK;
	if (e->pid == PID_UNKNOWN)
		e->pid = l.pid;
	if (e->ts_ms == TS_UNKNOWN && l.ts_len)
		e->ts_ms =
		    l.shape == SL_TRADITIONAL ? trad_ms(sp, l.ts) : rfc3339_ms(l.ts, l.ts_len);
	return LOGFMT_OK;
}

/*
 * The fast path (see logfmt_fast_skip_fn): the header read, the payload
 * handed to stderr's fast path in place (a piece joined to it would not
 * change the start of its message).  A line with a '#' (maybe an escape
 * to turn back first) and a piece that may continue a cut line go to the
 * parser.  Whose line it is is not asked: another program's line, or the
 * journal's second copy, that nothing in matters is let go as a message.
 */
static bool fast_skip(const char *buf, size_t len, logfmt_interest_fn interest,
		      struct logfmt_skip *sk)
{
	const char *nl = memchr(buf, '\n', len);
	struct sl_line l;

	if (!nl || !sl_parse(buf, (size_t)(nl - buf), &l) || l.mark.chunk >= 2)
		return false;
	if (memchr(buf + l.msg, '#', l.n - l.msg))
		return false;
	return wrap_fast_inner(stderr_ops.fast_skip, buf, len, l.msg, interest, sk);
}

/* A syslog line with a header (a bare "[N-k] " could be a prefix's
 * "[%p-%l] ": it needs --format=syslog); its program is not asked (a
 * central log's first lines may be another's). */
static bool sniff(const char *line, size_t n)
{
	struct sl_line l;
	return sl_parse(line, n, &l) && l.shape != SL_BARE;
}

static void *ops_new(const char *prefix, const char **err)
{
	return syslog_parser_new(prefix, err);
}

static void ops_free(void *parser)
{
	syslog_parser_free(parser);
}

static int ops_infer(void *parser, const char *sample, size_t len)
{
	struct syslog_parser *sp = parser;
	return wrap_infer(&sp->w, sample, len, unwrap, sp);
}

static enum logfmt_status ops_next(void *parser, const char *buf, size_t len, bool at_eof,
				   struct pg_entry *e, size_t *used, const char **why)
{
	return syslog_parser_next(parser, buf, len, at_eof, e, used, why);
}

static void ops_set_env(void *parser, const struct logfmt_env *env)
{
	struct syslog_parser *sp = parser;
	sp->ident = env->ident;
	sp->mtime_ms = env->file_mtime_ms;
}

static const char *ops_note(const void *parser)
{
	struct syslog_parser *sp = (struct syslog_parser *)parser;
	if (!sp->used_trad_ts)
		return NULL;
	snprintf(sp->note, sizeof(sp->note),
		 "syslog timestamps carry no year and no zone, and the log_line_prefix no time: "
		 "read as local time in %d, the year of the %s",
		 sp->trad_year,
		 sp->mtime_ms != TS_UNKNOWN ? "file's modification time"
					    : "clock (standard input)");
	return sp->note;
}

static const char *const aliases[] = {"rsyslog", NULL};

const struct logfmt_ops syslog_ops = {
    .id = LOGFMT_SYSLOG,
    .name = "syslog",
    .aliases = aliases,
    .transport = true,
    .suffix = "",
    .suffix_decides = false,
    .sniff = sniff,
    .new = ops_new,
    .free = ops_free,
    .infer = ops_infer,
    .next = ops_next,
    .fast_skip = fast_skip,
    .set_env = ops_set_env,
    .note = ops_note,
};
