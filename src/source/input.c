/* SPDX-License-Identifier: PostgreSQL */
/* Byte streams from plain files, .gz files and stdin. */
#include "source/input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "util/diag.h"
#include "util/xalloc.h"

struct input {
	char *name; /* for messages; owned */
	int fd;     /* plain stream, or -1 */
	gzFile gz;  /* gzip stream, or NULL */
	/* Bytes peeked at open time to tell gzip from plain (stdin only). */
	unsigned char peek[2];
	size_t npeek;
	uint64_t consumed; /* bytes read from fd */
};

static int has_gz_suffix(const char *path)
{
	size_t n = strlen(path);
	return n > 3 && strcmp(path + n - 3, ".gz") == 0;
}

struct input *input_open(const char *path, struct out *diag)
{
	struct input *in = xcalloc(1, sizeof(*in));
	int fd;
	struct stat st;

	if (strcmp(path, "-") == 0) {
		in->name = xstrdup("(stdin)");
		fd = dup(STDIN_FILENO);
	} else {
		in->name = xstrdup(path);
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0) {
		diag_error(diag, "cannot open '%s': %s", in->name, strerror(errno));
		goto fail;
	}
	bool stated = fstat(fd, &st) == 0;
	if (stated && S_ISDIR(st.st_mode)) {
		diag_error(diag, "'%s' is a directory", in->name);
		close(fd);
		goto fail;
	}
	in->fd = fd;
	/* Read once, front to back: the kernel may read further ahead. */
	if (stated && S_ISREG(st.st_mode))
		posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	int gz = has_gz_suffix(path);
	if (!gz && strcmp(path, "-") == 0) {
		/* stdin: look at the magic number. */
		ssize_t n = read(fd, in->peek, 2);
		if (n > 0)
			in->npeek = (size_t)n;
		if (n == 2 && in->peek[0] == 0x1f && in->peek[1] == 0x8b) {
			diag_error(
			    diag,
			    "gzip data on stdin: decompress it first (zcat FILE | pgtail ... -)");
			close(fd);
			goto fail;
		}
	}
	if (gz) {
		in->gz = gzdopen(fd, "rb");
		if (!in->gz) {
			diag_error(diag, "cannot open '%s': not readable as gzip", in->name);
			close(fd);
			goto fail;
		}
		gzbuffer(in->gz, 64 * 1024);
		in->fd = -1;
	}
	return in;
fail:
	free(in->name);
	free(in);
	return NULL;
}

/* zlib's message without the "<fd:3>: " it puts in front for gzdopen(). */
static const char *gz_reason(gzFile gz)
{
	int zerr;
	const char *msg = gzerror(gz, &zerr);
	if (msg[0] == '<') {
		const char *c = strstr(msg, ">: ");
		if (c)
			return c + 3;
	}
	return msg;
}

ssize_t input_read(struct input *in, void *buf, size_t n, struct out *diag)
{
	if (n == 0)
		return 0;
	if (in->npeek) {
		size_t k = in->npeek < n ? in->npeek : n;
		memcpy(buf, in->peek, k);
		memmove(in->peek, in->peek + k, in->npeek - k);
		in->npeek -= k;
		return (ssize_t)k;
	}
	if (in->gz) {
		/* zlib drops what a gzread() call decoded when the call ends in an
		 * error: small reads keep what precedes damaged data. */
		int r = gzread(in->gz, buf, n > (16u << 10) ? (16u << 10) : (unsigned)n);
		if (r < 0) {
			return diag_error(diag, "'%s': corrupt gzip data: %s", in->name,
					  gz_reason(in->gz));
		}
		if (r == 0) {
			/* At the end: a stream cut short says so only here. */
			int zerr;
			gzerror(in->gz, &zerr);
			if (zerr == Z_BUF_ERROR) {
				return diag_error(diag, "'%s': truncated gzip data: %s", in->name,
						  gz_reason(in->gz));
			}
			if (zerr != Z_OK) {
				return diag_error(diag, "'%s': corrupt gzip data: %s", in->name,
						  gz_reason(in->gz));
			}
		}
		return r;
	}
	for (;;) {
		ssize_t r = read(in->fd, buf, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r > 0)
			in->consumed += (uint64_t)r;
		if (r < 0)
			return diag_error(diag, "read error in '%s': %s", in->name,
					  strerror(errno));
		return r;
	}
}

bool input_truncated(const struct input *in)
{
	struct stat st;

	return in->fd >= 0 && fstat(in->fd, &st) == 0 && S_ISREG(st.st_mode) &&
	       (uint64_t)st.st_size < in->consumed;
}

void input_close(struct input *in)
{
	if (!in)
		return;
	if (in->gz)
		gzclose(in->gz);
	else if (in->fd >= 0)
		close(in->fd);
	free(in->name);
	free(in);
}

const char *input_name(const struct input *in)
{
	return in->name;
}
