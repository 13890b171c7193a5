/* SPDX-License-Identifier: PostgreSQL */
/*
 * follow-cat: print every byte the follower delivers, for tests/follow.
 * Bytes go to stdout unchanged; the follower's notes and errors
 * ("pgtail: ..."), and a line per new file, go to stderr.  Runs until
 * SIGINT/SIGTERM (exit 0) or a fatal follow error (exit 1).
 *
 *   follow-cat [--dir | --data-dir D | --pattern] [--dest D] [--from N]
 *              [--backend auto|inotify|poll] [--ready FILE] [--latency FILE] TARGET
 *   follow-cat --stamp FILE
 *
 * --ready FILE is created once the follower is set up (so a test knows
 * when appending starts to count).  --latency FILE gets, for each
 * delivered line "T<nanoseconds since the epoch>", the microseconds
 * between that time and its delivery.  --stamp appends such a line to FILE
 * with one write(2), the write side of the latency measurement.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "source/follow.h"
#include "util/fdio.h"
#include "util/out.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Scanning delivered bytes for "T<digits>\n" lines. */
struct cat {
	FILE *latency;   /* NULL: not measuring */
	bool line_start; /* the next byte starts a line */
	bool in_stamp;   /* inside a "T<digits>" line */
	int64_t stamp;   /* its digits so far */
};

static void on_chunk(void *ctx, const struct follow_chunk *c)
{
	struct cat *cat = ctx;
	if (c->new_file)
		fprintf(stderr, "follow-cat: new file '%s' at %" PRIu64 "\n", c->path, c->offset);
	if (fdio_write_all(1, c->data, c->len) < 0) {
		perror("follow-cat: write");
		exit(1);
	}
	if (!cat->latency)
		return;
	for (size_t i = 0; i < c->len; i++) {
		char ch = c->data[i];
		if (cat->line_start) {
			cat->in_stamp = ch == 'T';
			cat->stamp = 0;
		} else if (cat->in_stamp && ch >= '0' && ch <= '9') {
			cat->stamp = cat->stamp * 10 + (ch - '0');
		} else if (cat->in_stamp && ch == '\n') {
			fprintf(cat->latency, "%" PRId64 "\n", (now_ns() - cat->stamp) / 1000);
			fflush(cat->latency);
		} else {
			cat->in_stamp = false;
		}
		cat->line_start = ch == '\n';
	}
}

static int stamp(const char *path)
{
	char line[64];
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	int n = snprintf(line, sizeof(line), "T%" PRId64 "\n", now_ns());
	int rc = fdio_write_all(fd, line, (size_t)n) < 0;
	close(fd);
	return rc;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: follow-cat [--dir | --data-dir D | --pattern] [--dest D] [--from N]\n"
		"                  [--backend B] [--ready FILE] [--latency FILE] TARGET\n"
		"       follow-cat --stamp FILE\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct out diag;
	out_init(&diag, stderr);
	struct follow_opts o = {.diag = &diag};
	struct cat cat = {.line_start = true};
	const char *ready = NULL;
	bool dir = false, pattern = false;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--dir") == 0) {
			dir = true;
			continue;
		}
		if (strcmp(a, "--pattern") == 0) {
			pattern = true;
			continue;
		}
		if (!v)
			usage();
		i++;
		if (strcmp(a, "--stamp") == 0)
			return stamp(v);
		else if (strcmp(a, "--data-dir") == 0)
			o.data_dir = v;
		else if (strcmp(a, "--from") == 0) {
			o.start = FOLLOW_START_OFFSET;
			o.offset = strtoull(v, NULL, 10);
		} else if (strcmp(a, "--dest") == 0)
			o.dest = log_format_from_name(v);
		else if (strcmp(a, "--backend") == 0)
			o.backend = strcmp(v, "poll") == 0      ? FOLLOW_BACKEND_POLL
				    : strcmp(v, "inotify") == 0 ? FOLLOW_BACKEND_INOTIFY
								: FOLLOW_BACKEND_AUTO;
		else if (strcmp(a, "--ready") == 0)
			ready = v;
		else if (strcmp(a, "--latency") == 0) {
			cat.latency = fopen(v, "w");
			if (!cat.latency) {
				perror(v);
				return 1;
			}
		} else
			usage();
	}
	if (i < argc) {
		if (dir)
			o.log_dir = argv[i];
		else if (pattern)
			o.pattern = argv[i];
		else
			o.file = argv[i];
	} else if (!o.data_dir) {
		usage();
	}

	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	struct follower *f = follower_new(&o);
	if (!f)
		return 1;
	fprintf(stderr, "follow-cat: backend %s\n", follower_backend_name(f));
	if (ready) {
		int fd = open(ready, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd >= 0)
			close(fd);
	}
	int rc = 0;
	while (!stop) {
		struct pollfd pfd = {.fd = follower_fd(f), .events = POLLIN};
		poll(&pfd, pfd.fd >= 0 ? 1 : 0, follower_timeout_ms(f));
		if (follower_poll(f, on_chunk, &cat) < 0) {
			rc = 1;
			break;
		}
	}
	follower_free(f);
	if (cat.latency)
		fclose(cat.latency);
	return rc;
}
