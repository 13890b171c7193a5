/* SPDX-License-Identifier: PostgreSQL */
/*
 * serve: follow server logs and serve their connection metrics over HTTP,
 * for Prometheus.
 *
 * Threads.  The main thread is the only one that touches a model: it polls
 * the followed logs (and a signalfd, for SIGHUP, SIGTERM and SIGINT), reads
 * what was appended, and, when a model changed and at most every
 * SERVE_RENDER_MS, renders the whole exposition in both formats and
 * publishes it as an immutable snapshot (serve/snapshot.h).  libmicrohttpd's
 * threads (serve/http.h) only send the latest snapshot.  A scrape therefore
 * never waits for the follower nor blocks it, and never sees a model half
 * updated; what it sees is at most SERVE_RENDER_MS (plus the follower's own
 * short hold of events for ordering) behind the log.
 *
 * The default port, 10062.  The Prometheus project keeps a list of
 * exporters' default ports (the "Default port allocations" page of its
 * wiki) so that exporters on one machine do not collide; its range
 * 9100-9999 is fully allocated, and new exporters are given ports above
 * 10000.  10062 is outside the exhausted range and clear of the ports that
 * postgres_exporter (9187), node_exporter (9100) and Zabbix (10050-10053)
 * use beside PostgreSQL; it is to be registered on that page.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/instance_pick.h"
#include "cli/opts.h"
#include "conn/filter.h"
#include "logfmt/ts.h"
#include "model/live.h"
#include "serve/http.h"
#include "serve/listen.h"
#include "serve/snapshot.h"
#include "serve/webconfig.h"
#include "util/clock.h"
#include "util/diag.h"
#include "util/sbuf.h"
#include "util/xalloc.h"
#include "view/metrics.h"

/* The follower renders at most this often (and only after a change). */
#define SERVE_RENDER_MS 200
/* An exposition larger than this is not served (the last one is kept). */
#define SERVE_MAX_EXPOSITION ((size_t)256 << 20)

enum {
	O_LISTEN,
	O_WEB_CONFIG,
	O_MAX_HOSTS,
	O_MAX_APPS,
	O_SERVER,
	O_APP,
	O_USER,
	O_DB,
	O_HOST,
	O_PREFIX,
	O_INSTANCE,
	O__COUNT
};

static const struct opt_def serve_opts[O__COUNT] = {
    [O_LISTEN] = {.name = "listen",
		  .arg = ARG_TEXT,
		  .metavar = "ADDR:PORT",
		  .section = "Serving",
		  .help = "where to listen (default 127.0.0.1:10062): :PORT for every\n"
			  "interface, [::1]:PORT for an IPv6 address"},
    [O_WEB_CONFIG] = {.name = "web-config",
		      .arg = ARG_FILE,
		      .metavar = "FILE",
		      .help = "TLS and basic auth, as Prometheus exporters configure\n"
			      "them (tls_server_config, basic_auth_users); see below"},
    [O_MAX_HOSTS] = OPT_MAX_HOSTS(),
    [O_MAX_APPS] = OPT_MAX_APPS(),
    [O_SERVER] = {.name = "server",
		  .arg = ARG_TEXT,
		  .metavar = "NAME",
		  .help = "the server label's value, with a single log (several are\n"
			  "labelled by their PATH, cluster or data directory)"},
    [O_APP] = OPT_APP(.section = "Filters", .help = "only sessions of this application"),
    [O_USER] = OPT_USER(),
    [O_DB] = OPT_DB(),
    [O_HOST] = OPT_HOST(),
    [O_PREFIX] = OPT_PREFIX(.section = "Logs"),
    [O_INSTANCE] = {.name = "instance",
		    .arg = ARG_INSTANCE,
		    .metavar = "I",
		    .help = "only this machine's instance I (its number from 'list',\n"
			    "port, cluster name or data directory) instead of all"},
};

/* One followed log and the name it has in the metrics. */
struct source {
	struct live *l;
	char *server;           /* the server label's value; owned */
	bool stopped;           /* following ended (an error, or stdin's end) */
	uint64_t bytes, events; /* read and applied at the last render */
};

struct serve {
	struct cmd_ctx *ctx;
	struct filter filter; /* from the options; each model gets a copy */
	const char *prefix, *instance;
	const char *server; /* --server: the label of a single log, or NULL */
	char **paths;       /* PATH operands (into argv) */
	int npaths;
	struct metrics_opts mo;
	struct source *src; /* the followed logs */
	size_t nsrc;
	struct snapshot_box box;
	struct sbuf buf;        /* the exposition being rendered */
	int64_t last_render_ms; /* monotonic */
	bool dirty;             /* a model changed since the last render */
	bool too_big;           /* said that an exposition passed the cap */
};

/* Start following one log: its replay is done when this returns.  0, or -1
 * after a warning on err. */
static int source_open(struct serve *sv, char *const *args, size_t nargs, const char *label,
		       const char *server, struct source *s)
{
	memset(s, 0, sizeof(*s));
	s->l = live_open(args, nargs, label, sv->prefix, sv->ctx->err);
	if (!s->l)
		return -1;
	const struct filter *f = &sv->filter;
	filter_set(&live_model(s->l)->t.filter, f->app, f->user, f->db, f->host);
	if (live_begin(s->l) < 0) {
		live_stop(s->l);
		s->l = NULL;
		return -1;
	}
	s->server = xstrdup(server);
	return 0;
}

static void sources_release(struct source *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		live_stop(v[i].l);
		free(v[i].server);
	}
	free(v);
}

/* Open what the command line names: each PATH, else the instance asked
 * for, else every instance of this machine.  Returns how many could be
 * followed (the rest said on err), the array in *out. */
static size_t sources_open(struct serve *sv, struct source **out)
{
	struct instance_target *it = NULL;
	size_t nit = 0, n = 0;
	struct source *v;

	if (sv->npaths) {
		v = xcalloc((size_t)sv->npaths, sizeof(*v));
		for (int i = 0; i < sv->npaths; i++)
			if (source_open(sv, &sv->paths[i], 1, NULL, sv->paths[i], &v[n]) == 0)
				n++;
	} else {
		if (sv->instance) {
			it = xcalloc(1, sizeof(*it));
			nit = instance_pick(sv->instance, sv->ctx->err, it) == 0;
		} else {
			nit = instance_pick_all(sv->ctx->err, &it);
		}
		v = xcalloc(nit ? nit : 1, sizeof(*v));
		for (size_t i = 0; i < nit; i++)
			if (it[i].journal_unit)
				instance_journal_only(&it[i], "serve", sv->ctx->err);
			else if (source_open(sv, it[i].args, it[i].nargs, it[i].label, it[i].server,
					     &v[n]) == 0)
				n++;
		for (size_t i = 0; i < nit; i++)
			instance_target_release(&it[i]);
		free(it);
	}
	*out = v;
	return n;
}

/* Render one format of every source into a snapshot and publish it. */
static void publish(struct serve *sv, enum snapshot_format f, struct metrics_source *ms)
{
	struct metrics_opts o = sv->mo;
	o.openmetrics = f == SNAP_OPENMETRICS;
	sbuf_reset(&sv->buf);
	if (metrics_render(&sv->buf, ms, sv->nsrc, &o) < 0) {
		if (!sv->too_big)
			diag_warn(sv->ctx->err,
				  "the metrics passed %zu MB: the last smaller exposition is "
				  "served; lower --max-hosts or --max-apps",
				  SERVE_MAX_EXPOSITION >> 20);
		sv->too_big = true;
		return;
	}
	snapshot_box_publish(&sv->box, f, snapshot_new(sv->buf.buf, sv->buf.len));
}

/* Render both formats from the models as they are now. */
static void render(struct serve *sv)
{
	struct metrics_source *ms = xcalloc(sv->nsrc ? sv->nsrc : 1, sizeof(*ms));
	int64_t now = model_wall_clock();

	for (size_t i = 0; i < sv->nsrc; i++) {
		struct model *m = live_model(sv->src[i].l);
		m->clock_ms = now; /* following live: now is the clock */
		ms[i].server = sv->nsrc > 1 ? sv->src[i].server : sv->server;
		ms[i].m = m;
		ms[i].f = filter_empty(&sv->filter) ? NULL : &sv->filter;
		sv->src[i].bytes = m->st.bytes;
		sv->src[i].events = m->t.applied;
	}
	publish(sv, SNAP_TEXT, ms);
	publish(sv, SNAP_OPENMETRICS, ms);
	for (size_t i = 0; i < sv->nsrc; i++)
		live_model(sv->src[i].l)->clock_ms = TS_UNKNOWN;
	free(ms);
	sv->dirty = false;
	sv->last_render_ms = clock_mono_ms();
}

/* SIGHUP: find and replay the logs again (log files may have been removed,
 * an instance added); the old ones are kept when none can be followed. */
static void reopen(struct serve *sv)
{
	struct source *v;
	size_t n = sources_open(sv, &v);

	if (n == 0) {
		diag_warn(sv->ctx->err,
			  "reopening found no log to follow: keeping the %zu "
			  "followed",
			  sv->nsrc);
		sources_release(v, 0);
		return;
	}
	sources_release(sv->src, sv->nsrc);
	sv->src = v;
	sv->nsrc = n;
	diag_note(sv->ctx->err, "reopened: following %zu log%s", n, n == 1 ? "" : "s");
	render(sv);
}

/* Read what every log has new; note whether a model changed. */
static void follow_all(struct serve *sv)
{
	for (size_t i = 0; i < sv->nsrc; i++) {
		struct source *s = &sv->src[i];
		if (s->stopped)
			continue;
		if (live_poll(s->l) < 0 || live_ended(s->l)) {
			/* said on err; its last state is still served */
			s->stopped = true;
			diag_warn(sv->ctx->err, "stopped following '%s' (SIGHUP reopens)",
				  live_target(s->l));
		}
		struct model *m = live_model(s->l);
		if (m->st.bytes != s->bytes || m->t.applied != s->events)
			sv->dirty = true;
	}
}

/* How long poll may wait: the followers' limits, and the next render. */
static int wait_ms(const struct serve *sv)
{
	int t = -1;
	for (size_t i = 0; i < sv->nsrc; i++) {
		if (sv->src[i].stopped)
			continue;
		int lt = live_timeout_ms(sv->src[i].l);
		if (lt >= 0 && (t < 0 || lt < t))
			t = lt;
	}
	if (sv->dirty) {
		int64_t left = sv->last_render_ms + SERVE_RENDER_MS - clock_mono_ms();
		int r = left < 0 ? 0 : (int)left;
		if (t < 0 || r < t)
			t = r;
	}
	return t;
}

/* Follow and render until SIGTERM or SIGINT; SIGHUP reopens. */
static void loop(struct serve *sv, int sfd)
{
	struct pollfd *pfd = NULL;
	size_t cap = 0;

	for (;;) {
		if (cap < sv->nsrc + 1) {
			cap = sv->nsrc + 1;
			pfd = xreallocarray(pfd, cap, sizeof(*pfd));
		}
		pfd[0] = (struct pollfd){.fd = sfd, .events = POLLIN};
		for (size_t i = 0; i < sv->nsrc; i++)
			pfd[i + 1] =
			    (struct pollfd){.fd = sv->src[i].stopped ? -1 : live_fd(sv->src[i].l),
					    .events = POLLIN};
		int pr = poll(pfd, sv->nsrc + 1, wait_ms(sv));
		if (pr < 0 && errno != EINTR) {
			diag_error(sv->ctx->err, "poll: %s", strerror(errno));
			break;
		}
		if (pr > 0 && (pfd[0].revents & POLLIN)) {
			struct signalfd_siginfo si;
			bool stop = false, hup = false;
			while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				if (si.ssi_signo == SIGHUP)
					hup = true;
				else
					stop = true;
			}
			if (stop)
				break;
			if (hup) {
				reopen(sv);
				continue;
			}
		}
		follow_all(sv);
		if (sv->dirty && clock_mono_ms() - sv->last_render_ms >= SERVE_RENDER_MS)
			render(sv);
	}
	free(pfd);
}

/* Check the options into sv; CMD_OK or CMD_USAGE (said on err). */
static enum cmd_result options(struct serve *sv, const struct cmd_args *a, struct listen_addr *la)
{
	const char *const *v = a->val;
	struct out *err = sv->ctx->err;
	const char *why = NULL;

	/* ARG_COUNT: the parser let only digits through */
	sv->mo.max_hosts = v[O_MAX_HOSTS] ? atoi(v[O_MAX_HOSTS]) : METRICS_MAX_HOSTS;
	sv->mo.max_apps = v[O_MAX_APPS] ? atoi(v[O_MAX_APPS]) : METRICS_MAX_APPS;
	sv->server = v[O_SERVER];
	if (listen_parse(v[O_LISTEN] ? v[O_LISTEN] : LISTEN_DEFAULT_HOST, la, &why) < 0) {
		diag_error(err, "invalid --listen '%s': %s", v[O_LISTEN], why);
		return CMD_USAGE;
	}
	if (v[O_INSTANCE] && a->noperands) {
		diag_error(err, "give --instance or PATHs, not both");
		return CMD_USAGE;
	}
	filter_set(&sv->filter, v[O_APP], v[O_USER], v[O_DB], v[O_HOST]);
	sv->prefix = v[O_PREFIX];
	sv->instance = v[O_INSTANCE];
	sv->paths = a->operands;
	sv->npaths = a->noperands;
	return CMD_OK;
}

/* Follow, listen and serve; returns when a signal stops it. */
static enum cmd_result serve(struct serve *sv, const struct listen_addr *la, const char *web)
{
	struct webconfig wc = {0};
	enum cmd_result rc = CMD_ERROR;
	struct http *h = NULL;
	char shown[300];
	int lfd = -1;
	sigset_t stop_sigs, old;

	/* The signals are read from a signalfd by the main thread alone: they
	 * are blocked here, before any thread starts, so that every thread
	 * libmicrohttpd starts inherits the block. */
	sigemptyset(&stop_sigs);
	sigaddset(&stop_sigs, SIGHUP);
	sigaddset(&stop_sigs, SIGTERM);
	sigaddset(&stop_sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop_sigs, &old);
	int sfd = signalfd(-1, &stop_sigs, SFD_CLOEXEC | SFD_NONBLOCK);
	/* A client that hangs up mid-response must not end the program. */
	signal(SIGPIPE, SIG_IGN);

	if (sfd < 0) {
		diag_error(sv->ctx->err, "signalfd: %s", strerror(errno));
		goto out;
	}
	if (web && webconfig_load(web, &wc, sv->ctx->err) < 0)
		goto out;
	lfd = listen_open(la, sv->ctx->err, shown, sizeof(shown));
	if (lfd < 0)
		goto out;
	sv->nsrc = sources_open(sv, &sv->src);
	if (sv->nsrc == 0) {
		diag_error(sv->ctx->err, "no log to follow%s",
			   sv->npaths ? "" : ": give log files or directories");
		goto out;
	}
	render(sv);
	struct http_opts ho = {.listen_fd = lfd, .wc = &wc, .box = &sv->box};
	h = http_start(&ho, sv->ctx->err);
	if (!h)
		goto out;
	lfd = -1; /* the server's now */
	out_printf(sv->ctx->out, "Serving the metrics of %zu log%s on %s://%s/metrics\n", sv->nsrc,
		   sv->nsrc == 1 ? "" : "s", wc.cert_pem ? "https" : "http", shown);
	for (size_t i = 0; i < sv->nsrc; i++)
		out_printf(sv->ctx->out, "  %s\n", live_target(sv->src[i].l));
	out_flush(sv->ctx->out);
	loop(sv, sfd);
	rc = CMD_OK;
out:
	http_stop(h);
	if (lfd >= 0)
		close(lfd);
	webconfig_release(&wc);
	if (sfd >= 0)
		close(sfd);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

static enum cmd_result serve_run(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct serve sv;
	struct listen_addr la;

	memset(&sv, 0, sizeof(sv));
	sv.ctx = ctx;
	filter_init(&sv.filter);
	snapshot_box_init(&sv.box);
	sbuf_init(&sv.buf, SERVE_MAX_EXPOSITION);
	enum cmd_result rc = options(&sv, a, &la);
	if (rc == CMD_OK)
		rc = serve(&sv, &la, a->val[O_WEB_CONFIG]);
	sources_release(sv.src, sv.nsrc);
	snapshot_box_release(&sv.box);
	sbuf_release(&sv.buf);
	filter_release(&sv.filter);
	return rc;
}

const struct cmd_def cmd_serve_def = {
    .name = "serve",
    .operands = OPERANDS_PATHS,
    .operand_meta = "[PATH...]",
    .fronts = FRONT_ONESHOT,
    .summary = "Follow the logs and serve their metrics to Prometheus",
    .opts = serve_opts,
    .nopts = O__COUNT,
    .run = serve_run,
    .description = "Follows PostgreSQL logs, as 'tail' does in the shell, and serves their\n"
		   "connection metrics over HTTP at /metrics for Prometheus: open sessions by\n"
		   "database, user, application and client address, connects, disconnects and\n"
		   "failed attempts by reason, session durations, the peak.  The OpenMetrics\n"
		   "format is served when the scraper asks for it, the Prometheus text format\n"
		   "otherwise.  Needs log_connections = on and log_disconnections = on.\n"
		   "\n"
		   "Each PATH (a log file or a log directory) is one server; without PATH,\n"
		   "every PostgreSQL instance of this machine ('list').  With more than one,\n"
		   "each metric has a server label: the PATH, the cluster name (15/main) or\n"
		   "the data directory.  The logs are replayed first, so the open sessions\n"
		   "are known from the start.\n"
		   "\n"
		   "SIGHUP finds and replays the logs again; SIGTERM and SIGINT stop.\n",
    .epilog = "The web config file is the one Prometheus exporters read\n"
	      "(--web.config.file), in YAML:\n"
	      "  tls_server_config:\n"
	      "    cert_file: server.crt     # PEM; relative to the file's directory\n"
	      "    key_file: server.key\n"
	      "  basic_auth_users:\n"
	      "    prometheus: $2y$10$...    # a bcrypt hash: htpasswd -nbB NAME PASSWORD\n"
	      "Either part may be left out.  With basic_auth_users every path needs a\n"
	      "user and password.  Other keys of that format (client certificates, TLS\n"
	      "versions, HTTP headers) are refused rather than ignored.\n"
	      "\n"
	      "Exit status: 0 when stopped by a signal, 1 when the port is in use, the\n"
	      "web config cannot be used or no log can be followed, 2 for a bad command\n"
	      "line.\n",
};
