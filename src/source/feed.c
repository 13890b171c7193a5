/* SPDX-License-Identifier: PostgreSQL */
/* Push-driven parsing of one log file; see feed.h. */
#include "source/feed.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "logfmt/ts.h"
#include "source/jsondoc.h"
#include "util/diag.h"
#include "util/xalloc.h"

#define SAMPLE_BYTES (64u << 10) /* what format detection and prefix inference see */
#define INITIAL_CAP (256u << 10) /* grows when one record does not fit */

struct feed {
	char *name; /* for messages; owned */
	const struct reader_opts *opts;
	bool eager; /* decide the format on the first line */
	reader_entry_fn fn;
	void *ctx;
	struct reader_stats *st;
	struct logfmt *lf;        /* NULL until the format is decided */
	logfmt_fast_skip_fn skip; /* lf's fast path, or NULL */
	enum log_format fmt;
	char *buf; /* held bytes: the start of an unfinished record */
	size_t len, cap;
	uint64_t line;               /* line number of buf[0] */
	uint64_t lines_counted;      /* of the lines before it, those added to st->lines */
	bool skipping;               /* dropping an over-long record up to its newline */
	struct feed_reports reports; /* of this file, without hooks */
	uint64_t full;               /* messages parsed in full so far */
	bool open_line;              /* the bytes pushed end inside a line */
	/* When set (feed_set_hooks), skip reports and the time zone note go
	 * to these instead of opts->err. */
	const struct feed_hooks *hooks;
	void *hctx;
	/* A JSON document of records (source/jsondoc.h), decided by the first
	 * bytes pushed: its records are parsed one per line. */
	bool doc_checked, doc;
	struct jsondoc jd;
	/* feed_room's room when the bytes go through feed_push. */
	char *scratch;
	size_t scratch_cap;
	bool scratch_used;
};

/* How far parse_held may go. */
enum held_mode {
	HELD_MORE,      /* more bytes will come */
	HELD_RANGE_END, /* a range of the file ends here: the file goes on */
	HELD_FILE_END,  /* the file ends here */
};

static uint64_t count_nl(const char *p, size_t n)
{
	uint64_t c = 0;
	const char *end = p + n;
	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		c++;
		p++;
	}
	return c;
}

void feed_reports_add(struct feed_reports *r, const struct reader_opts *opts, const char *name,
		      uint64_t line, const char *what)
{
	if (r->reported < (uint64_t)opts->max_reports) {
		diag_warn(opts->err, "%s:%llu: %s", name, (unsigned long long)line, what);
		r->reported++;
	} else {
		if (!r->unreported)
			r->first_unreported_line = line;
		r->unreported++;
	}
}

void feed_reports_finish(struct feed_reports *r, const struct reader_opts *opts, const char *name)
{
	if (r->unreported)
		diag_warn(opts->err, "%s: %llu more lines skipped, the first at line %llu", name,
			  (unsigned long long)r->unreported,
			  (unsigned long long)r->first_unreported_line);
	*r = (struct feed_reports){0};
}

static void report(struct feed *f, uint64_t line, const char *what)
{
	if (f->hooks)
		f->hooks->report(f->hctx, line, what);
	else
		feed_reports_add(&f->reports, f->opts, f->name, line, what);
}

struct feed *feed_new(const char *name, const struct reader_opts *opts, bool eager,
		      reader_entry_fn fn, void *ctx, struct reader_stats *st)
{
	struct feed *f = xcalloc(1, sizeof(*f));
	f->name = xstrdup(name);
	f->opts = opts;
	f->eager = eager;
	f->fn = fn;
	f->ctx = ctx;
	f->st = st;
	f->fmt = LOGFMT_AUTO;
	f->cap = INITIAL_CAP;
	f->buf = xmalloc(f->cap);
	f->line = 1;
	if (opts->prefix) {
		/* Check the prefix now, so a bad one is reported once, up front. */
		struct logfmt *probe = logfmt_new(LOGFMT_STDERR, opts->prefix);
		if (!probe) {
			diag_warn(opts->err, "invalid log_line_prefix '%s'", opts->prefix);
			feed_free(f);
			return NULL;
		}
		logfmt_free(probe);
	}
	return f;
}

void feed_free(struct feed *f)
{
	if (!f)
		return;
	logfmt_free(f->lf);
	if (f->doc)
		jsondoc_release(&f->jd);
	free(f->buf);
	free(f->scratch);
	free(f->name);
	free(f);
}

/* The first "YYYY-MM-DD HH:MM:SS[.fff] ZONE" of the sample: when ZONE is an
 * abbreviation pgtail does not know, or one with several meanings (IST,
 * CST), say once that clock times may be off.  Counts do not depend on it. */
void feed_zone_note(const char *name, const char *p, size_t n, struct reader_stats *st,
		    struct out *err)
{
	if (n > SAMPLE_BYTES)
		n = SAMPLE_BYTES;
	if (st->zone_notes)
		return;
	for (size_t i = 0; i + 19 <= n; i++) {
		size_t at, zlen;
		int off, unsure = ts_zone_unsure(p + i, n - i, &at, &zlen, &off);
		if (unsure < 0)
			continue;
		if (unsure) {
			int a = off < 0 ? -off : off;
			st->zone_notes++;
			diag_note(err,
				  "%s:%llu: time zone '%.*s' has more than one meaning or is "
				  "unknown to pgtail: its times are read as UTC%c%02d:%02d, so "
				  "clock times may be off (counts are not)",
				  name, (unsigned long long)(1 + count_nl(p, i)), (int)zlen,
				  p + i + at, off < 0 ? '-' : '+', a / 60, a % 60);
		}
		return; /* the first timestamp decides */
	}
}

/* Settle the format (and stderr's prefix) from sample[0..len), the first
 * bytes of the file: SAMPLE_BYTES of them, or all when it is shorter. */
static void decide_from(struct feed *f, const char *sample, size_t len)
{
	const char *hint = strcmp(f->name, "(stdin)") ? f->name : NULL;
	if (len > SAMPLE_BYTES)
		len = SAMPLE_BYTES;
	f->fmt =
	    f->opts->format != LOGFMT_AUTO ? f->opts->format : logfmt_detect(sample, len, hint);
	f->lf = logfmt_new(f->fmt, f->opts->prefix);
	if (!f->lf) /* feed_new compiled the prefix once already */
		BUG("log_line_prefix '%s' stopped compiling", f->opts->prefix);
	f->skip = logfmt_fast_path(f->lf);
	struct logfmt_env env = {.ident = f->opts->ident, .file_mtime_ms = TS_UNKNOWN};
	struct stat sb;
	if (hint && stat(hint, &sb) == 0)
		env.file_mtime_ms =
		    (int64_t)sb.st_mtim.tv_sec * 1000 + sb.st_mtim.tv_nsec / 1000000;
	logfmt_set_env(f->lf, &env);
	if (!f->opts->prefix)
		logfmt_infer_prefix(f->lf, sample, len);
}

static void decide(struct feed *f)
{
	decide_from(f, f->buf, f->len);
	if (f->hooks)
		f->hooks->sample(f->hctx, f->buf, f->len < SAMPLE_BYTES ? f->len : SAMPLE_BYTES);
	else
		feed_zone_note(f->name, f->buf, f->len, f->st, f->opts->err);
}

/* Parse the complete records held (see enum held_mode). */
static void parse_held(struct feed *f, enum held_mode mode)
{
	bool at_eof = mode == HELD_FILE_END;
	size_t off = 0;
	struct reader_stats *st = f->st;

	if (f->skipping) {
		char *nl = memchr(f->buf, '\n', f->len);
		if (!nl) {
			st->bytes += f->len;
			f->len = 0;
			return;
		}
		off = (size_t)(nl - f->buf) + 1;
		f->skipping = false;
		f->line++;
	}
	bool fast = f->opts->interest && f->skip;
	uint64_t after = reader_full_messages(f->opts);
	/* The fast path leaves the last record of the file to the parser: it
	 * carries the newest timestamp.  A record is not the last when a
	 * newline follows it, that is when it ends at or before the last.
	 * Following live (eager), the last record of each block is parsed,
	 * to keep the time current; reading after the fact, it is held until
	 * more comes, so which records are parsed depends on the file's bytes
	 * alone, not on how they were read (a range read in parallel gives
	 * what the whole file read serially gives). */
	const char *last_nl = f->len > off ? memrchr(f->buf + off, '\n', f->len - off) : NULL;
	size_t last = last_nl ? (size_t)(last_nl - f->buf) : 0;
	while (off < f->len) {
		struct logfmt_skip sk;
		if (fast && f->full >= after &&
		    f->skip(f->buf + off, f->len - off, f->opts->interest, &sk)) {
			if (sk.used == 0)
				BUG("the %s fast path let go of no bytes", log_format_name(f->fmt));
			if (off + sk.used <= last || mode == HELD_RANGE_END) {
				st->records++;
				st->messages += sk.message;
				f->line += sk.lines;
				off += sk.used;
				continue;
			}
			if (mode == HELD_MORE && !f->eager)
				break; /* held: it may be the file's last */
		}
		struct pg_entry e;
		size_t used = 0;
		const char *why = NULL;
		pg_entry_clear(&e);
		enum logfmt_status s =
		    logfmt_next(f->lf, f->buf + off, f->len - off, at_eof, &e, &used, &why);
		if (s == LOGFMT_NEED_MORE && !at_eof)
			break;
		/* The contract of logfmt_next, on which this loop's progress rests. */
		if (s == LOGFMT_NEED_MORE || used == 0 || used > f->len - off)
			BUG("the %s parser returned %d having used %zu of %zu bytes%s",
			    log_format_name(f->fmt), (int)s, used, f->len - off,
			    at_eof ? " at end of file" : "");
		if (s == LOGFMT_BAD && !why)
			BUG("the %s parser gave no reason for a bad record",
			    log_format_name(f->fmt));
		if (s == LOGFMT_OK) {
			st->records++;
			if (e.kind == ENTRY_MESSAGE) {
				st->messages++;
				f->full++;
				f->fn(f->ctx, &e);
			} else if (e.kind == ENTRY_OTHER) {
				/* Blank lines are not worth a word. */
				const char *p = f->buf + off;
				size_t n = used;
				while (n && (p[n - 1] == '\n' || p[n - 1] == '\r'))
					n--;
				if (n) {
					st->skipped++;
					report(f, f->line, "not a PostgreSQL log record, skipped");
				}
			} else if (e.kind == ENTRY_FOREIGN) {
				st->foreign++;
			} else if (e.kind == ENTRY_CONTINUATION && f->full == 0) {
				/* A tab-led line goes with the record before it;
				 * before the first record there is none. */
				st->skipped++;
				report(f, f->line,
				       "continuation line with no record before it, skipped");
			}
		} else {
			st->skipped++;
			report(f, f->line, why);
		}
		f->line += count_nl(f->buf + off, used);
		off += used;
	}
	st->bytes += off;
	/* Counted as they pass, so a followed file's count is current. */
	st->lines += f->line - 1 - f->lines_counted;
	f->lines_counted = f->line - 1;
	memmove(f->buf, f->buf + off, f->len - off);
	f->len -= off;
	if (f->cap > INITIAL_CAP && f->len < INITIAL_CAP / 2) {
		/* A long record has passed: give its room back. */
		f->cap = INITIAL_CAP;
		f->buf = xrealloc(f->buf, f->cap);
	}
}

static void push_bytes(struct feed *f, const char *p, size_t n);

static void doc_line(void *ctx, const char *line, size_t len)
{
	push_bytes(ctx, line, len);
}

void feed_push(struct feed *f, const char *p, size_t n)
{
	if (!f->doc_checked && n) {
		f->doc_checked = true;
		f->doc = jsondoc_sniff(p, n);
		if (f->doc)
			jsondoc_init(&f->jd, READER_MAX_RECORD);
	}
	if (f->doc)
		jsondoc_push(&f->jd, p, n, doc_line, f);
	else
		push_bytes(f, p, n);
}

/* The held bytes fill the most a record may take: drop them, and the rest
 * of their record up to its newline. */
static void drop_held(struct feed *f)
{
	char msg[128];
	f->st->skipped++;
	snprintf(msg, sizeof(msg), "record longer than %u MB, skipped", READER_MAX_RECORD >> 20);
	report(f, f->line, msg);
	f->skipping = true;
	f->st->bytes += f->len;
	f->len = 0;
}

/* Make room at the end of the held bytes: false when they fill the most a
 * record may take (dropped then: call again). */
static bool grow(struct feed *f)
{
	if (f->cap >= READER_MAX_RECORD) {
		drop_held(f);
		return false;
	}
	/* Grow up to the cap itself, never past it. */
	f->cap = f->cap <= READER_MAX_RECORD / 2 ? f->cap * 2 : READER_MAX_RECORD;
	f->buf = xrealloc(f->buf, f->cap);
	return true;
}

/* Bytes were added at the end of the held ones: settle the format once
 * enough are held, and parse what they complete. */
static void added(struct feed *f)
{
	if (!f->lf) {
		bool line_done = f->eager && memchr(f->buf, '\n', f->len);
		if (f->len < SAMPLE_BYTES && !line_done)
			return;
		decide(f);
	}
	parse_held(f, HELD_MORE);
}

static void push_bytes(struct feed *f, const char *p, size_t n)
{
	if (n)
		f->open_line = p[n - 1] != '\n';
	while (n) {
		size_t room = f->cap - f->len;
		if (room == 0) {
			grow(f);
			continue;
		}
		size_t k = n < room ? n : room;
		memcpy(f->buf + f->len, p, k);
		f->len += k;
		p += k;
		n -= k;
		added(f);
	}
}

char *feed_room(struct feed *f, size_t want, size_t *room)
{
	if (want == 0)
		BUG("feed_room asked for no room");
	f->scratch_used = !f->doc_checked || f->doc;
	if (f->scratch_used) {
		/* The first bytes decide whether the input is a JSON document,
		 * whose records are taken out of it: such bytes pass through
		 * feed_push. */
		if (f->scratch_cap < want) {
			free(f->scratch);
			f->scratch = xmalloc(want);
			f->scratch_cap = want;
		}
		*room = want;
		return f->scratch;
	}
	while (f->len == f->cap ||
	       (f->cap - f->len < want && f->cap < READER_MAX_RECORD && f->len >= f->cap / 2))
		grow(f);
	size_t k = f->cap - f->len;
	*room = k < want ? k : want;
	return f->buf + f->len;
}

void feed_commit(struct feed *f, size_t n)
{
	if (n == 0)
		return;
	if (f->scratch_used) {
		feed_push(f, f->scratch, n);
		return;
	}
	if (n > f->cap - f->len)
		BUG("feed_commit of %zu bytes into a room of %zu", n, f->cap - f->len);
	f->open_line = f->buf[f->len + n - 1] != '\n';
	f->len += n;
	added(f);
}

void feed_finish(struct feed *f)
{
	if (f->doc) {
		/* What of the document could not be read. */
		uint64_t cut = f->jd.in_elem;
		if (f->jd.dropped + cut) {
			f->st->skipped += f->jd.dropped + cut;
			diag_warn(f->opts->err,
				  "%s: %llu record%s of the JSON document skipped (%s)", f->name,
				  (unsigned long long)(f->jd.dropped + cut),
				  f->jd.dropped + cut == 1 ? "" : "s",
				  cut ? "the document ends inside a record" : "longer than kept");
		}
		if (f->reports.reported || f->reports.unreported)
			diag_note(f->opts->err,
				  "%s: a JSON document of records, read one record per line: the "
				  "line numbers above count its records",
				  f->name);
	}
	if (!f->lf && f->len)
		decide(f);
	if (f->lf)
		parse_held(f, HELD_FILE_END);
	if (f->len) /* at the end of the file every parser takes what is left */
		BUG("%zu bytes left unparsed at the end of '%s'", f->len, f->name);
	/* A last line without its newline is a line too. */
	f->st->lines += f->line - 1 - f->lines_counted + f->open_line;
	f->lines_counted = 0;
	const char *note = f->lf ? logfmt_note(f->lf) : NULL;
	if (note)
		diag_note(f->opts->err, "%s: %s", f->name, note);
	f->line = 1;
	f->open_line = false;
	feed_reports_finish(&f->reports, f->opts, f->name);
}

struct feed *feed_new_range(const char *name, const struct reader_opts *opts, const char *sample,
			    size_t sample_len, uint64_t messages_before, reader_entry_fn fn,
			    void *ctx, struct reader_stats *st)
{
	struct feed *f = feed_new(name, opts, false, fn, ctx, st);
	if (!f)
		return NULL;
	decide_from(f, sample, sample_len);
	f->doc_checked = true; /* ranges are of files whose records stand alone */
	f->full = messages_before;
	return f;
}

void feed_set_hooks(struct feed *f, const struct feed_hooks *hooks, void *ctx)
{
	f->hooks = hooks;
	f->hctx = ctx;
}

bool feed_splittable(const struct feed *f)
{
	return f->lf && logfmt_stable(f->lf);
}

size_t feed_end_range(struct feed *f)
{
	if (f->lf)
		parse_held(f, HELD_RANGE_END);
	if (!f->len) {
		f->st->lines += f->line - 1 - f->lines_counted;
		f->lines_counted = 0;
		f->line = 1;
	}
	return f->len;
}

const char *feed_prefix(const struct feed *f)
{
	return f->lf ? logfmt_prefix(f->lf) : NULL;
}

bool feed_message_at(struct feed *f, const char *p, size_t n)
{
	struct pg_entry e;
	size_t used = 0;
	if (!f->lf)
		return false;
	pg_entry_clear(&e);
	return logfmt_next(f->lf, p, n, false, &e, &used, NULL) == LOGFMT_OK &&
	       e.kind == ENTRY_MESSAGE;
}
