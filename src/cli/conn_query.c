/* SPDX-License-Identifier: PostgreSQL */
/* Options of "connections" and running one query; see conn_query.h. */
#include "cli/conn_query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/opts.h"
#include "conn/classify.h"
#include "conn/lang.h"
#include "model/live.h"
#include "model/model.h"
#include "source/reader.h"
#include "util/diag.h"
#include "util/replace.h"
#include "util/sbuf.h"
#include "util/xalloc.h"
#include "view/history_view.h"
#include "model/sessions.h"
#include "model/summary.h"
#include "view/metrics.h"
#include "view/summary.h"

#define DEFAULT_WINDOW_MS (3600 * 1000LL)

/* Parse a duration option ("15m", "1h", "90s", "2d") into ms. */
static int parse_duration(struct cmd_ctx *ctx, const char *opt, const char *v, int64_t *out)
{
	const char *err = NULL;
	int64_t t;
	/* A duration is a relative time before 0. */
	if (!v || !opts_time_relative(v) || strchr(v, ':') || opts_parse_time(v, 0, &t, &err) < 0 ||
	    t >= 0) {
		diag_warn(ctx->err, "invalid %s '%s': use a duration such as 90s, 15m, 1h or 2d",
			  opt, v ? v : "");
		return -1;
	}
	*out = -t;
	return 0;
}

/* The newest timestamp across the files, for relative --since/--until. */
static int64_t newest_of(const struct path_list *pl, const char *prefix)
{
	int64_t best = TS_UNKNOWN;
	for (size_t i = 0; i < pl->n; i++) {
		int64_t ts = reader_last_ts(pl->paths[i], prefix);
		if (ts != TS_UNKNOWN && (best == TS_UNKNOWN || ts > best))
			best = ts;
	}
	return best;
}

static int resolve_time(struct cmd_ctx *ctx, const char *opt, const char *v, int64_t newest,
			int64_t *out)
{
	const char *err = NULL;
	if (!v) {
		*out = TS_UNKNOWN;
		return 0;
	}
	if (opts_parse_time(v, newest, out, &err) < 0) {
		diag_warn(ctx->err, "invalid %s '%s': %s", opt, v, err);
		return -1;
	}
	return 0;
}

void conn_query_release(struct conn_query *q)
{
	filter_release(&q->filter);
	free(q->paths);
	q->paths = NULL;
}

/* The summary, with the applications flagged in the history's window. */
static void print_summary(struct cmd_ctx *ctx, const struct conn_query *q, struct model *m,
			  const struct history_report *hr)
{
	struct summary s;
	summary_build(&s, m);
	if (q->json)
		summary_print_json(&s, hr, ctx->out);
	else
		summary_print_text(&s, hr, ctx->out);
	summary_release(&s);
}

/* The caveats of the model's summary, for the other views' JSON. */
static struct json_t *caveats_of(const struct model *m)
{
	struct summary s;
	summary_build(&s, m);
	struct json_t *c = summary_caveats_json(&s);
	summary_release(&s);
	return c;
}

/* The exposition of m, on standard output or replacing q->output. */
static enum cmd_result print_metrics(struct cmd_ctx *ctx, const struct conn_query *q,
				     const struct model *m)
{
	struct metrics_source src = {.server = q->server, .m = m, .f = &q->filter};
	struct metrics_opts mo = {
	    .openmetrics = q->openmetrics, .max_hosts = q->max_hosts, .max_apps = q->max_apps};
	enum cmd_result rc = CMD_OK;
	struct sbuf b;

	sbuf_init(&b, METRICS_MAX_BYTES);
	if (metrics_render(&b, &src, 1, &mo) < 0) {
		diag_error(ctx->err, "the metrics pass %d MB; lower --max-hosts or --max-apps",
			   METRICS_MAX_BYTES >> 20);
		rc = CMD_ERROR;
	} else if (q->output)
		rc = replace_file(q->output, b.buf, b.len, ctx->err) < 0 ? CMD_ERROR : CMD_OK;
	else
		out_puts(ctx->out, b.buf);
	sbuf_release(&b);
	return rc;
}

enum cmd_result conn_query_render(struct cmd_ctx *ctx, const struct conn_query *q, struct model *m,
				  int64_t window_start, int64_t window_ms, int64_t bucket_ms)
{
	if (q->metrics)
		return print_metrics(ctx, q, m);

	enum cmd_result rc = CMD_OK;
	int64_t now = model_now(m);
	struct history_report hr;
	bool have_hr = now != TS_UNKNOWN;
	if (have_hr)
		history_report_build(&hr, &m->t, &m->hist, now, window_start, window_ms, bucket_ms);

	if ((!m->t.has_connection_events && !q->json) || (m->st.files && !m->st.bytes)) {
		/* Nothing to show but why: the summary says it, in JSON too. */
		print_summary(ctx, q, m, NULL);
	} else if (q->sessions) {
		struct session_list l;
		session_list_build(&l, m);
		if (q->json)
			sessions_print_json(&l, caveats_of(m), ctx->out);
		else
			sessions_print_text(&l, ctx->out);
		session_list_release(&l);
	} else if (q->history) {
		if (!have_hr) {
			diag_warn(ctx->err,
				  "--history needs a log with timestamps (log_line_prefix "
				  "with %%m or %%t)");
			rc = CMD_ERROR;
		} else if (q->json) {
			history_report_print_json(&hr, caveats_of(m), ctx->out);
		} else {
			history_report_print_text(&hr, ctx->out);
		}
	} else {
		print_summary(ctx, q, m, have_hr ? &hr : NULL);
	}
	if (have_hr)
		history_report_release(&hr);
	return rc;
}

enum cmd_result conn_query_run(struct cmd_ctx *ctx, const struct conn_query *q,
			       const struct path_list *pl)
{
	int64_t since = TS_UNKNOWN, until = TS_UNKNOWN, newest = TS_UNKNOWN;
	int64_t window_ms = DEFAULT_WINDOW_MS, bucket_ms = 0;
	enum cmd_result rc = CMD_OK;

	if (q->clock_ms != TS_UNKNOWN)
		newest = q->clock_ms;
	else if (pl && ((q->since && opts_time_relative(q->since)) ||
			(q->until && opts_time_relative(q->until)) || q->history))
		newest = newest_of(pl, q->prefix);
	if (resolve_time(ctx, "--since", q->since, newest, &since) < 0 ||
	    resolve_time(ctx, "--until", q->until, newest, &until) < 0)
		return CMD_USAGE;
	if ((q->window && parse_duration(ctx, "--window", q->window, &window_ms) < 0) ||
	    (q->bucket && parse_duration(ctx, "--bucket", q->bucket, &bucket_ms) < 0))
		return CMD_USAGE;
	int64_t end = until != TS_UNKNOWN ? until : newest;
	if (since != TS_UNKNOWN && end != TS_UNKNOWN && end > since)
		window_ms = end - since;
	if (!bucket_ms)
		bucket_ms = history_default_bucket(window_ms);
	int64_t cell = history_cell_ms(window_ms);
	if (bucket_ms < cell || bucket_ms % cell) {
		char d[32];
		fmt_duration(cell, d, sizeof(d));
		diag_warn(ctx->err,
			  "invalid --bucket '%s': it must be a multiple of %s for this window",
			  q->bucket ? q->bucket : "", d);
		return CMD_USAGE;
	}
	if (window_ms / bucket_ms > 1000) {
		diag_warn(ctx->err,
			  "--bucket '%s' gives more than 1000 rows for the window; choose "
			  "a larger one",
			  q->bucket ? q->bucket : "");
		return CMD_USAGE;
	}

	struct model m;
	model_init(&m, window_ms + bucket_ms);
	filter_set(&m.t.filter, q->filter.app, q->filter.user, q->filter.db, q->filter.host);
	if (q->history) {
		/* The window's figures (peak, connects) in the tracker too. */
		if (since == TS_UNKNOWN && end != TS_UNKNOWN)
			since = end - window_ms;
		m.hist.window_start = since;
	}
	tracker_set_window(&m.t, since, until);

	m.server = q->server;
	if (q->lang >= 0)
		model_force_lang(&m, q->lang);
	struct reader_opts ro = {.prefix = q->prefix,
				 .ident = q->ident,
				 .format = q->format,
				 .err = ctx->err,
				 .max_reports = 3,
				 .interest = classify_maybe,
				 .jobs = q->jobs};
	if (q->live)
		live_replay(q->live, &m, &ro);
	else if (q->sdjournal)
		model_replay_sdjournal(&m, q->unit, NULL, &ro);
	else
		model_replay(&m, pl, &ro);
	m.clock_ms = q->clock_ms;
	if (m.skipped_twins)
		diag_note(ctx->err,
			  "%llu record%s %s written twice, in two log destinations' formats "
			  "(several destinations on at once): counted once",
			  (unsigned long long)m.skipped_twins, m.skipped_twins == 1 ? "" : "s",
			  m.skipped_twins == 1 ? "was" : "were");

	/* An empty log (a file just rotated in) is an answer: nothing open yet.
	 * A log of which nothing could be read is not. */
	bool empty = m.st.files && m.st.bytes == 0 && !m.st.failed_files;
	if (m.st.messages == 0 && !empty) {
		char failed[48] = "";
		if (m.st.failed_files)
			snprintf(failed, sizeof(failed), "%llu not read to the end, ",
				 (unsigned long long)m.st.failed_files);
		diag_error(ctx->err,
			   "no PostgreSQL log records could be read (%llu files, "
			   "%s%llu lines skipped)",
			   (unsigned long long)m.st.files, failed,
			   (unsigned long long)m.st.skipped);
		if (m.st.foreign)
			diag_note(ctx->err,
				  "%llu records of other programs were left out: if the server's "
				  "syslog_ident is not postgres, name it with --ident",
				  (unsigned long long)m.st.foreign);
		model_release(&m);
		return CMD_ERROR;
	}
	bool non_english = model_non_english(&m);
	if (non_english && q->lang >= 0)
		diag_warn(ctx->err,
			  "only %llu of the first %llu messages are in English%s%s (--lang): "
			  "connection events in another language are not seen; leave out "
			  "--lang to tell the language from the log",
			  (unsigned long long)(m.english + m.told), (unsigned long long)m.checked,
			  q->lang == LANG_EN ? "" : " or ",
			  q->lang == LANG_EN ? "" : lang_code(q->lang));
	else if (non_english)
		diag_warn(ctx->err,
			  "only %llu of the first %llu messages are in a language pgtail "
			  "reads (English and PostgreSQL's translations), so connection "
			  "events in another language are not seen; set lc_messages = 'C' "
			  "on the server (ALTER SYSTEM SET lc_messages = 'C'; SELECT "
			  "pg_reload_conf();)",
			  (unsigned long long)(m.english + m.told), (unsigned long long)m.checked);

	rc = conn_query_render(ctx, q, &m, q->history && q->since ? since : TS_UNKNOWN, window_ms,
			       bucket_ms);
	model_release(&m);
	return rc;
}
