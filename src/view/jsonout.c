/* SPDX-License-Identifier: PostgreSQL */
/* Helpers shared by the JSON renderers. */
#include "view/jsonout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logfmt/entry.h"
#include "logfmt/ts.h"

json_t *json_time(int64_t ms)
{
	char buf[40];
	if (ms == TS_UNKNOWN)
		return json_null();
	ts_format_iso(ms, buf, sizeof(buf));
	return json_string(buf);
}

const char *json_key(const char *s, char *buf, size_t len)
{
	json_t *probe = json_string(s);
	if (probe) {
		json_decref(probe);
		snprintf(buf, len, "%s", s);
		return buf;
	}
	size_t j = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && j + 5 < len; p++) {
		if (*p < 0x80)
			buf[j++] = (char)*p;
		else
			j += (size_t)snprintf(buf + j, len - j, "\\x%02x", *p);
	}
	buf[j] = '\0';
	return buf;
}

json_t *json_text(const char *s)
{
	json_t *v = json_string(s);
	if (v)
		return v;
	char buf[1024];
	return json_string(json_key(s, buf, sizeof(buf)));
}

void json_print(struct out *o, json_t *root)
{
	char *text =
	    json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
	if (text) {
		out_puts(o, text);
		out_puts(o, "\n");
		free(text);
	}
	json_decref(root);
}
