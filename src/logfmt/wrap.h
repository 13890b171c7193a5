/* SPDX-License-Identifier: PostgreSQL */
/*
 * wrap: the transport layer, what every transport shares.
 *
 * A transport is a log format whose records carry PostgreSQL's own records
 * inside something else: a syslog line, a journal entry, a container
 * runtime's JSON line.  Its parser reads one outer record, finds in it the
 * payload -- the bytes PostgreSQL wrote: a stderr line with its
 * log_line_prefix, or a csvlog or jsonlog record -- and hands that to a
 * struct wrap, which runs the parser of the payload's own format (the inner
 * parser) on it.  Everything downstream sees the same pg_entry as from the
 * plain file; the transport only adds what the outer record knows and the
 * payload may not (pg_entry.server, a pid, a timestamp).
 *
 * Adding a transport NAME:
 *  1. logfmt.h: LOGFMT_NAME in enum log_format, and a line in its comment.
 *  2. logfmt/NAME.c, defining const struct logfmt_ops NAME_ops with
 *     .transport = true, .suffix = "", .suffix_decides = false, and
 *     - sniff: the outer shape of one line, strict enough never to take a
 *       plain stderr, csvlog or jsonlog line;
 *     - new: a parser holding a struct wrap (wrap_init with the prefix);
 *     - infer: wrap_infer with a wrap_unwrap_fn giving each sample line's
 *       payload: the inner format is detected from the payloads (never a
 *       transport) and, for stderr, the log_line_prefix inferred from them;
 *     - next: find one whole outer record (else LOGFMT_NEED_MORE, or at
 *       EOF take what is there), put its payload into wrap_payload()
 *       (unescaped: the inner parser sees the bytes PostgreSQL wrote),
 *       call wrap_parse, fill what the outer record adds, and set *used to
 *       the outer record's bytes.  A record that is not the server's
 *       (another program, a duplicate) is ENTRY_FOREIGN: left out, not
 *       reported;
 *     - fast_skip (optional but wanted: a wrapped log must read at no more
 *       than 1.5x the time of the plain one): find the payload without
 *       copying and hand it to the inner format's fast path with
 *       wrap_fast_inner, when the payload needs no unescaping;
 *     - set_env / note when it needs --ident or a file's mtime, or has to
 *       assume something the user should hear of.
 *  3. logfmt.c: a line in formats[], before the formats whose sniff would
 *     take its lines (before stderr; before jsonlog when its lines are JSON
 *     objects).  --format, help and completion take the name from there.
 *  4. formats.h: the extern; src/meson.build: the file; tests: a fuzz
 *     target (tests/fuzz/fuzz_NAME.c, listed in tests/fuzz/meson.build and
 *     run.sh) and a wrapper in tests/fixtures/wrap/make.sh, whose golden
 *     cases must give the same connections --json as the plain log.
 *
 * One outer record gives at most one entry.  When a payload holds several
 * records (syslog_split_messages = off puts the DETAIL and STATEMENT lines
 * of a message into the one syslog line), the first is returned and the
 * rest -- the secondary lines of the same message, which the classifier
 * does not read -- are left out.
 */
#ifndef PGTAIL_WRAP_H
#define PGTAIL_WRAP_H

#include <stdbool.h>
#include <stddef.h>

#include "logfmt/entry.h"
#include "logfmt/formats.h"
#include "util/sbuf.h"

struct wrap {
	const struct logfmt_ops *inner_ops; /* the payload's format: stderr until
					       wrap_infer decides; never a transport
					       but CloudNativePG's, whose records
					       are not wrapped further */
	void *inner;                        /* its parser; owned */
	char *prefix;                       /* the log_line_prefix given, or NULL; owned */
	struct sbuf payload;                /* the record being unwrapped, capped at
					       READER_MAX_RECORD's 64 MB */
};

/* Set up w with the stderr inner parser.  prefix (may be NULL: inferred
 * later) is copied.  Returns 0, or -1 with *err set when prefix does not
 * compile (w is then released). */
int wrap_init(struct wrap *w, const char *prefix, const char **err);
void wrap_release(struct wrap *w);

/* A transport's unwrapping of one outer line, for wrap_infer: append the
 * payload of line[0..n) (no newline) to out, unescaped, and return true;
 * false when the line carries none of the server's records. */
typedef bool (*wrap_unwrap_fn)(void *transport, const char *line, size_t n, struct sbuf *out);

/*
 * Settle the inner format and prefix from sample[0..len), the first bytes
 * of the file: each whole line is unwrapped with fn (transport is its first
 * argument), the payloads are joined by newlines, and the inner format is
 * the destination logfmt_detect_destination finds in them (or CloudNativePG's
 * JSON, which a CRI or Docker file of its pod carries); its parser
 * replaces the one w had and, for stderr without a given prefix, infers the
 * prefix from them.  Returns what logfmt_infer_prefix does.
 */
int wrap_infer(struct wrap *w, const char *sample, size_t len, wrap_unwrap_fn fn, void *transport);

/* The payload buffer, emptied: the transport appends the unwrapped record
 * to it (without a newline), then calls wrap_parse. */
struct sbuf *wrap_payload(struct wrap *w);

/*
 * Parse the first record of the payload with the inner parser into e
 * (cleared first).  LOGFMT_OK, or LOGFMT_BAD with *why (may be NULL) from
 * the inner parser.  e's slices point into w and stay valid until the next
 * wrap_payload.
 */
enum logfmt_status wrap_parse(struct wrap *w, struct pg_entry *e, const char **why);

/* wrap_fast_inner for a payload carried as it is, whose format the fast
 * path (which holds no state) does not know: CloudNativePG's when it is a
 * JSON object, else stderr's. */
bool wrap_fast_raw(const char *buf, size_t len, size_t at, logfmt_interest_fn interest,
		   struct logfmt_skip *sk);

/* logfmt_line (formats.h), the line's length without a '\r' before its
 * '\n' ("\r\n" line ends). */
bool wrap_line(const char *buf, size_t len, bool at_eof, size_t *n, size_t *used);

/*
 * A line led by an RFC 3339 stamp in UTC and a space, as "docker logs -t"
 * and CloudWatch's export write them: the stamp's length with its space
 * (0: p[0..n) has none) and, in *ms, its time.  digits is the number of
 * fraction digits the shape has ("...:45.123456789Z": 9; "...:12.345Z": 3).
 */
size_t wrap_stamp(const char *p, size_t n, int digits, int64_t *ms);

/* What an outer record adds to the entry its payload gives. */
struct wrap_outer {
	int64_t ts_ms;       /* its time, TS_UNKNOWN: taken when the payload has none */
	int64_t pid;         /* its process, PID_UNKNOWN: taken when the payload has none */
	struct slice server; /* its origin (len 0: none): the entry's server */
	long long chunk;     /* the payload's piece number in PostgreSQL's syslog
				mark (pgsyslog.h), 0 without one */
};

/*
 * wrap_parse, then what the outer record o adds: the server on any entry
 * (on a message, when o has one: CloudNativePG's records name their pod),
 * the time and pid on a message that has none.  A piece after the first
 * (o->chunk >= 2) that parses as no record is a piece of a cut line:
 * ENTRY_CONTINUATION.
 */
enum logfmt_status wrap_parse_outer(struct wrap *w, struct pg_entry *e, const char **why,
				    const struct wrap_outer *o);

/* ops->new and ops->free of a transport whose parser is a struct wrap and
 * nothing else (wrap_init with the prefix; NULL + *err when it does not
 * compile). */
void *wrap_new(const char *prefix, const char **err);
void wrap_free(void *w);

/* The fields of logfmt_ops that every such transport shares: a transport,
 * no file suffix of its own, wrap.c's parser (set_env and note: none). */
#define WRAP_TRANSPORT_OPS                                                                         \
	.transport = true, .suffix = "", .suffix_decides = false, .new = wrap_new, .free = wrap_free

/* The inner format's fast path on a payload that is buf[at..) up to the
 * outer line's newline, unchanged (nothing to unescape): as inner, the
 * bytes let go counted from buf.  False when inner is NULL. */
static inline bool wrap_fast_inner(logfmt_fast_skip_fn inner, const char *buf, size_t len,
				   size_t at, logfmt_interest_fn interest, struct logfmt_skip *sk)
{
	if (!inner || at >= len || !inner(buf + at, len - at, interest, sk))
		return false;
	sk->used += at;
	return true;
}

/*
 * The string value of "key" (key given with its quotes, colon and opening
 * quote: "\"time\":\"") in the JSON line p[0..n), found without parsing
 * it, as *v pointing into p: true when the value holds no escape (then it
 * is the value).  The text '"key":"' cannot occur inside a string value
 * (its quotes would be escaped there), so what is found is a key -- the
 * first of that name, at any depth.  False when absent or escaped: the
 * caller asks jansson.
 */
bool wrap_json_value(const char *p, size_t n, const char *key, struct slice *v);

/* The string value of "key" (as for wrap_json_value) in the JSON line
 * p[0..n), unescaped and appended to out without its line end ("\n",
 * "\r\n"): true, or false (out unchanged) when the key is absent or its
 * value is not a string jsonscan is sure of (jscan_string). */
bool wrap_json_string(const char *p, size_t n, const char *key, struct sbuf *out);

/*
 * The fast path of a transport whose payload, a stderr line, is a JSON
 * string value (no JSON parse: the value is found by its key): the value
 * starting at buf[at..) (just after its opening quote), when it holds no
 * escape but for one "\n" that ends it, is tested in place as stderr's
 * fast path tests a line (stderr_fast_reject: up to the value's end, not
 * the line's -- an interest test may want a message whole).  False when
 * the value has an escape (the parser unescapes it) or no closing quote,
 * or (ends_line) does not end in "\n": a piece of a cut line, which the
 * parser joins; also when the line does not end the object (the parser
 * reports it).
 */
bool wrap_fast_json_string(const char *buf, size_t len, size_t at, bool ends_line,
			   logfmt_interest_fn interest, struct logfmt_skip *sk);

#endif
