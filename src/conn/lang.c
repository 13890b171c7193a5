/* SPDX-License-Identifier: PostgreSQL */
/*
 * lang: match log messages against the translated patterns of
 * lang_tables.c.  A pattern is literal text and printf arguments; an
 * argument %s takes the shortest text that lets the rest match (the
 * arguments a message names, user, database and application names, may
 * hold anything, but never the next piece's text in the cases we meet),
 * with a bounded amount of backtracking.
 */
#include "conn/lang.h"

#include <stdint.h>
#include <string.h>

#include "logfmt/sev_tables.h"
#include "util/diag.h"

/* Index buckets: by the first three bytes of a pattern's first text. */
#define NBUCKETS 1024
/* The most steps one match may take: a message that could take more is
 * not one of ours (real ones take a few dozen). */
#define MATCH_BUDGET 4096
/* The most patterns and distinct first texts (the tables hold ~1100). */
#define MAX_PATTERNS 4096

/*
 * An index over patterns (or first texts): the items of bucket k are
 * order[first[k] .. first[k + 1]), in table order; the ones whose first
 * text is shorter than three bytes are short[0 .. nshort), checked always.
 */
struct lang_index {
	uint16_t first[NBUCKETS + 1];
	uint16_t order[MAX_PATTERNS];
	uint16_t short_items[64];
	size_t nshort;
	bool short_first[256]; /* a short item's text starts with this byte */
};

/* Patterns of LOG forms and of FATAL forms, and the distinct first texts
 * of the LOG patterns (lang_maybe's, in starts[]).  Built before main() by
 * lang_build(), only read afterwards. */
static struct {
	struct lang_index log, fatal, maybe;
	uint16_t starts[MAX_PATTERNS]; /* maybe's items: pattern numbers */
	size_t nstarts;
} idx;

static unsigned bucket_of(const unsigned char *s)
{
	return ((unsigned)s[0] * 961u + (unsigned)s[1] * 31u + s[2]) & (NBUCKETS - 1);
}

static const struct lang_piece *first_piece(size_t pat)
{
	return &lang_pieces[lang_patterns[pat].first];
}

/* Build ix over the n items item[] (pattern numbers). */
static void index_build(struct lang_index *ix, const uint16_t *item, size_t n)
{
	uint16_t next[NBUCKETS];

	memset(ix, 0, sizeof(*ix));
	for (size_t i = 0; i < n; i++) {
		const struct lang_piece *p = first_piece(item[i]);
		if (p->type != LP_LIT)
			BUG("a pattern of lang_tables starts with an argument");
		if (p->len < 3) {
			if (ix->nshort == sizeof(ix->short_items) / sizeof(ix->short_items[0]))
				BUG("too many short patterns");
			ix->short_items[ix->nshort++] = item[i];
			if (p->len)
				ix->short_first[(unsigned char)p->text[0]] = true;
			else /* it may start any message */
				memset(ix->short_first, 1, sizeof(ix->short_first));
			continue;
		}
		ix->first[bucket_of((const unsigned char *)p->text) + 1]++;
	}
	for (unsigned k = 0; k < NBUCKETS; k++)
		ix->first[k + 1] += ix->first[k];
	memcpy(next, ix->first, sizeof(next));
	for (size_t i = 0; i < n; i++) {
		const struct lang_piece *p = first_piece(item[i]);
		if (p->len >= 3)
			ix->order[next[bucket_of((const unsigned char *)p->text)]++] = item[i];
	}
}

__attribute__((constructor)) static void lang_build(void)
{
	static uint16_t log[MAX_PATTERNS], fatal[MAX_PATTERNS];
	size_t nlog = 0, nfatal = 0;

	if (lang_patterns_count > MAX_PATTERNS)
		BUG("lang_tables holds more than %d patterns", MAX_PATTERNS);
	idx.nstarts = 0;
	for (size_t i = 0; i < lang_patterns_count; i++) {
		if (lang_forms[lang_patterns[i].form].fatal) {
			fatal[nfatal++] = (uint16_t)i;
			continue;
		}
		log[nlog++] = (uint16_t)i;
		const struct lang_piece *p = first_piece(i);
		bool seen = false;
		for (size_t j = 0; j < idx.nstarts && !seen; j++) {
			const struct lang_piece *q = first_piece(idx.starts[j]);
			seen = q->len == p->len && memcmp(q->text, p->text, p->len) == 0;
		}
		if (!seen)
			idx.starts[idx.nstarts++] = (uint16_t)i;
	}
	index_build(&idx.log, log, nlog);
	index_build(&idx.fatal, fatal, nfatal);
	index_build(&idx.maybe, idx.starts, idx.nstarts);
}

static bool starts_with(const char *msg, size_t len, const struct lang_piece *p)
{
	return len >= p->len && memcmp(msg, p->text, p->len) == 0;
}

/* Could a message starting with msg[0..len) start with p's text?  (The fast
 * paths may hand over only a message's first bytes.) */
static bool may_start_with(const char *msg, size_t len, const struct lang_piece *p)
{
	return memcmp(msg, p->text, len < p->len ? len : p->len) == 0;
}

/* lang_maybe past its quick answer.  Apart (a tail call), so that the
 * quick answer, on every line of a log, saves no registers for the loops. */
static __attribute__((noinline)) bool maybe_slow(const char *msg, size_t len)
{
	const struct lang_index *ix = &idx.maybe;

	if (len >= 3) {
		unsigned k = bucket_of((const unsigned char *)msg);
		for (unsigned i = ix->first[k]; i < ix->first[k + 1]; i++)
			if (may_start_with(msg, len, first_piece(ix->order[i])))
				return true;
	}
	for (size_t i = 0; i < ix->nshort; i++)
		if (may_start_with(msg, len, first_piece(ix->short_items[i])))
			return true;
	return false;
}

bool lang_maybe(const char *msg, size_t len)
{
	const struct lang_index *ix = &idx.maybe;

	if (len >= 3) {
		unsigned k = bucket_of((const unsigned char *)msg);
		/* Most messages (statements, durations) end here. */
		if (ix->first[k] == ix->first[k + 1] && !ix->short_first[(unsigned char)msg[0]])
			return false;
	}
	return maybe_slow(msg, len);
}

/* The state of one match. */
struct matcher {
	struct slice m;
	unsigned budget;
	struct slice field[LF__COUNT];
};

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

/* Do pieces p[0..n) match mt->m from at to its end? */
static bool match_from(struct matcher *mt, const struct lang_piece *p, size_t n, size_t at)
{
	struct slice m = mt->m;
	size_t e;

	if (n == 0)
		return at == m.len;
	if (mt->budget == 0)
		return false;
	mt->budget--;
	switch (p->type) {
	case LP_LIT:
		if (m.len - at < p->len || memcmp(m.p + at, p->text, p->len) != 0)
			return false;
		return match_from(mt, p + 1, n - 1, at + p->len);
	case LP_NUM:
	case LP_HEX:
		e = at;
		if (p->type == LP_NUM && e < m.len && m.p[e] == '-')
			e++;
		while (e < m.len &&
		       (p->type == LP_HEX ? is_hex(m.p[e]) : (m.p[e] >= '0' && m.p[e] <= '9')))
			e++;
		if (e == at || (m.p[at] == '-' && e == at + 1))
			return false;
		mt->field[p->field] = slice_make(m.p + at, e - at);
		return match_from(mt, p + 1, n - 1, e);
	case LP_STR:
		if (n == 1) {
			mt->field[p->field] = slice_make(m.p + at, m.len - at);
			return true;
		}
		for (e = at; e <= m.len; e++) {
			if (p[1].type == LP_LIT) {
				e = slice_find(m, e, p[1].text, p[1].len);
				if (e == SIZE_MAX)
					return false;
			}
			mt->field[p->field] = slice_make(m.p + at, e - at);
			if (match_from(mt, p + 1, n - 1, e))
				return true;
			if (mt->budget == 0)
				return false;
		}
		return false;
	}
	return false;
}

static bool pattern_match(size_t pat, struct slice m, struct lang_match *out)
{
	const struct lang_pattern *lp = &lang_patterns[pat];
	struct matcher mt = {.m = m, .budget = MATCH_BUDGET};

	if (!match_from(&mt, &lang_pieces[lp->first], lp->n, 0))
		return false;
	out->lang = lp->lang;
	out->form = &lang_forms[lp->form];
	memcpy(out->field, mt.field, sizeof(out->field));
	out->field[LF_NONE] = SLICE_NULL;
	return true;
}

/* The first pattern of langs in ix that m fits. */
static bool index_match(const struct lang_index *ix, struct slice m, unsigned langs,
			struct lang_match *out)
{
	size_t best = SIZE_MAX;
	struct lang_match first;

	if (m.len >= 3) {
		unsigned k = bucket_of((const unsigned char *)m.p);
		for (unsigned i = ix->first[k]; i < ix->first[k + 1]; i++) {
			size_t pat = ix->order[i];
			if (!(langs & (1u << lang_patterns[pat].lang)) ||
			    !starts_with(m.p, m.len, first_piece(pat)))
				continue;
			if (pattern_match(pat, m, &first)) {
				best = pat;
				break;
			}
		}
	}
	/* A short-text pattern wins only when it comes first in the table. */
	for (size_t i = 0; i < ix->nshort && ix->short_items[i] < best; i++) {
		size_t pat = ix->short_items[i];
		if ((langs & (1u << lang_patterns[pat].lang)) &&
		    starts_with(m.p, m.len, first_piece(pat)) && pattern_match(pat, m, out))
			return true;
	}
	if (best == SIZE_MAX)
		return false;
	*out = first;
	return true;
}

bool lang_match(struct slice m, bool fatal, unsigned langs, struct lang_match *out)
{
	if (!m.p)
		return false;
	return index_match(fatal ? &idx.fatal : &idx.log, m, langs & ~1u, out);
}

int lang_from_code(const char *s, size_t n)
{
	static const struct {
		const char *alias;
		int lang;
	} aliases[] = {{"C", LANG_EN}, {"english", LANG_EN}, {"POSIX", LANG_EN}};

	for (int i = 0; i < LANG__COUNT; i++) {
		const char *c = lang_codes[i];
		size_t k = strlen(c);
		if (k != n)
			continue;
		size_t j = 0;
		while (j < n && (s[j] == c[j] || (s[j] == '-' && c[j] == '_')))
			j++;
		if (j == n)
			return i;
	}
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strlen(aliases[i].alias) == n && memcmp(aliases[i].alias, s, n) == 0)
			return aliases[i].lang;
	return -1;
}

const char *lang_code(int lang)
{
	return lang >= 0 && lang < LANG__COUNT ? lang_codes[lang] : "?";
}

/* The one language of a set, or -1 when it holds none or several. */
static int only_lang(unsigned set)
{
	if (set == 0 || (set & (set - 1)) != 0)
		return -1;
	return __builtin_ctz(set);
}

int lang_of_entry(const struct pg_entry *e)
{
	struct lang_match lm;
	struct slice m = e->message;

	if (e->kind != ENTRY_MESSAGE || !m.p)
		return -1;
	for (size_t i = 0; i < sev_words_tr_count; i++) {
		const struct sev_word_tr *w = &sev_words_tr[i];
		if (e->sev_word.len == w->len && memcmp(e->sev_word.p, w->word, w->len) == 0) {
			int l = only_lang(w->langs);
			if (l >= 0)
				return l;
			break;
		}
	}
	for (size_t i = 0; i < lang_starts_count; i++)
		if (starts_with(m.p, m.len,
				&(struct lang_piece){LP_LIT, LF_NONE, lang_starts[i].text,
						     lang_starts[i].len}))
			return lang_starts[i].lang;
	if (lang_match(m, true, LANGS_ALL, &lm) || lang_match(m, false, LANGS_ALL, &lm))
		return lm.lang;
	return -1;
}

const char *const *lang_choices(void)
{
	static const char *names[LANG__COUNT + 1];

	for (int i = 0; i < LANG__COUNT; i++)
		names[i] = lang_codes[i];
	names[LANG__COUNT] = NULL;
	return names;
}
