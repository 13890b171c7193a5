/* SPDX-License-Identifier: PostgreSQL */
/* Severity words as PostgreSQL prints them: English, then every catalog's
 * translation (sev_tables.c). */
#include "logfmt/entry.h"

#include <stdint.h>
#include <string.h>

#include "logfmt/sev_tables.h"

/* A string literal as the pair (pointer, length). */
#define W(s) (s), (sizeof(s) - 1)

static const struct {
	const char *word;
	size_t len;
	enum pg_sev sev;
} sev_words[] = {
    {W("LOG"), SEV_LOG}, /* first: pg_sev_from_word tests it alone */
    {W("FATAL"), SEV_FATAL},
    {W("ERROR"), SEV_ERROR},
    {W("WARNING"), SEV_WARNING},
    {W("NOTICE"), SEV_NOTICE},
    {W("INFO"), SEV_INFO},
    {W("PANIC"), SEV_PANIC},
    {W("DEBUG"), SEV_DEBUG},
    {W("DEBUG1"), SEV_DEBUG},
    {W("DEBUG2"), SEV_DEBUG},
    {W("DEBUG3"), SEV_DEBUG},
    {W("DEBUG4"), SEV_DEBUG},
    {W("DEBUG5"), SEV_DEBUG},
    {W("DETAIL"), SEV_DETAIL},
    {W("HINT"), SEV_HINT},
    {W("QUERY"), SEV_QUERY},
    {W("CONTEXT"), SEV_CONTEXT},
    {W("LOCATION"), SEV_LOCATION},
    {W("STATEMENT"), SEV_STATEMENT},
    {W("BACKTRACE"), SEV_BACKTRACE},
};

/* The translated words by (length, first and last byte): chains of
 * sev_words_tr numbers, built before main() and only read afterwards. */
#define TR_BUCKETS 128
static struct {
	uint8_t first[TR_BUCKETS + 1];
	uint8_t order[256];
} tr;

static unsigned tr_bucket(const char *p, size_t len)
{
	return (unsigned)(len * 7u + (unsigned char)p[0] * 3u + (unsigned char)p[len - 1]) &
	       (TR_BUCKETS - 1);
}

__attribute__((constructor)) static void tr_build(void)
{
	uint8_t next[TR_BUCKETS];

	_Static_assert(sizeof(tr.order) / sizeof(tr.order[0]) == 256, "order holds bytes");
	memset(&tr, 0, sizeof(tr));
	for (size_t i = 0; i < sev_words_tr_count && i < 256; i++)
		tr.first[tr_bucket(sev_words_tr[i].word, sev_words_tr[i].len) + 1]++;
	for (unsigned k = 0; k < TR_BUCKETS; k++)
		tr.first[k + 1] += tr.first[k];
	memcpy(next, tr.first, sizeof(next));
	for (size_t i = 0; i < sev_words_tr_count && i < 256; i++)
		tr.order[next[tr_bucket(sev_words_tr[i].word, sev_words_tr[i].len)]++] = (uint8_t)i;
}

/* A translated word: a lookup in its bucket.  Apart, so that the English
 * loop of pg_sev_from_word saves no registers for it. */
static __attribute__((noinline)) enum pg_sev sev_translated(const char *p, size_t len)
{
	if (len < 3 || len > PG_SEV_WORD_MAX)
		return SEV_UNKNOWN;
	unsigned b = tr_bucket(p, len);
	for (unsigned i = tr.first[b]; i < tr.first[b + 1]; i++) {
		const struct sev_word_tr *w = &sev_words_tr[tr.order[i]];
		if (w->len == len && memcmp(w->word, p, len) == 0)
			return w->sev;
	}
	return SEV_UNKNOWN;
}

/* The hot path of every parser and fast path: a byte loop, cheaper than a
 * memcmp call for words this short; "LOG", by far the most common, first. */
enum pg_sev pg_sev_from_word(const char *p, size_t len)
{
	if (len == 3 && p[0] == 'L' && p[1] == 'O' && p[2] == 'G')
		return SEV_LOG;
	for (size_t i = 1; i < sizeof(sev_words) / sizeof(sev_words[0]); i++) {
		if (sev_words[i].len != len)
			continue;
		size_t k = 0;
		while (k < len && p[k] == sev_words[i].word[k])
			k++;
		if (k == len)
			return sev_words[i].sev;
	}
	return sev_translated(p, len);
}
