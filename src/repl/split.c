/* SPDX-License-Identifier: PostgreSQL */
/* Splitting a shell line into words. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "repl/repl.h"
#include "util/sbuf.h"
#include "util/xalloc.h"

char **repl_split(const char *line, int *n, const char **err)
{
	size_t cap = 8;
	char **words = xcalloc(cap, sizeof(*words));
	struct sbuf w;
	const char *p = line;

	*n = 0;
	sbuf_init(&w, 0);
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		sbuf_reset(&w);
		while (*p && *p != ' ' && *p != '\t') {
			if (*p == '\'' || *p == '"') {
				char q = *p++;
				while (*p && *p != q) {
					if (q == '"' && *p == '\\' && p[1])
						p++;
					sbuf_addch(&w, *p++);
				}
				if (!*p) {
					*err = "unterminated quote";
					sbuf_release(&w);
					words[*n] = NULL;
					repl_free_words(words);
					return NULL;
				}
				p++;
			} else if (*p == '\\' && p[1]) {
				sbuf_addch(&w, p[1]);
				p += 2;
			} else {
				sbuf_addch(&w, *p++);
			}
		}
		if ((size_t)*n + 2 > cap) {
			cap *= 2;
			words = xreallocarray(words, cap, sizeof(*words));
		}
		words[(*n)++] = xstrdup(w.buf);
	}
	words[*n] = NULL;
	sbuf_release(&w);
	return words;
}

void repl_free_words(char **words)
{
	if (!words)
		return;
	for (char **w = words; *w; w++)
		free(*w);
	free(words);
}
