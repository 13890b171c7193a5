/* SPDX-License-Identifier: PostgreSQL */
/*
 * Unit tests for instance detection: the postgresql.conf reader (quoting,
 * comments, includes, auto.conf winning, relative paths) and detection on
 * fake file-system layouts built in a temporary directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "detect/conf.h"
#include "detect/instances.h"

static char root[] = "/tmp/pgtail-detect-XXXXXX";
static const struct detect_env no_env = {"", ""};

static int setup(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(root));
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd);
}

/* Empty the fake root between layouts. */
static void clean_root(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'/*", root);
	assert_int_equal(system(cmd), 0);
}

static void mkdirs(const char *path)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(buf, 0755);
			*p = '/';
		}
	}
	mkdir(buf, 0755);
}

/* Write len bytes to root + rel, creating directories. */
static void put_n(const char *rel, const char *data, size_t len)
{
	char path[512], dir[512];
	snprintf(path, sizeof(path), "%s%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	mkdirs(dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void put(const char *rel, const char *text)
{
	put_n(rel, text, strlen(text));
}

/* A literal that holds NUL bytes (a /proc cmdline). */
#define PUT_BYTES(rel, lit) put_n((rel), (lit), sizeof(lit) - 1)

static void link_to(const char *rel, const char *target)
{
	char path[512], dir[512];
	snprintf(path, sizeof(path), "%s%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	mkdirs(dir);
	assert_int_equal(symlink(target, path), 0);
}

/* Set a file's modification time to t seconds since the epoch. */
static void age(const char *rel, long t)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "touch -d @%ld '%s%s'", t, root, rel);
	assert_int_equal(system(cmd), 0);
}

static const struct instance_note *find_note(const struct instance *in,
					     enum instance_note_kind kind)
{
	for (size_t i = 0; i < in->nnotes; i++)
		if (in->notes[i].kind == kind)
			return &in->notes[i];
	return NULL;
}

/* --- the configuration reader ----------------------------------------- */

static void test_conf_syntax(void **state)
{
	static const char text[] = "# a comment line\n"
				   "   \t\n"
				   "port = 5433   # trailing comment\n"
				   "Log_Line_Prefix = '%m [%p] %q%u@%d '\n"
				   "log_directory 'pg''s log'\n"
				   "shared_buffers=128MB\n"
				   "escaped = 'a\\tb\\\\c\\'d\\101'\n"
				   "number = -1.5e3\n"
				   "hex = 0x1F\n"
				   "custom.option = on\n"
				   "hash_in_quotes = 'a # b' # c\n"
				   "path = /not/a/bare/word\n"
				   "word = en_US.UTF-8\n"
				   "crlf = 'x'\r\n";
	struct pgconf c;
	(void)state;
	pgconf_init(&c, "");
	c.follow_includes = false;
	int problems = pgconf_parse(&c, text, sizeof(text) - 1, "/etc/x.conf", 0);
	assert_int_equal(problems, 1); /* the bare path */
	assert_string_equal(pgconf_get(&c, "port"), "5433");
	assert_string_equal(pgconf_get(&c, "log_line_prefix"), "%m [%p] %q%u@%d ");
	assert_string_equal(pgconf_get(&c, "LOG_LINE_PREFIX"), "%m [%p] %q%u@%d ");
	assert_string_equal(pgconf_get(&c, "log_directory"), "pg's log");
	assert_string_equal(pgconf_get(&c, "shared_buffers"), "128MB");
	assert_string_equal(pgconf_get(&c, "escaped"), "a\tb\\c'dA");
	assert_string_equal(pgconf_get(&c, "number"), "-1.5e3");
	assert_string_equal(pgconf_get(&c, "hex"), "0x1F");
	assert_string_equal(pgconf_get(&c, "custom.option"), "on");
	assert_string_equal(pgconf_get(&c, "hash_in_quotes"), "a # b");
	assert_null(pgconf_get(&c, "path"));
	assert_string_equal(pgconf_get(&c, "word"), "en_US.UTF-8");
	assert_string_equal(pgconf_get(&c, "crlf"), "x");
	const struct pgconf_setting *s = pgconf_find(&c, "port");
	assert_string_equal(s->file, "/etc/x.conf");
	assert_int_equal(s->line, 3);
	assert_non_null(strstr(c.errors[0], "/etc/x.conf:12:"));
	pgconf_release(&c);
}

static void test_conf_errors(void **state)
{
	static const char text[] = "port =\n"
				   "= 5\n"
				   "a = 'unterminated\n"
				   "b = c d\n"
				   "bad! = 1\n"
				   "9lives = 1\n"
				   "ok = 1\n"
				   "port = 6000\n"
				   "port = 6001 # later wins\n";
	struct pgconf c;
	(void)state;
	pgconf_init(&c, "");
	c.follow_includes = false;
	assert_int_equal(pgconf_parse(&c, text, sizeof(text) - 1, "f", 0), 6);
	assert_int_equal(c.nerrors, 6);
	assert_string_equal(pgconf_get(&c, "ok"), "1");
	assert_string_equal(pgconf_get(&c, "port"), "6001");
	assert_null(pgconf_get(&c, "a"));
	assert_null(pgconf_get(&c, "b"));
	pgconf_release(&c);
}

static void test_conf_bool(void **state)
{
	(void)state;
	assert_int_equal(pgconf_bool("on"), 1);
	assert_int_equal(pgconf_bool("ON"), 1);
	assert_int_equal(pgconf_bool("true"), 1);
	assert_int_equal(pgconf_bool("t"), 1);
	assert_int_equal(pgconf_bool("yes"), 1);
	assert_int_equal(pgconf_bool("1"), 1);
	assert_int_equal(pgconf_bool("off"), 0);
	assert_int_equal(pgconf_bool("of"), 0);
	assert_int_equal(pgconf_bool("f"), 0);
	assert_int_equal(pgconf_bool("no"), 0);
	assert_int_equal(pgconf_bool("0"), 0);
	assert_int_equal(pgconf_bool("o"), -1);
	assert_int_equal(pgconf_bool(""), -1);
	assert_int_equal(pgconf_bool("receipt"), -1);
	assert_int_equal(pgconf_bool("onn"), -1);
}

static void test_conf_includes(void **state)
{
	struct pgconf c;
	(void)state;
	clean_root();
	put("/etc/pg/postgresql.conf", "port = 1\n"
				       "include 'conf.d/first.conf'\n"
				       "include_if_exists 'missing.conf'\n"
				       "INCLUDE_DIR 'conf.d'\n"
				       "include '/opt/abs.conf'\n"
				       "include 'missing-too.conf'\n"
				       "after = 1\n");
	put("/etc/pg/conf.d/first.conf", "port = 2\nfrom_first = yes\ninclude 'sub/deeper.conf'\n");
	put("/etc/pg/conf.d/sub/deeper.conf", "deeper = 'relative to conf.d'\n");
	put("/etc/pg/conf.d/b.conf", "order = b\n");
	put("/etc/pg/conf.d/a.conf", "order = a\nport = 3\n");
	put("/etc/pg/conf.d/.hidden.conf", "order = hidden\n");
	put("/etc/pg/conf.d/notes.txt", "order = txt\n");
	put("/opt/abs.conf", "absolute = 1\n");
	put("/etc/pg/loop.conf", "include 'loop.conf'\n");

	pgconf_init(&c, root);
	assert_int_equal(pgconf_load(&c, "/etc/pg/postgresql.conf", 0), 0);
	/* include_dir reads a.conf, b.conf, first.conf in name order. */
	assert_string_equal(pgconf_get(&c, "port"), "2");
	assert_string_equal(pgconf_get(&c, "from_first"), "yes");
	assert_string_equal(pgconf_get(&c, "deeper"), "relative to conf.d");
	assert_string_equal(pgconf_get(&c, "order"), "b");
	assert_string_equal(pgconf_get(&c, "absolute"), "1");
	assert_string_equal(pgconf_get(&c, "after"), "1");
	assert_string_equal(pgconf_find(&c, "deeper")->file, "/etc/pg/conf.d/sub/deeper.conf");
	/* first.conf is read twice (include and include_dir); only the
	 * missing plain include is a problem. */
	assert_int_equal(c.nerrors, 1);
	assert_non_null(strstr(c.errors[0], "missing-too.conf"));
	pgconf_release(&c);

	/* A file that includes itself stops at the server's depth limit. */
	pgconf_init(&c, root);
	assert_int_equal(pgconf_load(&c, "/etc/pg/loop.conf", 0), 0);
	assert_int_equal(c.nerrors, 1);
	assert_non_null(strstr(c.errors[0], "nested too deeply"));
	pgconf_release(&c);

	pgconf_init(&c, root);
	assert_int_equal(pgconf_load(&c, "/etc/pg/nope.conf", 0), -1);
	pgconf_release(&c);
}

/* --- permission advice --------------------------------------------------- */

static void test_perm_advice(void **state)
{
	char *s;
	(void)state;
	s = detect_perm_advice("postgres", "adm", S_IFREG | 0640, false, NULL);
	assert_string_equal(s, "not readable: owned by postgres:adm, mode 0640 — run as postgres "
			       "or add yourself to group adm");
	free(s);
	s = detect_perm_advice("postgres", "postgres", S_IFREG | 0600, false, NULL);
	assert_string_equal(s, "not readable: owned by postgres:postgres, mode 0600 — run as "
			       "postgres");
	free(s);
	s = detect_perm_advice("postgres", "postgres", S_IFDIR | 0700, true,
			       "/var/lib/postgresql/15/main");
	assert_string_equal(s, "not readable: directory /var/lib/postgresql/15/main is owned by "
			       "postgres:postgres, mode 0700 — run as postgres");
	free(s);
	/* A directory needs x as well as r for the group to list it. */
	s = detect_perm_advice("postgres", "adm", S_IFDIR | 0740, true, NULL);
	assert_string_equal(s, "not readable: owned by postgres:adm, mode 0740 — run as postgres");
	free(s);
	s = detect_perm_advice("root", "root", S_IFREG | 0000, false, NULL);
	assert_string_equal(s, "not readable: owned by root:root, mode 0000 — only root can read "
			       "it");
	free(s);
	s = detect_perm_advice("1001", "1001", S_IFREG | 0604, false, NULL);
	assert_non_null(strstr(s, "check ACLs"));
	free(s);
}

/* --- fake layouts -------------------------------------------------------- */

static void debian_layout(void)
{
	clean_root();
	put("/etc/postgresql/15/main/postgresql.conf",
	    "data_directory = '/var/lib/postgresql/15/main'\n"
	    "port = 5433\n"
	    "log_line_prefix = '%m [%p] %q%u@%d '\n"
	    "lc_messages = 'C.UTF-8'\n"
	    "cluster_name = '15/main'\n"
	    "include_dir = 'conf.d'\n");
	put("/etc/postgresql/15/main/conf.d/pgtail.conf", "log_connections = on\n");
	put("/var/lib/postgresql/15/main/PG_VERSION", "15\n");
	put("/var/lib/postgresql/15/main/postgresql.auto.conf",
	    "# Do not edit this file manually!\nlog_disconnections = 'on'\n");
	put("/var/log/postgresql/postgresql-15-main.log", "x\n");
	put("/var/log/postgresql/postgresql-15-main.log.1", "x\n");
	put("/var/log/postgresql/postgresql-15-main.log.2.gz", "x\n");
	put("/var/log/postgresql/postgresql-15-main.log.10.gz", "x\n");
	put("/var/log/postgresql/postgresql-14-main.log.1", "x\n");
}

static void test_debian_stopped(void **state)
{
	struct instance_list l;
	(void)state;
	debian_layout();
	detect_instances(root, &no_env, &l);
	assert_int_equal(l.n, 1);
	const struct instance *in = &l.v[0];
	assert_string_equal(in->datadir, "/var/lib/postgresql/15/main");
	assert_string_equal(in->version, "15");
	assert_string_equal(in->cluster, "15/main");
	assert_string_equal(in->config_file, "/etc/postgresql/15/main/postgresql.conf");
	assert_int_equal(in->port, 5433);
	assert_false(in->port_default);
	assert_int_equal(in->status, INSTANCE_STOPPED);
	assert_int_equal(in->found, FOUND_DEBIAN);
	assert_false(in->collector);
	assert_true(in->log_connections);
	assert_true(in->log_disconnections);
	assert_string_equal(in->line_prefix, "%m [%p] %q%u@%d ");
	assert_int_equal(in->nlogs, 1);
	assert_string_equal(in->logs[0].path, "/var/log/postgresql/postgresql-15-main.log");
	assert_int_equal(in->logs[0].dest, LOGFMT_STDERR);
	assert_string_equal(in->logs[0].how, "pg_ctlcluster");
	assert_true(in->logs[0].readable);
	assert_int_equal(in->nolder, 3);
	assert_string_equal(in->older[0], "/var/log/postgresql/postgresql-15-main.log.1");
	assert_string_equal(in->older[1], "/var/log/postgresql/postgresql-15-main.log.2.gz");
	assert_string_equal(in->older[2], "/var/log/postgresql/postgresql-15-main.log.10.gz");
	assert_int_equal(in->nnotes, 0);
	instance_list_release(&l);
}

/* The same cluster running: found through /proc and /etc, listed once. */
static void test_debian_running(void **state)
{
	struct instance_list l;
	(void)state;
	debian_layout();
	/* A symlinked data directory must still be recognised as the same one. */
	link_to("/srv/main-link", "../var/lib/postgresql/15/main");
	put("/proc/812/stat", "812 (postgres) S 1 812 812 0 -1");
	PUT_BYTES("/proc/812/cmdline",
		  "/usr/lib/postgresql/15/bin/postgres\0-D\0/srv/main-link\0-c\0"
		  "config_file=/etc/postgresql/15/main/postgresql.conf\0");
	put("/proc/813/stat", "813 (postgres) S 812 812 812 0 -1");
	put("/proc/813/cmdline", "postgres: 15/main: checkpointer ");
	put("/proc/900/stat", "900 (bash) S 1 900 900 0 -1");
	put("/var/lib/postgresql/15/main/postmaster.pid",
	    "812\n/var/lib/postgresql/15/main\n1767225600\n5433\n/var/run/postgresql\n*\n"
	    "  5433001    32768\nready   \n");
	detect_instances(root, &no_env, &l);
	assert_int_equal(l.n, 1);
	const struct instance *in = &l.v[0];
	assert_string_equal(in->datadir, "/var/lib/postgresql/15/main");
	assert_int_equal(in->status, INSTANCE_RUNNING);
	assert_int_equal(in->pid, 812);
	assert_int_equal(in->started, 1767225600);
	assert_int_equal(in->port, 5433);
	assert_int_equal(in->found, FOUND_DEBIAN | FOUND_PROCESS);
	assert_string_equal(in->logs[0].path, "/var/log/postgresql/postgresql-15-main.log");
	instance_list_release(&l);
}

static void collector_layout(void)
{
	clean_root();
	put("/srv/pg/data/PG_VERSION", "16\n");
	put("/srv/pg/data/postgresql.conf", "port = 5499\n"
					    "logging_collector = on\n"
					    "log_destination = 'stderr,csvlog'\n"
					    "log_connections = off\n"
					    "#log_disconnections = on\n"
					    "lc_messages = 'pt_BR.UTF-8'\n");
	put("/srv/pg/data/postgresql.auto.conf", "port = 5440\n");
	put("/srv/pg/data/current_logfiles", "stderr log/postgresql-2026-01-02_000000.log\n"
					     "csvlog log/postgresql-2026-01-02_000000.csv\n");
	put("/srv/pg/data/log/postgresql-2026-01-01_000000.log", "old\n");
	put("/srv/pg/data/log/postgresql-2026-01-01_000000.csv", "old\n");
	put("/srv/pg/data/log/postgresql-2026-01-02_000000.log", "new\n");
	put("/srv/pg/data/log/postgresql-2026-01-02_000000.csv", "new\n");
	age("/srv/pg/data/log/postgresql-2026-01-01_000000.log", 1767225600);
	age("/srv/pg/data/log/postgresql-2026-01-02_000000.log", 1767312000);
	link_to("/srv/pgdata", "pg/data");
}

static void test_collector_current_logfiles(void **state)
{
	struct instance_list l;
	const struct detect_env env = {"/srv/pgdata", ""};
	(void)state;
	collector_layout();
	put("/proc/4242/stat", "4242 (postgres) S 1 4242");
	PUT_BYTES("/proc/4242/cmdline", "/usr/lib/postgresql/16/bin/postgres\0-D\0/srv/pg/data\0");
	put("/proc/4243/stat", "4243 (postgres) S 4242 4242");
	put("/srv/pg/data/postmaster.pid", "4242\n/srv/pg/data\n1767312000\n5440\n/tmp\n");
	detect_instances(root, &env, &l);
	assert_int_equal(l.n, 1);
	const struct instance *in = &l.v[0];
	assert_string_equal(in->datadir, "/srv/pg/data");
	assert_string_equal(in->version, "16");
	assert_int_equal(in->found, FOUND_PROCESS | FOUND_PGDATA);
	assert_int_equal(in->status, INSTANCE_RUNNING);
	assert_int_equal(in->pid, 4242);
	assert_int_equal(in->port, 5440);
	assert_true(in->collector);
	assert_string_equal(in->log_directory, "/srv/pg/data/log");
	assert_int_equal(in->nlogs, 2);
	assert_string_equal(in->logs[0].path, "/srv/pg/data/log/postgresql-2026-01-02_000000.log");
	assert_int_equal(in->logs[0].dest, LOGFMT_STDERR);
	assert_string_equal(in->logs[0].how, "current_logfiles");
	assert_string_equal(in->logs[1].path, "/srv/pg/data/log/postgresql-2026-01-02_000000.csv");
	assert_int_equal(in->logs[1].dest, LOGFMT_CSV);
	assert_int_equal(in->nolder, 1);
	assert_string_equal(in->older[0], "/srv/pg/data/log/postgresql-2026-01-01_000000.log");
	assert_false(in->log_connections);
	assert_false(in->log_disconnections);
	const struct instance_note *n = find_note(in, NOTE_CONNECTIONS_OFF);
	assert_non_null(n);
	assert_non_null(strstr(n->text, "log_connections and log_disconnections are off"));
	assert_string_equal(n->fix[0], "ALTER SYSTEM SET log_connections = on;");
	assert_string_equal(n->fix[1], "ALTER SYSTEM SET log_disconnections = on;");
	assert_string_equal(n->fix[2], "SELECT pg_reload_conf();");
	assert_null(n->fix[3]);
	assert_non_null(find_note(in, NOTE_NOT_ENGLISH));
	instance_list_release(&l);
}

/* Stopped, no current_logfiles (9.6 never writes one): the newest file;
 * a postmaster.pid left behind by a crash is stale. */
static void test_collector_newest_and_stale(void **state)
{
	struct instance_list l;
	const struct detect_env env = {"/srv/pgdata", ""};
	(void)state;
	collector_layout();
	put("/srv/pg/data/current_logfiles", "");
	put("/srv/pg/data/postgresql.auto.conf", "log_connections = 'receipt'\n"
						 "log_disconnections = true\n");
	put("/srv/pg/data/postmaster.pid", "999\n/srv/pg/data\n1767312000\n5440\n");
	detect_instances(root, &env, &l);
	assert_int_equal(l.n, 1);
	const struct instance *in = &l.v[0];
	assert_int_equal(in->status, INSTANCE_STALE);
	assert_int_equal(in->pid, 999);
	assert_int_equal(in->port, 5499);
	assert_int_equal(in->nlogs, 2);
	assert_string_equal(in->logs[0].path, "/srv/pg/data/log/postgresql-2026-01-02_000000.log");
	assert_string_equal(in->logs[0].how, "newest in log_directory");
	assert_true(in->log_connections);
	assert_true(in->log_disconnections);
	assert_null(find_note(in, NOTE_CONNECTIONS_OFF));
	instance_list_release(&l);
}

/* Without the collector, the postmaster's fd 2 is the log (pg_ctl -l). */
static void test_stderr_of_postmaster(void **state)
{
	struct instance_list l;
	(void)state;
	clean_root();
	put("/data/PG_VERSION", "17\n");
	put("/data/postgresql.conf", "log_connections = on\nlog_disconnections = on\n");
	put("/proc/77/stat", "77 (postgres) S 1 77");
	PUT_BYTES("/proc/77/cmdline", "postgres\0-p\0"
				      "6543\0--log-line-prefix=%t \0");
	link_to("/proc/77/cwd", "/data");
	link_to("/proc/77/fd/2", "/home/dev/pg.log");
	link_to("/proc/77/fd/1", "/dev/null");
	put("/home/dev/pg.log", "x\n");
	detect_instances(root, &no_env, &l);
	assert_int_equal(l.n, 1);
	const struct instance *in = &l.v[0];
	assert_string_equal(in->datadir, "/data");
	assert_int_equal(in->status, INSTANCE_RUNNING);
	assert_int_equal(in->port, 6543);
	assert_string_equal(in->line_prefix, "%t ");
	assert_int_equal(in->nlogs, 1);
	assert_string_equal(in->logs[0].path, "/home/dev/pg.log");
	assert_string_equal(in->logs[0].how, "postmaster stderr");
	assert_int_equal(in->nnotes, 0);
	instance_list_release(&l);
}

static void test_other_layouts(void **state)
{
	struct instance_list l;
	const struct detect_env env = {"", "/home/dev"};
	(void)state;
	clean_root();
	put("/var/lib/pgsql/data/PG_VERSION", "13\n");
	put("/var/lib/pgsql/data/postgresql.conf", "logging_collector = on\n");
	put("/var/lib/pgsql/16/data/PG_VERSION", "16\n");
	put("/var/lib/pgsql/16/data/postgresql.conf", "logging_collector = on\n");
	put("/var/lib/pgsql/16/data/log/postgresql-Mon.log", "x\n");
	put("/opt/homebrew/var/postgresql@14/PG_VERSION", "14\n");
	put("/opt/homebrew/var/log/postgresql@14.log", "x\n");
	put("/usr/local/var/postgres/PG_VERSION", "12\n");
	put("/usr/local/var/postgres-not-data/README", "x\n");
	put("/home/dev/.pgrx/data-17/PG_VERSION", "17\n");
	put("/home/dev/.pgrx/17.log", "x\n");
	mkdirs("/tmp/empty");
	detect_instances(root, &env, &l);
	assert_int_equal(l.n, 5);
	/* Sorted by data directory. */
	assert_string_equal(l.v[0].datadir, "/home/dev/.pgrx/data-17");
	assert_int_equal(l.v[0].found, FOUND_PGRX);
	assert_string_equal(l.v[0].logs[0].path, "/home/dev/.pgrx/17.log");
	assert_string_equal(l.v[1].datadir, "/opt/homebrew/var/postgresql@14");
	assert_int_equal(l.v[1].found, FOUND_HOMEBREW);
	assert_string_equal(l.v[1].logs[0].path, "/opt/homebrew/var/log/postgresql@14.log");
	assert_string_equal(l.v[2].datadir, "/usr/local/var/postgres");
	assert_int_equal(l.v[2].nlogs, 0);
	assert_non_null(find_note(&l.v[2], NOTE_NO_LOG_FILE));
	assert_string_equal(l.v[3].datadir, "/var/lib/pgsql/16/data");
	assert_int_equal(l.v[3].found, FOUND_REDHAT);
	assert_string_equal(l.v[3].logs[0].path, "/var/lib/pgsql/16/data/log/postgresql-Mon.log");
	assert_string_equal(l.v[4].datadir, "/var/lib/pgsql/data");
	assert_string_equal(l.v[4].version, "13");
	assert_int_equal(l.v[4].nlogs, 0);
	assert_non_null(find_note(&l.v[4], NOTE_NO_LOG_FILE));
	assert_non_null(find_note(&l.v[4], NOTE_CONNECTIONS_OFF));
	instance_list_release(&l);

	clean_root();
	detect_instances(root, &env, &l);
	assert_int_equal(l.n, 0);
	instance_list_release(&l);
}

/* A log the current user cannot read carries the advice (only testable as
 * a user other than root; as root it checks nothing is flagged). */
static void test_unreadable_log(void **state)
{
	struct instance_list l;
	(void)state;
	debian_layout();
	char path[512];
	snprintf(path, sizeof(path), "%s/var/log/postgresql/postgresql-15-main.log", root);
	assert_int_equal(chmod(path, 0), 0);
	detect_instances(root, &no_env, &l);
	assert_int_equal(l.n, 1);
	if (geteuid() == 0) {
		assert_true(l.v[0].logs[0].readable);
		assert_null(l.v[0].logs[0].advice);
	} else {
		assert_false(l.v[0].logs[0].readable);
		assert_non_null(strstr(l.v[0].logs[0].advice, "mode 0000"));
	}
	instance_list_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_conf_syntax),
	    cmocka_unit_test(test_conf_errors),
	    cmocka_unit_test(test_conf_bool),
	    cmocka_unit_test(test_conf_includes),
	    cmocka_unit_test(test_perm_advice),
	    cmocka_unit_test(test_debian_stopped),
	    cmocka_unit_test(test_debian_running),
	    cmocka_unit_test(test_collector_current_logfiles),
	    cmocka_unit_test(test_collector_newest_and_stale),
	    cmocka_unit_test(test_stderr_of_postmaster),
	    cmocka_unit_test(test_other_layouts),
	    cmocka_unit_test(test_unreadable_log),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
