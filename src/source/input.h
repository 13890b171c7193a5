/* SPDX-License-Identifier: PostgreSQL */
/*
 * input: a readable byte stream from a log file, a .gz file, or stdin.
 * Plain files are read with read(2) in large blocks; .gz files (and gzip
 * data arriving on stdin) through zlib.
 */
#ifndef PGTAIL_INPUT_H
#define PGTAIL_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct input;

/*
 * Open path ("-" for stdin).  Returns NULL and fills errbuf with a message
 * naming the file ("cannot open 'x.log': Permission denied") on failure.
 * A directory or other non-regular file that cannot be read is refused here.
 */
struct input *input_open(const char *path, char *errbuf, size_t errlen);
/* Read up to n bytes.  Returns bytes read, 0 at end, -1 on error (errbuf set:
 * "read error in 'x.log.gz': ..."). */
ssize_t input_read(struct input *in, void *buf, size_t n, char *errbuf, size_t errlen);
/* True when a plain file is now shorter than what was read of it: it was
 * truncated (or rewritten) while being read. */
bool input_truncated(const struct input *in);
void input_close(struct input *in);
/* The name to show in messages ("x.log", "(stdin)"). */
const char *input_name(const struct input *in);
/* True when the stream is gzip-compressed. */
int input_is_gz(const struct input *in);

#endif
