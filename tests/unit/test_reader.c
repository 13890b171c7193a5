/* SPDX-License-Identifier: PostgreSQL */
/* Unit tests for the reader: files, gzip, and what it does with bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "source/reader.h"
#include "util/cpucache.h"

struct seen {
	int messages;
	int64_t last_pid;
};

static void on_entry(void *ctx, const struct pg_entry *e)
{
	struct seen *s = ctx;
	s->messages++;
	s->last_pid = e->pid;
}

static char tmpdir[] = "/tmp/pgtail-reader-XXXXXX";
static struct out err;

static int setup(void **state)
{
	assert_non_null(mkdtemp(tmpdir));
	err.fp = fopen("/dev/null", "w");
	err.color = false;
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	fclose(err.fp);
	return system(cmd);
}

static const char *write_file(const char *name, const char *data, size_t len)
{
	static char path[256];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	return path;
}

static int run(const char *path, struct seen *seen, struct reader_stats *st)
{
	struct reader_opts ro = {.format = LOGFMT_AUTO, .err = &err, .max_reports = 3};
	memset(seen, 0, sizeof(*seen));
	memset(st, 0, sizeof(*st));
	return reader_run(path, &ro, on_entry, seen, st);
}

#define L1 "2026-11-29 00:41:52.444 UTC [11764] LOG:  connection received: host=[local]\n"
#define L2 "2026-11-29 00:41:52.445 UTC [11765] LOG:  connection authorized: user=a database=b\n"

static void test_garbage_lines_counted(void **state)
{
	struct seen seen;
	struct reader_stats st;
	const char *data = L1 "this is not a log line\n" L2 "\x01\x02\xff garbage\n" L1;
	const char *p = write_file("garbage.log", data, strlen(data));
	assert_int_equal(run(p, &seen, &st), 0);
	assert_int_equal(seen.messages, 3);
	assert_int_equal(st.skipped, 2);
	assert_int_equal(st.lines, 5);
}

static void test_last_line_without_newline(void **state)
{
	struct seen seen;
	struct reader_stats st;
	char data[512];
	snprintf(data, sizeof(data), "%s%.*s", L1, (int)strlen(L2) - 1, L2);
	const char *p = write_file("nonl.log", data, strlen(data));
	assert_int_equal(run(p, &seen, &st), 0);
	assert_int_equal(seen.messages, 2);
	assert_int_equal(seen.last_pid, 11765);
	assert_int_equal(st.skipped, 0);
	assert_int_equal(st.lines, 2);
}

static void test_nul_bytes(void **state)
{
	struct seen seen;
	struct reader_stats st;
	char data[512];
	size_t n = (size_t)snprintf(data, sizeof(data), "%s%s", L1, L2);
	data[40] = '\0'; /* inside the first line's message */
	const char *p = write_file("nul.log", data, n);
	assert_int_equal(run(p, &seen, &st), 0);
	assert_int_equal(seen.messages + (int)st.skipped, 2);
	assert_int_equal(seen.last_pid, 11765);
}

static void test_csv_unterminated_quote(void **state)
{
	struct seen seen;
	struct reader_stats st;
	const char *data =
	    "2026-11-29 01:20:10.186 UTC,,,25669,\"[local]\",6b0b7dca.6445,1,\"\",2026-11-29 "
	    "01:20:10 UTC,,0,LOG,00000,\"connection received: host=[local]\",,,,,,,,,\"\","
	    "\"not initialized\",,0\n"
	    "2026-11-29 01:20:10.187 UTC,,,25670,\"[local]\",6b0b7dca.6446,1,\"\",2026-11-29 "
	    "01:20:10 UTC,,0,LOG,00000,\"connection rec";
	const char *p = write_file("cut.csv", data, strlen(data));
	assert_int_equal(run(p, &seen, &st), 0);
	assert_int_equal(seen.messages, 1);
	assert_int_equal(st.skipped, 1);
}

static void test_gzip(void **state)
{
	struct seen seen;
	struct reader_stats st;
	char path[256];
	snprintf(path, sizeof(path), "%s/a.log.gz", tmpdir);
	gzFile gz = gzopen(path, "wb");
	for (int i = 0; i < 1000; i++)
		gzputs(gz, L1);
	gzclose(gz);
	assert_int_equal(run(path, &seen, &st), 0);
	assert_int_equal(seen.messages, 1000);

	/* Corrupt it half-way: what came before still counts, the error is reported. */
	FILE *f = fopen(path, "r+b");
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, size / 2, SEEK_SET);
	for (int i = 0; i < 16; i++)
		fputc(0x55, f);
	fclose(f);
	int rc = run(path, &seen, &st);
	assert_int_equal(rc, -1);
	assert_int_equal(st.failed_files, 1);
	assert_true(seen.messages < 1000);
}

/* Run path with messages to err captured in *msgs (freed by the caller). */
static int run_captured(const char *path, struct seen *seen, struct reader_stats *st,
			reader_entry_fn fn, char **msgs)
{
	size_t len;
	FILE *saved = err.fp;
	err.fp = open_memstream(msgs, &len);
	struct reader_opts ro = {.format = LOGFMT_AUTO, .err = &err, .max_reports = 3};
	memset(st, 0, sizeof(*st));
	int rc = reader_run(path, &ro, fn, seen, st);
	fclose(err.fp);
	err.fp = saved;
	return rc;
}

/* A gzip file cut short says so, and what precedes the cut counts. */
static void test_gzip_truncated(void **state)
{
	struct seen seen = {0};
	struct reader_stats st;
	char path[256], *msgs = NULL;
	snprintf(path, sizeof(path), "%s/cut.log.gz", tmpdir);
	gzFile gz = gzopen(path, "wb");
	for (int i = 0; i < 20000; i++)
		gzputs(gz, i % 2 ? L2 : L1);
	gzclose(gz);
	FILE *f = fopen(path, "r+b");
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fclose(f);
	assert_int_equal(truncate(path, size / 2), 0);
	assert_int_equal(run_captured(path, &seen, &st, on_entry, &msgs), -1);
	assert_non_null(strstr(msgs, "cut.log.gz': truncated gzip data"));
	assert_true(seen.messages > 1000 && seen.messages < 20000);
	assert_int_equal(st.failed_files, 1);
	free(msgs);
}

static const char *truncate_path;

/* On the first record: cut the file being read to nothing. */
static void on_entry_truncate(void *ctx, const struct pg_entry *e)
{
	struct seen *s = ctx;
	if (s->messages++ == 0)
		assert_int_equal(truncate(truncate_path, 0), 0);
	s->last_pid = e->pid;
}

/* A file truncated while read: what was read counts, and it is reported. */
static void test_truncated_while_read(void **state)
{
	struct seen seen = {0};
	struct reader_stats st;
	size_t per = strlen(L1) + strlen(L2), pairs = (3u << 20) / per;
	char *data = malloc(pairs * per + 1), *msgs = NULL;
	for (size_t i = 0; i < pairs; i++)
		sprintf(data + i * per, "%s%s", L1, L2);
	truncate_path = write_file("shrinks.log", data, pairs * per);
	free(data);
	assert_int_equal(run_captured(truncate_path, &seen, &st, on_entry_truncate, &msgs), 0);
	assert_non_null(strstr(msgs, "shrinks.log' was truncated while being read"));
	assert_true(seen.messages > 0 && (size_t)seen.messages < 2 * pairs);
	free(msgs);
}

static void test_missing_and_directory(void **state)
{
	struct seen seen;
	struct reader_stats st;
	char path[256];
	snprintf(path, sizeof(path), "%s/none.log", tmpdir);
	assert_int_equal(run(path, &seen, &st), -1);
	assert_int_equal(st.failed_files, 1);
	assert_int_equal(run(tmpdir, &seen, &st), -1);
	assert_int_equal(st.failed_files, 1);
}

/* A line longer than the record cap is skipped; the lines after it are read. */
static void test_huge_line(void **state)
{
	struct seen seen;
	struct reader_stats st;
	size_t big = READER_MAX_RECORD + (2u << 20);
	char *data = malloc(big + 512);
	size_t n = (size_t)sprintf(data, "%s", L1);
	memset(data + n, 'x', big);
	n += big;
	data[n++] = '\n';
	n += (size_t)sprintf(data + n, "%s", L2);
	const char *p = write_file("huge.log", data, n);
	free(data);
	assert_int_equal(run(p, &seen, &st), 0);
	assert_int_equal(seen.messages, 2);
	assert_int_equal(seen.last_pid, 11765);
	assert_int_equal(st.skipped, 1);
}

static bool only_connections(enum pg_sev sev, const char *msg, size_t len)
{
	return sev == SEV_FATAL || (len >= 10 && memcmp(msg, "connection", 10) == 0);
}

struct ts_seen {
	int connections;
	int64_t newest;
};

static void on_entry_ts(void *ctx, const struct pg_entry *e)
{
	struct ts_seen *s = ctx;
	if (e->message.len >= 10 && memcmp(e->message.p, "connection", 10) == 0)
		s->connections++;
	if (e->ts_ms > s->newest)
		s->newest = e->ts_ms;
}

/* The fast path skips lines the interest test rejects, but counts them, and
 * still sees every line that matters and the file's last timestamp. */
static void test_fast_path(void **state)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/fast.log", tmpdir);
	FILE *f = fopen(path, "w");
	int n = 0;
	for (int i = 0; i < 20000; i++) {
		fprintf(f,
			"2026-11-29 00:%02d:%02d.%03d UTC [%d] LOG:  duration: 0.1 ms  "
			"statement: select %d\n",
			(i / 60) % 60, i % 60, i % 1000, 100 + i % 7, i);
		if (i % 97 == 0) {
			fprintf(f,
				"2026-11-29 00:%02d:%02d.%03d UTC [%d] LOG:  connection received: "
				"host=[local]\n\tcontinued\n",
				(i / 60) % 60, i % 60, i % 1000, 500 + i);
			n++;
		}
	}
	fprintf(f, "2026-11-29 05:00:00.000 UTC [9] LOG:  checkpoint complete\n");
	fclose(f);
	struct reader_opts ro = {
	    .format = LOGFMT_AUTO, .err = &err, .max_reports = 3, .interest = only_connections};
	struct reader_stats st = {0};
	struct ts_seen seen = {0, 0};
	assert_int_equal(reader_run(path, &ro, on_entry_ts, &seen, &st), 0);
	assert_int_equal(seen.connections, n);
	assert_int_equal(st.messages, 20000 + n + 1);
	assert_int_equal(st.skipped, 0);
	assert_int_equal(st.lines, 20000 + 2 * n + 1);
	/* The last line is never skipped: it carries the newest timestamp. */
	assert_int_equal(seen.newest % 86400000, 5 * 3600000);
}

/* The same fast path on jsonlog lines, escapes and cut lines included. */
static void test_fast_path_json(void **state)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/fast.json", tmpdir);
	FILE *f = fopen(path, "w");
	int n = 0;
	for (int i = 0; i < 12000; i++) {
		/* Escapes late in a statement (skipped) and early (parsed). */
		fprintf(f,
			"{\"timestamp\":\"2026-11-29 00:%02d:%02d.%03d UTC\",\"pid\":%d,"
			"\"error_severity\":\"LOG\",\"message\":\"%sduration: 0.1 ms  statement: "
			"select * from \\\"x\\\"\"}\n",
			(i / 60) % 60, i % 60, i % 1000, 100 + i % 7, i % 3 ? "" : "\\t");
		if (i % 101 == 0) {
			/* An escape right at the start: the parser must decide. */
			fprintf(f,
				"{\"timestamp\":\"2026-11-29 00:%02d:%02d.000 UTC\",\"pid\":%d,"
				"\"error_severity\":\"LOG\",\"message\":\"connection received: "
				"host=[local]\"}\n",
				(i / 60) % 60, i % 60, 500 + i);
			n++;
		}
	}
	/* A statement line cut in half is still reported, not skipped. */
	fprintf(f, "{\"timestamp\":\"2026-11-29 04:00:00.000 UTC\",\"pid\":1,"
		   "\"error_severity\":\"LOG\",\"message\":\"duration: 1 ms\n");
	fprintf(f, "{\"timestamp\":\"2026-11-29 05:00:00.000 UTC\",\"pid\":9,"
		   "\"error_severity\":\"LOG\",\"message\":\"checkpoint complete\"}\n");
	fclose(f);
	struct reader_opts ro = {
	    .format = LOGFMT_AUTO, .err = &err, .max_reports = 3, .interest = only_connections};
	struct reader_stats st = {0};
	struct ts_seen seen = {0, 0};
	assert_int_equal(reader_run(path, &ro, on_entry_ts, &seen, &st), 0);
	assert_int_equal(seen.connections, n);
	assert_int_equal(st.skipped, 1);
	assert_int_equal(st.messages, 12000 + n + 1);
	assert_int_equal(seen.newest % 86400000, 5 * 3600000);
}

/* And on csvlog records, which may span lines. */
static void test_fast_path_csv(void **state)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/fast.csv", tmpdir);
	FILE *f = fopen(path, "w");
	int n = 0;
	for (int i = 0; i < 9000; i++) {
		fprintf(
		    f,
		    "2026-11-29 00:%02d:%02d.%03d UTC,\"u\",\"d\",%d,\"[local]\",a.b,1,"
		    "\"SELECT\",2026-11-29 00:00:00 UTC,3/1,0,LOG,00000,\"duration: 0.1 ms  "
		    "statement: select 1,\n  \"\"x\"\"\",,,,,,,,,\"app\",\"client backend\",,0\n",
		    (i / 60) % 60, i % 60, i % 1000, 100 + i % 7);
		if (i % 89 == 0) {
			fprintf(f,
				"2026-11-29 00:%02d:%02d.000 UTC,,,%d,\"[local]\",a.c,1,\"\","
				"2026-11-29 00:00:00 UTC,,0,LOG,00000,\"connection received: "
				"host=[local]\",,,,,,,,,\"\",\"not initialized\",,0\n",
				(i / 60) % 60, i % 60, 500 + i);
			n++;
		}
	}
	fprintf(f, "2026-11-29 05:00:00.000 UTC,,,9,,a.d,1,,2026-11-29 00:00:00 UTC,,0,LOG,00000,"
		   "\"checkpoint complete\",,,,,,,,,\"\",\"checkpointer\",,0\n");
	fclose(f);
	struct reader_opts ro = {
	    .format = LOGFMT_AUTO, .err = &err, .max_reports = 3, .interest = only_connections};
	struct reader_stats st = {0};
	struct ts_seen seen = {0, 0};
	assert_int_equal(reader_run(path, &ro, on_entry_ts, &seen, &st), 0);
	assert_int_equal(seen.connections, n);
	assert_int_equal(st.skipped, 0);
	assert_int_equal(st.messages, 9000 + n + 1);
	assert_int_equal(st.lines, 2 * 9000 + n + 1);
	assert_int_equal(seen.newest % 86400000, 5 * 3600000);
}

/* The read() buffer: a quarter of the L2 cache, within its bounds. */
static void test_chunk_size(void **state)
{
	assert_int_equal(reader_chunk_for_l2(0), READER_CHUNK_DEFAULT);
	assert_int_equal(reader_chunk_for_l2(128u << 10), READER_CHUNK_MIN);
	assert_int_equal(reader_chunk_for_l2(256u << 10), READER_CHUNK_MIN);
	assert_int_equal(reader_chunk_for_l2(512u << 10), 128u << 10);
	assert_int_equal(reader_chunk_for_l2(1u << 20), 256u << 10);
	assert_int_equal(reader_chunk_for_l2(2u << 20), 512u << 10);
	assert_int_equal(reader_chunk_for_l2(4u << 20), READER_CHUNK_MAX);
	assert_int_equal(reader_chunk_for_l2(32u << 20), READER_CHUNK_MAX);
	/* Whatever this machine says, the buffer stays within the bounds. */
	size_t n = reader_chunk_for_l2(cpucache_l2_bytes());
	assert_true(n >= READER_CHUNK_MIN && n <= READER_CHUNK_MAX);
}

static void write_attr(const char *dir, int index, const char *name, const char *value)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/index%d", dir, index);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/index%d/%s", dir, index, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%s\n", value);
	fclose(f);
}

/* Sizes as Linux writes them under /sys/devices/system/cpu/cpu0/cache. */
static void test_cache_sysfs(void **state)
{
	assert_int_equal(cpucache_parse_size("512K\n"), 512u << 10);
	assert_int_equal(cpucache_parse_size("1M"), 1u << 20);
	assert_int_equal(cpucache_parse_size("32768"), 32768);
	assert_int_equal(cpucache_parse_size(""), 0);
	assert_int_equal(cpucache_parse_size("K"), 0);
	assert_int_equal(cpucache_parse_size("12Q"), 0);

	char dir[256];
	snprintf(dir, sizeof(dir), "%s/cache", tmpdir);
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(cpucache_l2_from_sysfs(dir), 0);
	write_attr(dir, 0, "level", "1");
	write_attr(dir, 0, "type", "Data");
	write_attr(dir, 0, "size", "48K");
	write_attr(dir, 1, "level", "2");
	write_attr(dir, 1, "type", "Instruction"); /* not the one */
	write_attr(dir, 1, "size", "64K");
	assert_int_equal(cpucache_l2_from_sysfs(dir), 0);
	write_attr(dir, 2, "level", "2");
	write_attr(dir, 2, "type", "Unified");
	write_attr(dir, 2, "size", "512K");
	write_attr(dir, 3, "level", "3");
	write_attr(dir, 3, "type", "Unified");
	write_attr(dir, 3, "size", "32768K");
	assert_int_equal(cpucache_l2_from_sysfs(dir), 512u << 10);
	assert_int_equal(cpucache_l2_from_sysfs("/nonexistent"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_garbage_lines_counted),
	    cmocka_unit_test(test_last_line_without_newline),
	    cmocka_unit_test(test_nul_bytes),
	    cmocka_unit_test(test_csv_unterminated_quote),
	    cmocka_unit_test(test_gzip),
	    cmocka_unit_test(test_gzip_truncated),
	    cmocka_unit_test(test_truncated_while_read),
	    cmocka_unit_test(test_missing_and_directory),
	    cmocka_unit_test(test_huge_line),
	    cmocka_unit_test(test_fast_path),
	    cmocka_unit_test(test_fast_path_json),
	    cmocka_unit_test(test_fast_path_csv),
	    cmocka_unit_test(test_chunk_size),
	    cmocka_unit_test(test_cache_sysfs),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
