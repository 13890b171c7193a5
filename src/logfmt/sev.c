/* SPDX-License-Identifier: PostgreSQL */
/* Severity words as PostgreSQL prints them (English). */
#include "logfmt/entry.h"

/* A string literal as the pair (pointer, length). */
#define W(s) (s), (sizeof(s) - 1)

static const struct {
	const char *word;
	size_t len;
	enum pg_sev sev;
} sev_words[] = {
    {W("LOG"), SEV_LOG},
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

/* The hot path of every parser and fast path: a byte loop, cheaper than a
 * memcmp call for words this short. */
enum pg_sev pg_sev_from_word(const char *p, size_t len)
{
	for (size_t i = 0; i < sizeof(sev_words) / sizeof(sev_words[0]); i++) {
		if (sev_words[i].len != len)
			continue;
		size_t k = 0;
		while (k < len && p[k] == sev_words[i].word[k])
			k++;
		if (k == len)
			return sev_words[i].sev;
	}
	return SEV_UNKNOWN;
}
