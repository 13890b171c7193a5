/* SPDX-License-Identifier: PostgreSQL */
/*
 * stderr: parse PostgreSQL's plain-text log, one physical line per record:
 * "<log_line_prefix><SEVERITY>:  <message>", continuation lines starting
 * with a TAB.  The prefix is given, or settled from the first lines of the
 * file by stderr_infer.c; when nothing fits, each line gets a tolerant
 * generic parse.
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

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_sev_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || is_digit((char)c) || c == '_' || c >= 0x80;
}

/* See stderr_infer.h. */
long stderr_find_sev(const char *line, size_t n, bool english)
{
	for (size_t from = 0; from + 3 <= n;) {
		const char *hit = memmem(line + from, n - from, ":  ", 3);
		if (!hit)
			return -1;
		size_t colon = (size_t)(hit - line), j = colon;
		while (j > 0 && colon - j < 48 && is_sev_char((unsigned char)line[j - 1]))
			j--;
		if (j < colon && !is_digit(line[j]) && (j == 0 || !is_alnum(line[j - 1])) &&
		    (!english || pg_sev_from_word(line + j, colon - j) != SEV_UNKNOWN))
			return (long)j;
		from = colon + 1;
	}
	return -1;
}

/*
 * line[pos..n) is "WORD:  message": fill sev, sev_word, message and, for
 * log_error_verbosity=verbose ("ERROR:  42P01: relation ..."), sqlstate.
 */
static void parse_sev(const char *line, size_t n, size_t pos, struct pg_entry *e)
{
	const char *colon = memchr(line + pos, ':', n - pos);
	size_t wl = (size_t)(colon - (line + pos));
	size_t m = (size_t)(colon - line) + 3;

	e->kind = ENTRY_MESSAGE;
	e->sev_word = slice_make(line + pos, wl);
	e->sev = pg_sev_from_word(line + pos, wl);
	if (m > n)
		m = n;
	/* A SQLSTATE: five of [0-9A-Z] with at least one digit (every code has
	 * one, which keeps words like "ABORT: " out), then ": ". */
	if (e->sev < SEV_DETAIL && n - m >= 7 && line[m + 5] == ':' && line[m + 6] == ' ') {
		bool ok = true, digit = false;
		for (size_t k = m; k < m + 5; k++) {
			if (is_digit(line[k]))
				digit = true;
			else if (line[k] < 'A' || line[k] > 'Z')
				ok = false;
		}
		if (ok && digit) {
			e->sqlstate = slice_make(line + m, 5);
			m += 7;
		}
	}
	e->message = slice_make(line + m, n - m);
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
	long sev = stderr_find_sev(line, n, true);
	if (sev < 0) {
		e->kind = ENTRY_OTHER;
		e->message = slice_make(line, n);
		return;
	}
	size_t j = (size_t)sev, used;
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
	parse_sev(line, n, j, e);
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
	const char *nl = memchr(buf, '\n', len);
	size_t n;

	if (why)
		*why = NULL;
	if (nl) {
		n = (size_t)(nl - buf);
		*used = n + 1;
	} else if (at_eof && len > 0) {
		n = len;
		*used = len;
	} else {
		/* No complete line (or nothing at all, even at EOF). */
		*used = 0;
		return LOGFMT_NEED_MORE;
	}
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	pg_entry_clear(e);
	parse_line(sp, buf, n, e);
	return LOGFMT_OK;
}
