/* SPDX-License-Identifier: PostgreSQL */
/* postgresql.conf reader: the syntax of the server's guc-file.l, and includes. */
#include "detect/conf.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "detect/fs.h"
#include "util/sbuf.h"
#include "util/xalloc.h"

/* A configuration file larger than this is read only this far. */
#define PGCONF_MAX_FILE (4u << 20)

void pgconf_init(struct pgconf *c, const char *root)
{
	memset(c, 0, sizeof(*c));
	c->root = root ? root : "";
	c->follow_includes = true;
}

void pgconf_release(struct pgconf *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].name);
		free(c->v[i].value);
		free(c->v[i].file);
	}
	free(c->v);
	size_t kept = c->nerrors < PGCONF_MAX_ERRORS ? c->nerrors : PGCONF_MAX_ERRORS;
	for (size_t i = 0; i < kept; i++)
		free(c->errors[i]);
	memset(c, 0, sizeof(*c));
}

static void add_error(struct pgconf *c, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add_error(struct pgconf *c, const char *file, int line, const char *fmt, ...)
{
	if (c->nerrors < PGCONF_MAX_ERRORS) {
		struct sbuf sb;
		va_list ap;
		char msg[256];
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		sbuf_init(&sb, 0);
		if (line > 0)
			sbuf_addf(&sb, "%s:%d: %s", file, line, msg);
		else
			sbuf_addf(&sb, "%s: %s", file, msg);
		c->errors[c->nerrors] = sbuf_detach(&sb, NULL);
	}
	c->nerrors++;
}

static void set_n(struct pgconf *c, const char *name, size_t namelen, char *value, const char *file,
		  int line)
{
	if (c->n == c->alloc) {
		c->alloc = c->alloc ? c->alloc * 2 : 32;
		c->v = xreallocarray(c->v, c->alloc, sizeof(*c->v));
	}
	struct pgconf_setting *s = &c->v[c->n++];
	s->name = xmemdupz(name, namelen);
	for (char *p = s->name; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	s->value = value;
	s->file = xstrdup(file);
	s->line = line;
}

void pgconf_set(struct pgconf *c, const char *name, const char *value, const char *file, int line)
{
	set_n(c, name, strlen(name), xstrdup(value), file, line);
}

const struct pgconf_setting *pgconf_find(const struct pgconf *c, const char *name)
{
	for (size_t i = c->n; i-- > 0;)
		if (strcasecmp(c->v[i].name, name) == 0)
			return &c->v[i];
	return NULL;
}

const char *pgconf_get(const struct pgconf *c, const char *name)
{
	const struct pgconf_setting *s = pgconf_find(c, name);
	return s ? s->value : NULL;
}

int pgconf_bool(const char *value)
{
	static const char *const yes[] = {"on", "true", "yes", "1"};
	static const char *const no[] = {"off", "false", "no", "0"};
	size_t n = strlen(value);

	if (n == 0)
		return -1;
	/* "o" alone is ambiguous (on/off), as in parse_bool_with_len(). */
	if (n == 1 && (value[0] == 'o' || value[0] == 'O'))
		return -1;
	for (size_t i = 0; i < 4; i++) {
		if (strncasecmp(value, yes[i], n) == 0 && n <= strlen(yes[i]))
			return 1;
		if (strncasecmp(value, no[i], n) == 0 && n <= strlen(no[i]))
			return 0;
	}
	return -1;
}

static bool is_letter(unsigned char ch)
{
	return isalpha(ch) || ch == '_' || ch >= 0x80;
}

static bool is_letter_or_digit(unsigned char ch)
{
	return is_letter(ch) || (ch >= '0' && ch <= '9');
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v';
}

/* A cursor over one line: p advances towards e. */
struct cur {
	const char *p, *e;
};

static void skip_space(struct cur *k)
{
	while (k->p < k->e && is_space(*k->p))
		k->p++;
}

/* At the end of the line, or at a comment. */
static bool at_end(const struct cur *k)
{
	return k->p >= k->e || *k->p == '#';
}

/*
 * A name: an identifier, optionally qualified ("auto_explain.log_min_duration").
 * Returns its length, 0 when there is none.
 */
static size_t scan_name(struct cur *k)
{
	const char *s = k->p;
	for (;;) {
		if (k->p >= k->e || !is_letter((unsigned char)*k->p))
			return 0;
		while (k->p < k->e && is_letter_or_digit((unsigned char)*k->p))
			k->p++;
		if (k->p < k->e && *k->p == '.') {
			k->p++;
			continue;
		}
		return (size_t)(k->p - s);
	}
}

/*
 * A quoted value, k->p at the opening quote.  Unescapes '' and the
 * backslash escapes of GUC_scanstr() (\b \f \n \r \t, octal \NNN, and \x
 * for any other x).  Returns the value (caller frees), or NULL when the
 * quote is not closed on this line.
 */
static char *scan_quoted(struct cur *k)
{
	struct sbuf sb;
	sbuf_init(&sb, 0);
	k->p++;
	while (k->p < k->e) {
		char ch = *k->p++;
		if (ch == '\'') {
			if (k->p < k->e && *k->p == '\'') {
				sbuf_addch(&sb, '\'');
				k->p++;
				continue;
			}
			return sbuf_detach(&sb, NULL);
		}
		if (ch == '\0')
			break;
		if (ch != '\\' || k->p >= k->e) {
			sbuf_addch(&sb, ch);
			continue;
		}
		ch = *k->p++;
		switch (ch) {
		case 'b':
			sbuf_addch(&sb, '\b');
			break;
		case 'f':
			sbuf_addch(&sb, '\f');
			break;
		case 'n':
			sbuf_addch(&sb, '\n');
			break;
		case 'r':
			sbuf_addch(&sb, '\r');
			break;
		case 't':
			sbuf_addch(&sb, '\t');
			break;
		case '0':
		case '1':
		case '2':
		case '3':
		case '4':
		case '5':
		case '6':
		case '7': {
			int v = ch - '0';
			for (int i = 0; i < 2 && k->p < k->e && *k->p >= '0' && *k->p <= '7'; i++)
				v = v * 8 + (*k->p++ - '0');
			/* A NUL would cut the value short, as it does in the server. */
			if ((v & 0xff) != 0)
				sbuf_addch(&sb, v & 0xff);
			break;
		}
		default:
			sbuf_addch(&sb, ch);
			break;
		}
	}
	sbuf_release(&sb);
	return NULL;
}

/*
 * A bare value: a number with an optional unit ("10MB", "-1", "0x1F",
 * "1.5e3") or a word that may contain - . _ : / after its first letter.
 * Any run of other printable characters is refused, as the server refuses
 * it.  Returns the value (caller frees), or NULL.
 */
static char *scan_bare(struct cur *k)
{
	const char *s = k->p;
	while (k->p < k->e && !is_space(*k->p) && *k->p != '#' && *k->p != '\'' && *k->p != '=' &&
	       *k->p != '\0')
		k->p++;
	size_t n = (size_t)(k->p - s);
	if (n == 0)
		return NULL;
	unsigned char first = (unsigned char)s[0];
	bool ok = true;
	if (is_letter(first)) {
		for (size_t i = 1; i < n && ok; i++) {
			unsigned char ch = (unsigned char)s[i];
			ok = is_letter_or_digit(ch) || ch == '-' || ch == '.' || ch == '_' ||
			     ch == ':' || ch == '/';
		}
	} else {
		/* Numbers: sign, digits, hex, a decimal point, an exponent, unit letters. */
		size_t i = (first == '-' || first == '+') ? 1 : 0;
		ok = i < n;
		for (; i < n && ok; i++) {
			unsigned char ch = (unsigned char)s[i];
			ok = isalnum(ch) || ch == '.' ||
			     ((ch == '-' || ch == '+') && i > 0 &&
			      (s[i - 1] == 'e' || s[i - 1] == 'E'));
		}
		if (ok)
			ok = isdigit((unsigned char)s[(first == '-' || first == '+') ? 1 : 0]) ||
			     s[(first == '-' || first == '+') ? 1 : 0] == '.';
	}
	return ok ? xmemdupz(s, n) : NULL;
}

static int include_file(struct pgconf *c, const char *kind, const char *value, const char *file,
			int line, int depth);

/* One line; returns 1 when it has a problem, else 0. */
static int parse_line(struct pgconf *c, struct cur *k, const char *file, int line, int depth)
{
	skip_space(k);
	if (at_end(k))
		return 0;
	const char *name = k->p;
	size_t namelen = scan_name(k);
	if (namelen == 0 || (k->p < k->e && !is_space(*k->p) && *k->p != '=' && *k->p != '\'')) {
		add_error(c, file, line, "syntax error: expected a parameter name");
		return 1;
	}
	skip_space(k);
	if (k->p < k->e && *k->p == '=') {
		k->p++;
		skip_space(k);
	}
	if (at_end(k)) {
		add_error(c, file, line, "syntax error: no value for '%.*s'",
			  (int)(namelen > 64 ? 64 : namelen), name);
		return 1;
	}
	char *value;
	if (*k->p == '\'') {
		value = scan_quoted(k);
		if (!value) {
			add_error(c, file, line, "unterminated quoted string");
			return 1;
		}
	} else {
		value = scan_bare(k);
		if (!value) {
			add_error(c, file, line, "syntax error in the value of '%.*s'",
				  (int)(namelen > 64 ? 64 : namelen), name);
			return 1;
		}
	}
	skip_space(k);
	if (!at_end(k)) {
		add_error(c, file, line, "syntax error: text after the value of '%.*s'",
			  (int)(namelen > 64 ? 64 : namelen), name);
		free(value);
		return 1;
	}
	if ((namelen == 7 && strncasecmp(name, "include", 7) == 0) ||
	    (namelen == 17 && strncasecmp(name, "include_if_exists", 17) == 0) ||
	    (namelen == 11 && strncasecmp(name, "include_dir", 11) == 0)) {
		char kind[18];
		for (size_t i = 0; i < namelen; i++)
			kind[i] = (char)tolower((unsigned char)name[i]);
		kind[namelen] = '\0';
		int r = c->follow_includes ? include_file(c, kind, value, file, line, depth) : 0;
		free(value);
		return r;
	}
	set_n(c, name, namelen, value, file, line);
	return 0;
}

int pgconf_parse(struct pgconf *c, const char *text, size_t len, const char *file, int depth)
{
	size_t before = c->nerrors, off = 0;
	int line = 0;

	while (off < len) {
		const char *p = text + off;
		const char *nl = memchr(p, '\n', len - off);
		size_t n = nl ? (size_t)(nl - p) : len - off;
		struct cur k = {p, p + n};
		line++;
		parse_line(c, &k, file, line, depth);
		off += n + 1;
	}
	return (int)(c->nerrors - before);
}

int pgconf_load(struct pgconf *c, const char *file, int depth)
{
	size_t len;
	char *text = fs_read(c->root, file, PGCONF_MAX_FILE, &len);
	if (!text)
		return -1;
	pgconf_parse(c, text, len, file, depth);
	free(text);
	return 0;
}

static bool is_conf_name(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".conf") == 0;
}

/* pgconf_load() of an included file, counted against PGCONF_MAX_INCLUDES. */
static int load_include(struct pgconf *c, const char *file, int depth)
{
	c->nincludes++;
	return pgconf_load(c, file, depth);
}

/* include, include_if_exists, include_dir: value relative to file's directory. */
static int include_file(struct pgconf *c, const char *kind, const char *value, const char *file,
			int line, int depth)
{
	if (depth + 1 > PGCONF_MAX_DEPTH) {
		add_error(c, file, line, "includes nested too deeply: '%s' not read", value);
		return 1;
	}
	if (!value[0]) {
		add_error(c, file, line, "empty file name in %s", kind);
		return 1;
	}
	if (c->nincludes >= PGCONF_MAX_INCLUDES) {
		add_error(c, file, line, "too many included files: '%s' not read", value);
		return 1;
	}
	char *dir = fs_dirname(file);
	char *path = fs_join(dir, value);
	int problems = 0;
	free(dir);
	if (strcmp(kind, "include_dir") == 0) {
		if (!fs_isdir(c->root, path)) {
			add_error(c, file, line, "could not open configuration directory '%s'",
				  path);
			problems = 1;
		} else {
			char **names;
			size_t n = fs_list(c->root, path, &names);
			for (size_t i = 0; i < n; i++) {
				if (!is_conf_name(names[i]))
					continue;
				char *f = fs_join(path, names[i]);
				if (!fs_isdir(c->root, f) && load_include(c, f, depth + 1) < 0) {
					add_error(c, f, 0, "could not read: %s", strerror(errno));
					problems++;
				}
				free(f);
			}
			fs_list_free(names, n);
		}
	} else if (load_include(c, path, depth + 1) < 0) {
		bool optional = strcmp(kind, "include_if_exists") == 0 && errno == ENOENT;
		if (!optional) {
			add_error(c, file, line, "could not read included file '%s': %s", path,
				  strerror(errno));
			problems = 1;
		}
	}
	free(path);
	return problems;
}
