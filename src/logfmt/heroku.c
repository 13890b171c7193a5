/* SPDX-License-Identifier: PostgreSQL */
/*
 * heroku: the transport of Heroku Postgres logs from logplex (wrap.h), in
 * the two shapes Heroku gives them:
 *   heroku logs  "2019-03-14T00:22:56+00:00 app[postgres.4882]: [GREEN]
 *                [15-1]  sql_error_code = 00000 LOG:  ..."
 *   log drain    "451 <134>1 2023-06-05T19:33:14+00:00 host app
 *                postgres.1105947 - [YELLOW] [12-1]  sql_error_code = ..."
 *                (octet-counted RFC 5424, the count optional)
 * The dyno "postgres.PID" names the process, [COLOR] the database
 * attachment (the entry's server), and "[N-k] " is PostgreSQL's syslog
 * mark (pgsyslog.h): Heroku's server logs through syslog.  The stderr line
 * after it has Heroku's log_line_prefix.  Other dynos' lines (the router,
 * the app, heroku-postgres' metrics "sample#active-connections=11") are
 * ENTRY_FOREIGN.  Pieces of a line cut at 900 bytes are not joined: they
 * come back as continuations.
 */
#include "logfmt/formats.h"

#include <string.h>

#include "logfmt/pgsyslog.h"
#include "logfmt/ts.h"
#include "logfmt/wrap.h"

/* One logplex line, its header read. */
struct hk_line {
	int64_t ts_ms;
	bool ours;          /* a postgres dyno's */
	int64_t pid;        /* from the dyno's name, PID_UNKNOWN */
	struct slice color; /* the attachment, len 0 when absent */
	struct pgsyslog_mark mark;
	size_t msg; /* where the stderr line begins */
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The dyno "postgres" or "postgres.PID" at p[0..n): its pid (or
 * PID_UNKNOWN) in *pid; false for another dyno. */
static bool postgres_dyno(const char *p, size_t n, int64_t *pid)
{
	*pid = PID_UNKNOWN;
	if (n < 8 || memcmp(p, "postgres", 8) != 0)
		return false;
	if (n == 8)
		return true;
	if (p[8] != '.' || n > 8 + 18 || n == 9)
		return false;
	int64_t v = 0;
	for (size_t i = 9; i < n; i++) {
		if (!is_digit(p[i]))
			return false;
		v = v * 10 + (p[i] - '0');
	}
	*pid = v;
	return true;
}

/* The token at p[*i..n) up to a space; *i moves past the space.  Empty
 * when there is no space. */
static struct slice token(const char *p, size_t n, size_t *i)
{
	const char *sp = memchr(p + *i, ' ', n - *i);
	if (!sp)
		return SLICE_NULL;
	struct slice t = slice_make(p + *i, (size_t)(sp - (p + *i)));
	*i = (size_t)(sp - p) + 1;
	return t;
}

/* Read the header of p[0..n) (no newline) into l: either shape.  False
 * when p is no logplex line. */
static bool hk_parse(const char *p, size_t n, struct hk_line *l)
{
	size_t i = 0, used;
	memset(l, 0, sizeof(*l));
	l->pid = PID_UNKNOWN;
	while (i < n && i < 10 && is_digit(p[i]))
		i++; /* a drain's octet count, or the time's year */
	if (i > 0 && i + 1 < n && p[i] == ' ' && p[i + 1] == '<')
		i++;
	else
		i = 0;
	bool drain = n - i > 4 && p[i] == '<';
	if (drain) {
		const char *gt = memchr(p + i, '>', n - i < 6 ? n - i : 6);
		if (!gt || (size_t)(gt - p) + 3 > n || gt[1] != '1' || gt[2] != ' ')
			return false;
		i = (size_t)(gt - p) + 3;
	}
	if (ts_parse_rfc3339(p + i, n - i, &l->ts_ms, &used) < 0)
		return false;
	i += used;
	if (i >= n || p[i++] != ' ')
		return false;
	if (drain) {
		struct slice host = token(p, n, &i), app = token(p, n, &i);
		struct slice dyno = token(p, n, &i), msgid = token(p, n, &i);
		if (!host.len || !app.len || !dyno.len || !msgid.len)
			return false;
		l->ours = postgres_dyno(dyno.p, dyno.len, &l->pid);
	} else {
		/* "SOURCE[DYNO]: " */
		const char *ob = memchr(p + i, '[', n - i);
		const char *cb = ob ? memchr(ob, ']', n - (size_t)(ob - p)) : NULL;
		if (!ob || !cb || ob == p + i || memchr(p + i, ' ', (size_t)(ob - (p + i))) ||
		    (size_t)(cb - p) + 2 >= n || cb[1] != ':' || cb[2] != ' ')
			return false;
		l->ours = postgres_dyno(ob + 1, (size_t)(cb - ob - 1), &l->pid);
		i = (size_t)(cb - p) + 3;
	}
	/* "[COLOR] ": capitals (and digits, '_') in brackets. */
	if (i + 3 < n && p[i] == '[' && p[i + 1] >= 'A' && p[i + 1] <= 'Z') {
		size_t k = i + 1;
		while (k < n && ((p[k] >= 'A' && p[k] <= 'Z') || is_digit(p[k]) || p[k] == '_'))
			k++;
		if (k + 1 < n && p[k] == ']' && p[k + 1] == ' ') {
			l->color = slice_make(p + i + 1, k - i - 1);
			i = k + 2;
		}
	}
	if (pgsyslog_mark(p + i, n - i, &l->mark))
		i += l->mark.len;
	l->msg = i;
	return true;
}

/* wrap_unwrap_fn: the stderr line of a sample line of the server, its
 * first piece only (Heroku's prefix starts with a space, as does a piece
 * of a cut line: only the first is sure to have the prefix). */
static bool unwrap(void *transport, const char *line, size_t n, struct sbuf *out)
{
	struct hk_line l;
	(void)transport;
	if (!hk_parse(line, n, &l) || !l.ours || l.mark.chunk >= 2)
		return false;
	return sbuf_add(out, line + l.msg, n - l.msg) == 0;
}

static enum logfmt_status ops_next(void *parser, const char *buf, size_t len, bool at_eof,
				   struct pg_entry *e, size_t *used, const char **why)
{
	size_t n;
	struct hk_line l;

	if (why)
		*why = NULL;
	if (!wrap_line(buf, len, at_eof, &n, used))
		return LOGFMT_NEED_MORE;
	pg_entry_clear(e);
	if (!hk_parse(buf, n, &l)) {
		e->kind = ENTRY_OTHER;
		e->message = slice_make(buf, n);
		return LOGFMT_OK;
	}
	if (!l.ours) {
		e->kind = ENTRY_FOREIGN;
		return LOGFMT_OK;
	}
	sbuf_add(wrap_payload(parser), buf + l.msg, n - l.msg);
	struct wrap_outer o = {
	    .ts_ms = l.ts_ms, .pid = l.pid, .server = l.color, .chunk = l.mark.chunk};
	return wrap_parse_outer(parser, e, why, &o);
}

static int ops_infer(void *parser, const char *sample, size_t len)
{
	return wrap_infer(parser, sample, len, unwrap, parser);
}

/* The fast path (see logfmt_fast_skip_fn): a postgres dyno's first piece
 * of a line, in place (nothing is escaped); other pieces and other dynos'
 * lines go to the parser. */
static bool fast_skip(const char *buf, size_t len, logfmt_interest_fn interest,
		      struct logfmt_skip *sk)
{
	const char *nl = memchr(buf, '\n', len);
	struct hk_line l;
	if (!nl || !hk_parse(buf, (size_t)(nl - buf), &l) || !l.ours || l.mark.chunk >= 2)
		return false;
	return wrap_fast_inner(stderr_ops.fast_skip, buf, len, l.msg, interest, sk);
}

/* A logplex line (either shape) of a postgres dyno, with the syslog mark
 * (a plain syslog line has no dyno, a drain's has it), or of Heroku
 * Postgres' metrics, which may come first. */
static bool sniff(const char *line, size_t n)
{
	struct hk_line l;
	return hk_parse(line, n, &l) &&
	       (l.ours ? l.mark.len > 0 : memmem(line, n, "[heroku-postgres]: ", 19) != NULL);
}

static const char *const aliases[] = {"logplex", NULL};

const struct logfmt_ops heroku_ops = {
    .id = LOGFMT_HEROKU,
    .name = "heroku",
    .aliases = aliases,
    WRAP_TRANSPORT_OPS,
    .sniff = sniff,
    .infer = ops_infer,
    .next = ops_next,
    .fast_skip = fast_skip,
};
