/* SPDX-License-Identifier: PostgreSQL */
/*
 * The hand-written sections of pgtail(1): what the command table cannot
 * say.  Laid out as man.h describes; the commands and options themselves
 * come from the table.
 */
#include "cli/man.h"

const char man_name_line[] = "who is connected to PostgreSQL, read from the server's own log";

static const char description[] =
    "`pgtail` tells who is connected to a PostgreSQL server, from where, with\n"
    "what, and how that changes, from the server's own log, without ever\n"
    "logging in.  It replays the log's files and keeps a model of the\n"
    "sessions: a session opens at `connection authorized` and closes at\n"
    "`disconnection`, its source host comes from the same process's\n"
    "`connection received`, and every failed attempt is counted with its\n"
    "reason.\n"
    "\n"
    "Given a command, pgtail answers and exits (one-shot mode).  Without\n"
    "arguments it opens the `pgtail>` shell, where `tail` follows a live\n"
    "server's log and every command answers from what has been read so far\n"
    "(see THE SHELL).\n"
    "\n"
    "The server must log connections: `log_connections = on` and\n"
    "`log_disconnections = on`.  When a log looks as if one of them is off,\n"
    "the summary says so, and `pgtail list` shows each local instance's\n"
    "settings with the `ALTER SYSTEM` lines that turn them on.  Server\n"
    "messages are matched in English (`lc_messages = 'C'` or `en_*`).\n";

static const char log_files[] =
    "A {PATH} is a log file, a directory of log files, a glob, a `.gz` file,\n"
    "or `-` for standard input.  Rotated files are replayed oldest first as\n"
    "one stream.  The format of each file is detected: stderr with any\n"
    "`log_line_prefix` (inferred from the lines, or given with `--prefix`),\n"
    "csvlog and jsonlog.  Without a process ID in the prefix, lines are\n"
    "paired by order and by the user, database, host and port the messages\n"
    "carry.\n"
    "\n"
    "With no {PATH} on a terminal, pgtail reads the logs of this machine's\n"
    "PostgreSQL instance (the only one, or the only running one; otherwise\n"
    "name it with `--instance`); with its input piped, standard input.\n"
    "`list` finds the instances: running postmasters, `PGDATA`, the Debian,\n"
    "Red Hat and Homebrew layouts and `~/.pgrx`, and reads each one's\n"
    "settings to find its log files.\n"
    "\n"
    "What pgtail cannot use is said on standard error and the rest is still\n"
    "read: a line that is not a log record (binary data, another format, a\n"
    "csvlog record whose quotes do not balance, a jsonlog line cut short) is\n"
    "reported as {file}:{line}, the first three of a file one by one and the\n"
    "rest as a count, and counted (`skipped` in `--json`); a record longer\n"
    "than 64 MB is skipped; a corrupt `.gz`, a file truncated while it is\n"
    "read, or an unreadable or missing file is named.  Names from the log\n"
    "and file names are shown with control characters and invalid UTF-8\n"
    "escaped (\\x1b), so a log line cannot move the cursor or retitle the\n"
    "terminal.\n";

static const char shell[] =
    "`pgtail` with no arguments opens the `pgtail>` shell: line editing, a\n"
    "command history kept across runs, and Tab completion of commands,\n"
    "options and, after `--app=`, `--user=`, `--db=` and `--host=`, the names\n"
    "seen in the followed log.\n"
    "\n"
    "`tail` {N} (a number from `list`) or `tail` {PATH} replays the log, so\n"
    "that pgtail knows who is connected now, then follows it through\n"
    "rotation and restarts, showing its lines until Ctrl+C returns to the\n"
    "prompt; the model keeps following in the background.  `connections`\n"
    "then answers for the followed log (following live, the clock is now);\n"
    "`connections --watch` prints each connect, disconnect and failed\n"
    "attempt as it happens; `connections clear` restarts the counters;\n"
    "`stop` stops following; `quit` or Ctrl+D leaves.  Messages that come\n"
    "while the prompt waits are written above it.\n";

static const char leak_rule[] =
    "`connections --history` flags an application as a potential leak when,\n"
    "over the window:\n"
    "\n"
    "1. it has at least 3 more sessions open at the end than at the start;\n"
    "2. that growth is at least a third of the sessions it opened in the\n"
    "   window (its opens far exceed its closes);\n"
    "3. the sessions it opened in the window and still has open at the end\n"
    "   were opened in at least 3 separate steps, each a second or more\n"
    "   after the one before (a pool that opens its connections at once is\n"
    "   not a leak, and short sessions that came and went beside it, such as\n"
    "   health checks, are not steps);\n"
    "4. it is still within 10 % of the most it had open in the window (it did\n"
    "   not fall back);\n"
    "5. the window covers at least a minute of log (in the first seconds a\n"
    "   pool filling up and a leak look the same).\n"
    "\n"
    "An application with thousands of short sessions matched by closes\n"
    "fails rule 2; a steady pool fails rule 1; a pool that grows and shrinks\n"
    "fails rule 4.  The rows where a flagged application grew are marked\n"
    "\"potential leak\", and the flagged application is shown with its\n"
    "evidence: opened, closed, still open, its oldest open session, and\n"
    "where its sessions come from.\n"
    "\n"
    "An application whose median session is under a second and that\n"
    "connects 30 or more times a minute on average over the window, or 300\n"
    "or more times in its busiest minute (`peak/min`), is marked as one a\n"
    "connection pooler would help.\n";

static const char counts[] =
    "The open count is exact once the replay has seen a server start: every\n"
    "session open at the end was opened in the files read.  When the files\n"
    "begin after the server started (the oldest were rotated away, or only\n"
    "the newest file was given), sessions opened before the first line are\n"
    "not seen until they end.  The count is then a lower bound: the summary\n"
    "says \"at least\" and when the log begins, and `--json` has\n"
    "`\"complete\": false`.  A disconnection of a session that began before the\n"
    "log is counted as such, never subtracted from another session.\n"
    "\n"
    "A crash, an immediate shutdown, a stop or a restart ends every session,\n"
    "without a line for any of them.  An attempt that is authorized and then\n"
    "refused (the database or role does not exist, a connection limit,\n"
    "reserved slots) is a failed attempt, not a session: PostgreSQL never\n"
    "logs a disconnection for it.  Lines of different backends can be a few\n"
    "milliseconds out of order in the file; events are put back in timestamp\n"
    "order before they are counted.\n"
    "\n"
    "Failed attempts are classified as `password_authentication_failed`,\n"
    "`authentication_failed`, `pg_hba_reject`, `database_does_not_exist`,\n"
    "`role_does_not_exist`, `role_connection_limit`,\n"
    "`database_connection_limit`, `reserved_connection_slots`,\n"
    "`max_connections`, `server_not_accepting` and `other`.\n";

static const char exit_status[] =
    "* 0\n"
    "Success (also when a log holds no connection events: that is an\n"
    "answer).  `connections --watch` exits 0 on SIGINT or SIGTERM, and at\n"
    "the end of standard input.\n"
    "\n"
    "* 1\n"
    "A runtime error: nothing usable could be read.  Unreadable lines and\n"
    "files are reported on standard error, and whatever could be read is\n"
    "still used.\n"
    "\n"
    "* 2\n"
    "A usage error: an unknown command or option, a bad value, or an option\n"
    "of the other front end.\n";

static const char environment[] =
    "* NO_COLOR\n"
    "When set to anything but the empty string, no colour.  Without it,\n"
    "colour is used only on a terminal.\n"
    "\n"
    "* LC_ALL, LC_CTYPE, LANG\n"
    "The first of them that is set decides whether the terminal takes\n"
    "UTF-8: with a UTF-8 locale the history's sparkline and markers use\n"
    "Unicode symbols, otherwise ASCII.  Names from the log are read as UTF-8\n"
    "whatever the locale.\n"
    "\n"
    "* COLUMNS\n"
    "The width prose is fitted to when the output is not a terminal\n"
    "(default 80).\n"
    "\n"
    "* PGDATA\n"
    "A data directory `list` looks at, besides the running servers and the\n"
    "usual layouts.\n"
    "\n"
    "* XDG_STATE_HOME\n"
    "Where the shell keeps its command history:\n"
    "{$XDG_STATE_HOME}/pgtail/history, by default\n"
    "~/.local/state/pgtail/history.\n"
    "\n"
    "* HOME\n"
    "Finds the history when `XDG_STATE_HOME` is unset, and `~/.pgrx`.\n"
    "\n"
    "* PGTAIL_COMPLETE_MS\n"
    "How long, in milliseconds, shell completion reads the end of the log for\n"
    "the names it offers (default 300; the newest part is always read).\n"
    "Raise it where the log sits on a slow disk or network file system.\n"
    "\n"
    "* PGTAIL_FOLLOW\n"
    "`poll` makes a follower stat the log every tenth of a second\n"
    "instead of waiting for inotify events; pgtail does this by itself on\n"
    "network and FUSE file systems, where inotify misses writes.\n";

static const char files[] =
    "* /var/log/postgresql/postgresql-{VERSION}-{CLUSTER}.log\n"
    "The log of a Debian cluster without the logging collector.\n"
    "\n"
    "* {DATADIR}/log/, {DATADIR}/current_logfiles\n"
    "The log directory of a server with the logging collector, and the file\n"
    "naming its current files.\n"
    "\n"
    "* /etc/postgresql/{VERSION}/{CLUSTER}/postgresql.conf\n"
    "A Debian cluster's settings, which `list` reads to find its logs.\n"
    "\n"
    "* {DATADIR}/postgresql.conf, {DATADIR}/postgresql.auto.conf\n"
    "The settings of other instances, and what `ALTER SYSTEM` set.\n"
    "\n"
    "* ~/.local/state/pgtail/history\n"
    "The shell's command history (see `XDG_STATE_HOME`).\n";

static const char examples[] =
    "Who is connected now, by database, user, application and host:\n"
    "\n"
    "    $ pgtail connections /var/log/postgresql/\n"
    "    Active connections: 39   as of 2026-11-29 00:45:42 UTC\n"
    "\n"
    "    By database:\n"
    "      production    33\n"
    "      analytics      4\n"
    "    ...\n"
    "    By application:\n"
    "      myapp             31\n"
    "      rails              1\n"
    "      sidekiq            1\n"
    "\n"
    "How the open count moved, to find a connection leak:\n"
    "\n"
    "    $ pgtail connections --history --bucket=1m postgresql.log\n"
    "    time           open  change   conn   disc  fail\n"
    "    00:42             1      +1     11     10     0\n"
    "    00:43            13     +12    798    786     0  <- potential leak\n"
    "    ...\n"
    "    Potential leaks (opens far exceed closes, growth sustained):\n"
    "      myapp: opened 38, closed 7, 31 still open\n"
    "\n"
    "Watch one application connect and disconnect, live:\n"
    "\n"
    "    $ pgtail connections --watch app=myapp\n"
    "    Watching connections for application: myapp\n"
    "    [+] 10:23:45 myapp connected from 10.0.1.5 (user: app, db: shop)\n"
    "    [-] 10:23:47 myapp disconnected (duration: 2.3s)\n"
    "\n"
    "Narrow every figure with filters, and choose the window:\n"
    "\n"
    "    $ pgtail connections --user=app_user db=production --since=15m\n"
    "    $ pgtail connections --sessions app='rail*' /var/log/postgresql/\n"
    "    $ tail -F postgresql.log | pgtail connections --watch --json -\n"
    "\n"
    "The same from the shell, following this machine's server:\n"
    "\n"
    "    $ pgtail\n"
    "    pgtail> list\n"
    "    pgtail> tail 1\n"
    "    pgtail> connections --history\n";

static const char see_also[] =
    "`psql`(1), `pg_activity`(1), `pgbadger`(1), `pg_lsclusters`(1); in the\n"
    "PostgreSQL documentation, the settings `log_connections`,\n"
    "`log_disconnections` and `log_line_prefix`, and the view\n"
    "`pg_stat_activity`.\n";

const struct man_section man_sections[] = {
    {"DESCRIPTION", false, description},
    {"LOG FILES", true, log_files},
    {"THE SHELL", true, shell},
    {"THE LEAK RULE", true, leak_rule},
    {"EXACT COUNTS AND LOWER BOUNDS", true, counts},
    {"EXIT STATUS", true, exit_status},
    {"ENVIRONMENT", true, environment},
    {"FILES", true, files},
    {"EXAMPLES", true, examples},
    {"SEE ALSO", true, see_also},
    {NULL, false, NULL},
};
