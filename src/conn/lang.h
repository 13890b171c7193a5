/* SPDX-License-Identifier: PostgreSQL */
/*
 * lang: find a translated connection message (conn/lang_tables.h) in a log
 * message, whatever the language of the server's lc_messages, and tell the
 * language of a log from its messages.  Pure and allocation-free, like
 * classify; the index over the tables is built once before main().
 */
#ifndef PGTAIL_LANG_H
#define PGTAIL_LANG_H

#include <stdbool.h>
#include <stddef.h>

#include "conn/lang_tables.h"
#include "logfmt/entry.h"

/* A set of languages: bit n stands for lang_codes[n]. */
#define LANGS_ALL ((1u << LANG__COUNT) - 1)

/* The language whose code is s[0..n) ("de", "zh_CN"; also "zh-CN", "C" and
 * "english" for English); -1 when none. */
int lang_from_code(const char *s, size_t n);

/* Every language's code, English first, NULL-terminated: the choices of
 * --lang.  A static array. */
const char *const *lang_choices(void);

/* The code of language lang ("de"); "?" out of range.  Static. */
const char *lang_code(int lang);

/* What lang_match found: the pattern's language and form, and the text of
 * each field the pattern fills (p NULL for those it does not). */
struct lang_match {
	int lang;
	const struct lang_form *form;
	struct slice field[LF__COUNT];
};

/*
 * Is m a translated message of one of langs (never English: the English
 * classifier reads those) at severity fatal (FATAL) or not (LOG, or a word
 * the parser did not know)?  Fills *out on a match.  A message two
 * patterns fit is the first's (table order: the longer variant first).
 */
bool lang_match(struct slice m, bool fatal, unsigned langs, struct lang_match *out);

/*
 * Could a LOG message starting with msg[0..len) be a translated connection
 * or server-life message?  msg may be the message's first bytes only (the
 * csvlog fast path hands over 64 at most).  The fast path's test: a table
 * lookup on the first bytes, then a compare with the pattern's first text.
 * Never false for a message lang_match(..., false, ...) accepts, nor for a
 * start of one at least three bytes long (as classify_maybe's English test,
 * it takes two bytes or less for a whole message).
 */
bool lang_maybe(const char *msg, size_t len);

/*
 * The language e tells, or -1: a severity word only one language writes,
 * a translated start of a common message, or a known connection message.
 * English is not told here (classify_is_english does).
 */
int lang_of_entry(const struct pg_entry *e);

#endif
