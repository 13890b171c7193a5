/* SPDX-License-Identifier: PostgreSQL */
/*
 * paths: turn the PATH arguments of a command (files, directories, globs,
 * .gz files, "-") into the ordered list of files to replay as one stream.
 *
 * A directory contributes its PostgreSQL log files (*.log, *.csv, *.json,
 * rotated *.log.N and their .gz).  Files are replayed oldest first, by the
 * first timestamp inside each file (file modification time when a file has
 * none), so a session opened in one file and closed in the next is one
 * session.  Files of several destinations of one server are all listed
 * (with their formats): the replay reads them merged in time order and
 * counts a record two destinations hold once (source/merge.h).
 */
#ifndef PGTAIL_PATHS_H
#define PGTAIL_PATHS_H

#include <stddef.h>

#include "logfmt/logfmt.h"
#include "util/out.h"

struct path_list {
	char **paths;             /* owned */
	enum log_format *formats; /* detected format of each path */
	size_t n;
};

/*
 * Expand args[0..nargs) into *out.  Problems (a missing file, an empty
 * directory, a glob matching nothing) are reported on err, naming the
 * argument; the others are still used.  Returns the number of problems.
 * prefix is passed to timestamp sniffing (may be NULL).
 */
int paths_expand(char *const *args, size_t nargs, const char *prefix, struct out *err,
		 struct path_list *out);
void path_list_release(struct path_list *pl);
/* How many destinations (formats) the list holds. */
int path_list_dests(const struct path_list *pl);

#endif
