/* SPDX-License-Identifier: PostgreSQL */
/*
 * logline: one log record as the shell's tail shows it --
 *   10:23:45 [4711] LOG:  connection received: host=10.0.1.5 port=51234
 * coloured by severity on a colour terminal; the severity word and the
 * message are data from the log and are escaped.
 */
#ifndef PGTAIL_LOGLINE_H
#define PGTAIL_LOGLINE_H

#include "logfmt/entry.h"
#include "util/out.h"

void logline_print(struct out *o, const struct pg_entry *e);

#endif
