/* SPDX-License-Identifier: PostgreSQL */
/*
 * diag: the one way pgtail reports a problem.  There are three tiers:
 *
 *   BUG(...)       an invariant of pgtail itself is broken: say where and
 *                  abort.  Never for bad input, however strange.
 *   (xmalloc)      out of memory: util/xalloc.h dies.
 *   diag_error()   an operation failed (a file cannot be opened, a command
 *                  line is wrong); returns -1 so that a failure is one line:
 *                  `return diag_error(err, "cannot open '%s': %s", ...);`
 *   diag_warn()    bad input that is skipped and counted, or a result that
 *                  is less than the user asked for; the work goes on.
 *   diag_note()    something the user should know that is not a problem:
 *                  an assumption taken, a file switched to.
 *
 * Every message goes to a struct out (the diagnostics sink, standard error
 * in the program, a memory buffer in tests) as one line "pgtail: TEXT"
 * ("pgtail: note: TEXT" for a note).
 * TEXT is escaped like any name from a log (it may quote a file name or a
 * name read from a log, and neither may drive the terminal) and is cut at
 * 2 KB.  Messages follow git's convention: lowercase, no full stop, the
 * problem first, the subject in 'quotes'.  A NULL sink drops the message
 * (still counted nowhere): for callers that report the failure themselves.
 */
#ifndef PGTAIL_DIAG_H
#define PGTAIL_DIAG_H

#include "util/out.h"

#define DIAG_FMT(a, b) __attribute__((format(printf, a, b)))

int diag_error(struct out *o, const char *fmt, ...) DIAG_FMT(2, 3);
void diag_warn(struct out *o, const char *fmt, ...) DIAG_FMT(2, 3);
void diag_note(struct out *o, const char *fmt, ...) DIAG_FMT(2, 3);

/* An invariant is broken: print where and why on standard error, abort. */
#define BUG(...) diag_bug(__FILE__, __LINE__, __VA_ARGS__)
__attribute__((noreturn)) void diag_bug(const char *file, int line, const char *fmt, ...)
    DIAG_FMT(3, 4);

#endif
