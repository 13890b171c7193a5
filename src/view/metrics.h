/* SPDX-License-Identifier: PostgreSQL */
/*
 * metrics: the connection figures of one or more models as a Prometheus
 * text exposition (format 0.0.4) or OpenMetrics 1.0 text, for scrapers
 * (pgtail serve), node_exporter's textfile collector and scripts
 * (pgtail connections --metrics).
 *
 * Names follow Prometheus conventions: a pgtail_ prefix, _total counters,
 * _seconds in base units, one # HELP and # TYPE per family.  Labels use
 * postgres_exporter's names (datname, usename, application_name,
 * client_addr) so the two can be joined; a port or a PID is never a label.
 * Label cardinality is bounded by metrics_opts.  A source's figures equal
 * its summary (model/summary.h) number for number.
 *
 * Rendering only reads the models; the caller makes sure none changes
 * while metrics_render runs (serve renders from its follower's thread and
 * hands the finished text to the HTTP threads).
 */
#ifndef PGTAIL_METRICS_H
#define PGTAIL_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include "conn/filter.h"
#include "model/model.h"
#include "util/sbuf.h"

/* One log source: one server's model. */
struct metrics_source {
	const char *server;     /* the server label's value; NULL: no server label
				   (only allowed when there is one source) */
	const struct model *m;  /* replayed or followed model */
	const struct filter *f; /* the filter applied (may be NULL); for the
				   caller's bookkeeping only: the figures are
				   what m's tracker counted with its own filter */
};

struct metrics_opts {
	bool openmetrics; /* OpenMetrics 1.0 text (counters' _total rules, # EOF)
			     instead of the classic 0.0.4 text format */
	int max_hosts;    /* client_addr values shown per source, the rest summed
			     as "other"; 0: no client_addr label at all */
	int max_apps;     /* application_name values likewise (0: no label);
			     a negative cap keeps every name (model/groups.h) */
};

/* Defaults for metrics_opts' caps (documented in --help). */
#define METRICS_MAX_HOSTS 20
#define METRICS_MAX_APPS 50

/* A size cap for the buffer an exposition is rendered into: far above
 * what the caps allow for (a few hundred kB), below what hurts. */
#define METRICS_MAX_BYTES (64 << 20)

/* Content types of the two formats, for an HTTP Content-Type header. */
#define METRICS_CT_TEXT "text/plain; version=0.0.4; charset=utf-8"
#define METRICS_CT_OPENMETRICS "application/openmetrics-text; version=1.0.0; charset=utf-8"

/*
 * Append the exposition of src[0..n) to b.  Returns 0, or -1 when b's size
 * cap was reached (b then holds a cut exposition that must not be served).
 *
 * The families, each with one # HELP and # TYPE (and # UNIT in
 * OpenMetrics), every source's samples together under it, in src order
 * (README "Metrics" has the table):
 *   pgtail_sessions_open{datname,usename,application_name,client_addr} gauge
 *   pgtail_sessions_open_exact, _maybe_open, _open_peak,
 *   _open_peak_timestamp_seconds, pgtail_replication_sessions_open  gauges
 *   pgtail_connections_total, pgtail_disconnections_total,
 *   pgtail_connection_failures_total{reason},
 *   pgtail_sessions_ended_by_server_total{reason},
 *   pgtail_sessions_ended_by_reset_total, pgtail_disconnections_unmatched_total,
 *   pgtail_connections_abandoned_total, pgtail_replication_connections_total
 *   pgtail_session_duration_seconds  histogram, 10 ms to a day
 *   pgtail_last_event_timestamp_seconds  gauge
 *   pgtail_log_lines_total, pgtail_log_records_skipped_total
 * Every reason of the two {reason} counters is shown, zero ones too; a time
 * that is unknown (a log without timestamps) has no sample.  A server
 * label, when given, comes first on every sample.
 */
int metrics_render(struct sbuf *b, const struct metrics_source *src, size_t n,
		   const struct metrics_opts *o);

#endif
