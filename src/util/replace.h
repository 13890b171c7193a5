/* SPDX-License-Identifier: PostgreSQL */
/*
 * replace: write a file whole or not at all.  A reader (node_exporter's
 * textfile collector, a script) sees the old contents or the new ones,
 * never a part: the data go to a temporary file in the same directory
 * (".NAME.XXXXXX", hidden, and without NAME's ending, so a collector that
 * reads *.prom never picks it up), which is flushed to disk and then
 * renamed over NAME; the directory is flushed too, so the rename survives a
 * crash.  The new file gets the mode a new file would (0666 less the
 * umask).
 */
#ifndef PGTAIL_REPLACE_H
#define PGTAIL_REPLACE_H

#include <stddef.h>

#include "util/out.h"

/* Replace path's contents with data[0..len).  Returns 0, or -1 after saying
 * on err what failed, naming path; the temporary file is then removed and
 * path is left as it was. */
int replace_file(const char *path, const void *data, size_t len, struct out *err);

#endif
