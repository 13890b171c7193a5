/* SPDX-License-Identifier: PostgreSQL */
/*
 * fs: the file-system calls of instance detection, each taking a root
 * prefix.  A "system path" is a path as the inspected system sees it
 * ("/var/lib/postgresql/15/main"); it is opened as root + path, so tests
 * can run detection on a fake layout in a temporary directory.  Every
 * returned string is owned by the caller (free()).
 */
#ifndef PGTAIL_DETECT_FS_H
#define PGTAIL_DETECT_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/* root + path; root "" leaves path as it is. */
char *fs_path(const char *root, const char *path);
/* dir + "/" + name, or a copy of name when it is absolute. */
char *fs_join(const char *dir, const char *name);
/* The directory part of a system path ("/a/b" -> "/a", "b" -> "."). */
char *fs_dirname(const char *path);
/* The last component of path (a pointer into path). */
const char *fs_basename(const char *path);

/*
 * Read at most cap bytes of a file, NUL-terminated (*len without the NUL
 * when len is not NULL).  NULL with errno set when it cannot be read.
 */
char *fs_read(const char *root, const char *path, size_t cap, size_t *len);
/* The first line of a file, trimmed of white space; NULL when unreadable or empty. */
char *fs_read_line(const char *root, const char *path);
/* The target of a symbolic link, or NULL. */
char *fs_readlink(const char *root, const char *path);
/* stat(2) of root + path; 0 or -1 with errno. */
int fs_stat(const char *root, const char *path, struct stat *st);
bool fs_isdir(const char *root, const char *path);
/* Can this process read the file (or list and enter the directory)? */
bool fs_readable(const char *root, const char *path);

/*
 * The canonical system path of path: symbolic links resolved inside root
 * when the path exists, else path with duplicate and trailing slashes
 * removed.  Used to recognise one data directory reached by two names.
 */
char *fs_canon(const char *root, const char *path);

/*
 * The names in a directory (not "." or ".."), sorted with strcmp.
 * Returns the count (0 when the directory is empty or unreadable, with
 * *names NULL); free each name and the array.
 */
size_t fs_list(const char *root, const char *dir, char ***names);
void fs_list_free(char **names, size_t n);

#endif
