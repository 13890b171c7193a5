/* SPDX-License-Identifier: PostgreSQL */
/* The exporters' web config file, walked from libyaml's document; see webconfig.h. */
#include "serve/webconfig.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "detect/fs.h"
#include "util/diag.h"
#include "util/xalloc.h"

/* Larger files are no web config, certificate or key. */
#define WEBCONFIG_MAX_BYTES (1 << 20)

/* The keys of the format pgtail does not implement, with what they would do:
 * refused by name rather than as unknown. */
static const struct {
	const char *section, *key, *what;
} unsupported[] = {
    {"tls_server_config", "cert", "an inline certificate (use cert_file)"},
    {"tls_server_config", "key", "an inline key (use key_file)"},
    {"tls_server_config", "client_auth_type", "client certificates"},
    {"tls_server_config", "client_ca_file", "client certificates"},
    {"tls_server_config", "client_allowed_sans", "client certificates"},
    {"tls_server_config", "min_version", "a TLS version range"},
    {"tls_server_config", "max_version", "a TLS version range"},
    {"tls_server_config", "cipher_suites", "a choice of cipher suites"},
    {"tls_server_config", "curve_preferences", "a choice of curves"},
    {"tls_server_config", "prefer_server_cipher_suites", "a choice of cipher suites"},
    {"", "http_server_config", "HTTP/2 and response headers"},
    {"", "rate_limit", "rate limiting"},
};

/* Where the walk is: the file for messages, the directory for relative
 * paths, the document. */
struct walk {
	const char *path, *dir;
	yaml_document_t *doc;
	struct out *err;
};

static int at(const struct walk *w, const yaml_node_t *n, const char *what, const char *name)
{
	return diag_error(w->err, "%s%s%s%s in web config '%s' line %lu", what, name ? " '" : "",
			  name ? name : "", name ? "'" : "", w->path,
			  (unsigned long)n->start_mark.line + 1);
}

/* The text of a scalar node, or NULL (said on err) for a mapping or a list. */
static const char *scalar(const struct walk *w, const yaml_node_t *n, const char *key)
{
	if (n->type != YAML_SCALAR_NODE) {
		at(w, n, "expected a single value for", key);
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

/* An empty value ("key:" or "key: ~"): the section is absent. */
static bool is_null(const yaml_node_t *n)
{
	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *v = (const char *)n->data.scalar.value;
	return !*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
	       !strcmp(v, "NULL");
}

/* A key of section (the top level is "") that this format has and pgtail refuses. */
static int refuse(const struct walk *w, const yaml_node_t *k, const char *section, const char *key)
{
	for (size_t i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++)
		if (!strcmp(unsupported[i].section, section) && !strcmp(unsupported[i].key, key)) {
			char what[160];
			snprintf(what, sizeof(what),
				 "pgtail does not implement %s:", unsupported[i].what);
			return at(w, k, what, key);
		}
	return at(w, k, "unknown key", key);
}

/* The number of pairs of mapping n. */
static size_t npairs(const yaml_node_t *n)
{
	return (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
}

/* Pair i of mapping n: its key's text (NULL, said on err, when the key is
 * not a single value -- what names the key in the message), *k and *v its
 * nodes. */
static const char *pair_at(const struct walk *w, const yaml_node_t *n, size_t i, yaml_node_t **k,
			   yaml_node_t **v, const char *what)
{
	const yaml_node_pair_t *p = n->data.mapping.pairs.start + i;
	*k = yaml_document_get_node(w->doc, p->key);
	*v = yaml_document_get_node(w->doc, p->value);
	return scalar(w, *k, what);
}

static int tls_section(const struct walk *w, const yaml_node_t *n, struct webconfig *wc)
{
	if (is_null(n))
		return 0;
	if (n->type != YAML_MAPPING_NODE)
		return at(w, n, "expected keys (cert_file, key_file) under", "tls_server_config");
	for (size_t i = 0; i < npairs(n); i++) {
		yaml_node_t *k, *v;
		const char *key = pair_at(w, n, i, &k, &v, "a key");
		if (!key)
			return -1;
		char **slot = !strcmp(key, "cert_file")  ? &wc->cert_file
			      : !strcmp(key, "key_file") ? &wc->key_file
							 : NULL;
		if (!slot)
			return refuse(w, k, "tls_server_config", key);
		const char *val = scalar(w, v, key);
		if (!val)
			return -1;
		if (!*val)
			return at(w, v, "empty file name for", key);
		free(*slot);
		*slot = w->dir ? fs_join(w->dir, val) : xstrdup(val);
	}
	if (!wc->cert_file || !wc->key_file)
		return at(w, n,
			  wc->cert_file ? "missing key_file under" : "missing cert_file under",
			  "tls_server_config");
	return 0;
}

/* A bcrypt hash as crypt(3) writes it: $2a$, $2b$ or $2y$, a two-digit cost,
 * 53 characters of salt and hash. */
static bool bcrypt_hash(const char *h)
{
	if (strlen(h) != 60 || h[0] != '$' || h[1] != '2' || !strchr("aby", h[2]) || h[3] != '$' ||
	    h[4] < '0' || h[4] > '3' || h[5] < '0' || h[5] > '9' || h[6] != '$')
		return false;
	for (const char *p = h + 7; *p; p++)
		if (!strchr("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", *p))
			return false;
	return true;
}

static int users_section(const struct walk *w, const yaml_node_t *n, struct webconfig *wc)
{
	if (is_null(n))
		return 0;
	if (n->type != YAML_MAPPING_NODE)
		return at(w, n, "expected name: bcrypt-hash pairs under", "basic_auth_users");
	wc->users = xcalloc(npairs(n) ? npairs(n) : 1, sizeof(*wc->users));
	for (size_t i = 0; i < npairs(n); i++) {
		yaml_node_t *k, *v;
		const char *name = pair_at(w, n, i, &k, &v, "a user name");
		if (!name)
			return -1;
		if (!*name || strchr(name, ':'))
			return at(w, k, "a user name must be non-empty and without ':':", name);
		for (size_t u = 0; u < wc->nusers; u++)
			if (!strcmp(wc->users[u].name, name))
				return at(w, k, "user given twice:", name);
		const char *hash = scalar(w, v, name);
		if (!hash)
			return -1;
		if (!bcrypt_hash(hash))
			return at(w, v,
				  "not a bcrypt hash ($2y$..., as htpasswd -nbB writes) for user",
				  name);
		wc->users[wc->nusers].name = xstrdup(name);
		wc->users[wc->nusers].hash = xstrdup(hash);
		wc->nusers++;
	}
	return 0;
}

static int top_level(const struct walk *w, const yaml_node_t *root, struct webconfig *wc)
{
	bool seen_tls = false, seen_users = false;

	if (!root || is_null(root))
		return 0; /* an empty file: plain HTTP, no authentication */
	if (root->type != YAML_MAPPING_NODE)
		return at(w, root, "expected keys (tls_server_config, basic_auth_users)", NULL);
	for (size_t i = 0; i < npairs(root); i++) {
		yaml_node_t *k, *v;
		const char *key = pair_at(w, root, i, &k, &v, "a key");
		int rc;
		if (!key)
			return -1;
		if (!strcmp(key, "tls_server_config") && !seen_tls) {
			seen_tls = true;
			rc = tls_section(w, v, wc);
		} else if (!strcmp(key, "basic_auth_users") && !seen_users) {
			seen_users = true;
			rc = users_section(w, v, wc);
		} else if (!strcmp(key, "tls_server_config") || !strcmp(key, "basic_auth_users")) {
			rc = at(w, k, "key given twice:", key);
		} else {
			rc = refuse(w, k, "", key);
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

int webconfig_parse(const char *path, const char *dir, const char *text, size_t len,
		    struct webconfig *wc, struct out *err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	int rc = -1;

	memset(wc, 0, sizeof(*wc));
	if (!yaml_parser_initialize(&parser))
		return diag_error(err, "cannot read web config '%s': out of memory", path);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		diag_error(err, "web config '%s' line %lu: %s%s%s", path,
			   (unsigned long)parser.problem_mark.line + 1,
			   parser.problem ? parser.problem : "not YAML", parser.context ? " " : "",
			   parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		return -1;
	}
	struct walk w = {.path = path, .dir = dir, .doc = &doc, .err = err};
	rc = top_level(&w, yaml_document_get_root_node(&doc), wc);
	if (rc == 0) {
		/* A second document would be ignored: say so instead. */
		yaml_document_t more;
		if (yaml_parser_load(&parser, &more)) {
			if (yaml_document_get_root_node(&more))
				rc = diag_error(
				    err, "web config '%s' holds more than one YAML document", path);
			yaml_document_delete(&more);
		}
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (rc < 0)
		webconfig_release(wc);
	return rc;
}

/* Read a PEM file the web config names. */
static char *read_pem(const char *config, const char *what, const char *file, struct out *err)
{
	size_t len = 0;
	char *s = fs_read("", file, WEBCONFIG_MAX_BYTES, &len);
	if (!s) {
		diag_error(err, "cannot read the %s '%s' that web config '%s' names: %s", what,
			   file, config, strerror(errno));
		return NULL;
	}
	if (!strstr(s, "-----BEGIN ")) {
		diag_error(err, "the %s '%s' that web config '%s' names is not PEM", what, file,
			   config);
		free(s);
		return NULL;
	}
	return s;
}

int webconfig_load(const char *path, struct webconfig *wc, struct out *err)
{
	size_t len = 0;
	char *text = fs_read("", path, WEBCONFIG_MAX_BYTES, &len);

	memset(wc, 0, sizeof(*wc));
	if (!text)
		return diag_error(err, "cannot read web config '%s': %s", path, strerror(errno));
	char *dir = fs_dirname(path);
	int rc = webconfig_parse(path, dir, text, len, wc, err);
	free(dir);
	free(text);
	if (rc < 0)
		return -1;
	if (wc->cert_file) {
		wc->cert_pem = read_pem(path, "certificate", wc->cert_file, err);
		wc->key_pem = wc->cert_pem ? read_pem(path, "key", wc->key_file, err) : NULL;
		if (!wc->key_pem) {
			webconfig_release(wc);
			return -1;
		}
	}
	return 0;
}

void webconfig_release(struct webconfig *wc)
{
	for (size_t i = 0; i < wc->nusers; i++) {
		free(wc->users[i].name);
		free(wc->users[i].hash);
	}
	free(wc->users);
	free(wc->cert_file);
	free(wc->key_file);
	free(wc->cert_pem);
	if (wc->key_pem) /* the key is a secret: leave no copy in freed memory */
		explicit_bzero(wc->key_pem, strlen(wc->key_pem));
	free(wc->key_pem);
	memset(wc, 0, sizeof(*wc));
}
