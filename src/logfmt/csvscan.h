/* SPDX-License-Identifier: PostgreSQL */
/*
 * csvscan: where the characters that shape a CSV record (the quote, the
 * comma, the newline) lie in a block of up to 64 bytes, as one bit mask
 * each, so the csvlog fast path can hop from one to the next instead of
 * looking at every byte.  On x86-64 the masks come from SSE2 compares (16
 * bytes at a time); elsewhere from a portable loop that gives the same bits.
 */
#ifndef PGTAIL_CSVSCAN_H
#define PGTAIL_CSVSCAN_H

#include <stddef.h>
#include <stdint.h>

/* Bit i of a mask is set when byte i of the block is that character. */
struct csvscan_masks {
	uint64_t quote; /* '"' */
	uint64_t comma; /* ',' */
	uint64_t nl;    /* '\n' */
};

/* The masks of p[0..n), n <= 64; the bits from n up are clear.  Reads only
 * p[0..n). */
void csvscan_block(const char *p, size_t n, struct csvscan_masks *m);

/* The same, one byte at a time on every machine: what csvscan_block must
 * agree with (the unit test compares them). */
void csvscan_block_bytewise(const char *p, size_t n, struct csvscan_masks *m);

#endif
