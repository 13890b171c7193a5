/* SPDX-License-Identifier: PostgreSQL */
/*
 * formats: the interface every log format implements, and the three
 * formats behind logfmt.h.  Internal to logfmt/ (and its tests): the rest of
 * pgtail uses logfmt_*.
 *
 * A format is one struct logfmt_ops, defined in the format's own file next
 * to everything it knows: how its files are named, how to recognise its
 * first lines, how to parse a record, and its fast path.  logfmt.c holds
 * the list of them and only dispatches; adding a format (or a transport that
 * unwraps records carried inside something else: syslog, journald, a
 * container runtime's log file) adds a file, an ops and a line in that list,
 * and changes no caller.
 */
#ifndef PGTAIL_FORMATS_H
#define PGTAIL_FORMATS_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "logfmt/entry.h"
#include "logfmt/logfmt.h"

struct logfmt_ops {
	enum log_format id;
	const char *name;           /* log_format_name() */
	const char *const *aliases; /* more names --format accepts; NULL-terminated, or NULL */
	bool transport;             /* unwraps records of a destination carried inside
				       something else (logfmt/wrap.h); not a server
				       destination: suffix is "" */
	const char *suffix;         /* log_format_suffix() */
	bool suffix_decides;        /* a file named "*<suffix>" or "*<suffix>.gz" is of this
				       format, whatever it holds */
	/* Does line[0..n) (one of the first lines of a file, without its
	 * newline) show that the file is of this format?  Formats are asked in
	 * the order of logfmt.c's list, which ends with the one that takes any
	 * line. */
	bool (*sniff)(const char *line, size_t n);
	/* A parser for one file (prefix: see logfmt_new; NULL + *err when it
	 * cannot be used); freed with free. */
	void *(*new)(const char *prefix, const char **err);
	void (*free)(void *parser);
	/* logfmt_infer_prefix; NULL when the format has no prefix to settle. */
	int (*infer)(void *parser, const char *sample, size_t len);
	/* logfmt_next. */
	enum logfmt_status (*next)(void *parser, const char *buf, size_t len, bool at_eof,
				   struct pg_entry *e, size_t *used, const char **why);
	/* The fast path (see logfmt_fast_skip_fn); NULL when there is none. */
	logfmt_fast_skip_fn fast_skip;
	/* logfmt_set_env; NULL when the format needs nothing of it. */
	void (*set_env)(void *parser, const struct logfmt_env *env);
	/* logfmt_note; NULL when the format never has to assume anything. */
	const char *(*note)(const void *parser);
	/* logfmt_stable: false while what the parser learnt from one record may
	 * change how it reads the next; NULL: never (each record read alone). */
	bool (*stable)(const void *parser);
	/* logfmt_prefix; NULL when the format has no prefix. */
	const char *(*prefix)(const void *parser);
};

/*
 * The line at the start of buf[0..len), for the next of a format that
 * reads one line per record: its length without the newline in *n and,
 * with it, in *used.  False, with *used 0, when no whole line is there and
 * more may come (the caller returns LOGFMT_NEED_MORE); at EOF a last line
 * without its newline is whole.
 */
static inline bool logfmt_line(const char *buf, size_t len, bool at_eof, size_t *n, size_t *used)
{
	const char *nl = memchr(buf, '\n', len);
	if (nl) {
		*n = (size_t)(nl - buf);
		*used = *n + 1;
		return true;
	}
	*n = len;
	*used = at_eof ? len : 0;
	return at_eof && len > 0;
}

extern const struct logfmt_ops stderr_ops, csvlog_ops, jsonlog_ops;
/* The transports (wrap.h): syslog.c, journald.c, docker.c, cri.c, cnpg.c,
 * cloudwatch.c, cloudsql.c, azure.c, heroku.c, kubectl.c. */
extern const struct logfmt_ops syslog_ops, journald_ops, docker_ops, cri_ops, cnpg_ops,
    cloudwatch_ops, cloudsql_ops, azure_ops, heroku_ops, kubectl_ops;

/* The destination format (stderr, csvlog, jsonlog) of a sample of
 * unwrapped records, by their content as logfmt_detect does; stderr when
 * nothing else fits.  Never a transport. */
const struct logfmt_ops *logfmt_detect_destination(const char *sample, size_t len);

/* stderr (stderr.c; the prefix inference is stderr_infer.c): one physical
 * line per call. */
struct stderr_parser;
/* prefix: a log_line_prefix to use, or NULL to infer one.  NULL + *err on a
 * prefix that does not compile. */
struct stderr_parser *stderr_parser_new(const char *prefix, const char **err);
void stderr_parser_free(struct stderr_parser *sp);
/* See logfmt_infer_prefix. */
int stderr_parser_infer(struct stderr_parser *sp, const char *sample, size_t len);
/* The decision of stderr's fast path on one line's text line[0..n) (no
 * newline in it, not a continuation): true when the search of the parse
 * without a prefix finds an English severity word and interest rejects it
 * and the message after it, read as that parse reads them.  For the
 * transports whose payload, a stderr line, ends before their line does. */
bool stderr_fast_reject(const char *line, size_t n, logfmt_interest_fn interest);
/* The log_line_prefix in use ("%m [%p] "), NULL while none is settled. */
const char *stderr_parser_prefix(const struct stderr_parser *sp);
enum logfmt_status stderr_parser_next(struct stderr_parser *sp, const char *buf, size_t len,
				      bool at_eof, struct pg_entry *e, size_t *used,
				      const char **why);

/* csvlog: 23 (9.6-12), 24 (13) or 26 (14+) columns, detected per record. */
struct csv_parser;
struct csv_parser *csv_parser_new(void);
void csv_parser_free(struct csv_parser *cp);
enum logfmt_status csv_parser_next(struct csv_parser *cp, const char *buf, size_t len, bool at_eof,
				   struct pg_entry *e, size_t *used, const char **why);

/*
 * Split a csvlog connection_from into host and port: "127.0.0.1:35310", an
 * IPv6 "::1:5432" (the port follows the LAST colon), a host name with
 * log_hostname, or "[local]" (host only).  Text whose tail after the last
 * colon is not all digits is taken as a host without a port.  The slices
 * point into c.  (Also for CloudNativePG's records, which carry the csvlog
 * columns.)
 */
void csvlog_split_connection(struct slice c, struct slice *host, struct slice *port);

/* jsonlog: one object per line, parsed with jansson. */
struct json_parser;
struct json_parser *json_parser_new(void);
void json_parser_free(struct json_parser *jp);
enum logfmt_status json_parser_next(struct json_parser *jp, const char *buf, size_t len,
				    bool at_eof, struct pg_entry *e, size_t *used,
				    const char **why);

/*
 * jsonlog's mapping of a JSON object of the server's fields to a pg_entry,
 * for the transports whose records are such an object under other key
 * names (CloudNativePG's csvlog column names): names[k] is the key of each
 * enum jscan_key (jsonscan.h; jscan_key_names for jsonlog itself), NULL
 * for a field not carried.  Fills e as for a jsonlog record: absent,
 * null and non-string values leave their field absent, and an object with
 * none of the time, the severity and the message is ENTRY_OTHER.  e's
 * slices point into obj's strings, or into port (at least 24 bytes) for a
 * port given as a number.
 */
struct json_t;
void jsonlog_map_object(struct json_t *obj, const char *const *names, struct pg_entry *e,
			char *port);
/* The same from the values jscan_object read (JSCAN_NKEYS of them); the
 * slices point where those values do. */
struct jscan_value;
void jsonlog_map_values(const struct jscan_value *v, struct pg_entry *e, char *port);

#endif
