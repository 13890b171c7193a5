/* SPDX-License-Identifier: PostgreSQL */
/* Who can read a file this process cannot: advice from owner, group and mode. */
#include "detect/internal.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "detect/fs.h"
#include "util/sbuf.h"
#include "util/xalloc.h"

char *detect_perm_advice(const char *owner, const char *group, mode_t mode, bool dir,
			 const char *where)
{
	/* A directory on the way needs x; the directory itself r and x; a file r. */
	unsigned need = where ? 1 : dir ? 5 : 4;
	bool by_owner = ((mode >> 6) & need) == need;
	bool by_group = ((mode >> 3) & need) == need;
	bool by_other = (mode & need) == need;
	struct sbuf sb;

	sbuf_init(&sb, 0);
	if (where)
		sbuf_addf(&sb, "not readable: directory %s is owned by %s:%s, mode %04o — ", where,
			  owner, group, (unsigned)(mode & 07777));
	else
		sbuf_addf(&sb, "not readable: owned by %s:%s, mode %04o — ", owner, group,
			  (unsigned)(mode & 07777));
	if (by_other)
		sbuf_addstr(&sb, "its mode allows everyone; check ACLs and the security policy");
	else if (by_group && by_owner)
		sbuf_addf(&sb, "run as %s or add yourself to group %s", owner, group);
	else if (by_group)
		sbuf_addf(&sb, "add yourself to group %s", group);
	else if (by_owner)
		sbuf_addf(&sb, "run as %s", owner);
	else
		sbuf_addstr(&sb, "only root can read it");
	return sbuf_detach(&sb, NULL);
}

static char *advice_for(const struct stat *st, bool dir, const char *where)
{
	char ubuf[32], gbuf[32];
	struct passwd *pw = getpwuid(st->st_uid);
	struct group *gr = getgrgid(st->st_gid);
	snprintf(ubuf, sizeof(ubuf), "%lu", (unsigned long)st->st_uid);
	snprintf(gbuf, sizeof(gbuf), "%lu", (unsigned long)st->st_gid);
	return detect_perm_advice(pw ? pw->pw_name : ubuf, gr ? gr->gr_name : gbuf, st->st_mode,
				  dir, where);
}

char *perm_check(const char *root, const char *path)
{
	struct stat st;

	if (fs_readable(root, path))
		return NULL;
	/* Walk down from / to find the first directory we may not enter. */
	size_t n = strlen(path);
	for (size_t i = 1; i < n; i++) {
		if (path[i] != '/')
			continue;
		char *dir = xmemdupz(path, i);
		char *full = fs_path(root, dir);
		bool blocked = stat(full, &st) == 0 && S_ISDIR(st.st_mode) &&
			       faccessat(AT_FDCWD, full, X_OK, AT_EACCESS) != 0;
		free(full);
		if (blocked) {
			char *a = advice_for(&st, true, dir);
			free(dir);
			return a;
		}
		free(dir);
	}
	if (fs_stat(root, path, &st) != 0)
		return NULL; /* missing: not a permission problem */
	return advice_for(&st, S_ISDIR(st.st_mode), NULL);
}
