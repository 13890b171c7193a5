/* SPDX-License-Identifier: PostgreSQL */
/* logfmt: the list of formats, format detection, and dispatch to a format's
 * ops (see formats.h). */
#include "logfmt/logfmt.h"

#include <stdlib.h>
#include <string.h>

#include "logfmt/formats.h"
#include "util/diag.h"
#include "util/xalloc.h"

/* Lines of a sample that content detection looks at. */
#define DETECT_LINES 8

/* Every format, in the order detection asks them: stderr, which takes any
 * line, comes last. */
static const struct logfmt_ops *const formats[] = {&jsonlog_ops, &csvlog_ops, &stderr_ops};

#define N_FORMATS (sizeof(formats) / sizeof(formats[0]))

struct logfmt {
	const struct logfmt_ops *ops; /* never NULL */
	void *parser;                 /* ops->new's; owned */
};

/* The ops of f; NULL for LOGFMT_AUTO. */
static const struct logfmt_ops *ops_of(enum log_format f)
{
	for (size_t i = 0; i < N_FORMATS; i++)
		if (formats[i]->id == f)
			return formats[i];
	return NULL;
}

const char *log_format_name(enum log_format f)
{
	const struct logfmt_ops *ops = ops_of(f);
	return ops ? ops->name : "auto";
}

const char *log_format_suffix(enum log_format f)
{
	const struct logfmt_ops *ops = ops_of(f);
	return ops ? ops->suffix : "";
}

enum log_format log_format_from_name(const char *name)
{
	for (size_t i = 0; i < N_FORMATS; i++) {
		const struct logfmt_ops *ops = formats[i];
		if (strcmp(name, ops->name) == 0)
			return ops->id;
		for (const char *const *a = ops->aliases; a && *a; a++)
			if (strcmp(name, *a) == 0)
				return ops->id;
	}
	return LOGFMT_AUTO;
}

/* Does name end in suffix, or in suffix followed by ".gz"? */
static bool has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), m = strlen(suffix);
	if (n >= 3 && strcmp(name + n - 3, ".gz") == 0)
		n -= 3;
	return m > 0 && n >= m && memcmp(name + n - m, suffix, m) == 0;
}

enum log_format logfmt_detect(const char *sample, size_t len, const char *name)
{
	for (size_t i = 0; name && i < N_FORMATS; i++)
		if (formats[i]->suffix_decides && has_suffix(name, formats[i]->suffix))
			return formats[i]->id;
	/* By content: the first line some format recognises. */
	size_t off = 0;
	for (int lines = 0; off < len && lines < DETECT_LINES; lines++) {
		const char *p = sample + off;
		const char *nl = memchr(p, '\n', len - off);
		size_t n = nl ? (size_t)(nl - p) : len - off;
		for (size_t i = 0; i < N_FORMATS; i++)
			if (formats[i]->sniff(p, n))
				return formats[i]->id;
		off += n + 1;
	}
	return LOGFMT_STDERR;
}

struct logfmt *logfmt_new(enum log_format fmt, const char *prefix)
{
	const struct logfmt_ops *ops = ops_of(fmt == LOGFMT_AUTO ? LOGFMT_STDERR : fmt);
	const char *err = NULL;

	if (!ops)
		BUG("no format %d", (int)fmt);
	void *parser = ops->new(prefix, &err);
	if (!parser)
		return NULL;
	struct logfmt *lf = xmalloc(sizeof(*lf));
	lf->ops = ops;
	lf->parser = parser;
	return lf;
}

void logfmt_free(struct logfmt *lf)
{
	if (!lf)
		return;
	lf->ops->free(lf->parser);
	free(lf);
}

int logfmt_infer_prefix(struct logfmt *lf, const char *sample, size_t len)
{
	return lf->ops->infer ? lf->ops->infer(lf->parser, sample, len) : 0;
}

enum logfmt_status logfmt_next(struct logfmt *lf, const char *buf, size_t len, bool at_eof,
			       struct pg_entry *e, size_t *used, const char **why)
{
	return lf->ops->next(lf->parser, buf, len, at_eof, e, used, why);
}

logfmt_fast_skip_fn logfmt_fast_path(const struct logfmt *lf)
{
	return lf->ops->fast_skip;
}
