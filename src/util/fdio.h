/* SPDX-License-Identifier: PostgreSQL */
/* fdio: reading and writing a file descriptor whole, through short reads and
 * writes and signals; opening a file again. */
#ifndef PGTAIL_FDIO_H
#define PGTAIL_FDIO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Write all of p[0..n) to fd, again after a short write or EINTR.  Returns
 * 0, or -1 with errno set (some bytes may have been written). */
int fdio_write_all(int fd, const void *p, size_t n);

/* pread all of n bytes at off, again after a short read or EINTR, unless
 * the file ends first.  Returns the bytes read (fewer than n: the end of
 * the file), or -1 with errno set. */
ssize_t fdio_pread_all(int fd, void *p, size_t n, uint64_t off);

/* The file open as fd opened again, read-only, as a file description of
 * its own (its own offset and read-ahead; the same file even if its name
 * is another's by now), through /proc/self/fd.  -1 when it cannot be (no
 * /proc). */
int fdio_reopen(int fd);

#endif
