/* SPDX-License-Identifier: PostgreSQL */
/* File-system helpers for detection, each under a root prefix. */
#include "detect/fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/sbuf.h"
#include "util/xalloc.h"

char *fs_path(const char *root, const char *path)
{
	size_t rl = strlen(root), pl = strlen(path);
	char *p = xmalloc(rl + pl + 1);
	memcpy(p, root, rl);
	memcpy(p + rl, path, pl + 1);
	return p;
}

char *fs_join(const char *dir, const char *name)
{
	if (name[0] == '/' || !dir[0])
		return xstrdup(name);
	size_t dl = strlen(dir), nl = strlen(name);
	bool slash = dir[dl - 1] == '/';
	char *p = xmalloc(dl + nl + 2);
	memcpy(p, dir, dl);
	if (!slash)
		p[dl++] = '/';
	memcpy(p + dl, name, nl + 1);
	return p;
}

char *fs_dirname(const char *path)
{
	const char *s = strrchr(path, '/');
	if (!s)
		return xstrdup(".");
	while (s > path && s[-1] == '/')
		s--;
	if (s == path)
		return xstrdup("/");
	return xmemdupz(path, (size_t)(s - path));
}

const char *fs_basename(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

char *fs_read(const char *root, const char *path, size_t cap, size_t *len)
{
	char *full = fs_path(root, path);
	int fd = open(full, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	int saved;
	free(full);
	if (fd < 0)
		return NULL;
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		errno = EISDIR;
		return NULL;
	}
	struct sbuf sb;
	sbuf_init(&sb, 0);
	char chunk[8192];
	for (;;) {
		size_t want = sizeof(chunk);
		if (sb.len >= cap)
			break;
		if (cap - sb.len < want)
			want = cap - sb.len;
		ssize_t r = read(fd, chunk, want);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			saved = errno;
			close(fd);
			sbuf_release(&sb);
			errno = saved;
			return NULL;
		}
		if (r == 0)
			break;
		sbuf_add(&sb, chunk, (size_t)r);
	}
	close(fd);
	return sbuf_detach(&sb, len);
}

char *fs_read_line(const char *root, const char *path)
{
	char *s = fs_read(root, path, 4096, NULL);
	if (!s)
		return NULL;
	size_t b = strspn(s, " \t\r\n");
	size_t e = b + strcspn(s + b, "\r\n");
	while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	char *line = e > b ? xmemdupz(s + b, e - b) : NULL;
	free(s);
	return line;
}

char *fs_readlink(const char *root, const char *path)
{
	char *full = fs_path(root, path);
	char buf[PATH_MAX];
	ssize_t n = readlink(full, buf, sizeof(buf) - 1);
	free(full);
	if (n <= 0)
		return NULL;
	return xmemdupz(buf, (size_t)n);
}

int fs_stat(const char *root, const char *path, struct stat *st)
{
	char *full = fs_path(root, path);
	int r = stat(full, st);
	int saved = errno;
	free(full);
	errno = saved;
	return r;
}

bool fs_isdir(const char *root, const char *path)
{
	struct stat st;
	return fs_stat(root, path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool fs_readable(const char *root, const char *path)
{
	struct stat st;
	char *full = fs_path(root, path);
	bool ok =
	    stat(full, &st) == 0 &&
	    faccessat(AT_FDCWD, full, S_ISDIR(st.st_mode) ? R_OK | X_OK : R_OK, AT_EACCESS) == 0;
	free(full);
	return ok;
}

/* Collapse "//" and drop a trailing "/" (but keep "/" itself). */
static char *lexical(const char *path)
{
	size_t n = strlen(path), j = 0;
	char *p = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++) {
		if (path[i] == '/' && j > 0 && p[j - 1] == '/')
			continue;
		p[j++] = path[i];
	}
	while (j > 1 && p[j - 1] == '/')
		j--;
	p[j] = '\0';
	return p;
}

char *fs_canon(const char *root, const char *path)
{
	char *full = fs_path(root, path);
	char *real = realpath(full, NULL);
	free(full);
	if (!real)
		return lexical(path);
	if (!root[0])
		return real;
	/* Strip the root's own canonical form.  A link leading out of the
	 * fake root gives the lexical form instead. */
	char *rroot = realpath(root, NULL);
	char *res = NULL;
	if (rroot) {
		size_t rl = strlen(rroot);
		if (strncmp(real, rroot, rl) == 0 && (real[rl] == '/' || real[rl] == '\0'))
			res = xstrdup(real[rl] ? real + rl : "/");
		free(rroot);
	}
	if (!res)
		res = lexical(path);
	free(real);
	return res;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t fs_list(const char *root, const char *dir, char ***names)
{
	char *full = fs_path(root, dir);
	DIR *d = opendir(full);
	free(full);
	*names = NULL;
	if (!d)
		return 0;
	size_t n = 0, alloc = 0;
	char **v = NULL;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : 16;
			v = xreallocarray(v, alloc, sizeof(*v));
		}
		v[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp_names);
	*names = v;
	return n;
}

void fs_list_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
