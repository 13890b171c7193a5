/* SPDX-License-Identifier: PostgreSQL */
/* The values of time options (--since/--until times and durations), and the
 * options several commands share. */
#ifndef PGTAIL_OPTS_H
#define PGTAIL_OPTS_H

#include <stdbool.h>
#include <stdint.h>

#include "conn/lang.h"

/* True when s is a relative time ("15m") or a bare clock time ("10:30"),
 * which need the newest event's time to resolve. */
bool opts_time_relative(const char *s);

/*
 * Parse a --since/--until value into UTC ms: ISO 8601 ("2026-11-29T10:30:00Z",
 * "2026-11-29 10:30[:00][.mmm]" taken as UTC, an offset such as +02:00
 * allowed), a clock time "HH:MM[:SS]" (on the newest event's day, or the
 * day before when that would be after it), or a duration before the newest
 * event ("90s", "15m", "2h", "1d").  Returns 0, or -1 with *err set.
 */
int opts_parse_time(const char *s, int64_t newest_ms, int64_t *out, const char **err);
/* --lang's value s: the language (conn/lang.h), or -1 after an error on
 * err naming it. */
struct out;
int opts_parse_lang(const char *s, struct out *err);

/*
 * Options several commands share, as initialisers of a struct opt_def
 * (cli/cmd.h): "[O_USER] = OPT_USER()", or with fields of the command's
 * own, "[O_APP] = OPT_APP(.section = "Filters", .help = "...")".  A
 * command adds only fields the macro does not set.
 */
#define OPT_APP(...)                                                                               \
	{                                                                                          \
		.name = "app", .alias = "application", .arg = ARG_APP, .metavar = "PATTERN",       \
		.flags = OPT_BARE, __VA_ARGS__                                                     \
	}
#define OPT_USER(...)                                                                              \
	{                                                                                          \
		.name = "user", .arg = ARG_USER, .metavar = "PATTERN", .flags = OPT_BARE,          \
		.help = "only this user", __VA_ARGS__                                              \
	}
#define OPT_DB(...)                                                                                \
	{                                                                                          \
		.name = "db", .alias = "database", .arg = ARG_DB, .metavar = "PATTERN",            \
		.flags = OPT_BARE, .help = "only this database", __VA_ARGS__                       \
	}
#define OPT_HOST(...)                                                                              \
	{                                                                                          \
		.name = "host", .arg = ARG_HOST, .metavar = "PATTERN", .flags = OPT_BARE,          \
		.help = "only this source host; the unix socket is [local]", __VA_ARGS__           \
	}
/* --max-hosts and --max-apps: the caps of view/metrics.h (which defines
 * the defaults shown). */
#define OPTS_STR_(x) #x
#define OPTS_STR(x) OPTS_STR_(x)
#define OPT_MAX_HOSTS(...)                                                                         \
	{                                                                                          \
		.name = "max-hosts", .arg = ARG_COUNT, .metavar = "N",                             \
		.help = "label the N source hosts with the most open sessions, the\n"              \
			"rest as \"other\"; 0: no client_addr label (default " OPTS_STR(           \
			    METRICS_MAX_HOSTS) ")",                                                \
		__VA_ARGS__                                                                        \
	}
#define OPT_MAX_APPS(...)                                                                          \
	{                                                                                          \
		.name = "max-apps", .arg = ARG_COUNT, .metavar = "N",                              \
		.help = "the same for applications; 0: no application_name label\n"                \
			"(default " OPTS_STR(METRICS_MAX_APPS) ")",                                \
		__VA_ARGS__                                                                        \
	}
#define OPT_LANG(...)                                                                              \
	{                                                                                          \
		.name = "lang", .arg = ARG_CHOICE, .metavar = "L", .choices_fn = lang_choices,     \
		.help = "the language of the server's messages (its lc_messages),\n"               \
			"instead of telling it from the log; besides it, English\n"                \
			"lines are read too",                                                      \
		__VA_ARGS__                                                                        \
	}
#define OPT_IDENT(...)                                                                             \
	{                                                                                          \
		.name = "ident", .arg = ARG_TEXT, .metavar = "NAME",                               \
		.help = "in a syslog or journal log, the server's syslog_ident\n"                  \
			"(default: postgres, postgres-15 and the like)",                           \
		__VA_ARGS__                                                                        \
	}
#define OPT_UNIT(...)                                                                              \
	{                                                                                          \
		.name = "unit", .arg = ARG_TEXT, .metavar = "UNIT",                                \
		.help = "with --journal, the records of this systemd unit only\n"                  \
			"(postgresql@15-main)",                                                    \
		__VA_ARGS__                                                                        \
	}
#define OPT_PREFIX(...)                                                                            \
	{                                                                                          \
		.name = "prefix", .arg = ARG_TEXT, .metavar = "P",                                 \
		.help = "the server's log_line_prefix, when inference guesses wrong", __VA_ARGS__  \
	}

#endif
