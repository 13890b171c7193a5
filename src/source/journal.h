/* SPDX-License-Identifier: PostgreSQL */
/*
 * journal: which bytes of which files a followed log delivered, in order,
 * so that a replay reads exactly what the live model read -- however many
 * rotations, restarts and changes of log_destination the follower went
 * through.  The shell answers its filtered, --history, --since and cleared
 * views by replaying the journal into a fresh model: the same bytes, the
 * same answer as the live model and as 'pgtail connections' on them.
 *
 * A segment is a run of bytes of one file; consecutive chunks of one file
 * extend it.  A file is known by its device and inode too: when its name
 * now points elsewhere (rename-and-recreate rotation), the replay looks in
 * the file's directory for the same inode.  Bytes that are gone (the file
 * was removed, or truncated by copytruncate) cannot be read again: the
 * replay counts them in journal_replay's result, and the views say so.
 *
 * Memory: one segment per file followed (plus one per truncation), never
 * per line.
 */
#ifndef PGTAIL_JOURNAL_H
#define PGTAIL_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "logfmt/logfmt.h"
#include "source/reader.h"

struct journal_seg {
	char *path;        /* the name it was read by; owned */
	dev_t dev;         /* the file's identity when the segment began; */
	ino_t ino;         /* 0/0 when it could not be known */
	bool whole;        /* a whole file read at the start (a rotated, maybe .gz,
			      file): read again whole by name */
	bool starts_file;  /* the parser starts over here (a new or truncated file) */
	bool dest_change;  /* a file of another destination than the one before */
	bool merged;       /* read before following began, from files of several
			      destinations: the leading run of merged segments is
			      read again merged in time order (source/merge.h) */
	bool side;         /* bytes of the stderr file read beside another
			      destination's file, for the csvlog/jsonlog records
			      the collector writes there (pg_entry.guest); only
			      those are replayed.  starts_file and dest_change of
			      side and other segments look at their own kind */
	uint64_t from, to; /* bytes [from, to) of the file, when !whole */
};

struct journal {
	struct journal_seg *v; /* in delivery order; owned */
	size_t n, cap;
};

void journal_init(struct journal *j);
void journal_release(struct journal *j);

/* A whole file was read (the replay before following). */
void journal_add_whole(struct journal *j, const char *path);
/* Bytes [off, off + len) of path were delivered; new_file as in
 * struct follow_chunk.  Extends the last segment when they continue it. */
void journal_add(struct journal *j, const char *path, uint64_t off, size_t len, bool new_file);
/* The same for bytes of the side stderr file (see journal_seg.side). */
void journal_add_side(struct journal *j, const char *path, uint64_t off, size_t len, bool new_file);
/* Mark every segment so far as merged (see journal_seg.merged). */
void journal_mark_merged(struct journal *j);
/* The destination a file name says (by its suffix; stderr otherwise). */
enum log_format journal_dest_of(const char *path);

/* What a replay of the journal could not read again. */
struct journal_loss {
	uint64_t bytes; /* bytes gone: removed or truncated files */
	size_t segs;    /* segments with bytes gone */
	uint64_t twins; /* not a loss: records two destinations both held,
			   delivered once (merged segments) */
};

/*
 * Read every segment again, in order, through parsers made with ro, handing
 * each record to fn (a new parser where a segment starts a file, and a call
 * of dest_change (may be NULL) before a file of another destination); the
 * leading merged segments are read merged in time order.  Bytes
 * that are gone are counted in *loss (may be NULL) and reported once on
 * ro->err.  Returns 0, or -1 when nothing at all could be read.
 */
int journal_replay(const struct journal *j, const struct reader_opts *ro, reader_entry_fn fn,
		   void *ctx, struct reader_stats *st, struct journal_loss *loss,
		   void (*dest_change)(void *ctx), void *dest_ctx);

#endif
