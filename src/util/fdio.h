/* SPDX-License-Identifier: PostgreSQL */
/* fdio: writing to a file descriptor whole, through short writes and signals. */
#ifndef PGTAIL_FDIO_H
#define PGTAIL_FDIO_H

#include <stddef.h>

/* Write all of p[0..n) to fd, again after a short write or EINTR.  Returns
 * 0, or -1 with errno set (some bytes may have been written). */
int fdio_write_all(int fd, const void *p, size_t n);

#endif
