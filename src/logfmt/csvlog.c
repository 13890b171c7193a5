/* SPDX-License-Identifier: PostgreSQL */
/*
 * csvlog: read one PostgreSQL csvlog record (a CSV row that may span several
 * physical lines through quoted newlines) and map its columns to a pg_entry.
 * The column layout (23 columns for 9.6-12, 24 for 13, 26 for 14+) is decided
 * per record from the number of fields.  Also the format's fast path, which
 * frames a record without unescaping it.
 */
#include "logfmt/formats.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logfmt/csvscan.h"
#include "logfmt/ts.h"
#include "util/sbuf.h"
#include "util/xalloc.h"

/* The unescaped text of one record may not pass this; longer ones are BAD. */
#define CSV_RECORD_MAX ((size_t)64 * 1024 * 1024)

/* Fields kept per record.  Later fields are counted but not stored: no
 * PostgreSQL version has more than 26 and we read none past backend_type. */
#define CSV_MAX_FIELDS 32

/* Fewer fields than this cannot be a csvlog record (message is column 14). */
#define CSV_MIN_FIELDS 14

/* Column numbers, 0-based, common to every layout since 9.6. */
enum csv_col {
	COL_LOG_TIME = 0,
	COL_USER = 1,
	COL_DATABASE = 2,
	COL_PID = 3,
	COL_CONNECTION_FROM = 4,
	COL_SESSION_ID = 5,
	COL_SEVERITY = 11,
	COL_SQLSTATE = 12,
	COL_MESSAGE = 13,
	COL_APPLICATION = 22,  /* present from 23 columns (9.0+) */
	COL_BACKEND_TYPE = 23, /* present from 24 columns (13+) */
};

struct csv_field {
	size_t off; /* start of the unescaped text in csv_parser.text */
	size_t len; /* its length */
};

struct csv_parser {
	/* Unescaped fields of the current record, back to back.  Reset at each
	 * call; the allocation is kept, so a warmed-up parser does not allocate.
	 * Capped at CSV_RECORD_MAX.  Entry slices point here. */
	struct sbuf text;
	/* Where each field's text lies; the first min(nfields, CSV_MAX_FIELDS)
	 * entries are valid. */
	struct csv_field fields[CSV_MAX_FIELDS];
	size_t nfields; /* fields seen in the record, stored or not */
	bool overflow;  /* text hit CSV_RECORD_MAX during this record */
};

/* Outcome of scanning one record. */
enum scan_result {
	SCAN_DONE,         /* a whole record was read; *used set */
	SCAN_NEED_MORE,    /* the buffer ends inside the record and more may come */
	SCAN_UNTERMINATED, /* at end of file inside a quoted field */
};

struct csv_parser *csv_parser_new(void)
{
	struct csv_parser *cp = xcalloc(1, sizeof(*cp));

	sbuf_init(&cp->text, CSV_RECORD_MAX);
	return cp;
}

void csv_parser_free(struct csv_parser *cp)
{
	if (!cp)
		return;
	sbuf_release(&cp->text);
	free(cp);
}

/* Append p[0..n) to the current field's text, noting an overflow. */
static void text_add(struct csv_parser *cp, const char *p, size_t n)
{
	if (cp->overflow || n == 0)
		return;
	if (sbuf_add(&cp->text, p, n) < 0)
		cp->overflow = true;
}

/* Start a new field at the current end of the text. */
static void field_begin(struct csv_parser *cp)
{
	if (cp->nfields < CSV_MAX_FIELDS)
		cp->fields[cp->nfields].off = cp->text.len;
}

/* Close the current field. */
static void field_end(struct csv_parser *cp)
{
	if (cp->nfields < CSV_MAX_FIELDS) {
		struct csv_field *f = &cp->fields[cp->nfields];
		f->len = cp->overflow ? 0 : cp->text.len - f->off;
	}
	cp->nfields++;
}

/*
 * Index of the first ',' or '\n' in p[i..n), or n if none.  The hot loop of
 * the unquoted fields.
 */
static size_t find_sep(const char *p, size_t i, size_t n)
{
	while (i < n && p[i] != ',' && p[i] != '\n')
		i++;
	return i;
}

/*
 * Scan one CSV record at buf[0..len), unescaping its fields into cp->text
 * and cp->fields.  The grammar is RFC 4180 read leniently: a field that
 * starts with '"' is quoted ("" is one quote; commas and newlines inside are
 * data); text after a closing quote, and quotes inside an unquoted field, are
 * kept as data.  The record ends at a '\n' outside quotes (a '\r' before it
 * is dropped) or, when at_eof, at the end of the buffer.
 * Returns SCAN_DONE with *used = the record's bytes including its newline,
 * SCAN_NEED_MORE when the record is incomplete and !at_eof, or
 * SCAN_UNTERMINATED (*used = len) at end of file inside quotes.
 */
static enum scan_result scan_record(struct csv_parser *cp, const char *buf, size_t len, bool at_eof,
				    size_t *used)
{
	size_t i = 0;

	for (;;) {
		field_begin(cp);
		if (i < len && buf[i] == '"') {
			/* Quoted part: up to a '"' not followed by another. */
			i++;
			for (;;) {
				const char *q = memchr(buf + i, '"', len - i);
				if (!q) {
					text_add(cp, buf + i, len - i);
					if (!at_eof)
						return SCAN_NEED_MORE;
					*used = len;
					return SCAN_UNTERMINATED;
				}
				size_t qi = (size_t)(q - buf);
				text_add(cp, buf + i, qi - i);
				if (qi + 1 == len && !at_eof)
					return SCAN_NEED_MORE; /* "" split by the buffer end? */
				if (qi + 1 < len && buf[qi + 1] == '"') {
					text_add(cp, "\"", 1);
					i = qi + 2;
					continue;
				}
				i = qi + 1;
				break;
			}
		}
		/* Unquoted field, or what follows a closing quote. */
		size_t j = find_sep(buf, i, len);
		if (j == len && !at_eof)
			return SCAN_NEED_MORE;
		size_t k = j;
		if (j < len && buf[j] == '\n' && k > i && buf[k - 1] == '\r')
			k--;
		text_add(cp, buf + i, k - i);
		field_end(cp);
		if (j == len) {
			*used = len;
			return SCAN_DONE;
		}
		if (buf[j] == '\n') {
			*used = j + 1;
			return SCAN_DONE;
		}
		i = j + 1; /* past the ',' */
	}
}

/* Field n of the current record as a slice into cp->text; absent if the
 * record has fewer fields or the field is empty. */
static struct slice field(const struct csv_parser *cp, size_t n)
{
	if (n >= cp->nfields || n >= CSV_MAX_FIELDS || cp->fields[n].len == 0)
		return SLICE_NULL;
	return slice_make(cp->text.buf + cp->fields[n].off, cp->fields[n].len);
}

/* Decimal digits at s → value; PID_UNKNOWN if s is empty, not all digits or
 * too large. */
static int64_t parse_pid(struct slice s)
{
	int64_t v = 0;

	if (s.len == 0 || s.len > 18)
		return PID_UNKNOWN;
	for (size_t i = 0; i < s.len; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return PID_UNKNOWN;
		v = v * 10 + (s.p[i] - '0');
	}
	return v;
}

void csvlog_split_connection(struct slice c, struct slice *host, struct slice *port)
{
	*host = c;
	*port = SLICE_NULL;
	if (c.len == 0)
		return;
	size_t colon = c.len;
	while (colon > 0 && c.p[colon - 1] != ':')
		colon--;
	if (colon == 0 || colon == c.len || colon == 1)
		return; /* no colon, nothing after it, or nothing before it */
	for (size_t i = colon; i < c.len; i++)
		if (c.p[i] < '0' || c.p[i] > '9')
			return;
	*host = slice_make(c.p, colon - 1);
	*port = slice_make(c.p + colon, c.len - colon);
}

/* Fill e from the fields of the record just scanned. */
static void map_record(const struct csv_parser *cp, struct pg_entry *e)
{
	struct slice s;
	int64_t ms;
	size_t n;

	pg_entry_clear(e);
	e->kind = ENTRY_MESSAGE;
	s = field(cp, COL_LOG_TIME);
	if (s.len && ts_parse(s.p, s.len, &ms, &n, NULL) == 0)
		e->ts_ms = ms;
	e->user = field(cp, COL_USER);
	e->database = field(cp, COL_DATABASE);
	e->pid = parse_pid(field(cp, COL_PID));
	csvlog_split_connection(field(cp, COL_CONNECTION_FROM), &e->host, &e->port);
	e->session_id = field(cp, COL_SESSION_ID);
	e->sev_word = field(cp, COL_SEVERITY);
	if (e->sev_word.len)
		e->sev = pg_sev_from_word(e->sev_word.p, e->sev_word.len);
	e->sqlstate = field(cp, COL_SQLSTATE);
	e->message = field(cp, COL_MESSAGE);
	e->application = field(cp, COL_APPLICATION);
	e->backend_type = field(cp, COL_BACKEND_TYPE);
}

/* Does a csvlog record start at p[0..n): a timestamp and a comma? */
static bool record_start(const char *p, size_t n)
{
	int64_t ms;
	size_t used;
	return ts_parse(p, n, &ms, &used, NULL) == 0 && used < n && p[used] == ',';
}

/* Is n a number of fields PostgreSQL writes (23, 24 or 26)? */
static bool field_count_ok(size_t n)
{
	return n == 23 || n == 24 || n == 26;
}

/*
 * A record whose quotes do not balance (a field cut short, a stray quote)
 * runs on into the records after it.  PostgreSQL starts every record on a
 * new line with its timestamp, and writes 23, 24 or 26 fields; a record
 * scanned to any other count that holds a newline followed by a timestamp
 * is broken there.  Returns the bytes up to and including that newline,
 * or 0 when the record is not broken that way.
 */
static size_t broken_at(const char *buf, size_t used)
{
	const char *p = buf, *end = buf + used;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl || nl + 1 >= end)
			return 0;
		if (record_start(nl + 1, (size_t)(end - nl - 1)))
			return (size_t)(nl + 1 - buf);
		p = nl + 1;
	}
	return 0;
}

/*
 * Parse one csvlog record from the front of buf[0..len); the contract of
 * logfmt_next().  Returns:
 *   LOGFMT_OK        *e holds the record, *used its bytes (newline included).
 *                    A blank line comes back as ENTRY_OTHER.  At end of file
 *                    with len == 0: ENTRY_OTHER with *used = 0.
 *   LOGFMT_NEED_MORE the record is not complete and !at_eof.
 *   LOGFMT_BAD       *used bytes to skip: a record of fewer than 14 fields
 *                    ("not a csvlog record"), an open quote at end of file
 *                    (all of buf), or a record longer than CSV_RECORD_MAX
 *                    (up to its end, or all of buf if its end is not there).
 * *e's slices point into cp and stay valid until the next call.
 */
enum logfmt_status csv_parser_next(struct csv_parser *cp, const char *buf, size_t len, bool at_eof,
				   struct pg_entry *e, size_t *used, const char **why)
{
	const char *dummy;

	if (!why)
		why = &dummy;
	*why = NULL;
	*used = 0;
	pg_entry_clear(e);
	sbuf_reset(&cp->text);
	cp->nfields = 0;
	cp->overflow = false;

	if (len == 0) {
		if (!at_eof)
			return LOGFMT_NEED_MORE;
		e->kind = ENTRY_OTHER;
		return LOGFMT_OK;
	}

	enum scan_result r = scan_record(cp, buf, len, at_eof, used);
	if (r == SCAN_NEED_MORE) {
		if (!cp->overflow)
			return LOGFMT_NEED_MORE;
		/* Not waiting for more than the cap: skip what we have. */
		*used = len;
		*why = "csvlog record too long";
		return LOGFMT_BAD;
	}
	if (r == SCAN_UNTERMINATED || (!cp->overflow && !field_count_ok(cp->nfields))) {
		size_t cut = broken_at(buf, *used);
		if (cut) {
			*used = cut;
			*why = "unbalanced quotes in csvlog record, skipped to the next record";
			return LOGFMT_BAD;
		}
	}
	if (r == SCAN_UNTERMINATED) {
		*why = "unterminated quoted field at end of file";
		return LOGFMT_BAD;
	}
	if (cp->overflow) {
		*why = "csvlog record too long";
		return LOGFMT_BAD;
	}
	if (cp->nfields == 1 && cp->fields[0].len == 0 && buf[0] != '"') {
		e->kind = ENTRY_OTHER; /* a blank line */
		return LOGFMT_OK;
	}
	if (cp->nfields < CSV_MIN_FIELDS) {
		*why = "not a csvlog record";
		return LOGFMT_BAD;
	}
	map_record(cp, e);
	return LOGFMT_OK;
}

/* The number of bits set in x: the popcnt instruction (hw), or SWAR. */
static inline __attribute__((always_inline)) unsigned bits_set(uint64_t x, bool hw)
{
	if (hw)
		return (unsigned)__builtin_popcountll(x);
	x = x - ((x >> 1) & UINT64_C(0x5555555555555555));
	x = (x & UINT64_C(0x3333333333333333)) + ((x >> 2) & UINT64_C(0x3333333333333333));
	x = (x + (x >> 4)) & UINT64_C(0x0f0f0f0f0f0f0f0f);
	return (unsigned)((x * UINT64_C(0x0101010101010101)) >> 56);
}

/* Bit i of the result: an odd number of bits set in x[0..i]. */
static inline uint64_t prefix_xor(uint64_t x)
{
	x ^= x << 1;
	x ^= x << 2;
	x ^= x << 4;
	x ^= x << 8;
	x ^= x << 16;
	x ^= x << 32;
	return x;
}

/* Where the record's separators the fast path needs lie: the commas
 * outside quotes numbered 11 to 14 (the severity's and the message's
 * bounds). */
struct csv_cuts {
	size_t commas; /* commas outside quotes seen so far */
	size_t at[4];  /* positions of commas 11..14 (1-based count) */
};

/* Note the commas outside quotes of a block (mask oc, based at base). */
static inline __attribute__((always_inline)) void note_commas(struct csv_cuts *c, uint64_t oc,
							      size_t base, bool hw)
{
	unsigned n = bits_set(oc, hw);
	if (c->commas + n < 11 || c->commas >= 14) {
		c->commas += n;
		return;
	}
	for (; oc; oc &= oc - 1) {
		c->commas++;
		if (c->commas >= 11 && c->commas <= 14)
			c->at[c->commas - 11] = base + (size_t)__builtin_ctzll(oc);
	}
}

typedef void (*block_fn)(const char *p, size_t n, struct csvscan_masks *m);
typedef uint64_t (*xor_fn)(uint64_t x);

/*
 * The fast path (see logfmt_fast_skip_fn).  A record may span lines
 * (newlines inside quotes), so it is read quote-aware to its end, 64 bytes
 * at a time, from csvscan's bit masks of quotes, commas and newlines: the
 * parity of the quotes before a byte tells whether it lies inside a quoted
 * field.  That reading is the parser's when every quote is of the plain
 * shape PostgreSQL writes: one that opens (odd parity) follows a comma, the
 * record's start or another quote (the second of a doubled one), and one
 * that closes (even parity) comes right before a comma, a newline or
 * another quote.  The record ends at its first newline outside quotes; its
 * fields lie between the commas outside quotes.  It lets a record go when
 * it is whole, of that shape, has a number of fields PostgreSQL writes (any
 * other may be quotes gone wrong, which the parser reports), an unquoted
 * known severity and a message interest rejects.  Anything else goes to
 * the parser.
 *
 * Compiled once per way of scanning a block (block; pxor and hw for the
 * bit instructions that come with it): see fast_skip.
 */
static inline __attribute__((always_inline)) bool skip_with(const char *p, size_t len,
							    logfmt_interest_fn interest,
							    struct logfmt_skip *sk, block_fn block,
							    xor_fn pxor, bool hw)
{
	struct csv_cuts cuts = {0};
	uint64_t inside = 0;    /* all ones when the block starts inside quotes */
	uint64_t opened_ok = 1; /* bit 0: a quote at the block's start may open */
	uint64_t close_due = 0; /* 1: the last block ended on a closing quote */
	uint64_t lines = 0;

	for (size_t base = 0; base < len; base += 64) {
		size_t n = len - base < 64 ? len - base : 64;
		struct csvscan_masks m;
		block(p + base, n, &m);
		uint64_t in = pxor(m.quote) ^ inside;
		uint64_t end = m.nl & ~in;
		uint64_t upto = end ? (UINT64_C(2) << __builtin_ctzll(end)) - 1 : ~UINT64_C(0);
		uint64_t open = m.quote & in, close = m.quote & ~in;
		/* A quote that closes must be followed by a comma, a newline
		 * or a quote; one that opens must follow a comma, the start or
		 * a quote that closes.  A block's last and first bytes are
		 * checked across the seam. */
		uint64_t bad =
		    (close_due & ~(m.comma | m.nl | open)) |
		    (open & upto & ~((m.comma | close) << 1 | opened_ok)) |
		    (close & upto & ~((m.comma | m.nl | open) >> 1) & ~(UINT64_C(1) << 63));
		if (bad)
			return false;
		note_commas(&cuts, m.comma & ~in & upto, base, hw);
		if (!end) {
			if (n < 64)
				return false; /* the record's end is not here yet */
			lines += bits_set(m.nl, hw);
			inside = (uint64_t)0 - (in >> 63);
			opened_ok = (m.comma | close) >> 63;
			close_due = close >> 63;
			continue;
		}
		size_t e = base + (size_t)__builtin_ctzll(end);
		if (!field_count_ok(cuts.commas + 1))
			return false;
		const char *sev = p + cuts.at[0] + 1;
		size_t sev_len = cuts.at[1] - cuts.at[0] - 1;
		if (sev_len && *sev == '"')
			return false;
		enum pg_sev s = pg_sev_from_word(sev, sev_len);
		if (s == SEV_UNKNOWN)
			return false;
		const char *msg = p + cuts.at[2] + 1;
		size_t msg_len = cuts.at[3] - cuts.at[2] - 1;
		if (msg_len >= 2 && *msg == '"') {
			msg++;
			msg_len -= 2;
		}
		/* The first words are enough, and carry no doubled quote in
		 * practice; one early in the message sends the record to the
		 * parser. */
		size_t k = msg_len < 64 ? msg_len : 64;
		const char *dq = memchr(msg, '"', k);
		if (dq)
			k = (size_t)(dq - msg);
		if (k < msg_len && k < 40)
			return false;
		if (interest(s, msg, k))
			return false;
		sk->used = e + 1;
		sk->lines = lines + bits_set(m.nl & upto, hw);
		sk->message = true;
		return true;
	}
	return false;
}

static bool skip_bytewise(const char *p, size_t len, logfmt_interest_fn interest,
			  struct logfmt_skip *sk)
{
	return skip_with(p, len, interest, sk, csvscan_block_bytewise, prefix_xor, false);
}

#ifdef CSVSCAN_X86
static bool skip_sse2(const char *p, size_t len, logfmt_interest_fn interest,
		      struct logfmt_skip *sk)
{
	return skip_with(p, len, interest, sk, csvscan_block_sse2, prefix_xor, false);
}

CSVSCAN_TARGET_AVX2 static bool skip_avx2(const char *p, size_t len, logfmt_interest_fn interest,
					  struct logfmt_skip *sk)
{
	return skip_with(p, len, interest, sk, csvscan_block_avx2, csvscan_prefix_xor_clmul, true);
}

CSVSCAN_TARGET_AVX512 static bool skip_avx512(const char *p, size_t len,
					      logfmt_interest_fn interest, struct logfmt_skip *sk)
{
	return skip_with(p, len, interest, sk, csvscan_block_avx512, csvscan_prefix_xor_clmul,
			 true);
}
#endif

/* The fast path, scanning the fastest way the CPU has (csvscan_best). */
static bool fast_skip(const char *p, size_t len, logfmt_interest_fn interest,
		      struct logfmt_skip *sk)
{
	switch (csvscan_best()) {
#ifdef CSVSCAN_X86
	case CSVSCAN_AVX512:
		return skip_avx512(p, len, interest, sk);
	case CSVSCAN_AVX2:
		return skip_avx2(p, len, interest, sk);
	case CSVSCAN_SSE2:
		return skip_sse2(p, len, interest, sk);
#endif
	default:
		return skip_bytewise(p, len, interest, sk);
	}
}

static bool sniff(const char *line, size_t n)
{
	return record_start(line, n);
}

static void *ops_new(const char *prefix, const char **err)
{
	return csv_parser_new();
}

static void ops_free(void *parser)
{
	csv_parser_free(parser);
}

static enum logfmt_status ops_next(void *parser, const char *buf, size_t len, bool at_eof,
				   struct pg_entry *e, size_t *used, const char **why)
{
	return csv_parser_next(parser, buf, len, at_eof, e, used, why);
}

static const char *const aliases[] = {"csv", NULL};

const struct logfmt_ops csvlog_ops = {
    .id = LOGFMT_CSV,
    .name = "csvlog",
    .aliases = aliases,
    .suffix = ".csv",
    .suffix_decides = true,
    .sniff = sniff,
    .new = ops_new,
    .free = ops_free,
    .infer = NULL,
    .next = ops_next,
    .fast_skip = fast_skip,
};
