/* SPDX-License-Identifier: PostgreSQL */
/*
 * The inotify backend of the follower: watches on the directories that can
 * hold the current file and on the open file itself, drained into "data
 * arrived" or "names changed, look again".  The events only say when to
 * look; follow.c decides what happened from stat(2), so a lost event costs
 * latency (until the periodic check), never bytes.
 */
#include "source/follow_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/diag.h"
#include "util/xalloc.h"

#ifdef __linux__

#include <sys/inotify.h>
#include <sys/vfs.h>

/* On a directory: writes to its files wake the caller; any change of names
 * makes it look again.  On the file: writes, and its own rename, removal
 * or attribute (link count) change. */
#define DIR_MASK                                                                                   \
	(IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |        \
	 IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
#define FILE_MASK (IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)

struct fwatch {
	int fd;                    /* the inotify instance */
	int dir_wd[FWS_NSLOTS];    /* watch of each slot's directory, -1: none */
	dev_t dir_dev[FWS_NSLOTS]; /* which directory it is (valid when wd >= 0) */
	ino_t dir_ino[FWS_NSLOTS];
	int file_wd; /* watch of the open file, -1: none */
};

struct fwatch *fwatch_new(struct out *diag)
{
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0) {
		diag_error(diag, "cannot use inotify: %s", strerror(errno));
		return NULL;
	}
	struct fwatch *w = xcalloc(1, sizeof(*w));
	w->fd = fd;
	for (int i = 0; i < FWS_NSLOTS; i++)
		w->dir_wd[i] = -1;
	w->file_wd = -1;
	return w;
}

void fwatch_free(struct fwatch *w)
{
	if (!w)
		return;
	close(w->fd); /* drops every watch */
	free(w);
}

int fwatch_fd(const struct fwatch *w)
{
	return w->fd;
}

/* Remove watch wd unless another slot still uses it (same directory). */
static void drop_dir_wd(struct fwatch *w, int slot, int wd)
{
	if (wd < 0)
		return;
	for (int i = 0; i < FWS_NSLOTS; i++)
		if (i != slot && w->dir_wd[i] == wd)
			return;
	inotify_rm_watch(w->fd, wd);
}

int fwatch_dir(struct fwatch *w, enum fwatch_slot slot, const char *path)
{
	struct stat st;
	int old = w->dir_wd[slot];

	if (!path) {
		w->dir_wd[slot] = -1;
		drop_dir_wd(w, slot, old);
		return 0;
	}
	if (stat(path, &st) < 0)
		return -1;
	if (old >= 0 && w->dir_dev[slot] == st.st_dev && w->dir_ino[slot] == st.st_ino)
		return 0;
	/* Adding a watch on a directory already watched returns its wd and
	 * replaces its mask: every directory gets the same mask, so that is
	 * harmless. */
	int wd = inotify_add_watch(w->fd, path, DIR_MASK);
	if (wd < 0)
		return -1;
	w->dir_wd[slot] = wd;
	w->dir_dev[slot] = st.st_dev;
	w->dir_ino[slot] = st.st_ino;
	if (old != wd)
		drop_dir_wd(w, slot, old);
	return 0;
}

void fwatch_file(struct fwatch *w, int fd)
{
	if (w->file_wd >= 0) {
		inotify_rm_watch(w->fd, w->file_wd);
		w->file_wd = -1;
	}
	if (fd < 0)
		return;
	/* inotify takes a path; the /proc link reaches the open file even after
	 * it was renamed or removed.  Without /proc the directory watch and the
	 * periodic check remain. */
	char link[64];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	w->file_wd = inotify_add_watch(w->fd, link, FILE_MASK);
}

unsigned fwatch_drain(struct fwatch *w)
{
	/* Aligned as inotify_event requires. */
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	unsigned flags = 0;

	for (;;) {
		ssize_t n = read(w->fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; /* EAGAIN: drained */
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			if (ev->mask & IN_IGNORED) {
				/* The watch is gone (directory removed, or we removed
				 * it): forget it so that fwatch_dir adds it again. */
				for (int i = 0; i < FWS_NSLOTS; i++)
					if (w->dir_wd[i] == ev->wd)
						w->dir_wd[i] = -1;
				if (w->file_wd == ev->wd)
					w->file_wd = -1;
				flags |= FW_NAMES;
			} else if (ev->mask & (IN_MODIFY | IN_CLOSE_WRITE)) {
				flags |= FW_DATA;
			} else {
				flags |= FW_NAMES; /* includes IN_Q_OVERFLOW */
			}
			p += sizeof(*ev) + ev->len;
		}
	}
	return flags;
}

bool fwatch_fs_is_remote(const char *path)
{
	struct statfs sf;
	if (statfs(path, &sf) < 0)
		return false;
	switch ((unsigned long)sf.f_type) {
	case 0x6969UL:     /* NFS */
	case 0x517BUL:     /* SMB */
	case 0xFF534D42UL: /* CIFS */
	case 0xFE534D42UL: /* SMB2 */
	case 0x65735546UL: /* FUSE */
	case 0x00C36400UL: /* Ceph */
	case 0x5346414FUL: /* AFS */
	case 0x01021997UL: /* 9P */
	case 0x01161970UL: /* GFS2 */
	case 0x7461636FUL: /* OCFS2 */
	case 0x0BD00BD0UL: /* Lustre */
		return true;
	default:
		return false;
	}
}

#else /* !__linux__: only the poll backend */

struct fwatch {
	int unused;
};

struct fwatch *fwatch_new(struct out *diag)
{
	diag_error(diag, "cannot use inotify: not available on this system");
	return NULL;
}

void fwatch_free(struct fwatch *w)
{
	free(w);
}

int fwatch_fd(const struct fwatch *w)
{
	return -1;
}

int fwatch_dir(struct fwatch *w, enum fwatch_slot slot, const char *path)
{
	errno = ENOSYS;
	return -1;
}

void fwatch_file(struct fwatch *w, int fd)
{
}

unsigned fwatch_drain(struct fwatch *w)
{
	return FW_NAMES;
}

bool fwatch_fs_is_remote(const char *path)
{
	return false;
}

#endif
