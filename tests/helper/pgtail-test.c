/* SPDX-License-Identifier: PostgreSQL */
/*
 * pgtail-test: dump one pipeline stage per record, for golden tests and
 * debugging.
 *   pgtail-test parse [--prefix=P] FILE      one line per record: fields
 *   pgtail-test classify [--prefix=P] FILE   one line per connection event
 *   pgtail-test bcrypt PASSWORD              a bcrypt hash of it, for web configs
 */
#include <crypt.h>
#include <stdio.h>
#include <string.h>

#include "conn/classify.h"
#include "logfmt/ts.h"
#include "source/reader.h"

static const char *kind_name(enum ev_kind k)
{
	static const char *names[] = {
	    "none",         "received",       "authenticated",    "authorized",   "ready",
	    "disconnected", "failed",         "session_ending",   "server_start", "server_ready",
	    "server_crash", "server_stopped", "shutdown_request", "backend_died", "setting"};
	return (size_t)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}

static void put(const char *key, struct slice s)
{
	if (s.len)
		printf(" %s=%.*s", key, (int)s.len, s.p);
}

static void on_parse(void *ctx, const struct pg_entry *e)
{
	char ts[40] = "-";
	(void)ctx;
	if (e->ts_ms != TS_UNKNOWN)
		ts_format_iso(e->ts_ms, ts, sizeof(ts));
	printf("%s pid=%lld sev=%.*s", ts, (long long)e->pid, (int)e->sev_word.len, e->sev_word.p);
	put("user", e->user);
	put("db", e->database);
	put("app", e->application);
	put("host", e->host);
	put("port", e->port);
	put("session", e->session_id);
	printf(" msg=%.*s\n", (int)(e->message.len > 120 ? 120 : e->message.len), e->message.p);
}

static void on_classify(void *ctx, const struct pg_entry *e)
{
	struct conn_event ev;
	char ts[40] = "-";
	(void)ctx;
	if (classify_entry(e, &ev) == EV_NONE)
		return;
	if (ev.ts_ms != TS_UNKNOWN)
		ts_format_iso(ev.ts_ms, ts, sizeof(ts));
	printf("%s %s pid=%lld", ts, kind_name(ev.kind), (long long)ev.pid);
	put("user", ev.user);
	put("db", ev.database);
	put("app", ev.application);
	put("host", ev.host);
	put("port", ev.port);
	if (ev.replication)
		printf(" replication");
	if (ev.kind == EV_FAILED)
		printf(" reason=%s%s", fail_reason_name(ev.reason),
		       ev.after_auth ? " after_auth" : "");
	if (ev.session_ms >= 0)
		printf(" session_ms=%lld", (long long)ev.session_ms);
	if (ev.other_pid >= 0)
		printf(" other_pid=%lld", (long long)ev.other_pid);
	if (ev.kind == EV_SETTING)
		printf(" %s=%s",
		       ev.setting == SETTING_LOG_CONNECTIONS ? "log_connections"
							     : "log_disconnections",
		       ev.setting_on ? "on" : "off");
	printf("\n");
}

/* A $2b$ hash at the lowest cost libxcrypt allows, so tests stay quick
 * (htpasswd -nbB writes the same kind). */
static int bcrypt(const char *password)
{
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data cd;
	memset(&cd, 0, sizeof(cd));
	if (!crypt_gensalt_rn("$2b$", 4, NULL, 0, salt, sizeof(salt)))
		return 1;
	const char *h = crypt_rn(password, salt, &cd, (int)sizeof(cd));
	if (!h || h[0] != '$')
		return 1;
	printf("%s\n", h);
	return 0;
}

int main(int argc, char **argv)
{
	struct out err;
	struct reader_opts ro = {.format = LOGFMT_AUTO, .err = &err, .max_reports = 10};
	struct reader_stats st = {0};
	reader_entry_fn fn;
	int i = 2;

	out_init(&err, stderr);
	if (argc == 3 && !strcmp(argv[1], "bcrypt"))
		return bcrypt(argv[2]);
	if (argc < 3 || (strcmp(argv[1], "parse") && strcmp(argv[1], "classify"))) {
		fprintf(stderr,
			"usage: pgtail-test parse|classify [--prefix=P] FILE | bcrypt PASSWORD\n");
		return 2;
	}
	fn = strcmp(argv[1], "parse") == 0 ? on_parse : on_classify;
	if (strncmp(argv[i], "--prefix=", 9) == 0)
		ro.prefix = argv[i++] + 9;
	for (; i < argc; i++)
		if (reader_run(argv[i], &ro, fn, NULL, &st) < 0)
			return 1;
	fprintf(stderr, "records=%llu messages=%llu skipped=%llu\n", (unsigned long long)st.records,
		(unsigned long long)st.messages, (unsigned long long)st.skipped);
	return 0;
}
