/* SPDX-License-Identifier: PostgreSQL */
/*
 * stderr: parse PostgreSQL's plain-text log, one physical line per record:
 * "<log_line_prefix><SEVERITY>:  <message>", continuation lines starting
 * with a TAB.  The prefix is given, or settled from the first lines of the
 * file by stderr_infer.c; when nothing fits, each line gets a tolerant
 * generic parse.  Also the format's fast path, which reads a line's
 * severity and message with the parser's own functions.
 */
#include "logfmt/formats.h"

#include <stdlib.h>
#include <string.h>

#include "logfmt/prefix.h"
#include "logfmt/stderr_infer.h"
#include "logfmt/ts.h"
#include "util/xalloc.h"

struct stderr_parser {
	/* The prefix in use (guess.px; NULL: none settled, generic parse) and,
	 * when it was inferred, its "%q" supersets (guess.alts), tried when a
	 * line does not match it: the first that matches replaces it. */
	struct stderr_guess guess;
	bool given; /* the prefix came from the caller; inference is a no-op */
};

struct stderr_parser *stderr_parser_new(const char *prefix, const char **err)
{
	struct stderr_parser *sp = xcalloc(1, sizeof(*sp));
	if (prefix) {
		sp->guess.px = prefix_compile(prefix, err);
		if (!sp->guess.px) {
			free(sp);
			return NULL;
		}
		sp->given = true;
	}
	return sp;
}

void stderr_parser_free(struct stderr_parser *sp)
{
	if (!sp)
		return;
	stderr_guess_release(&sp->guess);
	free(sp);
}

const char *stderr_parser_prefix(const struct stderr_parser *sp)
{
	return sp->guess.px ? prefix_spec(sp->guess.px) : NULL;
}

/*
 * Settle the prefix from sample[0..len) with stderr_infer(), replacing any
 * inferred before.  Returns 0, or -1 when nothing fits (the parser then
 * uses parse_generic on every line).  A no-op returning 0 when the caller
 * gave a prefix.
 */
int stderr_parser_infer(struct stderr_parser *sp, const char *sample, size_t len)
{
	if (sp->given)
		return 0;
	stderr_guess_release(&sp->guess);
	return stderr_infer(sample, len, &sp->guess);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_sev_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || is_digit((char)c) || c == '_' || c >= 0x80;
}

/* A severity word pg_sev_from_word knows is at most this long (a
 * translated one). */
#define SEV_WORD_MAX PG_SEV_WORD_MAX
/* A translated one, at most this long. */
#define SEV_WORD_MAX_ANY 48

/*
 * stderr_find_sev (see stderr_infer.h), also giving the word's length and,
 * with english, its severity (*sev is then set).  The hot path of the fast
 * path: every line it lets go passes here once (inline: the call costs
 * more than a line's search).
 */
static inline long find_sev(const char *line, size_t n, bool english, size_t *wl, enum pg_sev *sev)
{
	const char *p = line, *end = line + n;
	/* A longer run of word characters is no word we know: one more than
	 * the longest is enough to tell. */
	size_t max = english ? SEV_WORD_MAX + 1 : SEV_WORD_MAX_ANY;

	/* A line that starts with a timestamp (%m, %t, %n: "YYYY-MM-DD
	 * HH:MM:SS"): its two colons are not the one sought. */
	if (n > 19 && line[4] == '-' && line[7] == '-' && line[13] == ':' && line[16] == ':')
		p = line + 19;
	/* memchr for the colon, which is rare, beats memmem for ":  ". */
	for (; end - p >= 3 && (p = memchr(p, ':', (size_t)(end - p) - 2)) != NULL; p++) {
		if (p[1] != ' ' || p[2] != ' ')
			continue;
		size_t colon = (size_t)(p - line), j = colon;
		size_t stop = colon > max ? colon - max : 0;
		while (j > stop && is_sev_char((unsigned char)line[j - 1]))
			j--;
		if (j == colon || is_digit(line[j]) || (j > 0 && is_alnum(line[j - 1])))
			continue;
		if (english) {
			*sev = pg_sev_from_word(line + j, colon - j);
			if (*sev == SEV_UNKNOWN)
				continue;
		}
		*wl = colon - j;
		return (long)j;
	}
	return -1;
}

long stderr_find_sev(const char *line, size_t n, bool english)
{
	size_t wl;
	enum pg_sev sev;
	return find_sev(line, n, english, &wl, &sev);
}

/*
 * Does p[0..n) start with a SQLSTATE and ": ", as log_error_verbosity =
 * verbose prints it ("ERROR:  42P01: relation ...")?  Five of [0-9A-Z] with
 * at least one digit (every code has one, which keeps words like "ABORT: "
 * out).  The one rule for the parser and the fast path.
 */
static bool sqlstate_at(const char *p, size_t n)
{
	bool digit = false;

	if (n < 7 || p[5] != ':' || p[6] != ' ')
		return false;
	for (size_t k = 0; k < 5; k++) {
		if (is_digit(p[k]))
			digit = true;
		else if (p[k] < 'A' || p[k] > 'Z')
			return false;
	}
	return digit;
}

/*
 * line[pos..n) is "WORD:  message", WORD wl bytes long and meaning sev:
 * fill kind, sev, sev_word, message and, when one leads the message of a
 * primary line, sqlstate.  Nothing else of e is touched.
 */
static void take_message(const char *line, size_t n, size_t pos, size_t wl, enum pg_sev sev,
			 struct pg_entry *e)
{
	size_t m = pos + wl + 3;

	e->kind = ENTRY_MESSAGE;
	e->sev_word = slice_make(line + pos, wl);
	e->sev = sev;
	if (m > n)
		m = n;
	if (sev < SEV_DETAIL && sqlstate_at(line + m, n - m)) {
		e->sqlstate = slice_make(line + m, 5);
		m += 7;
	}
	e->message = slice_make(line + m, n - m);
}

/* line[pos..n) is "WORD:  message": take_message, WORD's meaning looked up. */
static void parse_sev(const char *line, size_t n, size_t pos, struct pg_entry *e)
{
	const char *colon = memchr(line + pos, ':', n - pos);
	size_t wl = (size_t)(colon - (line + pos));

	take_message(line, n, pos, wl, pg_sev_from_word(line + pos, wl), e);
}

/*
 * The tolerant parse used when no prefix is settled: find the first
 * "SEVWORD:  " with a known English SEVWORD; take a timestamp at the start
 * of the line (or after a '['), or an epoch "%n" there, and the first
 * "[digits]" or "[digits-..." before the severity as the pid.  Lines
 * without a known severity are ENTRY_OTHER.
 */
static void parse_generic(const char *line, size_t n, struct pg_entry *e)
{
	size_t wl;
	enum pg_sev sev;
	long at = find_sev(line, n, true, &wl, &sev);
	if (at < 0) {
		e->kind = ENTRY_OTHER;
		e->message = slice_make(line, n);
		return;
	}
	size_t j = (size_t)at, used;
	int64_t ms;
	if (ts_parse(line, j, &ms, &used, NULL) == 0)
		e->ts_ms = ms;
	else if (j > 0 && line[0] == '[' && ts_parse(line + 1, j - 1, &ms, &used, NULL) == 0)
		e->ts_ms = ms;
	else if (ts_parse_epoch(line, j, &ms, &used) == 0 && used >= 10 && used < j &&
		 line[used] == ' ')
		e->ts_ms = ms;
	for (size_t k = 0; k + 2 < j; k++) {
		if (line[k] != '[' || !is_digit(line[k + 1]))
			continue;
		size_t d = k + 1;
		int64_t pid = 0;
		while (d < j && is_digit(line[d]) && d - k <= 18)
			pid = pid * 10 + (line[d++] - '0');
		if (d < j && (line[d] == ']' || line[d] == '-')) {
			e->pid = pid;
			break;
		}
	}
	take_message(line, n, j, wl, sev, e);
}

/* Parse one physical line (no newline, no CR) into e, already cleared. */
static void parse_line(struct stderr_parser *sp, const char *line, size_t n, struct pg_entry *e)
{
	size_t pos;

	if (n == 0) {
		e->kind = ENTRY_OTHER;
		e->message = slice_make(line, 0);
		return;
	}
	if (line[0] == '\t') {
		e->kind = ENTRY_CONTINUATION;
		e->message = slice_make(line + 1, n - 1);
		return;
	}
	struct stderr_guess *g = &sp->guess;
	if (!g->px) {
		parse_generic(line, n, e);
		return;
	}
	if (prefix_match(g->px, line, n, e, &pos) == 0) {
		parse_sev(line, n, pos, e);
		return;
	}
	/* An inferred prefix without %q may have been settled on postmaster
	 * lines only; its %q superset takes over at the first session line. */
	for (size_t i = 0; i < g->n_alts; i++) {
		if (prefix_match(g->alts[i], line, n, e, &pos) == 0) {
			stderr_guess_take_alt(g, i);
			parse_sev(line, n, pos, e);
			return;
		}
	}
	pg_entry_clear(e);
	e->kind = ENTRY_OTHER;
	e->message = slice_make(line, n);
}

enum logfmt_status stderr_parser_next(struct stderr_parser *sp, const char *buf, size_t len,
				      bool at_eof, struct pg_entry *e, size_t *used,
				      const char **why)
{
	size_t n;

	if (why)
		*why = NULL;
	if (!logfmt_line(buf, len, at_eof, &n, used))
		return LOGFMT_NEED_MORE; /* no complete line (or nothing at all, even at EOF) */
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	pg_entry_clear(e);
	parse_line(sp, buf, n, e);
	return LOGFMT_OK;
}

/*
 * The fast path (see logfmt_fast_skip_fn): a continuation line goes; any other
 * line goes when the generic parse's search finds an English severity word
 * in it and interest rejects that severity and the message parse_sev reads
 * after it.  With a prefix settled the parser would find the word through
 * the prefix instead: the same word, unless the prefix prints ":  " itself
 * (an application name holding it).  Lines the search finds nothing in go
 * to the parser, which reports them.
 */
bool stderr_fast_reject(const char *line, size_t n, logfmt_interest_fn interest)
{
	struct pg_entry e;
	size_t wl;
	enum pg_sev sev;
	long j = find_sev(line, n, true, &wl, &sev);
	if (j < 0)
		return false;
	take_message(line, n, (size_t)j, wl, sev, &e);
	return !interest(e.sev, e.message.p, e.message.len);
}

static bool fast_skip(const char *buf, size_t len, logfmt_interest_fn interest,
		      struct logfmt_skip *sk)
{
	const char *nl = memchr(buf, '\n', len);

	if (!nl)
		return false;
	size_t n = (size_t)(nl - buf);
	sk->used = n + 1;
	sk->lines = 1;
	sk->message = !(n > 0 && buf[0] == '\t');
	if (!sk->message)
		return true;
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	return stderr_fast_reject(buf, n, interest);
}

/* Any line that is not a continuation: stderr takes what no other format
 * recognises. */
static bool sniff(const char *line, size_t n)
{
	return n > 0 && line[0] != '\t';
}

static void *ops_new(const char *prefix, const char **err)
{
	return stderr_parser_new(prefix, err);
}

static void ops_free(void *parser)
{
	stderr_parser_free(parser);
}

static int ops_infer(void *parser, const char *sample, size_t len)
{
	return stderr_parser_infer(parser, sample, len);
}

static enum logfmt_status ops_next(void *parser, const char *buf, size_t len, bool at_eof,
				   struct pg_entry *e, size_t *used, const char **why)
{
	return stderr_parser_next(parser, buf, len, at_eof, e, used, why);
}

static const char *ops_prefix(const void *parser)
{
	return stderr_parser_prefix(parser);
}

/* Settled for good: no "%q" superset left to give way to. */
static bool ops_stable(const void *parser)
{
	const struct stderr_parser *sp = parser;
	return sp->guess.n_alts == 0;
}

const struct logfmt_ops stderr_ops = {
    .id = LOGFMT_STDERR,
    .name = "stderr",
    .aliases = NULL,
    .suffix = ".log",
    .suffix_decides = false, /* log_filename may end in anything */
    .sniff = sniff,
    .new = ops_new,
    .free = ops_free,
    .infer = ops_infer,
    .next = ops_next,
    .fast_skip = fast_skip,
    .stable = ops_stable,
    .prefix = ops_prefix,
};
