/* SPDX-License-Identifier: PostgreSQL */
/*
 * input: a readable byte stream from a log file, a .gz file, or stdin.
 * Plain files and stdin are read with read(2) in large blocks, .gz files
 * through zlib; gzip data arriving on stdin is refused (zcat it first).
 */
#ifndef PGTAIL_INPUT_H
#define PGTAIL_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/out.h"

struct input;

/*
 * Open path ("-" for stdin).  On failure returns NULL after an error on diag
 * (may be NULL) naming the file ("cannot open 'x.log': Permission denied").
 * A directory is refused here, and so is gzip data on stdin.
 */
struct input *input_open(const char *path, struct out *diag);
/* Read up to n bytes.  Returns bytes read, 0 at end, -1 after an error on
 * diag (may be NULL): "read error in 'x.log': ...", "'x.log.gz': corrupt
 * gzip data: ...". */
ssize_t input_read(struct input *in, void *buf, size_t n, struct out *diag);
/* True when a plain file is now shorter than what was read of it: it was
 * truncated (or rewritten) while being read. */
bool input_truncated(const struct input *in);
void input_close(struct input *in);
/* The name to show in messages ("x.log", "(stdin)"). */
const char *input_name(const struct input *in);

#endif
