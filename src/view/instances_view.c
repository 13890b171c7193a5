/* SPDX-License-Identifier: PostgreSQL */
/* The instances 'list' found, as text or JSON; see instances_view.h. */
#include "view/instances_view.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "view/jsonout.h"

static const char *status_word(enum instance_status s)
{
	switch (s) {
	case INSTANCE_RUNNING:
		return "running";
	case INSTANCE_STALE:
		return "stale";
	case INSTANCE_STOPPED:
		break;
	}
	return "stopped";
}

static const char *note_kind(enum instance_note_kind k)
{
	switch (k) {
	case NOTE_CONNECTIONS_OFF:
		return "connections_off";
	case NOTE_UNREADABLE:
		return "unreadable";
	case NOTE_NOT_ENGLISH:
		return "not_english";
	case NOTE_NO_LOG_FILE:
		return "no_log_file";
	case NOTE_SYSLOG:
		return "syslog";
	case NOTE_JOURNAL:
		return "journal";
	case NOTE_CONFIG:
		return "config";
	}
	return "other";
}

/* Is path inside dir? */
static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return strncmp(path, dir, n) == 0 && path[n] == '/';
}

static void print_instance(struct out *o, size_t num, const struct instance *in)
{
	char nbuf[24];
	snprintf(nbuf, sizeof(nbuf), "%zu", num);
	out_padded(o, nbuf, 2);
	out_puts(o, " PostgreSQL ");
	out_name(o, in->version ? in->version : "?");
	if (in->port)
		out_printf(o, "  port %d  ", in->port);
	else
		out_puts(o, "  port ?  ");
	if (in->status == INSTANCE_RUNNING)
		out_printf(o, "running (pid %ld)  ", (long)in->pid);
	else if (in->status == INSTANCE_STALE)
		out_printf(o, "stopped (stale postmaster.pid names pid %ld)  ", (long)in->pid);
	else
		out_puts(o, "stopped  ");
	out_name(o, in->datadir);
	out_puts(o, "\n");

	if (in->config_file && !under(in->config_file, in->datadir)) {
		out_puts(o, "   config: ");
		out_name(o, in->config_file);
		if (in->cluster) {
			out_puts(o, " (cluster ");
			out_name(o, in->cluster);
			out_puts(o, ")");
		}
		out_puts(o, "\n");
	}
	for (size_t i = 0; i < in->nlogs; i++) {
		const struct instance_log *l = &in->logs[i];
		out_puts(o, "   log: ");
		out_name(o, l->path);
		out_printf(o, " (%s", log_format_name(l->dest));
		if (strcmp(l->how, "newest in log_directory") == 0)
			out_printf(o, ", %s", l->how);
		if (l->dest == LOGFMT_STDERR) {
			out_puts(o, ", prefix '");
			out_name(o, in->line_prefix);
			out_puts(o, "'");
		}
		out_puts(o, ")\n");
		if (l->advice) {
			out_puts(o, "        ");
			out_name(o, l->advice);
			out_puts(o, "\n");
		}
	}
	if (in->nolder > 0) {
		const char *newest = strrchr(in->older[0], '/');
		const char *oldest = strrchr(in->older[in->nolder - 1], '/');
		out_printf(o, "   older: %zu file%s (", in->nolder, in->nolder == 1 ? "" : "s");
		out_name(o, newest ? newest + 1 : in->older[0]);
		if (in->nolder > 1) {
			out_puts(o, in->nolder > 2 ? " ... " : ", ");
			out_name(o, oldest ? oldest + 1 : in->older[in->nolder - 1]);
		}
		out_puts(o, ")\n");
	}
	for (size_t i = 0; i < in->nnotes; i++) {
		const struct instance_note *n = &in->notes[i];
		out_puts(o, "   warning: ");
		out_name(o, n->text);
		out_puts(o, "\n");
		for (size_t j = 0; n->fix && n->fix[j]; j++)
			out_printf(o, "        %s\n", n->fix[j]);
	}
}

static json_t *str_or_null(const char *s)
{
	return s ? json_text(s) : json_null();
}

static json_t *instance_json(size_t num, const struct instance *in)
{
	static const char *const found_names[] = {"process", "PGDATA",   "debian",
						  "redhat",  "homebrew", "pgrx"};
	json_t *o = json_object();
	json_object_set_new(o, "number", json_integer((json_int_t)num));
	json_object_set_new(o, "version", str_or_null(in->version));
	json_object_set_new(o, "port", in->port ? json_integer(in->port) : json_null());
	json_object_set_new(o, "port_is_default", json_boolean(in->port_default));
	json_object_set_new(o, "status", json_string(status_word(in->status)));
	json_object_set_new(o, "pid", in->pid ? json_integer(in->pid) : json_null());
	json_object_set_new(o, "started",
			    in->started ? json_time(in->started * 1000) : json_null());
	json_object_set_new(o, "data_directory", json_text(in->datadir));
	json_object_set_new(o, "config_file", str_or_null(in->config_file));
	json_object_set_new(o, "cluster", str_or_null(in->cluster));
	json_t *found = json_array();
	for (size_t i = 0; i < sizeof(found_names) / sizeof(found_names[0]); i++)
		if (in->found & (1u << i))
			json_array_append_new(found, json_string(found_names[i]));
	json_object_set_new(o, "found_by", found);

	json_t *s = json_object();
	json_object_set_new(s, "known", json_boolean(in->settings_known));
	json_object_set_new(s, "logging_collector",
			    in->settings_known ? json_boolean(in->collector) : json_null());
	json_object_set_new(s, "log_destination", str_or_null(in->destination));
	json_object_set_new(s, "log_directory", str_or_null(in->log_directory));
	json_object_set_new(s, "log_filename", str_or_null(in->log_filename));
	json_object_set_new(s, "log_line_prefix", str_or_null(in->line_prefix));
	json_object_set_new(s, "lc_messages", str_or_null(in->lc_messages));
	json_object_set_new(s, "log_connections", json_boolean(in->log_connections));
	json_object_set_new(s, "log_disconnections", json_boolean(in->log_disconnections));
	json_object_set_new(o, "settings", s);
	json_object_set_new(o, "journal_unit", str_or_null(in->journal_unit));

	json_t *logs = json_array();
	for (size_t i = 0; i < in->nlogs; i++) {
		const struct instance_log *l = &in->logs[i];
		json_t *lo = json_object();
		json_object_set_new(lo, "path", json_text(l->path));
		json_object_set_new(lo, "destination", json_string(log_format_name(l->dest)));
		json_object_set_new(lo, "found_by", json_string(l->how));
		json_object_set_new(lo, "readable", json_boolean(l->readable));
		json_object_set_new(lo, "advice", str_or_null(l->advice));
		json_array_append_new(logs, lo);
	}
	json_object_set_new(o, "logs", logs);
	json_t *older = json_array();
	for (size_t i = 0; i < in->nolder; i++)
		json_array_append_new(older, json_text(in->older[i]));
	json_object_set_new(o, "older_logs", older);

	json_t *warnings = json_array();
	for (size_t i = 0; i < in->nnotes; i++) {
		const struct instance_note *n = &in->notes[i];
		json_t *w = json_object();
		json_object_set_new(w, "kind", json_string(note_kind(n->kind)));
		json_object_set_new(w, "message", json_text(n->text));
		json_t *fix = json_array();
		for (size_t j = 0; n->fix && n->fix[j]; j++)
			json_array_append_new(fix, json_string(n->fix[j]));
		json_object_set_new(w, "fix", fix);
		json_array_append_new(warnings, w);
	}
	json_object_set_new(o, "warnings", warnings);
	return o;
}

void instances_print_text(const struct instance_list *l, struct out *o)
{
	if (l->n == 0) {
		out_puts(
		    o, "No PostgreSQL instances found.\n"
		       "Looked at: running postgres processes, $PGDATA, /etc/postgresql and\n"
		       "/var/lib/postgresql (Debian, Ubuntu), /var/lib/pgsql (Red Hat), Homebrew\n"
		       "(/opt/homebrew/var, /usr/local/var) and ~/.pgrx.\n"
		       "Hints: set PGDATA to the server's data directory, run pgtail as the\n"
		       "server's user (postgres) to see what it can read, or name a log file:\n"
		       "pgtail connections PATH\n");
		return;
	}
	for (size_t i = 0; i < l->n; i++)
		print_instance(o, i + 1, &l->v[i]);
}

void instances_print_json(const struct instance_list *l, struct out *o)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(arr, instance_json(i + 1, &l->v[i]));
	json_t *top = json_object();
	json_object_set_new(top, "instances", arr);
	json_print(o, top);
}
