/* SPDX-License-Identifier: PostgreSQL */
/*
 * logfmt: turn the bytes of one log file into pg_entry records.
 *
 * One struct logfmt per file being read.  The reader hands it a buffer that
 * begins at a record boundary; logfmt_next() parses one record from the front
 * and says how many bytes it used.  Formats (each in its own file, behind
 * the struct logfmt_ops of formats.h):
 *   stderr  one record per physical line (continuation lines starting with a
 *           TAB come back as ENTRY_CONTINUATION), the log_line_prefix is
 *           given or inferred from the first lines;
 *   csvlog  one record per CSV row, which may span lines (quoted newlines);
 *   jsonlog one JSON object per line.
 * Each of these is also a log destination of the server: its name is the word
 * log_destination and current_logfiles use, and its files end in its suffix.
 * The transports carry those records inside something else and unwrap them
 * (logfmt/wrap.h says how to add one):
 *   syslog   a syslog file (rsyslog, syslog-ng, journalctl -o short-iso):
 *            "TIMESTAMP HOST IDENT[PID]: [N-k] <stderr line>", RFC 3339,
 *            traditional or RFC 5424 headers;
 *   journald journalctl -o json: one JSON object per line, the stderr line
 *            in MESSAGE;
 *   docker   Docker's json-file log ({"log":"LINE\n","stream":...,"time":...},
 *            lines cut at 16 KB joined) and docker logs -t ("TIME LINE");
 *   cri      Kubernetes node files ("TIME stream F|P LINE", P pieces joined);
 *   cnpg     CloudNativePG: {"logger":"postgres","record":{csvlog columns}};
 *   cloudwatch RDS/Aurora lines exported from CloudWatch ("TIME.mmmZ LINE");
 *   cloudsql Google Cloud Logging JSON, the line in textPayload;
 *   azure    Azure Monitor JSON, the line in properties.message;
 *   heroku   logplex: "TIME app[postgres.PID]: [COLOR] [N-k] LINE";
 *   kubectl  kubectl logs --prefix: "[pod/POD/CONTAINER] [TIME ]LINE".
 * A transport is no destination: it has no suffix, and a directory's files
 * are never taken for one by their name.
 */
#ifndef PGTAIL_LOGFMT_H
#define PGTAIL_LOGFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "logfmt/entry.h"

/* A log format, which is also the server's log destination that writes it. */
enum log_format {
	LOGFMT_AUTO = 0,   /* not decided: detect it from the first bytes (logfmt_detect) */
	LOGFMT_STDERR,     /* "stderr", files "*.log" */
	LOGFMT_CSV,        /* "csvlog", files "*.csv" */
	LOGFMT_JSON,       /* "jsonlog", files "*.json" */
	LOGFMT_SYSLOG,     /* "syslog": a transport (no suffix) */
	LOGFMT_JOURNALD,   /* "journald": a transport (no suffix) */
	LOGFMT_DOCKER,     /* "docker": a transport (json-file, docker logs -t) */
	LOGFMT_CRI,        /* "cri": a transport (Kubernetes node files) */
	LOGFMT_CNPG,       /* "cnpg": a transport (CloudNativePG's JSON) */
	LOGFMT_CLOUDWATCH, /* "cloudwatch": a transport (RDS logs from CloudWatch) */
	LOGFMT_CLOUDSQL,   /* "cloudsql": a transport (Cloud Logging JSON) */
	LOGFMT_AZURE,      /* "azure": a transport (Azure Monitor JSON) */
	LOGFMT_HEROKU,     /* "heroku": a transport (logplex) */
	LOGFMT_KUBECTL,    /* "kubectl": a transport (kubectl logs --prefix) */
	LOGFMT__COUNT
};

/* The format's name as the server writes it in log_destination and
 * current_logfiles ("stderr", "csvlog", "jsonlog"); "auto" for LOGFMT_AUTO.
 * A static string. */
const char *log_format_name(enum log_format f);

/* The format named name: its log_format_name() or an alias --format
 * accepts ("csv", "json").  Exact and case-sensitive; LOGFMT_AUTO when
 * name is none of them. */
enum log_format log_format_from_name(const char *name);

/* What the server's files of the format end in (".log", ".csv", ".json");
 * "" for LOGFMT_AUTO and for a transport.  A static string. */
const char *log_format_suffix(enum log_format f);

/* Is f a log destination of the server (stderr, csvlog, jsonlog), as
 * opposed to LOGFMT_AUTO or a transport?  Loops over enum log_format that
 * look for a destination's files must skip the others. */
bool log_format_is_destination(enum log_format f);

/* Every format's name, the destinations first, NULL-terminated: the choices
 * of --format (help and completion use them).  A static array. */
const char *const *log_format_names(void);

/*
 * Guess the format of a file from its first bytes (sample[0..len), which may
 * end mid-line) and, as a hint, its name (may be NULL): a transport's lines
 * (syslog, journald, docker, ...) whatever the name; else ".csv" → csvlog,
 * ".json" → jsonlog (also when followed by ".gz"), otherwise by content: a
 * line starting with '{"' is jsonlog, a line starting with a timestamp
 * followed by ',' is csvlog, anything else stderr.  Never LOGFMT_AUTO.
 */
enum log_format logfmt_detect(const char *sample, size_t len, const char *name);

struct logfmt;

/*
 * Create a parser for one file.  prefix is the log_line_prefix to use for
 * stderr (NULL: infer it, see logfmt_infer_prefix); ignored for csv/json.
 * LOGFMT_AUTO is taken as stderr.  Returns NULL when prefix does not
 * compile.  Caller frees with logfmt_free.
 */
struct logfmt *logfmt_new(enum log_format fmt, const char *prefix);
void logfmt_free(struct logfmt *lf);

/*
 * For stderr with an unknown prefix: look at sample[0..len) (the first few
 * hundred lines of the file) and settle the prefix.  Returns 0 when a prefix
 * was found, -1 when none fitted (the parser then falls back to a tolerant
 * generic parse of each line).
 * A no-op returning 0 for csv/json or when a prefix was given.
 */
int logfmt_infer_prefix(struct logfmt *lf, const char *sample, size_t len);

/* What a transport needs to know of where its records come from. */
struct logfmt_env {
	const char *ident;     /* --ident: the syslog_ident (program name) of the
				  server's records; NULL: "postgres" and the idents
				  starting with it ("postgres-15"), or any ident whose
				  messages carry PostgreSQL's "[N-k]" marks */
	int64_t file_mtime_ms; /* the file's modification time (UTC ms), or
				  TS_UNKNOWN (stdin): the year of a traditional
				  syslog timestamp, which has none */
};

/* Give lf's format its environment (copied; the strings must outlive lf).
 * Call before the first logfmt_next; a no-op for the destinations. */
void logfmt_set_env(struct logfmt *lf, const struct logfmt_env *env);

/* What the parser had to assume so far and the user should know (a
 * traditional syslog timestamp's year and zone), as one sentence without
 * a full stop; NULL when nothing.  Valid until lf is freed. */
const char *logfmt_note(const struct logfmt *lf);

enum logfmt_status {
	LOGFMT_OK = 0,    /* *e holds a record; *used bytes were consumed */
	LOGFMT_NEED_MORE, /* buf holds no complete record; call again with more
			     bytes (only returned when at_eof is false) */
	LOGFMT_BAD,       /* buf starts with *used bytes that are not a valid record
			     (malformed CSV, invalid JSON); *why says what; skip them */
};

/*
 * Parse one record from the start of buf[0..len).  at_eof says no more bytes
 * will follow: a final record without its newline is then accepted, and a
 * truncated one (an open CSV quote) is reported as LOGFMT_BAD.
 * A record's bytes include its terminating newline.  *e's slices point into
 * buf or into lf's own storage and are valid until the next call.
 * *why (may be NULL) receives a static string describing a LOGFMT_BAD.
 * Every call with len > 0 and at_eof set consumes at least one byte.
 */
enum logfmt_status logfmt_next(struct logfmt *lf, const char *buf, size_t len, bool at_eof,
			       struct pg_entry *e, size_t *used, const char **why);

/*
 * The interest test of the fast path: could a message of severity sev
 * starting with msg[0..len) matter to the caller?  False positives cost
 * time; a false negative loses a record.  (conn/classify's classify_maybe.)
 */
typedef bool (*logfmt_interest_fn)(enum pg_sev sev, const char *msg, size_t len);

/* A record the fast path let go unparsed. */
struct logfmt_skip {
	size_t used;    /* its bytes, its newline included */
	uint64_t lines; /* the newlines among them */
	bool message;   /* a message (not a stderr continuation line) */
};

/*
 * A fast path: can the record at the start of buf[0..len) be counted
 * without being parsed?  True, with *sk filled, when the record is whole in
 * buf and interest rejects its severity and the start of its message, both
 * read exactly as the parser reads them (a stderr continuation line is let
 * go too).  False when the parser must decide: the record is not whole, not
 * of a shape the test is sure of (the parser then reports it), or interest
 * accepts it.  Never true for a record whose parsed entry interest would
 * accept.  It reads only buf: it holds no state, so a transport's fast path
 * may let go, counted as a message, a record its parser would leave out as
 * not the server's (ENTRY_FOREIGN).
 */
typedef bool (*logfmt_fast_skip_fn)(const char *buf, size_t len, logfmt_interest_fn interest,
				    struct logfmt_skip *sk);

/* Does lf read each record of a file alone, whatever came before it, so
 * that a part of the file starting at a record's start can be read by a
 * parser of its own (set up from the file's first bytes) with the same
 * result?  True for csvlog and jsonlog, and for stderr once its prefix is
 * settled for good (an inferred prefix may still give way to its "%q"
 * superset); false for every transport (pieces are joined across records). */
bool logfmt_stable(const struct logfmt *lf);

/* The log_line_prefix lf reads with, given or settled by
 * logfmt_infer_prefix; NULL when there is none (no prefix fitted, or the
 * format has none).  Given as the prefix to a parser of a part of the same
 * file (see logfmt_stable), it reads as lf does, without inferring again. */
const char *logfmt_prefix(const struct logfmt *lf);

/* The fast path of lf's format, or NULL when it has none.  Called once per
 * file, it saves a call per record on the hot path. */
logfmt_fast_skip_fn logfmt_fast_path(const struct logfmt *lf);

#endif
