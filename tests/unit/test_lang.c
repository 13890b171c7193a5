/* SPDX-License-Identifier: PostgreSQL */
/*
 * Unit tests for the translated messages (conn/lang, logfmt/sev_tables):
 * every pattern of every catalog's language, instantiated with known values,
 * is read back by classify_entry() as its form says; lines a real
 * PostgreSQL 15 server wrote in German, Japanese, Russian, French and
 * Chinese; the severity words; the matcher's bounds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "conn/classify.h"
#include "conn/lang.h"
#include "logfmt/sev_tables.h"

static struct pg_entry entry(enum pg_sev sev, const char *msg)
{
	struct pg_entry e;

	pg_entry_clear(&e);
	e.kind = ENTRY_MESSAGE;
	e.sev = sev;
	e.message = slice_make(msg, strlen(msg));
	return e;
}

static void assert_field(struct slice got, const char *want, const char *what, size_t pat)
{
	if (got.len != strlen(want) || memcmp(got.p, want, got.len) != 0)
		fail_msg("pattern %zu (%s %s): %s is '%.*s', not '%s'", pat,
			 lang_code(lang_patterns[pat].lang), "", what, (int)got.len,
			 got.p ? got.p : "", want);
}

/* The value the instantiated message gives an argument of field f. */
static const char *sample(enum lang_field f, enum lang_piece_type t)
{
	switch (f) {
	case LF_USER:
		return "alice";
	case LF_DATABASE:
		return "sales";
	case LF_APPLICATION:
		return "my app";
	case LF_HOST:
		return "10.0.0.5";
	case LF_PORT:
		return "5432";
	case LF_HOURS:
		return "1";
	case LF_MINUTES:
		return "02";
	case LF_SECONDS:
		return "03";
	case LF_MILLIS:
		return "004";
	case LF_OTHER_PID:
		return "4242";
	case LF_SETTING:
		return "log_connections";
	case LF_VALUE:
		return "on";
	default:
		return t == LP_STR ? "x" : t == LP_HEX ? "C0000005" : "7";
	}
}

/* Every pattern, filled in, reads back as its form and fields say. */
static void test_every_pattern(void **state)
{
	char msg[2048];
	size_t n_langs[LANG__COUNT] = {0};

	(void)state;
	assert_true(lang_patterns_count > 500);
	for (size_t i = 0; i < lang_patterns_count; i++) {
		const struct lang_pattern *lp = &lang_patterns[i];
		const struct lang_form *f = &lang_forms[lp->form];
		bool has[LF__COUNT] = {false};
		size_t len = 0;
		struct conn_event ev;

		for (size_t k = 0; k < lp->n; k++) {
			const struct lang_piece *p = &lang_pieces[lp->first + k];
			const char *t = p->type == LP_LIT ? p->text : sample(p->field, p->type);
			size_t tl = p->type == LP_LIT ? p->len : strlen(t);
			assert_true(len + tl < sizeof(msg));
			memcpy(msg + len, t, tl);
			len += tl;
			has[p->field] = true;
		}
		msg[len] = '\0';
		struct pg_entry e = entry(f->fatal ? SEV_FATAL : SEV_LOG, msg);
		if (classify_entry(&e, &ev) != f->kind)
			fail_msg("pattern %zu (%s): '%s' is kind %d, not %d", i,
				 lang_code(lp->lang), msg, ev.kind, f->kind);
		/* Any start of it (the csvlog fast path hands over 64 bytes). */
		for (size_t k = len; !f->fatal && k >= 3; k = k > 7 ? k - 7 : 0)
			if (!classify_maybe(SEV_LOG, msg, k))
				fail_msg("pattern %zu: classify_maybe refuses '%.*s'", i, (int)k,
					 msg);
		if (f->kind == EV_FAILED)
			assert_int_equal(ev.reason, f->reason);
		if (f->kind == EV_SESSION_ENDING)
			assert_int_equal(ev.ending, f->ending);
		if (has[LF_USER])
			assert_field(ev.user, "alice", "user", i);
		if (has[LF_DATABASE])
			assert_field(ev.database, "sales", "database", i);
		if (has[LF_APPLICATION])
			assert_field(ev.application, "my app", "application", i);
		if (has[LF_HOST])
			assert_field(ev.host, "10.0.0.5", "host", i);
		if (has[LF_PORT])
			assert_field(ev.port, "5432", "port", i);
		if (has[LF_MILLIS])
			assert_int_equal(ev.session_ms, ((1 * 60 + 2) * 60 + 3) * 1000 + 4);
		if (has[LF_OTHER_PID])
			assert_int_equal(ev.other_pid, 4242);
		if (f->kind == EV_SETTING) {
			assert_int_equal(ev.setting, SETTING_LOG_CONNECTIONS);
			assert_int_equal(ev.setting_on, !f->removed);
		}
		/* Not English unless the catalog left the text as it was. */
		if (ev.lang != LANG_EN)
			assert_int_equal(ev.lang, lp->lang);
		n_langs[lp->lang]++;
	}
	/* Every catalog has patterns, English none. */
	assert_int_equal(n_langs[LANG_EN], 0);
	for (int l = 1; l < LANG__COUNT; l++)
		assert_true(n_langs[l] > 40);
}

struct real {
	const char *sev_word;
	const char *msg;
	enum ev_kind kind;
	enum fail_reason reason;
	const char *user, *db, *app, *host, *port;
	int lang;
};

/* Lines PostgreSQL 15.18 wrote (stderr: a message's first line). */
static const struct real reals[] = {
    {"LOG", "Verbindung empfangen: Host=10.0.1.5 Port=51234", EV_RECEIVED, FAIL_NONE, NULL, NULL,
     NULL, "10.0.1.5", "51234", 1},
    {"LOG", "Verbindung autorisiert: Benutzer=app_user Datenbank=production application_name=myapp",
     EV_AUTHORIZED, FAIL_NONE, "app_user", "production", "myapp", NULL, NULL, 1},
    {"FATAL", "Passwort-Authentifizierung für Benutzer »reporting« fehlgeschlagen", EV_FAILED,
     FAIL_PASSWORD, "reporting", NULL, NULL, NULL, NULL, 1},
    {"FATAL", "zu viele Verbindungen von Rolle »limited«", EV_FAILED, FAIL_ROLE_LIMIT, "limited",
     NULL, NULL, NULL, NULL, 1},
    {"СООБЩЕНИЕ", "принято подключение: узел=10.0.1.6 порт=51235", EV_RECEIVED, FAIL_NONE, NULL,
     NULL, NULL, "10.0.1.6", "51235", 8},
    {"ВАЖНО", "роль \"ghost\" не существует", EV_FAILED, FAIL_NO_ROLE, "ghost", NULL, NULL, NULL,
     NULL, 8},
    {"LOG", "接続を受け付けました: ホスト=10.0.1.7 ポート番号=51236", EV_RECEIVED, FAIL_NONE, NULL,
     NULL, NULL, "10.0.1.7", "51236", 5},
    {"LOG",
     "接続を切断: セッション時間: 0:00:00.024 ユーザー=postgres データベース=postgres "
     "ホスト=127.0.0.1 port=57622",
     EV_DISCONNECTED, FAIL_NONE, "postgres", "postgres", NULL, "127.0.0.1", "57622", 5},
    /* Two lines in French: stderr shows the first, csvlog the whole. */
    {"LOG", "déconnexion : durée de la session : 0:00:01.514", EV_DISCONNECTED, FAIL_NONE, NULL,
     NULL, NULL, NULL, NULL, 3},
    {"LOG",
     "déconnexion : durée de la session : 0:00:01.514\nutilisateur=app_user base=postgres "
     "hôte=[local]",
     EV_DISCONNECTED, FAIL_NONE, "app_user", "postgres", NULL, "[local]", NULL, 3},
    {"FATAL",
     "pg_hba.conf rejette la connexion pour l'hôte « 127.0.0.1 », utilisateur « readonly », base",
     EV_FAILED, FAIL_HBA_REJECT, "readonly", NULL, NULL, "127.0.0.1", NULL, 3},
    {"日志", "已接收到连接: 主机=127.0.0.1 端口=40000", EV_RECEIVED, FAIL_NONE, NULL, NULL, NULL,
     "127.0.0.1", "40000", 11},
};

static void check_slice(struct slice got, const char *want)
{
	if (!want) {
		assert_int_equal(got.len, 0);
		return;
	}
	assert_int_equal(got.len, strlen(want));
	assert_memory_equal(got.p, want, got.len);
}

static void test_real_lines(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
		const struct real *r = &reals[i];
		struct pg_entry e =
		    entry(pg_sev_from_word(r->sev_word, strlen(r->sev_word)), r->msg);
		struct conn_event ev;

		e.sev_word = slice_make(r->sev_word, strlen(r->sev_word));
		print_message("%s\n", r->msg);
		assert_int_equal(classify_entry(&e, &ev), r->kind);
		assert_int_equal(ev.reason, r->reason);
		assert_int_equal(ev.lang, r->lang);
		check_slice(ev.user, r->user);
		check_slice(ev.database, r->db);
		check_slice(ev.application, r->app);
		check_slice(ev.host, r->host);
		check_slice(ev.port, r->port);
		assert_true(classify_maybe(e.sev, r->msg, strlen(r->msg)));
		/* The text is the server's, for the watch line. */
		assert_ptr_equal(ev.message.p, r->msg);
		/* Not taken for English; its language told. */
		assert_false(classify_is_english(&e));
		assert_int_equal(lang_of_entry(&e), r->lang);
		/* Read only when its language is. */
		assert_int_equal(classify_entry_lang(&e, 1u << LANG_EN, &ev), EV_NONE);
		assert_int_equal(classify_entry_lang(&e, 1u << LANG_EN | 1u << r->lang, &ev),
				 r->kind);
	}
}

static void test_severity_words(void **state)
{
	static const struct {
		const char *w;
		enum pg_sev sev;
	} words[] = {
	    {"СООБЩЕНИЕ", SEV_LOG},
	    {"ВАЖНО", SEV_FATAL},
	    {"ОШИБКА", SEV_ERROR},
	    {"日志", SEV_LOG},
	    {"致命错误", SEV_FATAL},
	    {"로그", SEV_LOG},
	    {"치명적오류", SEV_FATAL},
	    {"LOGG", SEV_LOG},
	    {"FATALT", SEV_FATAL},
	    {"FATALE", SEV_FATAL},
	    {"ФАТАЛЬНО", SEV_FATAL},
	    {"ЗАПИСУВАННЯ", SEV_LOG},
	    {"ჟურნალი", SEV_LOG},
	    {"ფატალური", SEV_FATAL},
	    {"FEHLER", SEV_ERROR},
	    {"PANIK", SEV_PANIC},
	    {"比致命错误还过分的错误", SEV_PANIC},
	    {"ПОДРОБНОСТИ", SEV_DETAIL},
	    {"LOG", SEV_LOG},
	    {"FATAL", SEV_FATAL},
	    {"BŁĄD", SEV_UNKNOWN},
	    {"LO", SEV_UNKNOWN},
	    {"ВАЖН", SEV_UNKNOWN},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		print_message("%s\n", words[i].w);
		assert_int_equal(pg_sev_from_word(words[i].w, strlen(words[i].w)), words[i].sev);
	}
	for (size_t i = 0; i < sev_words_tr_count; i++) {
		assert_true(sev_words_tr[i].len <= PG_SEV_WORD_MAX);
		assert_int_equal(pg_sev_from_word(sev_words_tr[i].word, sev_words_tr[i].len),
				 sev_words_tr[i].sev);
	}
}

static void test_codes(void **state)
{
	(void)state;
	assert_int_equal(lang_from_code("de", 2), 1);
	assert_int_equal(lang_from_code("zh_CN", 5), 11);
	assert_int_equal(lang_from_code("zh-CN", 5), 11);
	assert_int_equal(lang_from_code("en", 2), LANG_EN);
	assert_int_equal(lang_from_code("C", 1), LANG_EN);
	assert_int_equal(lang_from_code("pl", 2), -1);
	assert_int_equal(lang_from_code("d", 1), -1);
	assert_string_equal(lang_code(5), "ja");
	assert_string_equal(lang_code(99), "?");
	const char *const *c = lang_choices();
	assert_string_equal(c[0], "en");
	assert_null(c[LANG__COUNT]);
}

/* A message built to make the matcher backtrack ends, unmatched or not,
 * within the budget; and nothing reads past the message. */
static void test_bounds(void **state)
{
	static char msg[60000];
	const char *head = "Verbindung autorisiert: Benutzer=";
	size_t len = strlen(head);
	struct conn_event ev;

	(void)state;
	memcpy(msg, head, len);
	while (len + 40 < sizeof(msg)) {
		memcpy(msg + len, " Datenbank= application_name= SSL an (", 38);
		len += 38;
	}
	struct pg_entry e = entry(SEV_LOG, msg);
	e.message.len = len;
	(void)classify_entry(&e, &ev);
	for (size_t n = 0; n < 80; n++) {
		e.message.len = n;
		(void)classify_entry(&e, &ev);
		(void)classify_maybe(SEV_LOG, msg, n);
	}
	e = entry(SEV_LOG, "Verbindung empfangen: Host=");
	assert_int_equal(classify_entry(&e, &ev), EV_NONE);
	e = entry(SEV_LOG,
		  "接続を切断: セッション時間: 0:0:00.024 ユーザー=a データベース=b ホスト=c");
	assert_int_equal(classify_entry(&e, &ev), EV_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_pattern),  cmocka_unit_test(test_real_lines),
	    cmocka_unit_test(test_severity_words), cmocka_unit_test(test_codes),
	    cmocka_unit_test(test_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
