/* SPDX-License-Identifier: PostgreSQL */
/* Severity words as PostgreSQL prints them (English). */
#include "logfmt/entry.h"

#include <string.h>

static const struct {
	const char *word;
	enum pg_sev sev;
} sev_words[] = {
	{"LOG", SEV_LOG},         {"FATAL", SEV_FATAL},       {"ERROR", SEV_ERROR},
	{"WARNING", SEV_WARNING}, {"NOTICE", SEV_NOTICE},     {"INFO", SEV_INFO},
	{"PANIC", SEV_PANIC},     {"DEBUG", SEV_DEBUG},       {"DEBUG1", SEV_DEBUG},
	{"DEBUG2", SEV_DEBUG},    {"DEBUG3", SEV_DEBUG},      {"DEBUG4", SEV_DEBUG},
	{"DEBUG5", SEV_DEBUG},    {"DETAIL", SEV_DETAIL},     {"HINT", SEV_HINT},
	{"QUERY", SEV_QUERY},     {"CONTEXT", SEV_CONTEXT},   {"LOCATION", SEV_LOCATION},
	{"STATEMENT", SEV_STATEMENT}, {"BACKTRACE", SEV_BACKTRACE},
};

enum pg_sev pg_sev_from_word(const char *p, size_t len)
{
	for (size_t i = 0; i < sizeof(sev_words) / sizeof(sev_words[0]); i++) {
		size_t n = strlen(sev_words[i].word);
		if (n == len && memcmp(p, sev_words[i].word, n) == 0)
			return sev_words[i].sev;
	}
	return SEV_UNKNOWN;
}
