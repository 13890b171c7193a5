/* SPDX-License-Identifier: PostgreSQL */
/*
 * libFuzzer target for what parses a typed command: the shell's word
 * splitter, the table-driven option parser (on every command, in both front
 * ends), the --since/--until times and the filter patterns.  The input is
 * one line as typed at the prompt.  Checks that the splitter's words hold
 * no NUL and their count is right, that the parser succeeds, asks for help
 * or refuses with a message, that a parsed option's value is one of the
 * words, and that every word parses as a time or is refused with a reason.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "conn/filter.h"
#include "repl/repl.h"
#include "util/out.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct out sink;
	if (!sink.fp) {
		sink.fp = fopen("/dev/null", "w");
		sink.color = false;
	}
	char *line = malloc(size + 1);
	memcpy(line, data, size);
	line[size] = '\0'; /* a typed line ends at its first NUL */

	int n = -1;
	const char *err = NULL;
	char **words = repl_split(line, &n, &err);
	if (!words) {
		if (!err)
			abort(); /* a refusal says why */
		free(line);
		return 0;
	}
	int count = 0;
	while (words[count])
		count++;
	if (count != n)
		abort();

	/* Each word as a time, a relative one from a fixed "newest" event. */
	for (int i = 0; i < n; i++) {
		int64_t ms = 0;
		const char *why = NULL;
		if (opts_parse_time(words[i], 1764376912000LL, &ms, &why) < 0 && !why)
			abort();
	}

	/* The words as the arguments of each command, in both front ends. */
	char **argv = calloc((size_t)n + 2, sizeof(*argv));
	for (int i = 0; i < n; i++)
		argv[i + 1] = words[i];
	for (size_t c = 0; cmd_table[c]; c++) {
		const struct cmd_def *cmd = cmd_table[c];
		argv[0] = (char *)cmd->name;
		for (int f = FRONT_ONESHOT; f <= FRONT_SHELL; f <<= 1) {
			struct cmd_args a;
			unsigned long errors = sink.errors;
			enum cmd_parse r =
			    cmd_parse(cmd, (enum cmd_front)f, n + 1, argv, &a, &sink);
			if (r == PARSE_USAGE && sink.errors == errors)
				abort(); /* a refusal says why */
			if (r == PARSE_OK) {
				for (int k = 0; k < cmd->nopts; k++) {
					const char *v = a.val[k];
					bool found = !v || !*v;
					for (int w = 0; w < n && !found; w++)
						found = v >= words[w] &&
							v <= words[w] + strlen(words[w]);
					if (!found)
						abort(); /* a value points into the words */
				}
				if (a.noperands > n)
					abort();
			}
			cmd_args_release(&a);
		}
	}
	/* The filter's patterns against the words themselves. */
	struct filter flt;
	filter_init(&flt);
	if (n > 0) {
		flt.app = strdup(words[0]);
		flt.host = strdup(words[n - 1]);
	}
	for (int i = 0; i < n; i++)
		(void)filter_match(&flt, words[i], words[i], words[i], words[i]);
	char desc[256];
	filter_describe(&flt, desc, sizeof(desc));
	if (strlen(desc) >= sizeof(desc))
		abort();
	filter_release(&flt);
	free(argv);
	repl_free_words(words);
	free(line);
	return 0;
}
