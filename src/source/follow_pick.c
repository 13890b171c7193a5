/* SPDX-License-Identifier: PostgreSQL */
/*
 * Which file of a log directory is the current one: the one
 * current_logfiles names, or the newest whose name matches a pattern.
 */
#include "source/follow_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/sbuf.h"
#include "util/xalloc.h"

/* current_logfiles holds one short line per destination. */
#define CLF_MAX (16u * 1024)

static char *join(const char *dir, const char *name, size_t namelen)
{
	struct sbuf sb;
	sbuf_init(&sb, 0);
	sbuf_addstr(&sb, dir);
	if (sb.len && sb.buf[sb.len - 1] != '/')
		sbuf_addch(&sb, '/');
	sbuf_add(&sb, name, namelen);
	return sbuf_detach(&sb, NULL);
}

/* Read all of a small file into sb; -1 with errno on failure. */
static int slurp(const char *path, struct sbuf *sb)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -1;
	char buf[4096];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || sbuf_add(sb, buf, (size_t)n) < 0) {
			int saved = n < 0 ? errno : 0;
			close(fd);
			errno = saved;
			return n < 0 ? -1 : 0;
		}
	}
}

int follow_clf_lookup(const char *clf_path, const char *data_dir, enum log_format dest, char **path)
{
	struct sbuf sb;
	const char *want = log_format_name(dest);
	size_t wlen = strlen(want);
	int found = 0;

	*path = NULL;
	sbuf_init(&sb, CLF_MAX);
	if (slurp(clf_path, &sb) < 0) {
		int saved = errno;
		sbuf_release(&sb);
		errno = saved;
		return -1;
	}
	/* "<dest> <path>\n" per line; the path is the rest of the line, as
	 * pg_current_logfile() reads it. */
	for (const char *p = sb.buf, *end = sb.buf + sb.len; p < end && !found;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		if ((size_t)(eol - p) > wlen + 1 && memcmp(p, want, wlen) == 0 && p[wlen] == ' ') {
			const char *name = p + wlen + 1;
			size_t len = (size_t)(eol - name);
			if (len && name[len - 1] == '\r')
				len--;
			if (len && !memchr(name, '\0', len)) {
				*path = name[0] == '/' || !data_dir ? xmemdupz(name, len)
								    : join(data_dir, name, len);
				found = 1;
			}
		}
		p = eol + 1;
	}
	sbuf_release(&sb);
	return found;
}

/* Is a (mtime, name) newer than b? */
static int newer(const struct timespec *a, const char *aname, const struct timespec *b,
		 const char *bname)
{
	if (a->tv_sec != b->tv_sec)
		return a->tv_sec > b->tv_sec;
	if (a->tv_nsec != b->tv_nsec)
		return a->tv_nsec > b->tv_nsec;
	return strcmp(aname, bname) > 0;
}

/* follow_scan_newest (after NULL) and follow_scan_after, in one walk. */
static int scan(const char *dir, const char *pattern, const struct timespec *after,
		const char *after_name, char **path)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char *best = NULL;
	struct timespec best_mtime = {0, 0};

	*path = NULL;
	if (!d)
		return -1;
	while ((errno = 0, de = readdir(d)) != NULL) {
		struct stat st;
		if (fnmatch(pattern, de->d_name, FNM_PERIOD) != 0)
			continue;
		if (after && (strcmp(de->d_name, after_name) == 0))
			continue;
		/* A file removed since readdir saw it is simply not a candidate. */
		if (fstatat(dirfd(d), de->d_name, &st, 0) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (after && !newer(&st.st_mtim, de->d_name, after, after_name))
			continue;
		if (!best || (after ? newer(&best_mtime, best, &st.st_mtim, de->d_name)
				    : newer(&st.st_mtim, de->d_name, &best_mtime, best))) {
			free(best);
			best = xstrdup(de->d_name);
			best_mtime = st.st_mtim;
		}
	}
	int saved = errno;
	closedir(d);
	if (saved) {
		free(best);
		errno = saved;
		return -1;
	}
	if (!best)
		return 0;
	*path = join(dir, best, strlen(best));
	free(best);
	return 1;
}

int follow_scan_newest(const char *dir, const char *pattern, char **path)
{
	return scan(dir, pattern, NULL, NULL, path);
}

int follow_scan_after(const char *dir, const char *pattern, const struct timespec *mtime,
		      const char *name, char **path)
{
	return scan(dir, pattern, mtime, name, path);
}
