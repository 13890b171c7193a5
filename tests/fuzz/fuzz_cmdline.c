/* SPDX-License-Identifier: PostgreSQL */
/*
 * libFuzzer target for what parses a typed command: the shell's word
 * splitter, the options of 'connections', the --since/--until times and
 * the filter patterns.  The input is one line as typed at the prompt.
 * Checks that the splitter's words hold no NUL and their count is right,
 * that the options parser succeeds, shows help or refuses with a usage error,
 * and that every word parses as a time or is refused with a reason.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/conn_query.h"
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

	/* The words as the arguments of 'connections'. */
	struct cmd_ctx ctx = {.out = &sink, .err = &sink};
	char **argv = calloc((size_t)n + 2, sizeof(*argv));
	argv[0] = "connections";
	for (int i = 0; i < n; i++)
		argv[i + 1] = words[i];
	struct conn_query q;
	int rc = conn_query_parse(&ctx, n + 1, argv, &q);
	if (rc != 0 && rc != CMD_USAGE && rc != -1) /* -1: --help was shown */
		abort();
	if (rc == 0) {
		/* The filter's patterns against the words themselves. */
		for (int i = 0; i < n; i++)
			(void)filter_match(&q.filter, words[i], words[i], words[i], words[i]);
		char desc[256];
		filter_describe(&q.filter, desc, sizeof(desc));
		if (strlen(desc) >= sizeof(desc))
			abort();
	}
	conn_query_release(&q);
	free(argv);
	repl_free_words(words);
	free(line);
	return 0;
}
