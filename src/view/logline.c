/* SPDX-License-Identifier: PostgreSQL */
/* One log record as the shell's tail shows it; see logline.h. */
#include "view/logline.h"

#include <string.h>

#include "logfmt/ts.h"

static enum out_style sev_style(enum pg_sev sev)
{
	switch (sev) {
	case SEV_FATAL:
	case SEV_PANIC:
	case SEV_ERROR:
		return OUT_BAD;
	case SEV_WARNING:
		return OUT_WARN;
	case SEV_DETAIL:
	case SEV_HINT:
	case SEV_STATEMENT:
	case SEV_CONTEXT:
		return OUT_FAINT;
	default:
		return OUT_PLAIN;
	}
}

/* slice as a C string in buf (cut to fit), then escaped into shown. */
static const char *escaped(struct slice s, char *buf, size_t len, char *shown, size_t shown_len)
{
	size_t n = s.len < len - 1 ? s.len : len - 1;
	memcpy(buf, s.p ? s.p : "", n);
	buf[n] = '\0';
	return out_escape(buf, shown, shown_len);
}

void logline_print(struct out *o, const struct pg_entry *e)
{
	char tm[16] = "--:--:--", m[2048], msg[2048], sev[64], sev_shown[4 * sizeof(sev)];
	enum out_style st = sev_style(e->sev);

	if (e->ts_ms != TS_UNKNOWN)
		ts_format_hms(e->ts_ms, tm, sizeof(tm));
	out_style_begin(o, st);
	out_printf(o, "%s [%lld] %s:  %s", tm, (long long)e->pid,
		   escaped(e->sev_word, sev, sizeof(sev), sev_shown, sizeof(sev_shown)),
		   escaped(e->message, m, sizeof(m), msg, sizeof(msg)));
	out_style_end(o, st);
	out_puts(o, "\n");
	out_flush(o);
}
