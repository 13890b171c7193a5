/* SPDX-License-Identifier: PostgreSQL */
/* Unit tests for pgtail serve's parts: Accept weights, --listen, the web
 * config, basic auth and the snapshot box. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <crypt.h>

#include "serve/auth.h"
#include "serve/http.h"
#include "serve/listen.h"
#include "serve/snapshot.h"
#include "serve/webconfig.h"
#include "memout.h"

static void test_accept_q(void **state)
{
	const char *prom = "application/openmetrics-text;version=1.0.0,application/"
			   "openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,"
			   "*/*;q=0.1";
	assert_true(http_accept_q(prom, "application/openmetrics-text") == 1.0);
	assert_true(http_accept_q(prom, "text/plain") == 0.5);
	assert_true(http_accept_q(prom, "text/html") == -1);
	assert_true(http_accept_q(NULL, "text/plain") == -1);
	assert_true(http_accept_q("Application/OpenMetrics-Text ; q=0",
				  "application/openmetrics-text") == 0);
	assert_true(http_accept_q("gzip, deflate, br", "gzip") == 1);
	assert_true(http_accept_q("deflate, gzip;q=0.3", "gzip") == 0.3);
	assert_true(http_accept_q("gzipx", "gzip") == -1);
	assert_true(http_accept_q("", "gzip") == -1);
}

static void test_listen_parse(void **state)
{
	struct listen_addr a;
	const char *why = NULL;

	assert_int_equal(listen_parse("127.0.0.1:9999", &a, &why), 0);
	assert_string_equal(a.host, "127.0.0.1");
	assert_int_equal(a.port, 9999);
	assert_int_equal(listen_parse(":10062", &a, &why), 0);
	assert_string_equal(a.host, "");
	assert_int_equal(a.port, 10062);
	assert_int_equal(listen_parse("[::1]:8080", &a, &why), 0);
	assert_string_equal(a.host, "::1");
	assert_int_equal(a.port, 8080);
	assert_int_equal(listen_parse("localhost", &a, &why), 0);
	assert_string_equal(a.host, "localhost");
	assert_int_equal(a.port, LISTEN_DEFAULT_PORT);
	assert_int_equal(listen_parse("[::1]", &a, &why), 0);
	assert_int_equal(a.port, LISTEN_DEFAULT_PORT);
	assert_int_equal(listen_parse("::1:80", &a, &why), -1);
	assert_int_equal(listen_parse("[::1:80", &a, &why), -1);
	assert_int_equal(listen_parse("host:65536", &a, &why), -1);
	assert_int_equal(listen_parse("host:-1", &a, &why), -1);
	assert_int_equal(listen_parse("host:", &a, &why), -1);
	assert_int_equal(listen_parse("", &a, &why), -1);
	assert_non_null(why);
}

/* A bcrypt hash of password at the lowest cost. */
static char *hash_of(const char *password)
{
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data cd;
	memset(&cd, 0, sizeof(cd));
	assert_non_null(crypt_gensalt_rn("$2y$", 4, NULL, 0, salt, sizeof(salt)));
	const char *h = crypt_rn(password, salt, &cd, (int)sizeof(cd));
	assert_non_null(h);
	return strdup(h);
}

static void test_webconfig(void **state)
{
	struct memout m;
	struct webconfig wc;
	char *h = hash_of("pw");
	char text[512];

	mem_open(&m);
	snprintf(text, sizeof(text),
		 "# comment\n"
		 "tls_server_config:\n"
		 "  cert_file: tls/server.crt\n"
		 "  key_file: /abs/server.key\n"
		 "basic_auth_users:\n"
		 "  alice: %s\n"
		 "  'bob smith': \"%s\"\n",
		 h, h);
	assert_int_equal(webconfig_parse("w.yml", "/etc/pgtail", text, strlen(text), &wc, &m.o), 0);
	assert_string_equal(wc.cert_file, "/etc/pgtail/tls/server.crt");
	assert_string_equal(wc.key_file, "/abs/server.key");
	assert_null(wc.cert_pem); /* parse reads no other file */
	assert_int_equal(wc.nusers, 2);
	assert_string_equal(wc.users[1].name, "bob smith");
	assert_string_equal(wc.users[0].hash, h);
	webconfig_release(&wc);

	/* Empty: nothing configured. */
	assert_int_equal(webconfig_parse("w.yml", NULL, "", 0, &wc, &m.o), 0);
	assert_null(wc.cert_file);
	assert_int_equal(wc.nusers, 0);
	assert_int_equal(webconfig_parse("w.yml", NULL, "basic_auth_users:\n", 18, &wc, &m.o), 0);
	assert_int_equal(wc.nusers, 0);
	assert_string_equal(mem_text(&m), "");

	static const struct {
		const char *text, *message;
	} bad[] = {
	    {"a: b\n", "unknown key 'a' in web config 'w.yml' line 1"},
	    {"tls_server_config:\n  cert_file: x\n", "missing key_file under 'tls_server_config'"},
	    {"tls_server_config:\n  key_file: x\n  min_version: TLS13\n",
	     "pgtail does not implement a TLS version range: 'min_version' in web config 'w.yml' "
	     "line 3"},
	    {"http_server_config:\n  http2: false\n", "does not implement HTTP/2"},
	    {"basic_auth_users:\n  alice: plain\n", "not a bcrypt hash"},
	    {"basic_auth_users: [a, b]\n", "expected name: bcrypt-hash pairs"},
	    {"tls_server_config: x\n", "expected keys (cert_file, key_file)"},
	    {"- a\n- b\n", "expected keys (tls_server_config, basic_auth_users)"},
	    {"a: [\n", "web config 'w.yml' line 2"},
	    {"tls_server_config:\n  cert_file: [a]\n", "expected a single value for 'cert_file'"},
	    {"basic_auth_users:\nbasic_auth_users:\n", "key given twice: 'basic_auth_users'"},
	    {"{}\n---\na: b\n", "more than one YAML document"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mem_close(&m);
		mem_open(&m);
		assert_int_equal(
		    webconfig_parse("w.yml", NULL, bad[i].text, strlen(bad[i].text), &wc, &m.o),
		    -1);
		if (!strstr(mem_text(&m), bad[i].message))
			fail_msg("for %s: want '%s', got '%s'", bad[i].text, bad[i].message,
				 mem_text(&m));
		assert_null(wc.users);
		assert_null(wc.cert_file);
	}
	mem_close(&m);
	free(h);
}

static void test_auth(void **state)
{
	struct webconfig wc = {0};
	struct webconfig_user users[2];

	assert_true(auth_check(&wc, NULL, NULL)); /* no users: open */
	users[0] = (struct webconfig_user){.name = "alice", .hash = hash_of("secret")};
	users[1] = (struct webconfig_user){.name = "bob", .hash = hash_of("other")};
	wc.users = users;
	wc.nusers = 2;
	assert_true(auth_check(&wc, "alice", "secret"));
	assert_true(auth_check(&wc, "bob", "other"));
	assert_false(auth_check(&wc, "alice", "other"));
	assert_false(auth_check(&wc, "bob", "secret"));
	assert_false(auth_check(&wc, "carol", "secret"));
	assert_false(auth_check(&wc, "alic", "secret"));
	assert_false(auth_check(&wc, "alice", ""));
	assert_false(auth_check(&wc, "alice", NULL));
	assert_false(auth_check(&wc, NULL, NULL));
	assert_true(auth_streq("", ""));
	assert_false(auth_streq("a", ""));
	assert_false(auth_streq("abc", "abd"));
	free(users[0].hash);
	free(users[1].hash);
}

static void test_snapshot_box(void **state)
{
	struct snapshot_box b;
	snapshot_box_init(&b);
	assert_null(snapshot_box_get(&b, SNAP_TEXT));
	snapshot_box_publish(&b, SNAP_TEXT, snapshot_new("one", 3));
	struct snapshot *held = snapshot_box_get(&b, SNAP_TEXT);
	assert_string_equal(held->text, "one");
	/* A newer snapshot replaces it; the one held stays whole until unref. */
	snapshot_box_publish(&b, SNAP_TEXT, snapshot_new("two!", 4));
	assert_string_equal(held->text, "one");
	assert_int_equal(held->len, 3);
	struct snapshot *now = snapshot_box_get(&b, SNAP_TEXT);
	assert_string_equal(now->text, "two!");
	assert_null(snapshot_box_get(&b, SNAP_OPENMETRICS));
	snapshot_unref(held);
	snapshot_unref(now);
	snapshot_unref(NULL);
	snapshot_box_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_accept_q),     cmocka_unit_test(test_listen_parse),
	    cmocka_unit_test(test_webconfig),    cmocka_unit_test(test_auth),
	    cmocka_unit_test(test_snapshot_box),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
