/* SPDX-License-Identifier: PostgreSQL */
/* From an instance number to its log files; see instance_pick.h. */
#include "cli/instance_pick.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "detect/instances.h"
#include "util/diag.h"
#include "util/xalloc.h"

/* s is all digits, 1 to max_len of them. */
static bool digits(const char *s, size_t max_len)
{
	size_t n = strlen(s);
	if (n == 0 || n > max_len)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* A Debian cluster name: "15/main". */
static bool cluster_name(const char *s)
{
	const char *slash = strchr(s, '/');
	if (!slash || slash == s || !slash[1] || strchr(slash + 1, '/'))
		return false;
	for (const char *p = s; p < slash; p++)
		if ((*p < '0' || *p > '9') && *p != '.')
			return false;
	return true;
}

/* A data directory: holds PG_VERSION. */
static bool data_directory(const char *s)
{
	char p[4096];
	struct stat st;
	snprintf(p, sizeof(p), "%s/PG_VERSION", s);
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

bool instance_is_name(const char *s)
{
	return (digits(s, 3) && atoi(s) > 0) ||
	       (digits(s, 5) && atoi(s) >= 1000 && atoi(s) <= 65535) || cluster_name(s) ||
	       data_directory(s);
}

/* Does instance in answer to which (a number as 'list' shows it, a port, a
 * cluster name or a data directory)? */
static bool answers(const struct instance *in, size_t num, const char *which)
{
	if (digits(which, 3))
		return (size_t)atoi(which) == num;
	if (digits(which, 5))
		return in->port == atoi(which) && !in->port_default;
	if (cluster_name(which))
		return in->cluster && !strcmp(in->cluster, which);
	char real[PATH_MAX];
	return realpath(which, real) && !strcmp(real, in->datadir);
}

/* The log files of instance in as PATH arguments, with a label for
 * messages; 0, or -1 after a warning on err (no log, unreadable). */
static int target_of(const struct instance *in, struct out *err, struct instance_target *t)
{
	memset(t, 0, sizeof(*t));
	if (!in->nlogs && in->journal_unit) {
		char label[512];
		snprintf(label, sizeof(label), "the systemd journal of %s (%s)", in->journal_unit,
			 in->datadir);
		t->label = xstrdup(label);
		t->server = xstrdup(in->cluster ? in->cluster : in->datadir);
		t->journal_unit = xstrdup(in->journal_unit);
		return 0;
	}
	if (!in->nlogs) {
		diag_warn(err, "instance '%s' has no log file that pgtail could find", in->datadir);
		return -1;
	}
	if (!in->logs[0].readable) {
		diag_warn(err, "cannot read '%s'%s%s", in->logs[0].path,
			  in->logs[0].advice ? ": " : "",
			  in->logs[0].advice ? in->logs[0].advice : "");
		return -1;
	}
	t->args = xcalloc(in->nolder + 2, sizeof(*t->args));
	if (in->collector && in->log_directory) {
		/* Rotation brings new files: follow the directory. */
		t->args[t->nargs++] = xstrdup(in->log_directory);
	} else {
		for (size_t i = 0; i < in->nolder; i++)
			t->args[t->nargs++] = xstrdup(in->older[i]);
		t->args[t->nargs++] = xstrdup(in->logs[0].path);
	}
	char label[512];
	char port[16] = "?";
	if (in->port)
		snprintf(port, sizeof(port), "%d", in->port);
	snprintf(label, sizeof(label), "%s (%s%s%s, port %s)", in->logs[0].path, in->datadir,
		 in->cluster ? ", " : "", in->cluster ? in->cluster : "", port);
	t->label = xstrdup(label);
	t->server = xstrdup(in->cluster ? in->cluster : in->datadir);
	return 0;
}

/* Say that t's instance logs only to the journal, which what (a command)
 * cannot follow; -1. */
int instance_journal_only(const struct instance_target *t, const char *what, struct out *err)
{
	return diag_error(err,
			  "%s logs only to the systemd journal, which %s does not follow: read it "
			  "with 'pgtail connections --journal --unit=%s' (--watch to follow it)",
			  t->label, what, t->journal_unit);
}

int instance_pick(const char *which, struct out *err, struct instance_target *t)
{
	struct instance_list l = {0};
	const struct instance *in = NULL;
	int rc = -1;

	memset(t, 0, sizeof(*t));
	detect_instances("", NULL, &l);
	if (l.n == 0) {
		diag_warn(err, "no PostgreSQL instance found on this machine; give a log file or "
			       "directory");
		goto out;
	}
	if (which) {
		size_t found = 0;
		for (size_t i = 0; i < l.n; i++)
			if (answers(&l.v[i], i + 1, which)) {
				in = &l.v[i];
				found++;
			}
		if (found != 1) {
			diag_error(err,
				   "%s instance '%s': 'list' shows %zu (pick one by its number, "
				   "port, cluster name or data directory)",
				   found ? "more than one" : "no", which, l.n);
			in = NULL;
			goto out;
		}
	} else if (l.n == 1) {
		in = &l.v[0];
	} else {
		size_t running = 0;
		for (size_t i = 0; i < l.n; i++)
			if (l.v[i].status == INSTANCE_RUNNING) {
				running++;
				in = &l.v[i];
			}
		if (running != 1) {
			diag_error(err,
				   "%zu instances found: pick one by its number from 'list', its "
				   "port, cluster name or data directory",
				   l.n);
			in = NULL;
			goto out;
		}
	}
	if (target_of(in, err, t) < 0)
		goto out;
	rc = 0;
out:
	instance_list_release(&l);
	return rc;
}

void instance_target_release(struct instance_target *t)
{
	for (size_t i = 0; i < t->nargs; i++)
		free(t->args[i]);
	free(t->args);
	free(t->label);
	free(t->server);
	free(t->journal_unit);
	memset(t, 0, sizeof(*t));
}

size_t instance_pick_all(struct out *err, struct instance_target **v)
{
	struct instance_list l = {0};
	size_t n = 0;

	*v = NULL;
	detect_instances("", NULL, &l);
	if (l.n == 0)
		diag_warn(err, "no PostgreSQL instance found on this machine; give a log file or "
			       "directory");
	else
		*v = xcalloc(l.n, sizeof(**v));
	for (size_t i = 0; i < l.n; i++)
		if (target_of(&l.v[i], err, &(*v)[n]) == 0)
			n++;
	instance_list_release(&l);
	return n;
}
