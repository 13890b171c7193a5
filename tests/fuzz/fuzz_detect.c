/* SPDX-License-Identifier: PostgreSQL */
/*
 * libFuzzer target for detect/, instance detection on a fake file-system
 * layout.  The input is one layout byte, then pieces separated by 0x1e
 * bytes, written as the files detection reads under a fake root (one
 * temporary directory per process, in $TMPDIR or /tmp, emptied before
 * each run):
 *
 *    0 /proc/812/stat          6 DATADIR/postmaster.pid
 *    1 /proc/812/cmdline       7 DATADIR/PG_VERSION
 *    2 /proc/812/environ       8 DATADIR/current_logfiles
 *    3 /proc/812/cwd (link)    9 CONFDIR/postgresql.conf
 *    4 /proc/812/fd/2 (link)  10 DATADIR/postgresql.auto.conf
 *    5 /proc/813/stat         11 CONFDIR/conf.d/extra.conf
 *
 * A missing piece is a missing file; a link is made when its target is
 * not empty.  The low three bits of the layout byte pick the data
 * directory (PGDATA, Debian with its configuration in /etc, Red Hat,
 * Homebrew or pgrx); the next four take all permissions away from the
 * data directory, postgresql.conf, the log directory and its newest file
 * (which only a user other than root notices).  A few log files, of fixed
 * ages, are always there for the log locator to find.  Inputs that say
 * "..", "cwd" or "fd" are skipped: a path through them would leave the
 * fake root and read the real system.
 *
 * Checks that the instances are sorted by a unique, absolute data
 * directory, that every string is NUL-terminated and of a sane length,
 * that counts match their arrays, that the status agrees with the pid,
 * that the port is positive, that log and older files are absolute and
 * distinct, and that a configuration that could not be read has a note.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "detect/instances.h"

#define SEP 0x1e
#define NPIECES 12

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[PATH_MAX];

struct layout {
	const char *datadir;
	const char *confdir;     /* where postgresql.conf and conf.d are */
	const char *const *logs; /* files the packaging logs to, NULL-terminated */
};

static const char *const debian_logs[] = {"/var/log/postgresql/postgresql-15-main.log",
					  "/var/log/postgresql/postgresql-15-main.log.1",
					  "/var/log/postgresql/postgresql-15-main.log.2.gz", NULL};
static const char *const homebrew_logs[] = {"/opt/homebrew/var/log/postgresql@14.log", NULL};
static const char *const pgrx_logs[] = {"/home/fuzz/.pgrx/17.log", NULL};
static const char *const no_logs[] = {NULL};

static const struct layout layouts[] = {
    {"/srv/pg/data", "/srv/pg/data", no_logs},
    {"/var/lib/postgresql/15/main", "/etc/postgresql/15/main", debian_logs},
    {"/var/lib/pgsql/16/data", "/var/lib/pgsql/16/data", no_logs},
    {"/opt/homebrew/var/postgresql@14", "/opt/homebrew/var/postgresql@14", homebrew_logs},
    {"/home/fuzz/.pgrx/data-17", "/home/fuzz/.pgrx/data-17", pgrx_logs},
    {"/var/lib/pgsql/data", "/var/lib/pgsql/data", no_logs},
};

/* Files of the collector's log directories and of pg_ctl -l. */
static const struct {
	const char *name;
	long mtime;
} data_logs[] = {
    {"log/postgresql-2026-01-01_000000.log", 1767225600},
    {"log/postgresql-2026-01-01_000000.csv", 1767225600},
    {"log/postgresql-2026-01-01_000000.json", 1767225600},
    {"log/postgresql-2026-01-02_000000.log", 1767312000},
    {"log/postgresql-2026-01-02_000000.csv", 1767312000},
    {"pg_log/postgresql-Mon.log", 1767225600},
};
static const char *const home_logs[] = {"/home/fuzz/pg.log", "/home/fuzz/pg.log.1"};

/* The layout of the last run, whose directories may have lost their modes. */
static const struct layout *last;

static const struct detect_env env = {"/srv/pg/data", "/home/fuzz"};

static int unlink_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	if (ftw->level > 0 && remove(path) != 0)
		abort();
	return 0;
}

/* chmod of root + rel, when it exists. */
static void set_mode(const char *rel, mode_t mode)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s%s", root, rel);
	(void)chmod(path, mode);
}

/* Empty the fake root (it stays). */
static void clean_root(void)
{
	char path[PATH_MAX];
	if (last) {
		set_mode(last->datadir, 0755);
		snprintf(path, sizeof(path), "%s/log", last->datadir);
		set_mode(path, 0755);
		last = NULL;
	}
	if (nftw(root, unlink_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		abort();
}

static void remove_root(void)
{
	clean_root();
	rmdir(root);
}

/* mkdir -p of path, which is under root. */
static void make_dirs(char *path)
{
	if (mkdir(path, 0755) == 0 || errno == EEXIST)
		return;
	char *slash = strrchr(path, '/');
	if (errno != ENOENT || !slash || (size_t)(slash - path) <= strlen(root))
		abort();
	*slash = '\0';
	make_dirs(path);
	*slash = '/';
	if (mkdir(path, 0755) != 0)
		abort();
}

/* mkdir -p of root + the directory part of rel. */
static void make_parents(const char *rel)
{
	char buf[PATH_MAX];
	int n = snprintf(buf, sizeof(buf), "%s%s", root, rel);
	if (n < 0 || (size_t)n >= sizeof(buf))
		abort();
	*strrchr(buf, '/') = '\0';
	make_dirs(buf);
}

static void put(const char *rel, const char *data, size_t len)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s%s", root, rel);
	make_parents(rel);
	FILE *f = fopen(path, "wb");
	if (!f)
		abort();
	if (len && fwrite(data, 1, len, f) != len)
		abort();
	fclose(f);
}

/* A log file of the given age (Unix seconds). */
static void put_log(const char *rel, long mtime)
{
	char path[PATH_MAX];
	put(rel, "x\n", 2);
	snprintf(path, sizeof(path), "%s%s", root, rel);
	struct timespec t[2] = {{mtime, 0}, {mtime, 0}};
	if (utimensat(AT_FDCWD, path, t, 0) != 0)
		abort();
}

/* A symbolic link to the piece up to its first NUL, when that is not empty. */
static void link_to(const char *rel, const char *data, size_t len)
{
	char path[PATH_MAX];
	size_t n = strnlen(data, len);
	if (n == 0)
		return;
	char *target = strndup(data, n);
	snprintf(path, sizeof(path), "%s%s", root, rel);
	make_parents(rel);
	(void)symlink(target, path); /* too long a target: no link */
	free(target);
}

static bool mentions(const uint8_t *data, size_t size, const char *word)
{
	return memmem(data, size, word, strlen(word)) != NULL;
}

static void check_str(const char *s, size_t limit)
{
	if (!s || strlen(s) > limit)
		abort();
}

static void check_path(const char *s, size_t limit)
{
	check_str(s, limit);
	if (s[0] != '/')
		abort();
}

static void check_instance(const struct instance *in, size_t limit)
{
	check_path(in->datadir, limit);
	check_path(in->config_file, limit);
	if (in->cluster) {
		check_str(in->cluster, limit);
		if (!strchr(in->cluster, '/'))
			abort();
	}
	if (in->version) {
		check_str(in->version, limit);
		if (!in->version[0] || strpbrk(in->version, "\r\n"))
			abort();
	}
	/* The port is unknown (0) only when the settings could not be read. */
	if (in->port < 0 || (in->port == 0 && (in->settings_known || in->port_default)) ||
	    (in->port_default && in->port != 5432))
		abort();
	switch (in->status) {
	case INSTANCE_STOPPED:
		if (in->pid != 0)
			abort();
		break;
	case INSTANCE_RUNNING:
	case INSTANCE_STALE:
		if (in->pid <= 0)
			abort();
		break;
	default:
		abort();
	}
	const unsigned sources = FOUND_PROCESS | FOUND_PGDATA | FOUND_DEBIAN | FOUND_REDHAT |
				 FOUND_HOMEBREW | FOUND_PGRX;
	if (!in->found || (in->found & ~sources))
		abort();
	check_str(in->destination, limit);
	check_path(in->log_directory, limit);
	check_str(in->log_filename, limit);
	check_str(in->line_prefix, limit);
	if (in->lc_messages)
		check_str(in->lc_messages, limit);

	if ((in->nlogs == 0) != (in->logs == NULL))
		abort();
	for (size_t i = 0; i < in->nlogs; i++) {
		const struct instance_log *l = &in->logs[i];
		check_path(l->path, limit);
		if (l->dest != LOGFMT_STDERR && l->dest != LOGFMT_CSV && l->dest != LOGFMT_JSON)
			abort();
		if (!l->how || !l->how[0] || l->readable != (l->advice == NULL))
			abort();
		if (l->advice)
			check_str(l->advice, limit);
		for (size_t j = 0; j < i; j++)
			if (strcmp(in->logs[j].path, l->path) == 0)
				abort();
	}
	if ((in->nolder == 0) != (in->older == NULL) || (in->nolder > 0 && in->nlogs == 0))
		abort();
	for (size_t i = 0; i < in->nolder; i++) {
		check_path(in->older[i], limit);
		for (size_t j = 0; j < in->nlogs; j++)
			if (strcmp(in->logs[j].path, in->older[i]) == 0)
				abort();
	}

	if ((in->nnotes == 0) != (in->notes == NULL))
		abort();
	bool config_note = false;
	for (size_t i = 0; i < in->nnotes; i++) {
		const struct instance_note *n = &in->notes[i];
		check_str(n->text, limit);
		if (!n->text[0] || n->kind > NOTE_CONFIG)
			abort();
		if ((n->kind == NOTE_CONNECTIONS_OFF) != (n->fix == detect_connections_fix))
			abort();
		config_note = config_note || n->kind == NOTE_UNREADABLE || n->kind == NOTE_CONFIG;
	}
	if (!in->settings_known && !config_note)
		abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *tmp = getenv("TMPDIR");
	snprintf(root, sizeof(root), "%s/pgtail-fuzz-detect-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	if (!mkdtemp(root))
		abort();
	atexit(remove_root);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 65536 || mentions(data, size, "..") || mentions(data, size, "cwd") ||
	    mentions(data, size, "fd"))
		return 0;
	const struct layout *lay = &layouts[(data[0] & 7) % (sizeof(layouts) / sizeof(layouts[0]))];
	const char *piece[NPIECES];
	size_t plen[NPIECES], npieces = 0;
	for (size_t off = 1; off <= size && npieces < NPIECES;) {
		const uint8_t *sep = off < size ? memchr(data + off, SEP, size - off) : NULL;
		size_t n = sep ? (size_t)(sep - (data + off)) : size - off;
		piece[npieces] = (const char *)data + off;
		plen[npieces++] = n;
		if (!sep)
			break;
		off += n + 1;
	}

	clean_root();
	char path[PATH_MAX];
	static const char *const proc_files[] = {"/proc/812/stat", "/proc/812/cmdline",
						 "/proc/812/environ"};
	for (size_t i = 0; i < 3 && i < npieces; i++)
		put(proc_files[i], piece[i], plen[i]);
	if (npieces > 3)
		link_to("/proc/812/cwd", piece[3], plen[3]);
	if (npieces > 4)
		link_to("/proc/812/fd/2", piece[4], plen[4]);
	if (npieces > 5)
		put("/proc/813/stat", piece[5], plen[5]);
	static const char *const data_files[] = {"postmaster.pid", "PG_VERSION",
						 "current_logfiles"};
	for (size_t i = 0; i < 3 && 6 + i < npieces; i++) {
		snprintf(path, sizeof(path), "%s/%s", lay->datadir, data_files[i]);
		put(path, piece[6 + i], plen[6 + i]);
	}
	if (npieces > 9) {
		snprintf(path, sizeof(path), "%s/postgresql.conf", lay->confdir);
		put(path, piece[9], plen[9]);
	}
	if (npieces > 10) {
		snprintf(path, sizeof(path), "%s/postgresql.auto.conf", lay->datadir);
		put(path, piece[10], plen[10]);
	}
	if (npieces > 11) {
		snprintf(path, sizeof(path), "%s/conf.d/extra.conf", lay->confdir);
		put(path, piece[11], plen[11]);
	}
	for (size_t i = 0; i < sizeof(data_logs) / sizeof(data_logs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", lay->datadir, data_logs[i].name);
		put_log(path, data_logs[i].mtime);
	}
	for (size_t i = 0; i < sizeof(home_logs) / sizeof(home_logs[0]); i++)
		put_log(home_logs[i], 1767225600);
	for (const char *const *l = lay->logs; *l; l++)
		put_log(*l, 1767225600);

	last = lay;
	if (data[0] & 0x40) {
		snprintf(path, sizeof(path), "%s/log/postgresql-2026-01-02_000000.log",
			 lay->datadir);
		set_mode(path, 0);
	}
	if (data[0] & 0x20) {
		snprintf(path, sizeof(path), "%s/log", lay->datadir);
		set_mode(path, 0);
	}
	if (data[0] & 0x10) {
		snprintf(path, sizeof(path), "%s/postgresql.conf", lay->confdir);
		set_mode(path, 0);
	}
	if (data[0] & 0x08)
		set_mode(lay->datadir, 0);

	struct instance_list list;
	detect_instances(root, &env, &list);

	/* Everything an instance holds is made of at most two copies of the
	 * input, a path the kernel accepted and some fixed text. */
	size_t limit = 2 * size + PATH_MAX + 1024;
	if ((list.n == 0) != (list.v == NULL))
		abort();
	for (size_t i = 0; i < list.n; i++) {
		check_instance(&list.v[i], limit);
		if (i > 0 && strcmp(list.v[i - 1].datadir, list.v[i].datadir) >= 0)
			abort();
	}
	instance_list_release(&list);
	if (list.n != 0 || list.v != NULL)
		abort();
	return 0;
}
