/* SPDX-License-Identifier: PostgreSQL */
/* logfmt: format detection and dispatch to the stderr/csv/json parsers. */
#include "logfmt/logfmt.h"

#include <stdlib.h>
#include <string.h>

#include "logfmt/formats.h"
#include "util/xalloc.h"

struct logfmt {
	enum log_format fmt;           /* never LOGFMT_AUTO */
	struct stderr_parser *stderr_; /* set iff fmt == LOGFMT_STDERR */
	struct csv_parser *csv;        /* set iff fmt == LOGFMT_CSV */
	struct json_parser *json;      /* set iff fmt == LOGFMT_JSON */
};

const char *log_format_name(enum log_format f)
{
	switch (f) {
	case LOGFMT_STDERR:
		return "stderr";
	case LOGFMT_CSV:
		return "csvlog";
	case LOGFMT_JSON:
		return "jsonlog";
	case LOGFMT_AUTO:
		break;
	}
	return "auto";
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

enum log_format logfmt_detect(const char *sample, size_t len, const char *name)
{
	if (name) {
		if (ends_with(name, ".csv") || ends_with(name, ".csv.gz"))
			return LOGFMT_CSV;
		if (ends_with(name, ".json") || ends_with(name, ".json.gz"))
			return LOGFMT_JSON;
	}
	/* By content: look at the first few non-empty lines. */
	size_t off = 0;
	for (int lines = 0; off < len && lines < 8; lines++) {
		const char *p = sample + off;
		const char *nl = memchr(p, '\n', len - off);
		size_t n = nl ? (size_t)(nl - p) : len - off;
		if (n >= 2 && p[0] == '{' && p[1] == '"')
			return LOGFMT_JSON;
		if (csv_record_start(p, n))
			return LOGFMT_CSV;
		if (n > 0 && p[0] != '\t')
			return LOGFMT_STDERR;
		off += n + 1;
	}
	return LOGFMT_STDERR;
}

struct logfmt *logfmt_new(enum log_format fmt, const char *prefix)
{
	struct logfmt *lf = xcalloc(1, sizeof(*lf));
	const char *err = NULL;

	lf->fmt = fmt;
	switch (fmt) {
	case LOGFMT_CSV:
		lf->csv = csv_parser_new();
		break;
	case LOGFMT_JSON:
		lf->json = json_parser_new();
		break;
	case LOGFMT_STDERR:
	case LOGFMT_AUTO:
		lf->fmt = LOGFMT_STDERR;
		lf->stderr_ = stderr_parser_new(prefix, &err);
		if (!lf->stderr_) {
			free(lf);
			return NULL;
		}
		break;
	}
	return lf;
}

void logfmt_free(struct logfmt *lf)
{
	if (!lf)
		return;
	if (lf->stderr_)
		stderr_parser_free(lf->stderr_);
	if (lf->csv)
		csv_parser_free(lf->csv);
	if (lf->json)
		json_parser_free(lf->json);
	free(lf);
}

int logfmt_infer_prefix(struct logfmt *lf, const char *sample, size_t len)
{
	if (lf->fmt != LOGFMT_STDERR)
		return 0;
	return stderr_parser_infer(lf->stderr_, sample, len);
}

const char *logfmt_prefix(const struct logfmt *lf)
{
	return lf->fmt == LOGFMT_STDERR ? stderr_parser_prefix(lf->stderr_) : NULL;
}

enum logfmt_status logfmt_next(struct logfmt *lf, const char *buf, size_t len, bool at_eof,
			       struct pg_entry *e, size_t *used, const char **why)
{
	switch (lf->fmt) {
	case LOGFMT_CSV:
		return csv_parser_next(lf->csv, buf, len, at_eof, e, used, why);
	case LOGFMT_JSON:
		return json_parser_next(lf->json, buf, len, at_eof, e, used, why);
	default:
		return stderr_parser_next(lf->stderr_, buf, len, at_eof, e, used, why);
	}
}
