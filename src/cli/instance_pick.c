/* SPDX-License-Identifier: PostgreSQL */
/* From an instance number to its log files; see instance_pick.h. */
#include "cli/instance_pick.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/instances.h"
#include "util/diag.h"
#include "util/xalloc.h"

int instance_is_number(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 3)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return atoi(s) > 0;
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
		size_t k = (size_t)atoi(which);
		if (k < 1 || k > l.n) {
			diag_warn(err, "no instance %s: 'list' shows %zu", which, l.n);
			goto out;
		}
		in = &l.v[k - 1];
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
			diag_warn(err, "%zu instances found: pick one with its number from 'list'", l.n);
			in = NULL;
			goto out;
		}
	}
	if (!in->nlogs) {
		diag_warn(err, "instance '%s' has no log file that pgtail could find", in->datadir);
		goto out;
	}
	if (!in->logs[0].readable) {
		diag_warn(err, "cannot read '%s'%s%s", in->logs[0].path,
			 in->logs[0].advice ? ": " : "", in->logs[0].advice ? in->logs[0].advice : "");
		goto out;
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
	snprintf(label, sizeof(label), "%s (port %d)", in->logs[0].path, in->port);
	t->label = xstrdup(label);
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
	memset(t, 0, sizeof(*t));
}
