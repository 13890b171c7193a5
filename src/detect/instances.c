/* SPDX-License-Identifier: PostgreSQL */
/*
 * instances: gather candidate data directories from every source, merge
 * those that are one directory, and describe each from its own files.
 */
#include "detect/instances.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conn/lang.h"
#include "detect/conf.h"
#include "detect/fs.h"
#include "detect/internal.h"
#include "util/sbuf.h"
#include "util/xalloc.h"

const char *const detect_connections_fix[] = {
    "ALTER SYSTEM SET log_connections = on;",
    "ALTER SYSTEM SET log_disconnections = on;",
    "SELECT pg_reload_conf();",
    NULL,
};

struct candidates {
	struct candidate *v;
	size_t n;
};

void instance_note(struct instance *in, enum instance_note_kind kind, const char *const *fix,
		   const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	text = xmalloc((size_t)(n > 0 ? n : 0) + 1);
	va_start(ap, fmt);
	vsnprintf(text, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
	va_end(ap);
	in->notes = xreallocarray(in->notes, in->nnotes + 1, sizeof(*in->notes));
	in->notes[in->nnotes++] = (struct instance_note){kind, text, fix};
}

/* The candidate for datadir, merged with an earlier one naming the same directory. */
static struct candidate *cand_add(const char *root, struct candidates *cs, const char *datadir,
				  unsigned found)
{
	char *canon = fs_canon(root, datadir);
	for (size_t i = 0; i < cs->n; i++) {
		if (strcmp(cs->v[i].datadir, canon) == 0) {
			free(canon);
			cs->v[i].found |= found;
			return &cs->v[i];
		}
	}
	cs->v = xreallocarray(cs->v, cs->n + 1, sizeof(*cs->v));
	struct candidate *c = &cs->v[cs->n++];
	memset(c, 0, sizeof(*c));
	c->datadir = canon;
	c->found = found;
	return c;
}

/* Set *field to a copy of value unless it is already set. */
static void set_once(char **field, const char *value)
{
	if (!*field && value)
		*field = xstrdup(value);
}

static bool is_version(const char *s)
{
	if (!isdigit((unsigned char)s[0]))
		return false;
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p) && *p != '.')
			return false;
	return true;
}

/* A major version named in a path: .../postgresql/15/..., pgsql-15, postgresql@14. */
static char *version_from_path(const char *path)
{
	static const char *const marks[] = {"/postgresql/", "pgsql-", "postgresql@", "/pgsql/"};
	for (size_t i = 0; path && i < sizeof(marks) / sizeof(marks[0]); i++) {
		const char *m = strstr(path, marks[i]);
		if (!m)
			continue;
		m += strlen(marks[i]);
		size_t n = strspn(m, "0123456789.");
		while (n > 0 && m[n - 1] == '.')
			n--;
		if (n > 0 && isdigit((unsigned char)m[0]))
			return xmemdupz(m, n);
	}
	return NULL;
}

/* The Debian cluster of a config file /etc/postgresql/VER/NAME/postgresql.conf. */
static void debian_cluster(const char *root, struct candidate *c, const char *config_file)
{
	const char *pfx = "/etc/postgresql/";
	if (!config_file || strncmp(config_file, pfx, strlen(pfx)) != 0)
		return;
	const char *ver = config_file + strlen(pfx);
	const char *s1 = strchr(ver, '/');
	const char *s2 = s1 ? strchr(s1 + 1, '/') : NULL;
	if (!s2 || strcmp(s2, "/postgresql.conf") != 0 || s1 == ver || s2 == s1 + 1)
		return;
	char *v = xmemdupz(ver, (size_t)(s1 - ver));
	char *name = xmemdupz(s1 + 1, (size_t)(s2 - s1 - 1));
	if (!c->cluster) {
		struct sbuf sb;
		sbuf_init(&sb, 0);
		sbuf_addf(&sb, "%s/%s", v, name);
		c->cluster = sbuf_detach(&sb, NULL);
	}
	set_once(&c->version_hint, v);
	if (!c->side_log) {
		/* A "log" symlink in the cluster's config directory overrides the default. */
		char *confdir = fs_dirname(config_file);
		char *link = fs_join(confdir, "log");
		char *target = fs_readlink(root, link);
		if (target) {
			c->side_log = fs_join(confdir, target);
		} else {
			struct sbuf sb;
			sbuf_init(&sb, 0);
			sbuf_addf(&sb, "/var/log/postgresql/postgresql-%s-%s.log", v, name);
			c->side_log = sbuf_detach(&sb, NULL);
		}
		c->side_how = "pg_ctlcluster";
		free(target);
		free(link);
		free(confdir);
	}
	free(v);
	free(name);
}

/* data_directory as set in a configuration file, or NULL. */
static char *conf_data_directory(const char *root, const char *config_file)
{
	struct pgconf cf;
	pgconf_init(&cf, root);
	char *dd = NULL;
	if (pgconf_load(&cf, config_file, 0) == 0) {
		const char *v = pgconf_get(&cf, "data_directory");
		if (v && v[0]) {
			char *dir = fs_dirname(config_file);
			dd = fs_join(dir, v);
			free(dir);
		}
	}
	pgconf_release(&cf);
	return dd;
}

static bool file_exists(const char *root, const char *dir, const char *name)
{
	struct stat st;
	char *p = fs_join(dir, name);
	bool ok = fs_stat(root, p, &st) == 0;
	free(p);
	return ok;
}

/* A data directory has PG_VERSION; one we may not enter might be one. */
static bool looks_like_datadir(const char *root, const char *dir)
{
	if (!fs_isdir(root, dir))
		return false;
	return file_exists(root, dir, "PG_VERSION") || !fs_readable(root, dir);
}

static const char *guc_value(const struct postmaster *pm, const char *name)
{
	size_t nl = strlen(name);
	const char *v = NULL;
	for (size_t i = 0; i < pm->ngucs; i++)
		if (strncmp(pm->gucs[i], name, nl) == 0 && pm->gucs[i][nl] == '=')
			v = pm->gucs[i] + nl + 1;
	return v;
}

static void from_processes(const char *root, struct candidates *cs, const struct postmaster *pms,
			   size_t npm)
{
	for (size_t i = 0; i < npm; i++) {
		const struct postmaster *pm = &pms[i];
		const char *cfg = guc_value(pm, "config_file");
		char *datadir = NULL, *config = NULL;

		/* The postmaster runs in its data directory; -D may name a directory
		 * holding only postgresql.conf, whose data_directory says where. */
		if (pm->cwd) {
			datadir = xstrdup(pm->cwd);
		} else {
			const char *d = pm->datadir_arg ? pm->datadir_arg : pm->pgdata_env;
			if (!d)
				continue;
			if (!file_exists(root, d, "PG_VERSION") &&
			    file_exists(root, d, "postgresql.conf")) {
				config = fs_join(d, "postgresql.conf");
				/* A relative config_file is relative to the postmaster's
				 * directory, which is not known here: use -D's. */
				datadir =
				    conf_data_directory(root, cfg && cfg[0] == '/' ? cfg : config);
			}
			if (!datadir) {
				const char *dd = guc_value(pm, "data_directory");
				datadir = xstrdup(dd && dd[0] == '/' ? dd : d);
			}
		}
		if (cfg && cfg[0] == '/') {
			free(config);
			config = xstrdup(cfg);
		}
		struct candidate *c = cand_add(root, cs, datadir, FOUND_PROCESS);
		c->pm = pm;
		set_once(&c->config_file, config);
		debian_cluster(root, c, c->config_file);
		if (!c->version_hint)
			c->version_hint = version_from_path(pm->exe);
		free(datadir);
		free(config);
	}
}

static void from_debian(const char *root, struct candidates *cs)
{
	char **vers;
	size_t nv = fs_list(root, "/etc/postgresql", &vers);
	for (size_t i = 0; i < nv; i++) {
		char *vdir = fs_join("/etc/postgresql", vers[i]);
		char **cl;
		size_t nc = fs_list(root, vdir, &cl);
		for (size_t j = 0; j < nc; j++) {
			char *cdir = fs_join(vdir, cl[j]);
			char *conf = fs_join(cdir, "postgresql.conf");
			if (file_exists(root, cdir, "postgresql.conf")) {
				char *dd = conf_data_directory(root, conf);
				struct sbuf def;
				sbuf_init(&def, 0);
				sbuf_addf(&def, "/var/lib/postgresql/%s/%s", vers[i], cl[j]);
				struct candidate *c =
				    cand_add(root, cs, dd ? dd : def.buf, FOUND_DEBIAN);
				set_once(&c->config_file, conf);
				debian_cluster(root, c, conf);
				sbuf_release(&def);
				free(dd);
			}
			free(conf);
			free(cdir);
		}
		fs_list_free(cl, nc);
		free(vdir);
	}
	fs_list_free(vers, nv);

	/* Clusters with no configuration in /etc (created by hand, or orphaned). */
	nv = fs_list(root, "/var/lib/postgresql", &vers);
	for (size_t i = 0; i < nv; i++) {
		if (!is_version(vers[i]))
			continue;
		char *vdir = fs_join("/var/lib/postgresql", vers[i]);
		char **cl;
		size_t nc = fs_list(root, vdir, &cl);
		for (size_t j = 0; j < nc; j++) {
			char *cdir = fs_join(vdir, cl[j]);
			if (looks_like_datadir(root, cdir)) {
				struct candidate *c = cand_add(root, cs, cdir, FOUND_DEBIAN);
				set_once(&c->version_hint, vers[i]);
			}
			free(cdir);
		}
		fs_list_free(cl, nc);
		free(vdir);
	}
	fs_list_free(vers, nv);
}

static void from_redhat(const char *root, struct candidates *cs)
{
	if (looks_like_datadir(root, "/var/lib/pgsql/data"))
		cand_add(root, cs, "/var/lib/pgsql/data", FOUND_REDHAT);
	char **vers;
	size_t nv = fs_list(root, "/var/lib/pgsql", &vers);
	for (size_t i = 0; i < nv; i++) {
		if (!is_version(vers[i]))
			continue;
		char *vdir = fs_join("/var/lib/pgsql", vers[i]);
		char *d = fs_join(vdir, "data");
		if (looks_like_datadir(root, d)) {
			struct candidate *c = cand_add(root, cs, d, FOUND_REDHAT);
			set_once(&c->version_hint, vers[i]);
		}
		free(d);
		free(vdir);
	}
	fs_list_free(vers, nv);
}

/* Homebrew: BASE/postgres, BASE/postgresql@VER; the service logs to BASE/log/NAME.log. */
static void from_homebrew(const char *root, struct candidates *cs)
{
	static const char *const bases[] = {"/opt/homebrew/var", "/usr/local/var"};
	for (size_t b = 0; b < 2; b++) {
		char **names;
		size_t n = fs_list(root, bases[b], &names);
		for (size_t i = 0; i < n; i++) {
			if (strncmp(names[i], "postgres", 8) != 0)
				continue;
			char *d = fs_join(bases[b], names[i]);
			if (looks_like_datadir(root, d)) {
				struct candidate *c = cand_add(root, cs, d, FOUND_HOMEBREW);
				const char *at = strchr(names[i], '@');
				if (at && is_version(at + 1))
					set_once(&c->version_hint, at + 1);
				if (!c->side_log) {
					struct sbuf sb;
					sbuf_init(&sb, 0);
					sbuf_addf(&sb, "%s/log/%s.log", bases[b], names[i]);
					c->side_log = sbuf_detach(&sb, NULL);
					c->side_how = "Homebrew service log";
				}
			}
			free(d);
		}
		fs_list_free(names, n);
	}
}

/* cargo pgrx: ~/.pgrx/data-VER, logging to ~/.pgrx/VER.log. */
static void from_pgrx(const char *root, struct candidates *cs, const char *home)
{
	if (!home || home[0] != '/')
		return;
	char *dir = fs_join(home, ".pgrx");
	char **names;
	size_t n = fs_list(root, dir, &names);
	for (size_t i = 0; i < n; i++) {
		if (strncmp(names[i], "data-", 5) != 0)
			continue;
		char *d = fs_join(dir, names[i]);
		if (looks_like_datadir(root, d)) {
			struct candidate *c = cand_add(root, cs, d, FOUND_PGRX);
			const char *ver = names[i] + 5;
			if (is_version(ver))
				set_once(&c->version_hint, ver);
			if (!c->side_log && is_version(ver)) {
				struct sbuf sb;
				sbuf_init(&sb, 0);
				sbuf_addf(&sb, "%s/%s.log", dir, ver);
				c->side_log = sbuf_detach(&sb, NULL);
				c->side_how = "pgrx log";
			}
		}
		free(d);
	}
	fs_list_free(names, n);
	free(dir);
}

/* Status, pid and start time from postmaster.pid and the process list. */
static int read_pidfile(const char *root, struct instance *in, const struct candidate *cd)
{
	char *pf = fs_join(in->datadir, "postmaster.pid");
	char *text = fs_read(root, pf, 8192, NULL);
	int port = 0;
	free(pf);
	if (cd->pm) {
		in->status = INSTANCE_RUNNING;
		in->pid = cd->pm->pid;
	}
	if (!text)
		return 0;
	/* Lines: pid, data directory, start time, port, socket dir, addresses, ... */
	char *lines[5] = {0};
	char *p = text;
	for (int i = 0; i < 5 && p; i++) {
		lines[i] = p;
		p = strchr(p, '\n');
		if (p)
			*p++ = '\0';
	}
	long pid = lines[0] ? atol(lines[0]) : 0;
	if (lines[2])
		in->started = atoll(lines[2]);
	if (lines[3])
		port = atoi(lines[3]);
	/* A number too large for a pid (atol saturates) is no pid. */
	if (pid > 0 && (pid_t)pid == pid && in->status != INSTANCE_RUNNING) {
		char proc[64];
		snprintf(proc, sizeof(proc), "/proc/%ld", pid);
		in->pid = (pid_t)pid;
		in->status = fs_isdir(root, proc) ? INSTANCE_RUNNING : INSTANCE_STALE;
	}
	free(text);
	return port;
}

/* log_connections is a boolean up to 17 and a list (empty for none) from 18. */
static bool setting_on(const struct pgconf *cf, const char *name)
{
	const char *v = pgconf_get(cf, name);
	return v && v[0] && pgconf_bool(v) != 0;
}

/* Does pgtail read the messages of locale lc: English, or a language of
 * PostgreSQL's catalogs ("de_DE.UTF-8" is "de", "zh_CN.UTF-8" "zh_CN")? */
static bool readable_lang(const char *lc)
{
	size_t n, u;

	if (!lc || !lc[0] || strcmp(lc, "C") == 0 || strncmp(lc, "C.", 2) == 0 ||
	    strcmp(lc, "POSIX") == 0 || strncmp(lc, "en", 2) == 0)
		return true;
	n = strcspn(lc, ".@");
	u = strcspn(lc, "_.@");
	return lang_from_code(lc, n) >= 0 || lang_from_code(lc, u) >= 0;
}

static void describe(const char *root, const struct candidate *cd, struct instance *in)
{
	struct pgconf cf;

	memset(in, 0, sizeof(*in));
	in->datadir = xstrdup(cd->datadir);
	in->found = cd->found;
	set_once(&in->cluster, cd->cluster);
	in->config_file =
	    cd->config_file ? xstrdup(cd->config_file) : fs_join(cd->datadir, "postgresql.conf");

	pgconf_init(&cf, root);
	in->settings_known = pgconf_load(&cf, in->config_file, 0) == 0;
	if (!in->settings_known) {
		int err = errno;
		char *adv = perm_check(root, in->config_file);
		if (adv)
			instance_note(in, NOTE_UNREADABLE, NULL, "configuration %s %s",
				      in->config_file, adv);
		else
			instance_note(in, NOTE_CONFIG, NULL, "cannot read configuration %s: %s",
				      in->config_file, strerror(err));
		free(adv);
	}
	char *autoconf = fs_join(cd->datadir, "postgresql.auto.conf");
	if (pgconf_load(&cf, autoconf, 0) < 0 && in->settings_known) {
		/* Debian: /etc is readable, the data directory is not. */
		char *adv = perm_check(root, autoconf);
		if (adv)
			instance_note(in, NOTE_UNREADABLE, NULL,
				      "postgresql.auto.conf (ALTER SYSTEM settings) %s", adv);
		free(adv);
	}
	free(autoconf);
	/* Command-line settings win over both files. */
	for (size_t i = 0; cd->pm && i < cd->pm->ngucs; i++) {
		const char *g = cd->pm->gucs[i];
		const char *eq = strchr(g, '=');
		char *name = xmemdupz(g, (size_t)(eq - g));
		pgconf_set(&cf, name, eq + 1, "", 0);
		free(name);
	}
	if (cf.nerrors > 0)
		instance_note(in, NOTE_CONFIG, NULL, "%s%s", cf.errors[0],
			      cf.nerrors > 1 ? " (and more problems)" : "");

	char *vf = fs_join(cd->datadir, "PG_VERSION");
	in->version = fs_read_line(root, vf);
	free(vf);
	if (!in->version && cd->version_hint)
		in->version = xstrdup(cd->version_hint);

	int pidport = read_pidfile(root, in, cd);
	const char *ps = pgconf_get(&cf, "port");
	if (in->status == INSTANCE_RUNNING && pidport > 0)
		in->port = pidport;
	else if (ps && atoi(ps) > 0)
		in->port = atoi(ps);
	else if (in->settings_known) {
		in->port = 5432;
		in->port_default = true;
	} else {
		in->port = 0; /* in settings pgtail cannot read: unknown */
	}

	logloc_fill(root, in, &cf, cd);

	in->log_connections = setting_on(&cf, "log_connections");
	in->log_disconnections = setting_on(&cf, "log_disconnections");
	if (in->settings_known && !(in->log_connections && in->log_disconnections)) {
		const char *what = !in->log_connections && !in->log_disconnections
				       ? "log_connections and log_disconnections are"
				   : !in->log_connections ? "log_connections is"
							  : "log_disconnections is";
		instance_note(in, NOTE_CONNECTIONS_OFF, detect_connections_fix,
			      "%s off: pgtail cannot see every connect and disconnect; as a "
			      "superuser, run:",
			      what);
	}
	if (!readable_lang(in->lc_messages))
		instance_note(in, NOTE_NOT_ENGLISH, NULL,
			      "lc_messages is '%s': pgtail reads English and the languages of "
			      "PostgreSQL's own translations, not this one; set lc_messages = 'C'",
			      in->lc_messages);
	pgconf_release(&cf);
}

static int by_datadir(const void *a, const void *b)
{
	return strcmp(((const struct instance *)a)->datadir, ((const struct instance *)b)->datadir);
}

void detect_instances(const char *root, const struct detect_env *env, struct instance_list *out)
{
	struct candidates cs = {0};
	struct postmaster *pms;
	const char *pgdata = env && env->pgdata ? env->pgdata : getenv("PGDATA");
	const char *home = env && env->home ? env->home : getenv("HOME");

	if (!root)
		root = "";
	size_t npm = proc_scan(root, &pms);
	from_processes(root, &cs, pms, npm);
	if (pgdata && pgdata[0] == '/' && looks_like_datadir(root, pgdata))
		cand_add(root, &cs, pgdata, FOUND_PGDATA);
	from_debian(root, &cs);
	from_redhat(root, &cs);
	from_homebrew(root, &cs);
	from_pgrx(root, &cs, home);

	out->n = cs.n;
	out->v = cs.n ? xcalloc(cs.n, sizeof(*out->v)) : NULL;
	for (size_t i = 0; i < cs.n; i++)
		describe(root, &cs.v[i], &out->v[i]);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), by_datadir);

	for (size_t i = 0; i < cs.n; i++) {
		free(cs.v[i].datadir);
		free(cs.v[i].config_file);
		free(cs.v[i].cluster);
		free(cs.v[i].version_hint);
		free(cs.v[i].side_log);
	}
	free(cs.v);
	postmasters_free(pms, npm);
}

void instance_list_release(struct instance_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct instance *in = &l->v[i];
		free(in->datadir);
		free(in->config_file);
		free(in->cluster);
		free(in->version);
		free(in->destination);
		free(in->log_directory);
		free(in->log_filename);
		free(in->line_prefix);
		free(in->lc_messages);
		free(in->journal_unit);
		for (size_t j = 0; j < in->nlogs; j++) {
			free(in->logs[j].path);
			free(in->logs[j].advice);
		}
		free(in->logs);
		for (size_t j = 0; j < in->nolder; j++)
			free(in->older[j]);
		free(in->older);
		for (size_t j = 0; j < in->nnotes; j++)
			free(in->notes[j].text);
		free(in->notes);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
