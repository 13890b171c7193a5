/* SPDX-License-Identifier: PostgreSQL */
/*
 * man: the pgtail(1) manual page, written as man(7) source for groff.  The
 * commands and their options come from the command table, so the page
 * lists exactly what the help and the completion know; the rest of the
 * page (what pgtail is, the leak rule, exit statuses, environment, files,
 * examples) is kept as data in man_text.c.  The build runs 'pgtail __man'
 * to make the page, so it needs nothing but pgtail itself.
 */
#ifndef PGTAIL_MAN_H
#define PGTAIL_MAN_H

#include <stdbool.h>

#include "util/out.h"

/*
 * A hand-written section of the page.  Its text is plain text laid out as
 * the help texts are, with a little more:
 *
 *   - paragraphs are separated by blank lines; the lines of a paragraph are
 *     joined (filled) by the formatter;
 *   - a paragraph whose lines all start with four spaces is shown as it is
 *     (an example);
 *   - "N. " at the start of a line (after up to two spaces) starts a
 *     numbered item, "- " a bulleted one; the lines after it that start
 *     with a space continue it;
 *   - "* TAG" on a line of its own starts a tagged paragraph (an
 *     environment variable, a file): the lines up to the next blank line
 *     describe TAG;
 *   - `text` is set in bold (commands, options, settings as typed), {text}
 *     in italics (what the reader puts in: PATH, N).
 *
 * Text is ASCII; the writer escapes what roff would take as requests or
 * escapes (a leading dot, backslashes, hyphens).
 */
struct man_section {
	const char *title;   /* "EXIT STATUS"; NULL ends the list */
	bool after_commands; /* comes after the COMMANDS section */
	const char *text;
};

/* The hand-written sections, in the page's order (man_text.c). */
extern const struct man_section man_sections[];
/* The NAME line's description: "who is connected to ...". */
extern const char man_name_line[];

/*
 * Write the whole page to o.  date is the page's date (YYYY-MM-DD) or NULL
 * for none.  Never fails; o's write errors are o's to report.
 */
void man_write(struct out *o, const char *date);

#endif
