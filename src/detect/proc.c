/* SPDX-License-Identifier: PostgreSQL */
/* Find running postmasters in /proc: their data directory, options and stderr. */
#include "detect/internal.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/fs.h"
#include "util/xalloc.h"

/* /proc/PID/stat: "PID (COMM) STATE PPID ...".  COMM may hold spaces and
 * parentheses, so it ends at the last ')'.  Returns 0, or -1. */
static int read_stat(const char *root, const char *pid, char *comm, size_t commlen, long *ppid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	char *s = fs_read(root, path, 4096, NULL);
	if (!s)
		return -1;
	char *open = strchr(s, '(');
	char *close = strrchr(s, ')');
	int rc = -1;
	if (open && close && close > open) {
		size_t n = (size_t)(close - open - 1);
		if (n >= commlen)
			n = commlen - 1;
		memcpy(comm, open + 1, n);
		comm[n] = '\0';
		char state;
		if (sscanf(close + 1, " %c %ld", &state, ppid) == 2)
			rc = 0;
	}
	free(s);
	return rc;
}

static bool is_postgres(const char *comm)
{
	return strcmp(comm, "postgres") == 0 || strcmp(comm, "postmaster") == 0;
}

static void add_guc(struct postmaster *pm, const char *name, size_t namelen, const char *value)
{
	size_t vl = strlen(value);
	char *g = xmalloc(namelen + vl + 2);
	/* The server reads "--log-connections" as log_connections. */
	for (size_t i = 0; i < namelen; i++)
		g[i] = name[i] == '-' ? '_' : name[i];
	g[namelen] = '=';
	memcpy(g + namelen + 1, value, vl + 1);
	pm->gucs = xreallocarray(pm->gucs, pm->ngucs + 1, sizeof(*pm->gucs));
	pm->gucs[pm->ngucs++] = g;
}

/* "name=value" into a setting; ignored when there is no '='. */
static void add_guc_arg(struct postmaster *pm, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (eq && eq > arg)
		add_guc(pm, arg, (size_t)(eq - arg), eq + 1);
}

/* The postmaster's options that take an argument (postmaster.c getopt string). */
static bool takes_arg(char opt)
{
	return opt && strchr("BCcDdfhkNprStW", opt) != NULL;
}

static void parse_cmdline(struct postmaster *pm, const char *buf, size_t len)
{
	char **argv = NULL;
	size_t argc = 0;
	for (size_t off = 0; off < len;) {
		size_t n = strnlen(buf + off, len - off);
		argv = xreallocarray(argv, argc + 1, sizeof(*argv));
		argv[argc++] = xmemdupz(buf + off, n);
		off += n + 1;
	}
	if (argc > 0)
		pm->exe = xstrdup(argv[0]);
	for (size_t i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-' || !a[1])
			continue;
		if (a[1] == '-') {
			add_guc_arg(pm, a + 2);
			continue;
		}
		if (!takes_arg(a[1]))
			continue;
		const char *v = a[2] ? a + 2 : (i + 1 < argc ? argv[++i] : NULL);
		if (!v)
			break;
		if (a[1] == 'D') {
			free(pm->datadir_arg);
			pm->datadir_arg = v[0] == '/' ? xstrdup(v) : NULL;
		} else if (a[1] == 'c') {
			add_guc_arg(pm, v);
		} else if (a[1] == 'p') {
			add_guc(pm, "port", 4, v);
		}
	}
	for (size_t i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

static char *environ_pgdata(const char *buf, size_t len)
{
	for (size_t off = 0; off < len;) {
		size_t n = strnlen(buf + off, len - off);
		if (n > 7 && strncmp(buf + off, "PGDATA=", 7) == 0 && buf[off + 7] == '/')
			return xmemdupz(buf + off + 7, n - 7);
		off += n + 1;
	}
	return NULL;
}

/* A log file behind fd 2: an absolute path that is not a device and still exists. */
static char *stderr_file(const char *root, const char *pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%s/fd/2", pid);
	char *t = fs_readlink(root, path);
	if (!t)
		return NULL;
	size_t n = strlen(t);
	if (t[0] != '/' || strncmp(t, "/dev/", 5) == 0 ||
	    (n > 10 && strcmp(t + n - 10, " (deleted)") == 0)) {
		free(t);
		return NULL;
	}
	return t;
}

/* The systemd service of a process whose standard error is a socket (the
 * journal's stream): the last ".service" of its cgroup path. */
static char *journal_unit(const char *root, const char *pid)
{
	char path[64];
	size_t len;
	snprintf(path, sizeof(path), "/proc/%s/fd/2", pid);
	char *t = fs_readlink(root, path);
	bool socket = t && strncmp(t, "socket:", 7) == 0;
	free(t);
	if (!socket)
		return NULL;
	snprintf(path, sizeof(path), "/proc/%s/cgroup", pid);
	char *buf = fs_read(root, path, 1 << 16, &len);
	char *unit = NULL;
	for (char *line = buf; line && *line;) {
		char *nl = memchr(line, '\n', len - (size_t)(line - buf));
		char *end = nl ? nl : buf + len;
		/* "0::/system.slice/postgresql@15-main.service" */
		for (char *p = end; p > line; p--) {
			if (p[-1] != '/')
				continue;
			size_t n = (size_t)(end - p);
			if (n > 8 && memcmp(end - 8, ".service", 8) == 0) {
				free(unit);
				unit = xmemdupz(p, n);
			}
			break;
		}
		line = nl ? nl + 1 : NULL;
	}
	free(buf);
	return unit;
}

static void read_postmaster(const char *root, const char *pid, struct postmaster *pm)
{
	char path[64];
	size_t len;

	memset(pm, 0, sizeof(*pm));
	pm->pid = (pid_t)atol(pid);
	snprintf(path, sizeof(path), "/proc/%s/cmdline", pid);
	char *buf = fs_read(root, path, 1 << 16, &len);
	if (buf) {
		parse_cmdline(pm, buf, len);
		free(buf);
	}
	snprintf(path, sizeof(path), "/proc/%s/environ", pid);
	buf = fs_read(root, path, 1 << 20, &len);
	if (buf) {
		pm->pgdata_env = environ_pgdata(buf, len);
		free(buf);
	}
	snprintf(path, sizeof(path), "/proc/%s/cwd", pid);
	pm->cwd = fs_readlink(root, path);
	if (pm->cwd && pm->cwd[0] != '/') {
		free(pm->cwd);
		pm->cwd = NULL;
	}
	pm->stderr_path = stderr_file(root, pid);
	if (!pm->stderr_path)
		pm->unit = journal_unit(root, pid);
}

size_t proc_scan(const char *root, struct postmaster **out)
{
	char **names;
	size_t n = fs_list(root, "/proc", &names), count = 0;
	struct postmaster *v = NULL;

	for (size_t i = 0; i < n; i++) {
		const char *pid = names[i];
		char comm[64], pcomm[64], ppid_s[32];
		long ppid;
		if (!isdigit((unsigned char)pid[0]) || strspn(pid, "0123456789") != strlen(pid))
			continue;
		if (read_stat(root, pid, comm, sizeof(comm), &ppid) < 0 || !is_postgres(comm))
			continue;
		/* A backend or auxiliary process: its parent is the postmaster. */
		snprintf(ppid_s, sizeof(ppid_s), "%ld", ppid);
		if (ppid > 0 && read_stat(root, ppid_s, pcomm, sizeof(pcomm), &ppid) == 0 &&
		    is_postgres(pcomm))
			continue;
		v = xreallocarray(v, count + 1, sizeof(*v));
		read_postmaster(root, pid, &v[count++]);
	}
	fs_list_free(names, n);
	*out = v;
	return count;
}

void postmasters_free(struct postmaster *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].cwd);
		free(v[i].datadir_arg);
		free(v[i].pgdata_env);
		free(v[i].stderr_path);
		free(v[i].unit);
		free(v[i].exe);
		for (size_t j = 0; j < v[i].ngucs; j++)
			free(v[i].gucs[j]);
		free(v[i].gucs);
	}
	free(v);
}
