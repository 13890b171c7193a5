/* SPDX-License-Identifier: PostgreSQL */
/*
 * libFuzzer target for the classifier.  The first input byte picks the
 * severity and the entry kind, the rest is the message, copied into a buffer
 * of exactly its size so that any read past the slice trips ASan.  Checks the
 * contracts that hold for every input: event slices lie inside the entry,
 * classify_maybe() accepts whatever classify_entry() accepts, and the event's
 * fixed fields come from the entry, in every language of PostgreSQL's
 * catalogs (fuzz_classify.dict holds their texts).
 *
 * Build: clang -fsanitize=fuzzer,address,undefined -Isrc src/conn/classify.c
 *        src/logfmt/sev.c src/util/ *.c tests/fuzz/fuzz_classify.c
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conn/classify.h"
#include "conn/lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* s is empty, or lies within [base, base + len). */
static void check_inside(struct slice s, const char *base, size_t len)
{
	if (s.len == 0)
		return;
	if (s.p < base || s.p > base + len || s.len > (size_t)(base + len - s.p))
		abort();
}

/* s is empty, or equals the entry's field f, or lies inside the message. */
static void check_origin(struct slice s, struct slice f, struct slice m)
{
	if (s.len == 0 || (s.p == f.p && s.len == f.len))
		return;
	check_inside(s, m.p, m.len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char user[] = "alice", db[] = "postgres", app[] = "psql", host[] = "10.0.0.1",
			  port[] = "5432", sid[] = "6b0b7dca.1092";
	struct pg_entry e;
	struct conn_event ev;
	enum ev_kind k;
	char *msg;
	size_t len;

	if (size == 0)
		return 0;
	len = size - 1;
	msg = malloc(len ? len : 1);
	if (!msg)
		return 0;
	memcpy(msg, data + 1, len);

	pg_entry_clear(&e);
	e.sev = (enum pg_sev)(data[0] % (SEV_BACKTRACE + 1));
	e.kind = (data[0] & 0x80) ? ENTRY_CONTINUATION : ENTRY_MESSAGE;
	e.ts_ms = 1796000000123;
	e.pid = 4242;
	e.session_id = slice_make(sid, sizeof(sid) - 1);
	e.message = slice_make(len ? msg : NULL, len);
	if (data[0] & 0x40) {
		e.user = slice_make(user, sizeof(user) - 1);
		e.database = slice_make(db, sizeof(db) - 1);
		e.application = slice_make(app, sizeof(app) - 1);
		e.host = slice_make(host, sizeof(host) - 1);
		e.port = slice_make(port, sizeof(port) - 1);
	}

	/* Every language, or English and one catalog's (bits 4-5 and the
	 * message's length pick which). */
	unsigned langs = LANGS_ALL;
	if (data[0] & 0x20)
		langs = 1u << LANG_EN | 1u << (1 + (data[0] >> 3 & 3) + len % 8);
	k = classify_entry_lang(&e, langs, &ev);
	if (k != ev.kind || ev.ts_ms != e.ts_ms || ev.pid != e.pid ||
	    ev.session_id.p != e.session_id.p || ev.message.p != e.message.p ||
	    ev.message.len != e.message.len)
		abort();
	if (k != EV_NONE && !classify_maybe(e.sev, e.message.p, e.message.len))
		abort();
	if (k != EV_NONE && e.kind != ENTRY_MESSAGE)
		abort();
	if (k != EV_DISCONNECTED && ev.session_ms != -1)
		abort();
	if (k == EV_DISCONNECTED && ev.session_ms < 0)
		abort();
	if (k != EV_BACKEND_DIED && ev.other_pid != -1)
		abort();
	if ((k == EV_FAILED) != (ev.reason != FAIL_NONE))
		abort();
	if ((k == EV_SETTING) != (ev.setting != SETTING_NONE) || (k != EV_SETTING && ev.setting_on))
		abort();
	check_origin(ev.user, e.user, e.message);
	check_origin(ev.database, e.database, e.message);
	check_origin(ev.application, e.application, e.message);
	check_origin(ev.host, e.host, e.message);
	check_origin(ev.port, e.port, e.message);
	if (ev.lang >= LANG__COUNT || !(langs & 1u << ev.lang))
		abort();
	(void)classify_is_english(&e);
	if (lang_of_entry(&e) >= LANG__COUNT)
		abort();
	(void)fail_reason_name(ev.reason);
	free(msg);
	return 0;
}
