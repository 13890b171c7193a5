/* SPDX-License-Identifier: PostgreSQL */
/* UTF-8 validation shared by the parsers. */
#ifndef PGTAIL_UTF8_H
#define PGTAIL_UTF8_H

#include <stddef.h>

/*
 * Length of the valid UTF-8 sequence at p[0..n) (1 for ASCII), or 0 if p
 * does not start with one: a stray continuation byte, an overlong form, a
 * surrogate, a code point past U+10FFFF, or a sequence cut by n.  n > 0.
 */
size_t utf8_seq(const unsigned char *p, size_t n);

#endif
