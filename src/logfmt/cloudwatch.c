/* SPDX-License-Identifier: PostgreSQL */
/*
 * cloudwatch: the transport of AWS RDS and Aurora logs exported from
 * CloudWatch Logs (wrap.h): each line of the server's log led by the
 * event's time, "YYYY-MM-DDTHH:MM:SS.mmmZ ", then the line as RDS writes it
 * (log_line_prefix '%t:%r:%u@%d:[%p]:', which the stderr inference reads
 * like any other).  The event's time, to the millisecond, is the record's
 * when the prefix has none.  (RDS's own log files, without the CloudWatch
 * stamp, are plain stderr logs.)
 */
#include "logfmt/formats.h"

#include "logfmt/wrap.h"

/* CloudWatch's stamp has milliseconds. */
#define CW_DIGITS 3

/* wrap_unwrap_fn: the line after the stamp. */
static bool unwrap(void *transport, const char *line, size_t n, struct sbuf *out)
{
	int64_t ms;
	size_t s = wrap_stamp(line, n, CW_DIGITS, &ms);
	(void)transport;
	return s && sbuf_add(out, line + s, n - s) == 0;
}

static enum logfmt_status ops_next(void *parser, const char *buf, size_t len, bool at_eof,
				   struct pg_entry *e, size_t *used, const char **why)
{
	size_t n;
	struct wrap_outer o = {.pid = PID_UNKNOWN};

	if (why)
		*why = NULL;
	if (!wrap_line(buf, len, at_eof, &n, used))
		return LOGFMT_NEED_MORE;
	pg_entry_clear(e);
	size_t s = wrap_stamp(buf, n, CW_DIGITS, &o.ts_ms);
	if (!s) {
		e->kind = ENTRY_OTHER;
		e->message = slice_make(buf, n);
		return LOGFMT_OK;
	}
	sbuf_add(wrap_payload(parser), buf + s, n - s);
	return wrap_parse_outer(parser, e, why, &o);
}

static int ops_infer(void *parser, const char *sample, size_t len)
{
	return wrap_infer(parser, sample, len, unwrap, parser);
}

/* The fast path (see logfmt_fast_skip_fn): the line after the stamp, in
 * place (nothing is escaped). */
static bool fast_skip(const char *buf, size_t len, logfmt_interest_fn interest,
		      struct logfmt_skip *sk)
{
	int64_t ms;
	size_t s = wrap_stamp(buf, len, CW_DIGITS, &ms);
	return s && wrap_fast_inner(stderr_ops.fast_skip, buf, len, s, interest, sk);
}

static bool sniff(const char *line, size_t n)
{
	int64_t ms;
	return wrap_stamp(line, n, CW_DIGITS, &ms) > 0;
}

static const char *const aliases[] = {"rds", NULL};

const struct logfmt_ops cloudwatch_ops = {
    .id = LOGFMT_CLOUDWATCH,
    .name = "cloudwatch",
    .aliases = aliases,
    WRAP_TRANSPORT_OPS,
    .sniff = sniff,
    .infer = ops_infer,
    .next = ops_next,
    .fast_skip = fast_skip,
};
