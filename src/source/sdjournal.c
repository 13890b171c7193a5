/* SPDX-License-Identifier: PostgreSQL */
/* The systemd journal read with sd-journal; see sdjournal.h. */
#include "source/sdjournal.h"

#include "util/diag.h"

#ifdef HAVE_SDJOURNAL

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-journal.h>

#include "source/feed.h"
#include "util/sbuf.h"

/* The fields the journald transport reads (logfmt/journald_scan.h). */
static const char *const fields[] = {"MESSAGE", "_PID",      "SYSLOG_PID", "SYSLOG_IDENTIFIER",
				     "_COMM",   "_HOSTNAME", "_TRANSPORT", NULL};

bool sdjournal_available(void)
{
	return true;
}

/* A value as journalctl -o json writes it: a string, or an array of byte
 * values when it is not UTF-8. */
static json_t *value(const char *p, size_t n)
{
	json_t *s = json_stringn(p, n);
	if (s)
		return s;
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_integer((unsigned char)p[i]));
	return a;
}

/* The entry at j's cursor as one JSON line (with its newline) in out. */
static int entry_line(sd_journal *j, struct sbuf *out)
{
	json_t *o = json_object();
	char ts[32];
	uint64_t us;

	for (const char *const *f = fields; *f; f++) {
		const void *data;
		size_t len, fl = strlen(*f);
		if (sd_journal_get_data(j, *f, &data, &len) < 0 || len <= fl)
			continue;
		json_object_set_new(o, *f, value((const char *)data + fl + 1, len - fl - 1));
	}
	if (sd_journal_get_realtime_usec(j, &us) >= 0) {
		snprintf(ts, sizeof(ts), "%llu", (unsigned long long)us);
		json_object_set_new(o, "__REALTIME_TIMESTAMP", json_string(ts));
	}
	char *text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!text)
		return -1;
	sbuf_reset(out);
	int rc = sbuf_addstr(out, text) < 0 || sbuf_addch(out, '\n') < 0 ? -1 : 0;
	free(text);
	return rc;
}

int sdjournal_run(const char *unit, const struct reader_opts *opts, reader_entry_fn fn, void *ctx,
		  struct reader_stats *st)
{
	const char *dir = getenv("PGTAIL_JOURNAL_DIR");
	sd_journal *j = NULL;
	int r = dir && *dir ? sd_journal_open_directory(&j, dir, 0)
			    : sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY);
	char match[512];

	if (r < 0) {
		diag_error(opts->err, "cannot open the systemd journal: %s", strerror(-r));
		st->failed_files++;
		return -1;
	}
	if (unit) {
		bool suffix = strchr(unit, '.') != NULL;
		snprintf(match, sizeof(match), "_SYSTEMD_UNIT=%s%s", unit,
			 suffix ? "" : ".service");
		r = sd_journal_add_match(j, match, 0);
	} else if (opts->ident) {
		snprintf(match, sizeof(match), "SYSLOG_IDENTIFIER=%s", opts->ident);
		r = sd_journal_add_match(j, match, 0);
	}
	if (r < 0) {
		diag_error(opts->err, "cannot select '%s' in the journal: %s", match, strerror(-r));
		sd_journal_close(j);
		st->failed_files++;
		return -1;
	}
	struct reader_opts ro = *opts;
	ro.format = LOGFMT_JOURNALD;
	struct feed *f = feed_new("(journal)", &ro, false, fn, ctx, st);
	struct sbuf line;
	sbuf_init(&line, 0);
	st->files++;
	int rc = 0;
	while (f && (r = sd_journal_next(j)) > 0) {
		if (entry_line(j, &line) == 0)
			feed_push(f, line.buf, line.len);
	}
	if (r < 0) {
		diag_error(opts->err, "cannot read the systemd journal: %s", strerror(-r));
		st->failed_files++;
		rc = -1;
	}
	if (f) {
		feed_finish(f);
		feed_free(f);
	}
	sbuf_release(&line);
	sd_journal_close(j);
	return rc;
}

#else /* !HAVE_SDJOURNAL */

bool sdjournal_available(void)
{
	return false;
}

int sdjournal_run(const char *unit, const struct reader_opts *opts, reader_entry_fn fn, void *ctx,
		  struct reader_stats *st)
{
	(void)unit;
	(void)fn;
	(void)ctx;
	st->failed_files++;
	return diag_error(opts->err,
			  "this pgtail was built without libsystemd, so --journal is not "
			  "available; pipe the journal instead: journalctl -o json -u UNIT | "
			  "pgtail connections -");
}

#endif
