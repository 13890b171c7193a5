/* SPDX-License-Identifier: PostgreSQL */
/*
 * libFuzzer target: the whole pipeline from bytes to model.  The input is
 * written to a temporary file and replayed like a log given on the command
 * line: format detection, prefix inference, parsing, classification,
 * reordering and the tracker (the fast paths on from the first message),
 * then the summary is built and rendered.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "conn/classify.h"
#include "conn/tracker.h"
#include "source/reader.h"
#include "view/summary.h"

static void on_entry(void *ctx, const struct pg_entry *e)
{
	struct conn_event ev;
	if (classify_maybe(e->sev, e->message.p, e->message.len) &&
	    classify_entry(e, &ev) != EV_NONE)
		tracker_feed(ctx, &ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/pgtail-fuzz-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);

	struct out sink;
	sink.fp = fopen("/dev/null", "w");
	sink.color = false;
	struct tracker t;
	tracker_init(&t);
	struct reader_opts ro = {
		.format = LOGFMT_AUTO, .err = &sink, .max_reports = 3,
		.interest = classify_maybe, .fast_after = 1};
	struct reader_stats st = {0};
	reader_run(path, &ro, on_entry, &t, &st);
	tracker_finish(&t);
	struct summary s;
	summary_build(&s, &t);
	summary_print_text(&s, &sink);
	summary_print_json(&s, NULL, &sink);
	summary_release(&s);
	tracker_release(&t);
	fclose(sink.fp);
	unlink(path);
	return 0;
}
