/* SPDX-License-Identifier: PostgreSQL */
/*
 * stderr_infer: settle an unknown log_line_prefix from the first lines of a
 * stderr log; the rule is stated in stderr_infer.h.
 */
#include "logfmt/stderr_infer.h"

#include <stdlib.h>
#include <string.h>

#include "logfmt/entry.h"
#include "logfmt/ts.h"
#include "util/sbuf.h"
#include "util/xalloc.h"

/* Distinct prefixes built from sample lines by structural inference. */
#define INFER_MAX_SHAPES 16

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/*
 * Prefixes seen in the wild, tried first when inferring.  Order does not
 * matter: the one matching the most sample lines wins.
 */
static const char *const known_prefixes[] = {
    "%m [%p] ",            /* default, 10+ */
    "%m [%p] %q%u@%d ",    /* Debian */
    "%t [%p-%l] %q%u@%d ", /* older Debian */
    "%m [%p-%l] %q%u@%d ",
    "%t [%p-%l] ",
    "%t [%p] ",
    "%t [%p]: user=%u,db=%d,app=%a,client=%h ",        /* pgBadger */
    "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ", /* pgBadger */
    "%m [%p]: user=%u,db=%d,app=%a,client=%h ",
    "%m [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ",
    "%t [%p]: [%l-1] ",
    "%m [%p] %q[user=%u,db=%d,app=%a] ",
    "%m [%p] %q[user=%u,db=%d,app=%a,client=%h] ",
    "%m [%p] %q%u@%d %a ",
    "%t:%r:%u@%d:[%p]:",              /* Amazon RDS */
    "%t-%c-",                         /* Azure Flexible Server */
    "[%p]: [%l-1] db=%d,user=%u ",    /* Cloud SQL, older */
    "%m [%p]: [%l-1] db=%d,user=%u ", /* Cloud SQL */
    " sql_error_code = %e ",          /* Heroku, older plans */
    " sql_error_code = %e time_ms = \"%m\" pid=\"%p\" proc_start_time=\"%s\" session_id=\"%c\" "
    "vtid=\"%v\" tid=\"%x\" log_line=\"%l\" %qdatabase=\"%d\" connection_source=\"%r\" "
    "user=\"%u\" application_name=\"%a\" ", /* Heroku */
    "%m %p ",
    "%t %p ",
    "%n [%p] ",
    "%m ",
    "%t ", /* Debian before 2014 */
    "",    /* 9.6 default */
};

/* What one candidate prefix did on the sample. */
struct score {
	size_t matched; /* lines it matched */
	size_t fields;  /* entry fields it filled, over those lines */
	size_t used;    /* prefix bytes it explained, over those lines */
};

/* How many of e's prefix fields a match filled. */
static size_t count_fields(const struct pg_entry *e)
{
	return (e->ts_ms != TS_UNKNOWN) + (e->pid != PID_UNKNOWN) + (e->session_id.len > 0) +
	       (e->user.len > 0) + (e->database.len > 0) + (e->application.len > 0) +
	       (e->host.len > 0) + (e->port.len > 0) + (e->backend_type.len > 0) +
	       (e->sqlstate.len > 0);
}

/* Match px against every sample line and total what it found. */
static struct score score_prefix(const struct prefix *px, const struct slice *lines, size_t n_lines)
{
	struct score sc = {0, 0, 0};
	struct pg_entry e;
	size_t used;

	for (size_t i = 0; i < n_lines; i++) {
		pg_entry_clear(&e);
		if (prefix_match(px, lines[i].p, lines[i].len, &e, &used) != 0)
			continue;
		sc.matched++;
		sc.fields += count_fields(&e);
		sc.used += used;
	}
	return sc;
}

/* Is candidate a (with spec sa) better than b?  More lines matched, then
 * more fields filled, then more of the line explained, then the shorter
 * spec (a "%q" superset that never got past its %q loses to its base). */
static bool better(struct score a, const char *sa, struct score b, const char *sb)
{
	if (a.matched != b.matched)
		return a.matched > b.matched;
	if (a.fields != b.fields)
		return a.fields > b.fields;
	if (a.used != b.used)
		return a.used > b.used;
	return strlen(sa) < strlen(sb);
}

/* Length of a "%c" session id ("6b0b7dfb.6872") at p, or 0. */
static size_t session_id_len(const char *p, size_t n)
{
	size_t a = 0, b;
	while (a < n && a < 9 && ((p[a] >= '0' && p[a] <= '9') || (p[a] >= 'a' && p[a] <= 'f')))
		a++;
	if (a < 6 || a > 8 || a >= n || p[a] != '.')
		return 0;
	for (b = a + 1;
	     b < n && b - a <= 9 && ((p[b] >= '0' && p[b] <= '9') || (p[b] >= 'a' && p[b] <= 'f'));
	     b++)
		;
	if (b == a + 1 || b - a - 1 > 8 || (b < n && (is_alnum(p[b]) || p[b] == '.')))
		return 0;
	return b;
}

/* Length of a "%n" epoch ("1795915259.222") at p, or 0. */
static size_t epoch_len(const char *p, size_t n)
{
	size_t a = 0;
	while (a < n && is_digit(p[a]))
		a++;
	if (a < 9 || a > 11 || a + 4 > n || p[a] != '.' || !is_digit(p[a + 1]) ||
	    !is_digit(p[a + 2]) || !is_digit(p[a + 3]))
		return 0;
	if (a + 4 < n && (is_alnum(p[a + 4]) || p[a + 4] == '.'))
		return 0;
	return a + 4;
}

/* The escape printed after "key=" in prefixes like "user=%u,db=%d", or 0. */
static char key_escape(const char *k, size_t n)
{
	static const struct {
		const char *key;
		char esc;
	} keys[] = {
	    {"user", 'u'},     {"usr", 'u'},      {"u", 'u'},      {"db", 'd'},
	    {"database", 'd'}, {"d", 'd'},        {"app", 'a'},    {"application", 'a'},
	    {"appname", 'a'},  {"a", 'a'},        {"client", 'h'}, {"host", 'h'},
	    {"h", 'h'},        {"remote", 'r'},   {"r", 'r'},      {"pid", 'p'},
	    {"p", 'p'},        {"session", 'c'},  {"c", 'c'},      {"line", 'l'},
	    {"l", 'l'},        {"xid", 'x'},      {"x", 'x'},      {"vxid", 'v'},
	    {"v", 'v'},        {"sqlstate", 'e'}, {"e", 'e'},      {"b", 'b'},
	    {"backend", 'b'},  {"tag", 'i'},      {"i", 'i'},      {"Q", 'Q'},
	    {"queryid", 'Q'},  {"P", 'P'},
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strlen(keys[i].key) == n && memcmp(keys[i].key, k, n) == 0)
			return keys[i].esc;
	return 0;
}

/* Append literal text to a spec, doubling '%'. */
static void add_literal(struct sbuf *out, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '%')
			sbuf_addch(out, '%');
		sbuf_addch(out, p[i]);
	}
}

/*
 * Structural inference: build a log_line_prefix that would print p[0..n)
 * (the text of one line before its severity word) by recognising tokens:
 * timestamps (%m with milliseconds, %t without, a later one %s), an epoch
 * (%n), [digits] ([%p]), [digits-digits] ([%p-%l], or [%l-1] after a pid),
 * a session id (%c), a bare number (%p, then %l), key=value pairs with
 * known keys (user=%u, db=%d, app=%a, client=%h, ...), a word with an '@'
 * (%u@%d).  Everything else stays literal.
 */
static void infer_line_spec(const char *p, size_t n, struct sbuf *out)
{
	bool have_pid = false, have_ts = false;
	size_t i = 0, k;

	while (i < n) {
		bool boundary = i == 0 || !is_alnum(p[i - 1]);
		if (i > 0 && p[i - 1] == ' ' && p[i] != ' ') {
			/* A whole word with an '@' and no '=': "%u@%d". */
			size_t end = i;
			bool at = false, eq = false;
			while (end < n && p[end] != ' ') {
				at |= p[end] == '@';
				eq |= p[end] == '=';
				end++;
			}
			if (at && !eq) {
				sbuf_addstr(out, "%u@%d");
				i = end;
				continue;
			}
		}
		if (boundary && is_digit(p[i])) {
			int64_t ms;
			size_t used;
			if (ts_parse(p + i, n - i, &ms, &used, NULL) == 0) {
				if (used > 19 && p[i + 19] == '.')
					sbuf_addstr(out, "%m");
				else
					sbuf_addstr(out, have_ts ? "%s" : "%t");
				have_ts = true;
				i += used;
				continue;
			}
			if ((k = epoch_len(p + i, n - i)) > 0) {
				sbuf_addstr(out, "%n");
				i += k;
				continue;
			}
		}
		if (boundary && (k = session_id_len(p + i, n - i)) > 0) {
			sbuf_addstr(out, "%c");
			i += k;
			continue;
		}
		if (boundary && is_digit(p[i])) {
			for (k = i; k < n && is_digit(p[k]); k++)
				;
			if (k == n || !(is_alnum(p[k]) || p[k] == '.' || p[k] == '-')) {
				sbuf_addstr(out, have_pid ? "%l" : "%p");
				have_pid = true;
				i = k;
				continue;
			}
		}
		if (p[i] == '[' && i + 2 < n && is_digit(p[i + 1])) {
			size_t a = i + 1, b;
			while (a < n && is_digit(p[a]))
				a++;
			if (a < n && p[a] == ']') {
				sbuf_addstr(out, have_pid ? "[%l]" : "[%p]");
				have_pid = true;
				i = a + 1;
				continue;
			}
			if (a + 1 < n && p[a] == '-' && is_digit(p[a + 1])) {
				for (b = a + 1; b < n && is_digit(p[b]); b++)
					;
				if (b < n && p[b] == ']') {
					if (have_pid) {
						/* "[%l-1]": the "-1" is literal */
						sbuf_addstr(out, "[%l");
						add_literal(out, p + a, b + 1 - a);
					} else {
						sbuf_addstr(out, "[%p-%l]");
					}
					have_pid = true;
					i = b + 1;
					continue;
				}
			}
		}
		if (boundary && ((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z'))) {
			for (k = i; k < n && (is_alnum(p[k]) || p[k] == '_'); k++)
				;
			char esc = k < n && p[k] == '=' ? key_escape(p + i, k - i) : 0;
			if (esc) {
				/* The value: "[...]" or up to a separator. */
				size_t v = k + 1, end = v;
				if (end < n && p[end] == '[') {
					while (end < n && p[end] != ']')
						end++;
					if (end < n)
						end++;
				} else {
					while (end < n && !strchr(", ]|;", p[end]))
						end++;
				}
				if (esc == 'h' && end > v && p[end - 1] == ')')
					esc = 'r';
				add_literal(out, p + i, v - i);
				sbuf_addch(out, '%');
				sbuf_addch(out, esc);
				if (esc == 'p')
					have_pid = true;
				i = end;
				continue;
			}
			add_literal(out, p + i, k - i);
			i = k;
			continue;
		}
		add_literal(out, p + i, 1);
		i++;
	}
}

/* Add spec to the candidate list unless it is there already. */
static void add_candidate(char ***cands, size_t *n, size_t *cap, const char *spec)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*cands)[i], spec) == 0)
			return;
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		*cands = xreallocarray(*cands, *cap, sizeof(**cands));
	}
	(*cands)[(*n)++] = xstrdup(spec);
}

/* Split the sample into the lines inference looks at: not empty, not a
 * continuation.  A final line without newline is kept (it may be cut, but
 * its prefix is usually whole).  Returns an array the caller frees. */
static struct slice *sample_lines(const char *sample, size_t len, size_t *n_out)
{
	struct slice *lines = NULL;
	size_t n = 0, cap = 0;

	for (size_t off = 0; off < len && n < STDERR_INFER_MAX_LINES;) {
		const char *p = sample + off;
		const char *nl = memchr(p, '\n', len - off);
		size_t l = nl ? (size_t)(nl - p) : len - off;
		off += l + 1;
		if (l > 0 && p[l - 1] == '\r')
			l--;
		if (l == 0 || p[0] == '\t')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			lines = xreallocarray(lines, cap, sizeof(*lines));
		}
		lines[n++] = slice_make(p, l);
	}
	*n_out = n;
	return lines;
}

/*
 * Build the candidate list: the known prefixes, one structural guess per
 * distinct line shape, and for two guesses A and AB (a postmaster line and
 * a session line) the %q form "A%qB".  Caller frees each string and the
 * array.
 */
static char **build_candidates(const struct slice *lines, size_t n_lines, size_t *n_out)
{
	char **cands = NULL;
	size_t n = 0, cap = 0;
	char *shapes[INFER_MAX_SHAPES];
	size_t n_shapes = 0;
	struct sbuf sb;

	for (size_t i = 0; i < sizeof(known_prefixes) / sizeof(known_prefixes[0]); i++)
		add_candidate(&cands, &n, &cap, known_prefixes[i]);

	sbuf_init(&sb, 4096);
	for (size_t i = 0; i < n_lines && n_shapes < INFER_MAX_SHAPES; i++) {
		long sev = stderr_find_sev(lines[i].p, lines[i].len, false);
		if (sev < 0)
			continue;
		sbuf_reset(&sb);
		infer_line_spec(lines[i].p, (size_t)sev, &sb);
		bool seen = false;
		for (size_t k = 0; k < n_shapes; k++)
			seen |= strcmp(shapes[k], sb.buf) == 0;
		if (!seen)
			shapes[n_shapes++] = xstrdup(sb.buf);
	}
	for (size_t a = 0; a < n_shapes; a++) {
		add_candidate(&cands, &n, &cap, shapes[a]);
		size_t la = strlen(shapes[a]);
		for (size_t b = 0; b < n_shapes; b++) {
			if (a == b || strlen(shapes[b]) <= la ||
			    strncmp(shapes[a], shapes[b], la) != 0)
				continue;
			sbuf_reset(&sb);
			sbuf_add(&sb, shapes[a], la);
			sbuf_addstr(&sb, "%q");
			sbuf_addstr(&sb, shapes[b] + la);
			add_candidate(&cands, &n, &cap, sb.buf);
		}
	}
	for (size_t a = 0; a < n_shapes; a++)
		free(shapes[a]);
	sbuf_release(&sb);
	*n_out = n;
	return cands;
}

void stderr_guess_release(struct stderr_guess *g)
{
	prefix_free(g->px);
	for (size_t i = 0; i < g->n_alts; i++)
		prefix_free(g->alts[i]);
	free(g->alts);
	*g = (struct stderr_guess){NULL, NULL, 0};
}

void stderr_guess_take_alt(struct stderr_guess *g, size_t i)
{
	struct prefix *alt = g->alts[i];
	g->alts[i] = NULL;
	stderr_guess_release(g);
	g->px = alt;
}

/*
 * A %q superset is kept for a prefix settled on postmaster lines only.  A
 * session's own line read by the prefix itself (an English "connection
 * authorized" right after it, written when %q's fields are set) shows
 * there is no such superset: a superset would have printed its fields
 * there.  (A superset may still "match" it, stopping at %q as for a
 * postmaster line, so matching does not tell.)
 */
static bool session_line_seen(const struct prefix *px, const struct slice *lines, size_t n_lines)
{
	static const char authorized[] = "LOG:  connection authorized: ";
	struct pg_entry e;
	size_t pos;

	for (size_t l = 0; l < n_lines; l++) {
		const char *line = lines[l].p;
		size_t n = lines[l].len;
		if (prefix_match(px, line, n, &e, &pos) == 0 && n - pos >= sizeof(authorized) - 1 &&
		    memcmp(line + pos, authorized, sizeof(authorized) - 1) == 0)
			return true;
	}
	return false;
}

void stderr_guess_settle(struct stderr_guess *g)
{
	for (size_t i = 0; i < g->n_alts; i++)
		prefix_free(g->alts[i]);
	free(g->alts);
	g->alts = NULL;
	g->n_alts = 0;
}

int stderr_infer(const char *sample, size_t len, struct stderr_guess *g)
{
	size_t n_lines, n_cands;
	struct slice *lines = sample_lines(sample, len, &n_lines);
	char **cands = build_candidates(lines, n_lines, &n_cands);
	struct score best_sc = {0, 0, 0};
	long best = -1;
	const char *err;

	*g = (struct stderr_guess){NULL, NULL, 0};
	for (size_t i = 0; i < n_cands; i++) {
		struct prefix *px = prefix_compile(cands[i], &err);
		if (!px)
			continue;
		struct score sc = score_prefix(px, lines, n_lines);
		prefix_free(px);
		if (sc.matched > 0 && (best < 0 || better(sc, cands[i], best_sc, cands[best]))) {
			best = (long)i;
			best_sc = sc;
		}
	}
	if (best >= 0 && best_sc.matched * 2 >= n_lines) {
		g->px = prefix_compile(cands[best], &err);
		size_t bl = strlen(cands[best]);
		for (size_t i = 0; g->px && i < n_cands; i++) {
			if (strncmp(cands[i], cands[best], bl) != 0 ||
			    strncmp(cands[i] + bl, "%q", 2) != 0)
				continue;
			struct prefix *alt = prefix_compile(cands[i], &err);
			if (!alt)
				continue;
			g->alts = xreallocarray(g->alts, g->n_alts + 1, sizeof(*g->alts));
			g->alts[g->n_alts++] = alt;
		}
		if (g->n_alts && session_line_seen(g->px, lines, n_lines))
			stderr_guess_settle(g);
	}
	for (size_t i = 0; i < n_cands; i++)
		free(cands[i]);
	free(cands);
	free(lines);
	return g->px ? 0 : -1;
}
