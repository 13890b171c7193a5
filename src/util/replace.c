/* SPDX-License-Identifier: PostgreSQL */
/* Writing a file whole or not at all; see replace.h. */
#include "util/replace.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/diag.h"
#include "util/fdio.h"
#include "util/sbuf.h"

/* Flush the directory of path (its entry for the rename). */
static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int replace_file(const char *path, const void *data, size_t len, struct out *err)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	struct sbuf dir, tmp;
	int fd = -1, rc = -1;
	bool made = false; /* tmp exists and must go on failure */
	mode_t mask;

	sbuf_init(&dir, 0);
	sbuf_init(&tmp, 0);
	if (!*base) {
		diag_error(err, "cannot write '%s': it names a directory, not a file", path);
		goto out;
	}
	if (slash)
		sbuf_add(&dir, path, (size_t)(slash - path) + 1);
	else
		sbuf_addstr(&dir, "./");
	sbuf_addf(&tmp, "%s.%s.XXXXXX", dir.buf, base);
	fd = mkstemp(tmp.buf);
	if (fd < 0) {
		diag_error(err, "cannot write '%s': cannot create a file in '%s': %s", path,
			   dir.buf, strerror(errno));
		goto out;
	}
	made = true;
	/* mkstemp makes it 0600; a collector running as another user must read
	 * it.  The umask can only be read by setting it, and is set back at
	 * once: callers write files from one thread only. */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) < 0 || fdio_write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		diag_error(err, "cannot write '%s': %s", path, strerror(errno));
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		diag_error(err, "cannot write '%s': %s", path, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp.buf, path) < 0) {
		diag_error(err, "cannot write '%s': %s", path, strerror(errno));
		goto out;
	}
	made = false;
	sync_dir(dir.buf);
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (made)
		unlink(tmp.buf);
	sbuf_release(&dir);
	sbuf_release(&tmp);
	return rc;
}
