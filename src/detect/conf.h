/* SPDX-License-Identifier: PostgreSQL */
/*
 * conf: read postgresql.conf the way the server does (guc-file.l): one
 * "name [=] value" per line, values bare or in single quotes ('' and
 * backslash escapes), # comments, names case-insensitive, units left as
 * text, and include / include_if_exists / include_dir relative to the
 * including file.  Later settings win.
 *
 * Every file name is a path on the inspected system; it is opened with
 * the root prefix of the struct pgconf, so tests can point it at a fake
 * file-system layout.
 */
#ifndef PGTAIL_CONF_H
#define PGTAIL_CONF_H

#include <stdbool.h>
#include <stddef.h>

/* PostgreSQL's own limit on include nesting (CONF_FILE_MAX_DEPTH). */
#define PGCONF_MAX_DEPTH 10
/* At most this many diagnostics are kept; the rest are only counted. */
#define PGCONF_MAX_ERRORS 20
/* At most this many included files are read (the server has no limit): a
 * file that includes itself twice or more would be read an exponential
 * number of times before the depth limit stops it. */
#define PGCONF_MAX_INCLUDES 1000

struct pgconf_setting {
	char *name;  /* lower case, owned */
	char *value; /* unquoted and unescaped, owned */
	char *file;  /* system path of the file that set it, owned ("" for a command line) */
	int line;    /* 1-based line in file; 0 for a command line */
};

struct pgconf {
	const char *root;         /* prefix for opening files; not owned, never NULL */
	bool follow_includes;     /* false: include lines are ignored (fuzzing) */
	struct pgconf_setting *v; /* every assignment in the order read */
	size_t n, alloc;
	char *errors[PGCONF_MAX_ERRORS]; /* "FILE:LINE: problem", owned */
	size_t nerrors;                  /* all problems, may exceed the stored ones */
	size_t nincludes;                /* included files read so far */
};

/* Set up an empty configuration that opens files under root ("" for /). */
void pgconf_init(struct pgconf *c, const char *root);
void pgconf_release(struct pgconf *c);

/*
 * Parse text[0..len) as the contents of file (a system path, used for
 * messages and to resolve relative includes).  depth is the include depth
 * of this text (0 for a top-level file).  Syntax errors are recorded in
 * c->errors and the line is skipped.  Returns the number of problems found
 * in this text and the files it included.
 */
int pgconf_parse(struct pgconf *c, const char *text, size_t len, const char *file, int depth);

/*
 * Read and parse file.  Returns 0, or -1 with errno set when the file
 * cannot be opened or read (nothing is recorded: the caller decides
 * whether a missing file matters).
 */
int pgconf_load(struct pgconf *c, const char *file, int depth);

/* Record name = value as if read from file:line (file "" for a command line). */
void pgconf_set(struct pgconf *c, const char *name, const char *value, const char *file, int line);

/* The last setting of name (case-insensitive), or NULL. */
const struct pgconf_setting *pgconf_find(const struct pgconf *c, const char *name);
/* Its value, or NULL when unset. */
const char *pgconf_get(const struct pgconf *c, const char *name);

/*
 * Interpret a boolean GUC value as the server does (on/off, true/false,
 * yes/no, 1/0 and unique prefixes, any case).  Returns 1, 0, or -1 when
 * value is not a boolean.
 */
int pgconf_bool(const char *value);

#endif
