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
#include <time.h>

#include "source/feed.h"
#include "util/sbuf.h"
#include "util/xalloc.h"

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

struct sdjournal {
	sd_journal *j;
	struct reader_opts ro; /* opts, the journald transport forced */
	struct feed *f;
	struct sbuf line;
	struct reader_stats *st;
	int fd;       /* sd_journal_get_fd, once asked for; -1 before */
	char *cursor; /* the last entry read's, or NULL */
};

struct sdjournal *sdjournal_open(const char *unit, const struct reader_opts *opts,
				 reader_entry_fn fn, void *ctx, struct reader_stats *st)
{
	const char *dir = getenv("PGTAIL_JOURNAL_DIR");
	sd_journal *j = NULL;
	int r = dir && *dir ? sd_journal_open_directory(&j, dir, 0)
			    : sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY);
	char match[512];

	if (r < 0) {
		diag_error(opts->err, "cannot open the systemd journal: %s", strerror(-r));
		st->failed_files++;
		return NULL;
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
		return NULL;
	}
	struct sdjournal *s = xcalloc(1, sizeof(*s));
	s->j = j;
	s->ro = *opts;
	s->ro.format = LOGFMT_JOURNALD;
	s->st = st;
	s->fd = -1;
	sbuf_init(&s->line, 0);
	/* Eager: a record is parsed as soon as its line is whole. */
	s->f = feed_new("(journal)", &s->ro, true, fn, ctx, st);
	if (!s->f) {
		sdjournal_close(s);
		return NULL;
	}
	st->files++;
	return s;
}

/* Hand the entries from the next on to fn: to the end, or through the one
 * at cursor until. */
static int read_upto(struct sdjournal *s, const char *until)
{
	int r;
	bool moved = false;
	if (s->fd >= 0)
		sd_journal_process(s->j); /* what woke the caller; the cursor holds */
	while ((r = sd_journal_next(s->j)) > 0) {
		moved = true;
		if (entry_line(s->j, &s->line) == 0)
			feed_push(s->f, s->line.buf, s->line.len);
		if (until && sd_journal_test_cursor(s->j, until) > 0)
			break;
	}
	if (r < 0) {
		s->st->failed_files++;
		return diag_error(s->ro.err, "cannot read the systemd journal: %s", strerror(-r));
	}
	if (moved) {
		char *c = NULL;
		if (sd_journal_get_cursor(s->j, &c) >= 0) {
			free(s->cursor);
			s->cursor = c;
		}
	}
	return 0;
}

int sdjournal_read(struct sdjournal *s)
{
	return read_upto(s, NULL);
}

const char *sdjournal_cursor(const struct sdjournal *s)
{
	return s ? s->cursor : NULL;
}

int sdjournal_fd(struct sdjournal *s)
{
	if (s->fd < 0) {
		s->fd = sd_journal_get_fd(s->j);
		if (s->fd < 0)
			diag_warn(s->ro.err, "cannot watch the systemd journal: %s",
				  strerror(-s->fd));
	}
	return s->fd;
}

int sdjournal_timeout_ms(struct sdjournal *s)
{
	uint64_t t;
	struct timespec now;
	if (sd_journal_get_timeout(s->j, &t) < 0 || t == UINT64_MAX)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	uint64_t us = (uint64_t)now.tv_sec * 1000000u + (uint64_t)now.tv_nsec / 1000u;
	return t <= us ? 0 : (int)((t - us + 999) / 1000 > 60000 ? 60000 : (t - us + 999) / 1000);
}

void sdjournal_close(struct sdjournal *s)
{
	if (!s)
		return;
	if (s->f) {
		feed_finish(s->f);
		feed_free(s->f);
	}
	sbuf_release(&s->line);
	sd_journal_close(s->j);
	free(s->cursor);
	free(s);
}

int sdjournal_run(const char *unit, const char *until, const struct reader_opts *opts,
		  reader_entry_fn fn, void *ctx, struct reader_stats *st)
{
	struct sdjournal *s = sdjournal_open(unit, opts, fn, ctx, st);
	if (!s)
		return -1;
	int rc = read_upto(s, until);
	sdjournal_close(s);
	return rc;
}

#else /* !HAVE_SDJOURNAL */

bool sdjournal_available(void)
{
	return false;
}

int sdjournal_run(const char *unit, const char *until, const struct reader_opts *opts,
		  reader_entry_fn fn, void *ctx, struct reader_stats *st)
{
	(void)unit;
	(void)until;
	(void)fn;
	(void)ctx;
	st->failed_files++;
	return diag_error(opts->err,
			  "this pgtail was built without libsystemd, so --journal is not "
			  "available; pipe the journal instead: journalctl -o json -u UNIT | "
			  "pgtail connections -");
}

struct sdjournal *sdjournal_open(const char *unit, const struct reader_opts *opts,
				 reader_entry_fn fn, void *ctx, struct reader_stats *st)
{
	sdjournal_run(unit, NULL, opts, fn, ctx, st);
	return NULL;
}

int sdjournal_read(struct sdjournal *s)
{
	(void)s;
	return -1;
}

int sdjournal_fd(struct sdjournal *s)
{
	(void)s;
	return -1;
}

int sdjournal_timeout_ms(struct sdjournal *s)
{
	(void)s;
	return -1;
}

const char *sdjournal_cursor(const struct sdjournal *s)
{
	(void)s;
	return NULL;
}

void sdjournal_close(struct sdjournal *s)
{
	(void)s;
}

#endif
