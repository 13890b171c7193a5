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

/* Every format, in the order detection asks them: a transport before the
 * destination its lines could pass for (the JSON objects of
 * journald, Docker, CloudNativePG, Cloud SQL and Azure before jsonlog's,
 * syslog's lines before stderr's), a stricter transport before a looser
 * one (CRI's lines before docker logs -t's, Heroku's drain lines before
 * syslog's, whose header would take them), and stderr,
 * which takes any line, last. */
static const struct logfmt_ops *const formats[] = {
    &journald_ops, &cri_ops,     &docker_ops,  &cloudwatch_ops, &cnpg_ops,
    &cloudsql_ops, &azure_ops,   &jsonlog_ops, &csvlog_ops,     &heroku_ops,
    &syslog_ops,   &kubectl_ops, &stderr_ops};

#define N_FORMATS (sizeof(formats) / sizeof(formats[0]))

struct logfmt {
	const struct logfmt_ops *ops; /* never NULL */
	void *parser;                 /* ops->new's; owned */
	/* stderr only: a record of another format written into the file.  When
	 * log_destination changes to csvlog or jsonlog, the logging collector
	 * writes the records that come before the new file is open -- in the
	 * new format -- to the stderr file (syslogger.c).  They are PostgreSQL's
	 * records, not garbage. */
	const struct logfmt_ops *guest_ops; /* the guest's format, or NULL */
	void *guest;                        /* its parser; owned */
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

bool log_format_is_destination(enum log_format f)
{
	const struct logfmt_ops *ops = ops_of(f);
	return ops && !ops->transport;
}

const char *const *log_format_names(void)
{
	/* Built from the list once: the destinations, then the transports,
	 * each in enum order. */
	static const char *names[N_FORMATS + 1];
	if (!names[0]) {
		size_t k = 0;
		for (int pass = 0; pass < 2; pass++)
			for (int f = LOGFMT_AUTO + 1; f < LOGFMT__COUNT; f++) {
				const struct logfmt_ops *ops = ops_of((enum log_format)f);
				if (ops && ops->transport == (pass == 1))
					names[k++] = ops->name;
			}
	}
	return names;
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

/* By content: the format of the first line some format recognises, among
 * all of them or the destinations only; stderr when none does. */
static const struct logfmt_ops *detect_content(const char *sample, size_t len, bool dest_only)
{
	size_t off = 0;
	for (int lines = 0; off < len && lines < DETECT_LINES; lines++) {
		const char *p = sample + off;
		const char *nl = memchr(p, '\n', len - off);
		size_t n = nl ? (size_t)(nl - p) : len - off;
		for (size_t i = 0; i < N_FORMATS; i++)
			if (!(dest_only && formats[i]->transport) && formats[i]->sniff(p, n))
				return formats[i];
		off += n + 1;
	}
	return &stderr_ops;
}

enum log_format logfmt_detect(const char *sample, size_t len, const char *name)
{
	/* A transport's lines first: journalctl's JSON saved as "*.json" is
	 * no jsonlog, a syslog file may be named "*.log". */
	const struct logfmt_ops *t = detect_content(sample, len, false);
	if (t->transport)
		return t->id;
	for (size_t i = 0; name && i < N_FORMATS; i++)
		if (formats[i]->suffix_decides && has_suffix(name, formats[i]->suffix))
			return formats[i]->id;
	return detect_content(sample, len, false)->id;
}

const struct logfmt_ops *logfmt_detect_destination(const char *sample, size_t len)
{
	return detect_content(sample, len, true);
}

struct logfmt *logfmt_new(enum log_format fmt, const char *prefix)
{
	const struct logfmt_ops *ops = ops_of(fmt == LOGFMT_AUTO ? LOGFMT_STDERR : fmt);
	const char *err = NULL;

	if (!ops)
		BUG("no format %d", (int)fmt);
	void *parser = ops->new (prefix, &err);
	if (!parser)
		return NULL;
	struct logfmt *lf = xcalloc(1, sizeof(*lf));
	lf->ops = ops;
	lf->parser = parser;
	return lf;
}

void logfmt_free(struct logfmt *lf)
{
	if (!lf)
		return;
	lf->ops->free(lf->parser);
	if (lf->guest)
		lf->guest_ops->free(lf->guest);
	free(lf);
}

int logfmt_infer_prefix(struct logfmt *lf, const char *sample, size_t len)
{
	return lf->ops->infer ? lf->ops->infer(lf->parser, sample, len) : 0;
}

enum logfmt_status logfmt_next(struct logfmt *lf, const char *buf, size_t len, bool at_eof,
			       struct pg_entry *e, size_t *used, const char **why)
{
	enum logfmt_status st = lf->ops->next(lf->parser, buf, len, at_eof, e, used, why);
	if (lf->ops->id != LOGFMT_STDERR ||
	    !(st == LOGFMT_BAD || (st == LOGFMT_OK && e->kind == ENTRY_OTHER)))
		return st;
	size_t own_used = *used;
	/* A csvlog or jsonlog record in the stderr file (see struct logfmt). */
	const char *nl = memchr(buf, '\n', len);
	size_t line = nl ? (size_t)(nl - buf) : len;
	for (size_t i = 0; i < N_FORMATS; i++) {
		const struct logfmt_ops *g = formats[i];
		if (g->id == LOGFMT_STDERR || g->transport || !g->sniff(buf, line))
			continue;
		if (lf->guest_ops != g) {
			if (lf->guest)
				lf->guest_ops->free(lf->guest);
			const char *err = NULL;
			lf->guest = g->new (NULL, &err);
			lf->guest_ops = lf->guest ? g : NULL;
		}
		if (!lf->guest)
			break;
		size_t gused = 0;
		const char *gwhy = NULL;
		struct pg_entry ge;
		enum logfmt_status gs = g->next(lf->guest, buf, len, at_eof, &ge, &gused, &gwhy);
		if (gs == LOGFMT_OK || gs == LOGFMT_NEED_MORE) {
			if (gs == LOGFMT_OK) {
				*e = ge;
				e->guest = true;
			}
			*used = gused;
			return gs;
		}
		break;
	}
	*used = own_used;
	return st;
}

void logfmt_set_env(struct logfmt *lf, const struct logfmt_env *env)
{
	if (lf->ops->set_env)
		lf->ops->set_env(lf->parser, env);
}

const char *logfmt_note(const struct logfmt *lf)
{
	return lf->ops->note ? lf->ops->note(lf->parser) : NULL;
}

const char *logfmt_prefix(const struct logfmt *lf)
{
	return lf->ops->prefix ? lf->ops->prefix(lf->parser) : NULL;
}

logfmt_fast_skip_fn logfmt_fast_path(const struct logfmt *lf)
{
	return lf->ops->fast_skip;
}

bool logfmt_stable(const struct logfmt *lf)
{
	if (lf->ops->transport)
		return false;
	return !lf->ops->stable || lf->ops->stable(lf->parser);
}
