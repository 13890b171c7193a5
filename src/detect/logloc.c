/* SPDX-License-Identifier: PostgreSQL */
/*
 * logloc: where an instance logs.  With the logging collector, the files
 * named in current_logfiles (or the newest in log_directory when that file
 * is missing: 9.6, a server never started, an unreadable data directory);
 * without it, the postmaster's standard error (its fd 2, or the file the
 * packaging sends it to).
 */
#include "detect/internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "detect/fs.h"
#include "util/xalloc.h"

/* The major version as a number (9 for "9.6"); 0 when unknown. */
static int major_of(const char *version)
{
	return version ? atoi(version) : 0;
}

static char *setting(const struct pgconf *cf, const char *name, const char *dflt)
{
	const char *v = cf ? pgconf_get(cf, name) : NULL;
	return v ? xstrdup(v) : dflt ? xstrdup(dflt) : NULL;
}

/* Is word one of the comma-separated, case-insensitive items of list? */
static bool has_item(const char *list, const char *word)
{
	size_t wl = strlen(word);
	const char *p = list;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		const char *s = p;
		while (*p && *p != ',')
			p++;
		const char *e = p;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if ((size_t)(e - s) == wl && strncasecmp(s, word, wl) == 0)
			return true;
	}
	return false;
}

static void add_log(const char *root, struct instance *in, const char *path, enum log_format dest,
		    const char *how)
{
	for (size_t i = 0; i < in->nlogs; i++)
		if (strcmp(in->logs[i].path, path) == 0)
			return;
	in->logs = xreallocarray(in->logs, in->nlogs + 1, sizeof(*in->logs));
	struct instance_log *l = &in->logs[in->nlogs++];
	l->path = xstrdup(path);
	l->dest = dest;
	l->how = how;
	l->advice = perm_check(root, path);
	l->readable = l->advice == NULL;
}

/* current_logfiles: "DEST PATH" lines, PATH relative to the data directory. */
static bool from_current_logfiles(const char *root, struct instance *in)
{
	char *cl = fs_join(in->datadir, "current_logfiles");
	char *text = fs_read(root, cl, 1 << 16, NULL);
	bool any = false;
	free(cl);
	if (!text)
		return false;
	for (char *line = text; *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		char *sp = strchr(line, ' ');
		enum log_format dest = LOGFMT_AUTO;
		if (sp) {
			*sp = '\0';
			dest = log_format_from_name(line);
		}
		if (dest != LOGFMT_AUTO && sp[1]) {
			size_t n = strlen(sp + 1);
			while (n > 0 && (sp[1 + n - 1] == '\r' || sp[1 + n - 1] == ' '))
				sp[1 + --n] = '\0';
			if (n > 0) {
				char *p = fs_join(in->datadir, sp + 1);
				add_log(root, in, p, dest, "current_logfiles");
				free(p);
				any = true;
			}
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	free(text);
	return any;
}

struct dated {
	char *name;
	struct timespec mtime;
};

static int newer_first(const void *a, const void *b)
{
	const struct dated *x = a, *y = b;
	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec < y->mtime.tv_sec ? 1 : -1;
	if (x->mtime.tv_nsec != y->mtime.tv_nsec)
		return x->mtime.tv_nsec < y->mtime.tv_nsec ? 1 : -1;
	return -strcmp(x->name, y->name);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool has_ext(const char *name, const char *ext)
{
	char gz[16];
	snprintf(gz, sizeof(gz), "%s.gz", ext);
	return ends_with(name, ext) || ends_with(name, gz);
}

/*
 * The log directory's files of one destination, newest first.  Returns the
 * count; *out owned by the caller (names are full system paths).
 */
static size_t dir_files(const char *root, const char *dir, const char *ext, struct dated **out)
{
	char **names;
	size_t n = fs_list(root, dir, &names), k = 0;
	struct dated *v = n ? xcalloc(n, sizeof(*v)) : NULL;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		char *p = fs_join(dir, names[i]);
		if (has_ext(names[i], ext) && fs_stat(root, p, &st) == 0 && S_ISREG(st.st_mode)) {
			v[k].name = p;
			v[k++].mtime = st.st_mtim;
		} else {
			free(p);
		}
	}
	fs_list_free(names, n);
	if (k)
		qsort(v, k, sizeof(*v), newer_first);
	*out = v;
	return k;
}

static void add_older(struct instance *in, const char *path)
{
	in->older = xreallocarray(in->older, in->nolder + 1, sizeof(*in->older));
	in->older[in->nolder++] = xstrdup(path);
}

/* The collector's files: current_logfiles, else the newest of each
 * destination wanted (want[] is indexed by enum log_format), stderr first. */
static void collector_logs(const char *root, struct instance *in, const bool *want)
{
	bool listed = from_current_logfiles(root, in);

	if (!listed) {
		for (int d = LOGFMT_STDERR; d < LOGFMT__COUNT; d++) {
			struct dated *v;
			if (!want[d] || !log_format_is_destination(d))
				continue;
			size_t n = dir_files(root, in->log_directory, log_format_suffix(d), &v);
			if (n > 0)
				add_log(root, in, v[0].name, d, "newest in log_directory");
			for (size_t i = 0; i < n; i++)
				free(v[i].name);
			free(v);
		}
	}
	if (in->nlogs == 0) {
		char *adv = perm_check(root, in->log_directory);
		if (adv) {
			instance_note(in, NOTE_UNREADABLE, NULL, "log directory %s %s",
				      in->log_directory, adv);
			free(adv);
		} else {
			instance_note(in, NOTE_NO_LOG_FILE, NULL,
				      "no log file yet in %s (logging_collector = on)",
				      in->log_directory);
		}
		return;
	}
	/* Earlier files of the first destination in use, for replaying the past. */
	struct dated *v;
	size_t n = dir_files(root, in->log_directory, log_format_suffix(in->logs[0].dest), &v);
	for (size_t i = 0; i < n; i++) {
		bool current = false;
		for (size_t j = 0; j < in->nlogs; j++)
			current = current || strcmp(in->logs[j].path, v[i].name) == 0;
		if (!current)
			add_older(in, v[i].name);
		free(v[i].name);
	}
	free(v);
}

/* N of "BASE.N" or "BASE.N.gz"; 0 when name is not one. */
static long rotation_number(const char *name, const char *base)
{
	size_t bl = strlen(base);
	if (strncmp(name, base, bl) != 0 || name[bl] != '.' ||
	    !isdigit((unsigned char)name[bl + 1]))
		return 0;
	char *end;
	long k = strtol(name + bl + 1, &end, 10);
	return (*end == '\0' || strcmp(end, ".gz") == 0) ? k : 0;
}

struct numbered {
	long k;
	char *path;
};

static int by_number(const void *a, const void *b)
{
	const struct numbered *x = a, *y = b;
	return (x->k > y->k) - (x->k < y->k);
}

/* logrotate's copies of a fixed-name file: BASE.1 (newest), BASE.2.gz, ... */
static void rotated_siblings(const char *root, struct instance *in, const char *path)
{
	char *dir = fs_dirname(path);
	const char *base = fs_basename(path);
	char **names;
	size_t n = fs_list(root, dir, &names), k = 0;
	struct numbered *v = n ? xcalloc(n, sizeof(*v)) : NULL;
	for (size_t i = 0; i < n; i++) {
		long num = rotation_number(names[i], base);
		if (num > 0) {
			v[k].k = num;
			v[k++].path = fs_join(dir, names[i]);
		}
	}
	if (k)
		qsort(v, k, sizeof(*v), by_number);
	for (size_t i = 0; i < k; i++) {
		add_older(in, v[i].path);
		free(v[i].path);
	}
	free(v);
	fs_list_free(names, n);
	free(dir);
}

static bool exists(const char *root, const char *path)
{
	struct stat st;
	return fs_stat(root, path, &st) == 0 || errno == EACCES;
}

/* Where the records of log_destination 'syslog' are to be read: the
 * server's syslog_facility and syslog_ident, the system log files that
 * exist (Debian's rsyslog writes /var/log/syslog, Red Hat's
 * /var/log/messages), and the journal. */
static void syslog_note(const char *root, const struct pgconf *cf, struct instance *in)
{
	static const char *const files[] = {"/var/log/syslog", "/var/log/messages", NULL};
	char *facility = setting(cf, "syslog_facility", "local0");
	char *ident = setting(cf, "syslog_ident", "postgres");
	const char *file = NULL;

	for (const char *const *f = files; *f && !file; f++)
		if (exists(root, *f))
			file = *f;
	instance_note(in, NOTE_SYSLOG, NULL,
		      "log_destination '%s' sends records to syslog (facility %s, ident '%s'): "
		      "read them with 'pgtail connections%s%s %s', or from the journal with "
		      "'pgtail connections --journal --ident=%s'",
		      in->destination, facility, ident,
		      strcmp(ident, "postgres") ? " --ident=" : "",
		      strcmp(ident, "postgres") ? ident : "", file ? file : "SYSLOG-FILE", ident);
	free(facility);
	free(ident);
}

void logloc_fill(const char *root, struct instance *in, const struct pgconf *cf,
		 const struct candidate *cd)
{
	int major = major_of(in->version);
	bool modern = major == 0 || major >= 10;
	const char *v;

	v = cf ? pgconf_get(cf, "logging_collector") : NULL;
	in->collector = v && pgconf_bool(v) == 1;
	in->destination = setting(cf, "log_destination", "stderr");
	char *dir = setting(cf, "log_directory", modern ? "log" : "pg_log");
	in->log_directory = fs_join(in->datadir, dir);
	free(dir);
	in->log_filename = setting(cf, "log_filename", "postgresql-%Y-%m-%d_%H%M%S.log");
	in->line_prefix = setting(cf, "log_line_prefix", modern ? "%m [%p] " : "");
	in->lc_messages = setting(cf, "lc_messages", NULL);

	bool want[LOGFMT__COUNT] = {false};
	for (int d = LOGFMT_STDERR; d < LOGFMT__COUNT; d++)
		want[d] =
		    log_format_is_destination(d) && has_item(in->destination, log_format_name(d));
	bool want_csv = want[LOGFMT_CSV], want_json = want[LOGFMT_JSON];
	bool syslog = has_item(in->destination, "syslog");
	bool eventlog = has_item(in->destination, "eventlog");

	if (!v && !in->settings_known && !(cd->pm && cd->pm->stderr_path) &&
	    !(cd->side_log && exists(root, cd->side_log))) {
		/* Whether the collector runs is in the settings pgtail cannot
		 * read: say that, not a guess. */
		instance_note(in, NOTE_NO_LOG_FILE, NULL,
			      "the server's settings cannot be read, so where it logs is unknown; "
			      "run pgtail as the server's user (postgres), or name the log file");
	} else if (in->collector) {
		/* Nothing the collector writes named: it writes stderr. */
		want[LOGFMT_STDERR] |= !want_csv && !want_json;
		collector_logs(root, in, want);
	} else {
		if (want_csv || want_json)
			instance_note(in, NOTE_NO_LOG_FILE, NULL,
				      "log_destination '%s' asks for csvlog or jsonlog, which need "
				      "logging_collector = on",
				      in->destination);
		/* Without the collector, everything goes to the postmaster's stderr. */
		if (cd->pm && cd->pm->stderr_path)
			add_log(root, in, cd->pm->stderr_path, LOGFMT_STDERR, "postmaster stderr");
		else if (cd->side_log && exists(root, cd->side_log))
			add_log(root, in, cd->side_log, LOGFMT_STDERR, cd->side_how);
		if (in->nlogs > 0) {
			rotated_siblings(root, in, in->logs[0].path);
		} else if (cd->pm && cd->pm->unit) {
			/* A systemd service's standard error is the journal's. */
			in->journal_unit = xstrdup(cd->pm->unit);
			instance_note(
			    in, NOTE_JOURNAL, NULL,
			    "logging_collector is off and the server's standard error goes "
			    "to the systemd journal (%s): read it with 'pgtail connections "
			    "--journal --unit=%s', live with --watch or the shell's 'tail'",
			    in->journal_unit, in->journal_unit);
		} else if (want[LOGFMT_STDERR] || !(syslog || eventlog))
			instance_note(in, NOTE_NO_LOG_FILE, NULL,
				      "logging_collector is off and the server's standard error is "
				      "not a file pgtail can find: start it with 'pg_ctl -l FILE', "
				      "or set logging_collector = on");
	}
	if (syslog)
		syslog_note(root, cf, in);
	else if (eventlog)
		instance_note(in, NOTE_SYSLOG, NULL,
			      "log_destination '%s' sends records to the event log, which pgtail "
			      "does not read; add stderr or csvlog to log_destination",
			      in->destination);
}
