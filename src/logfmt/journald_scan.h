/* SPDX-License-Identifier: PostgreSQL */
/*
 * journald_scan: the fields of one "journalctl -o json" record that the
 * journald transport reads, and a strict, allocation-free scanner for the
 * common shape of that line: one flat object whose values are strings
 * (numbers, null, and arrays without strings, are stepped over).  For
 * anything else -- a field of interest that is not a plain string (a
 * MESSAGE of bytes, a repeated field), a \u escape beyond ASCII, an escaped
 * key, trailing junk -- it gives up and the caller parses the line with
 * jansson, which then decides.
 */
#ifndef PGTAIL_JOURNALD_SCAN_H
#define PGTAIL_JOURNALD_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/sbuf.h"
#include "util/slice.h"

struct jd_rec {
	struct slice ident;     /* SYSLOG_IDENTIFIER, else _COMM; len 0 when absent */
	struct slice host;      /* _HOSTNAME; len 0 when absent */
	struct slice transport; /* _TRANSPORT ("syslog", "stdout", "journal") */
	int64_t pid;            /* _PID, else SYSLOG_PID; -1 when absent */
	int64_t ts_ms;          /* __REALTIME_TIMESTAMP / 1000; TS_UNKNOWN when absent */
};

/* Scan the line p[0..n) (no newline).  True with *r filled (its slices
 * point into p) and MESSAGE's text appended, unescaped, to msg; false
 * (r and msg's new bytes unspecified) when the caller must use jansson. */
bool jd_scan(const char *p, size_t n, struct jd_rec *r, struct sbuf *msg);

/* A string of decimal digits as a number; -1 when it is not one. */
int64_t jd_int(const char *p, size_t n);

#endif
