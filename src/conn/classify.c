/* SPDX-License-Identifier: PostgreSQL */
/*
 * classify: map one log record to a conn_event by matching the English
 * message texts (and, through conn/lang, their translations in every
 * catalog) that PostgreSQL 9.6-18 writes about connections (the
 * per-session lines, the failures and terminations) and about the server's
 * life (start, crash, shutdown).  Pure and allocation-free: every slice of
 * the event points into the entry, and every read is bounded by a slice
 * length (message bytes are never NUL-terminated).
 */
#include "conn/classify.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "conn/lang.h"
#include "util/diag.h"

/* A string literal as the pair (pointer, length) the matchers take. */
#define L(s) (s), (sizeof(s) - 1)

/* "Not found" for find()/rfind(). */
#define NPOS SIZE_MAX

/* The matchers below check lengths before every read. */
static bool has_prefix(struct slice m, const char *s, size_t n)
{
	return m.len >= n && memcmp(m.p, s, n) == 0;
}

static bool has_suffix(struct slice m, const char *s, size_t n)
{
	return m.len >= n && memcmp(m.p + (m.len - n), s, n) == 0;
}

static bool is_exactly(struct slice m, const char *s, size_t n)
{
	return m.len == n && memcmp(m.p, s, n) == 0;
}

/* Offset of the first s[0..n) in m at or after from; NPOS if none (n > 0). */
static size_t find(struct slice m, size_t from, const char *s, size_t n)
{
	return slice_find(m, from, s, n);
}

/* Offset of the last s[0..n) in m that starts at or after from; NPOS if none. */
static size_t rfind(struct slice m, size_t from, const char *s, size_t n)
{
	if (m.len < n || m.len - n < from)
		return NPOS;
	for (size_t i = m.len - n + 1; i-- > from;) {
		if (m.p[i] == s[0] && memcmp(m.p + i, s, n) == 0)
			return i;
	}
	return NPOS;
}

/* m[a..b); the caller guarantees a <= b <= m.len. */
static struct slice sub(struct slice m, size_t a, size_t b)
{
	return slice_make(m.p + a, b - a);
}

/* m without its first n bytes; the caller guarantees n <= m.len. */
static struct slice skip(struct slice m, size_t n)
{
	return slice_make(m.p + n, m.len - n);
}

/* Parse exactly `width` digits at m[*at..] (width 0: 1 to 9 digits) into *v. */
static bool digits(struct slice m, size_t *at, size_t width, int64_t *v)
{
	size_t i = *at, max = width ? width : 9;
	int64_t x = 0;

	while (i < m.len && i - *at < max && m.p[i] >= '0' && m.p[i] <= '9')
		x = x * 10 + (m.p[i++] - '0');
	if (i == *at || (width && i - *at != width))
		return false;
	*at = i;
	*v = x;
	return true;
}

static bool expect_char(struct slice m, size_t *at, char c)
{
	if (*at >= m.len || m.p[*at] != c)
		return false;
	(*at)++;
	return true;
}

/* "connection received: host=H[ port=P]"; rest starts after "connection received: ". */
static bool parse_received(struct slice rest, struct conn_event *ev)
{
	size_t port;

	if (!has_prefix(rest, L("host=")))
		return false;
	port = rfind(rest, 5, L(" port="));
	if (port == NPOS) {
		ev->host = skip(rest, 5);
	} else {
		ev->host = sub(rest, 5, port);
		ev->port = skip(rest, port + 6);
		if (ev->port.len == 0)
			return false;
	}
	return ev->host.len > 0;
}

/*
 * 'identity="I" method=M (file:line)' (14+) or 'user="U" method=trust (file:line)'
 * (17+).  The identity is the external name, not the role, so only the second
 * form gives a user.
 */
static bool parse_authenticated(struct slice rest, struct conn_event *ev)
{
	size_t m;

	if (has_prefix(rest, L("identity=\"")))
		return rfind(rest, 10, L("\" method=")) != NPOS;
	if (!has_prefix(rest, L("user=\"")))
		return false;
	m = rfind(rest, 6, L("\" method="));
	if (m == NPOS)
		return false;
	ev->user = sub(rest, 6, m);
	return true;
}

/*
 * "user=U database=D[ application_name=A][ SSL enabled (...)][ GSS (...)]", or
 * for a walsender (repl) "user=U[ application_name=A][ SSL ...][ GSS ...]".
 * The application name may hold spaces, so it runs to the encryption suffix.
 * The real SSL part precedes the real GSS part and both follow the name, so the
 * last SSL marker, else the last GSS marker, starts the suffix.
 */
static bool parse_authorized(struct slice rest, bool repl, struct conn_event *ev)
{
	size_t end, a, d;
	struct slice body;

	if (!has_prefix(rest, L("user=")))
		return false;
	end = rfind(rest, 5, L(" SSL enabled (protocol="));
	if (end == NPOS)
		end = rfind(rest, 5, L(" GSS (authenticated="));
	if (end == NPOS)
		end = rest.len;
	body = sub(rest, 0, end);

	if (repl) {
		a = find(body, 5, L(" application_name="));
		ev->user = sub(body, 5, a == NPOS ? body.len : a);
	} else {
		d = find(body, 5, L(" database="));
		if (d == NPOS)
			return false;
		ev->user = sub(body, 5, d);
		a = find(body, d + 10, L(" application_name="));
		ev->database = sub(body, d + 10, a == NPOS ? body.len : a);
	}
	if (a != NPOS)
		ev->application = skip(body, a + 18);
	ev->replication = repl;
	return ev->user.len > 0;
}

/*
 * "session time: H:MM:SS.mmm user=U database=D host=H[ port=P]"; rest starts
 * after "disconnection: session time: ".  Hours are unpadded and unbounded.
 */
static bool parse_disconnection(struct slice rest, struct conn_event *ev)
{
	size_t at = 0, d, h, p;
	int64_t hh, mm, ss, ms;
	struct slice t;

	if (!digits(rest, &at, 0, &hh) || !expect_char(rest, &at, ':') ||
	    !digits(rest, &at, 2, &mm) || !expect_char(rest, &at, ':') ||
	    !digits(rest, &at, 2, &ss) || !expect_char(rest, &at, '.') ||
	    !digits(rest, &at, 3, &ms) || mm > 59 || ss > 59)
		return false;
	t = skip(rest, at);
	if (!has_prefix(t, L(" user=")))
		return false;
	d = find(t, 6, L(" database="));
	if (d == NPOS)
		return false;
	h = find(t, d + 10, L(" host="));
	if (h == NPOS)
		return false;
	p = rfind(t, h + 6, L(" port="));
	ev->user = sub(t, 6, d);
	ev->database = sub(t, d + 10, h);
	ev->host = sub(t, h + 6, p == NPOS ? t.len : p);
	if (p != NPOS)
		ev->port = skip(t, p + 6);
	ev->session_ms = ((hh * 60 + mm) * 60 + ss) * 1000 + ms;
	return true;
}

/* "connection authorized: user=U database=D ..." */
static bool parse_authorized_session(struct slice rest, struct conn_event *ev)
{
	return parse_authorized(rest, false, ev);
}

/* "replication connection authorized: user=U ..." */
static bool parse_authorized_repl(struct slice rest, struct conn_event *ev)
{
	return parse_authorized(rest, true, ev);
}

/* After "<name> (PID ": "N) was terminated by signal ... / exited with exit
 * code N / was terminated by exception 0x... / exited with unrecognized
 * status N". */
static bool parse_backend_died(struct slice rest, struct conn_event *ev)
{
	size_t at = 0;
	int64_t pid;
	struct slice t;

	if (!digits(rest, &at, 0, &pid) || !expect_char(rest, &at, ')') ||
	    !expect_char(rest, &at, ' '))
		return false;
	t = skip(rest, at);
	if (!has_prefix(t, L("was terminated by signal ")) &&
	    !has_prefix(t, L("exited with exit code ")) &&
	    !has_prefix(t, L("was terminated by exception ")) &&
	    !has_prefix(t, L("exited with unrecognized status ")))
		return false;
	ev->other_pid = pid;
	return true;
}

/* A LOG message the classifier knows. */
struct log_form {
	const char *text;
	size_t len;
	bool prefix; /* text starts the message; otherwise it is the whole message */
	enum ev_kind kind;
	enum fail_reason reason; /* for EV_FAILED; FAIL_NONE otherwise */
	/* Reads what follows text (prefix forms); false when it does not fit.
	 * NULL: the text says it all. */
	bool (*rest)(struct slice rest, struct conn_event *ev);
};

/*
 * Every LOG message the classifier knows (also read at a severity the parser
 * could not read, e.g. a translated word).  No message starts with two of
 * them; the first that matches decides.  classify_maybe's index is derived
 * from this table (see by_start), so a text added here is found there.
 */
static bool parse_setting(struct slice rest, struct conn_event *ev);

static const struct log_form log_forms[] = {
    /* A reload that changes log_connections or log_disconnections. */
    {L("parameter \""), true, EV_SETTING, FAIL_NONE, parse_setting},
    {L("connection received: "), true, EV_RECEIVED, FAIL_NONE, parse_received},
    {L("connection authenticated: "), true, EV_AUTHENTICATED, FAIL_NONE, parse_authenticated},
    {L("connection authorized: "), true, EV_AUTHORIZED, FAIL_NONE, parse_authorized_session},
    {L("replication connection authorized: "), true, EV_AUTHORIZED, FAIL_NONE,
     parse_authorized_repl},
    {L("connection ready: setup total="), true, EV_READY, FAIL_NONE, NULL},
    {L("disconnection: session time: "), true, EV_DISCONNECTED, FAIL_NONE, parse_disconnection},
    /* Startup-packet trouble is logged at LOG (COMMERROR) and ends the attempt. */
    {L("incomplete startup packet"), false, EV_FAILED, FAIL_OTHER, NULL},
    {L("invalid length of startup packet"), false, EV_FAILED, FAIL_OTHER, NULL},
    /* 12+ has "starting"; every version's startup process then logs one of
     * the "database system was ..." lines, which is how 9.6-11 show a start.
     * One start may therefore yield more than one EV_SERVER_START. */
    {L("starting PostgreSQL "), true, EV_SERVER_START, FAIL_NONE, NULL},
    {L("database system was shut down at "), true, EV_SERVER_START, FAIL_NONE, NULL},
    {L("database system was shut down in recovery at "), true, EV_SERVER_START, FAIL_NONE, NULL},
    {L("database system was interrupted; last known up at "), true, EV_SERVER_START, FAIL_NONE,
     NULL},
    {L("database system was interrupted while in recovery at "), true, EV_SERVER_START, FAIL_NONE,
     NULL},
    {L("database system shutdown was interrupted; last known up at "), true, EV_SERVER_START,
     FAIL_NONE, NULL},
    {L("database system is ready to accept connections"), false, EV_SERVER_READY, FAIL_NONE, NULL},
    {L("database system is ready to accept read only connections"), false, EV_SERVER_READY,
     FAIL_NONE, NULL},
    {L("database system is ready to accept read-only connections"), false, EV_SERVER_READY,
     FAIL_NONE, NULL},
    {L("terminating any other active server processes"), false, EV_SERVER_CRASH, FAIL_NONE, NULL},
    {L("all server processes terminated; reinitializing"), false, EV_SERVER_CRASH, FAIL_NONE, NULL},
    {L("received immediate shutdown request"), false, EV_SERVER_CRASH, FAIL_NONE, NULL},
    {L("shutting down because restart_after_crash is off"), false, EV_SERVER_CRASH, FAIL_NONE,
     NULL},
    {L("shutting down because \"restart_after_crash\" is off"), false, EV_SERVER_CRASH, FAIL_NONE,
     NULL},
    {L("database system is shut down"), false, EV_SERVER_STOPPED, FAIL_NONE, NULL},
    {L("received smart shutdown request"), false, EV_SHUTDOWN_REQUEST, FAIL_NONE, NULL},
    {L("received fast shutdown request"), false, EV_SHUTDOWN_REQUEST, FAIL_NONE, NULL},
    /* The process names under which a session's process can die: "server
     * process" in 9.6-17, the backend type in 18.  Other processes
     * (background workers, the startup process) hold no session. */
    {L("server process (PID "), true, EV_BACKEND_DIED, FAIL_NONE, parse_backend_died},
    {L("client backend (PID "), true, EV_BACKEND_DIED, FAIL_NONE, parse_backend_died},
    {L("walsender (PID "), true, EV_BACKEND_DIED, FAIL_NONE, parse_backend_died},
};

#define N_LOG_FORMS (sizeof(log_forms) / sizeof(log_forms[0]))
_Static_assert(N_LOG_FORMS < 256, "by_start holds form numbers in a byte");

/*
 * The bucket of a message by its first two bytes, for the hot path: most
 * messages (statements, durations, checkpoints) share them with no form,
 * so their bucket is empty or holds forms that fail at the first bytes.
 */
static unsigned bucket_of(unsigned char a, unsigned char b)
{
	return (a * 31u + b) & 255u;
}

/*
 * log_forms by bucket: the forms whose text falls in bucket k are
 * log_forms[by_start.order[i]] for i from by_start.first[k] to
 * by_start.first[k + 1], in table order.  Derived from log_forms by
 * by_start_build() before main() runs, and only read afterwards.
 */
static struct {
	uint8_t first[257];
	uint8_t order[N_LOG_FORMS];
} by_start;

__attribute__((constructor)) static void by_start_build(void)
{
	uint8_t next[256];
	unsigned k;

	memset(&by_start, 0, sizeof(by_start));
	for (size_t i = 0; i < N_LOG_FORMS; i++) {
		const unsigned char *s = (const unsigned char *)log_forms[i].text;
		if (log_forms[i].len < 2)
			BUG("log form '%s' is too short to index", log_forms[i].text);
		by_start.first[bucket_of(s[0], s[1]) + 1]++;
	}
	for (k = 0; k < 256; k++)
		by_start.first[k + 1] += by_start.first[k];
	memcpy(next, by_start.first, sizeof(next));
	for (size_t i = 0; i < N_LOG_FORMS; i++) {
		const unsigned char *s = (const unsigned char *)log_forms[i].text;
		by_start.order[next[bucket_of(s[0], s[1])]++] = (uint8_t)i;
	}
}

/* The LOG form m is, or NULL. */
static inline const struct log_form *log_form_find(struct slice m)
{
	if (m.len < 2) /* shorter than any form */
		return NULL;
	unsigned k = bucket_of((unsigned char)m.p[0], (unsigned char)m.p[1]);
	if (by_start.first[k] == by_start.first[k + 1])
		return NULL;
	for (unsigned i = by_start.first[k]; i < by_start.first[k + 1]; i++) {
		const struct log_form *f = &log_forms[by_start.order[i]];
		if (f->prefix ? has_prefix(m, f->text, f->len) : is_exactly(m, f->text, f->len))
			return f;
	}
	return NULL;
}

/*
 * Besides EV_AUTHORIZED, the classifier also sets conn_event.replication on
 * the failures only a walsender can get (max_wal_senders, the walsender
 * privilege checks, the "replication connection" pg_hba refusals).
 */
struct plain_failure {
	const char *text;
	size_t len;
	bool prefix; /* text starts the message; otherwise it is the whole message */
	enum fail_reason reason;
	bool after_auth;  /* refused after "connection authorized" */
	bool replication; /* only a walsender gets it */
};

static const struct plain_failure plain_failures[] = {
    {L("sorry, too many clients already"), false, FAIL_MAX_CONNECTIONS, false, false},
    {L("number of requested standby connections exceeds "), true, FAIL_MAX_CONNECTIONS, false,
     true},
    /* Three texts: "non-replication superuser connections" (9.6-15), "roles
     * with the SUPERUSER attribute", "roles with privileges of the
     * \"pg_use_reserved_connections\" role" (16+). */
    {L("remaining connection slots are reserved for "), true, FAIL_RESERVED_SLOTS, true, false},
    {L("the database system is starting up"), false, FAIL_NOT_ACCEPTING, false, false},
    {L("the database system is shutting down"), false, FAIL_NOT_ACCEPTING, false, false},
    {L("the database system is in recovery mode"), false, FAIL_NOT_ACCEPTING, false, false},
    {L("the database system is not yet accepting connections"), false, FAIL_NOT_ACCEPTING, false,
     false},
    {L("the database system is not accepting connections"), false, FAIL_NOT_ACCEPTING, false,
     false},
    {L("connection requires a valid client certificate"), false, FAIL_AUTH, false, false},
    {L("canceling authentication due to timeout"), false, FAIL_OTHER, false, false},
    {L("unsupported frontend protocol "), true, FAIL_OTHER, false, false},
    {L("no PostgreSQL user name specified in startup packet"), false, FAIL_OTHER, false, false},
    {L("invalid startup packet layout"), true, FAIL_OTHER, false, false},
    {L("expected password response, got message type "), true, FAIL_OTHER, false, false},
    {L("expected SASL response, got message type "), true, FAIL_OTHER, false, false},
    {L("expected GSS response, got message type "), true, FAIL_OTHER, false, false},
    {L("expected SSPI response, got message type "), true, FAIL_OTHER, false, false},
    {L("must be superuser or replication role to start walsender"), false, FAIL_OTHER, true, true},
    {L("permission denied to start WAL sender"), false, FAIL_OTHER, true, true},
};

enum name_field {
	NAME_USER,
	NAME_DATABASE
};

/* A FATAL of the form pre + quoted name + post, the name filling one field. */
struct quoted_failure {
	const char *pre;
	size_t pre_len;
	const char *post;
	size_t post_len;
	enum fail_reason reason;
	bool after_auth;
	enum name_field field;
};

static const struct quoted_failure quoted_failures[] = {
    {L("password authentication failed for user \""), L("\""), FAIL_PASSWORD, false, NAME_USER},
    {L("Peer authentication failed for user \""), L("\""), FAIL_AUTH, false, NAME_USER},
    {L("Ident authentication failed for user \""), L("\""), FAIL_AUTH, false, NAME_USER},
    {L("GSSAPI authentication failed for user \""), L("\""), FAIL_AUTH, false, NAME_USER},
    {L("SSPI authentication failed for user \""), L("\""), FAIL_AUTH, false, NAME_USER},
    {L("PAM authentication failed for user \""), L("\""), FAIL_AUTH, false, NAME_USER},
    {L("BSD authentication failed for user \""), L("\""), FAIL_AUTH, false, NAME_USER},
    {L("LDAP authentication failed for user \""), L("\""), FAIL_AUTH, false, NAME_USER},
    {L("RADIUS authentication failed for user \""), L("\""), FAIL_AUTH, false, NAME_USER},
    {L("certificate authentication failed for user \""), L("\""), FAIL_AUTH, false, NAME_USER},
    {L("OAuth bearer authentication failed for user \""), L("\""), FAIL_AUTH, false, NAME_USER},
    {L("\"trust\" authentication failed for user \""), L("\""), FAIL_AUTH, false, NAME_USER},
    {L("authentication failed for user \""), L("\": host rejected"), FAIL_HBA_REJECT, false,
     NAME_USER},
    {L("authentication failed for user \""), L("\": invalid authentication method"), FAIL_AUTH,
     false, NAME_USER},
    {L("database \""), L("\" does not exist"), FAIL_NO_DATABASE, true, NAME_DATABASE},
    {L("role \""), L("\" does not exist"), FAIL_NO_ROLE, true, NAME_USER},
    {L("too many connections for role \""), L("\""), FAIL_ROLE_LIMIT, true, NAME_USER},
    {L("too many connections for database \""), L("\""), FAIL_DB_LIMIT, true, NAME_DATABASE},
    {L("role \""), L("\" is not permitted to log in"), FAIL_OTHER, true, NAME_USER},
    {L("database \""), L("\" is not currently accepting connections"), FAIL_OTHER, true,
     NAME_DATABASE},
    {L("permission denied for database \""), L("\""), FAIL_OTHER, true, NAME_DATABASE},
    {L("cannot connect to invalid database \""), L("\""), FAIL_OTHER, true, NAME_DATABASE},
};

/* FATALs that end an established session, which then logs its disconnection. */
static const struct {
	const char *text;
	size_t len;
	bool prefix;
	enum end_reason reason;
} ending_forms[] = {
    {L("terminating connection due to administrator command"), false, END_ADMIN},
    {L("terminating connection due to idle-session timeout"), false, END_IDLE_SESSION},
    {L("terminating connection due to idle-in-transaction timeout"), false, END_IDLE_TX},
    {L("terminating connection due to transaction timeout"), false, END_TX_TIMEOUT},
    {L("terminating connection due to conflict with recovery"), false, END_RECOVERY_CONFLICT},
    {L("terminating connection due to unexpected postmaster exit"), false, END_POSTMASTER_EXIT},
    {L("terminating connection because protocol synchronization was lost"), false, END_PROTOCOL},
    {L("connection to client lost"), false, END_CLIENT_LOST},
    {L("invalid frontend message type "), true, END_PROTOCOL},
};

const char *end_reason_name(enum end_reason r)
{
	static const char *const names[END__COUNT] = {
	    [END_NONE] = "none",
	    [END_ADMIN] = "administrator_command",
	    [END_IDLE_SESSION] = "idle_session_timeout",
	    [END_IDLE_TX] = "idle_in_transaction_timeout",
	    [END_TX_TIMEOUT] = "transaction_timeout",
	    [END_RECOVERY_CONFLICT] = "recovery_conflict",
	    [END_POSTMASTER_EXIT] = "postmaster_exit",
	    [END_PROTOCOL] = "protocol_error",
	    [END_CLIENT_LOST] = "client_lost",
	};
	return r < END__COUNT ? names[r] : "none";
}

/*
 * The pg_hba refusals:
 *   pg_hba.conf rejects connection for host "H", user "U", database "D"<enc>
 *   pg_hba.conf rejects replication connection for host "H", user "U"<enc>
 *   no pg_hba.conf entry for host "H", user "U", database "D"<enc>
 *   no pg_hba.conf entry for replication connection from host "H", user "U"<enc>
 * where <enc> is empty or ", SSL on" / ", no encryption" / ... (version-dependent).
 */
static bool parse_hba(struct slice m, struct conn_event *ev)
{
	size_t at, u, d, last;
	bool repl;

	if (has_prefix(m, L("pg_hba.conf rejects connection for host \""))) {
		at = sizeof("pg_hba.conf rejects connection for host \"") - 1;
		repl = false;
	} else if (has_prefix(m, L("pg_hba.conf rejects replication connection for host \""))) {
		at = sizeof("pg_hba.conf rejects replication connection for host \"") - 1;
		repl = true;
	} else if (has_prefix(m, L("no pg_hba.conf entry for host \""))) {
		at = sizeof("no pg_hba.conf entry for host \"") - 1;
		repl = false;
	} else if (has_prefix(m,
			      L("no pg_hba.conf entry for replication connection from host \""))) {
		at = sizeof("no pg_hba.conf entry for replication connection from host \"") - 1;
		repl = true;
	} else {
		return false;
	}
	u = find(m, at, L("\", user \""));
	if (u == NPOS)
		return false;
	last = rfind(m, u + 9, L("\""));
	if (last == NPOS)
		return false;
	ev->host = sub(m, at, u);
	if (repl) {
		ev->user = sub(m, u + 9, last);
	} else {
		d = find(m, u + 9, L("\", database \""));
		if (d == NPOS || d + 13 > last)
			return false;
		ev->user = sub(m, u + 9, d);
		ev->database = sub(m, d + 13, last);
	}
	/* Only an encryption note may follow the last quote. */
	if (last + 1 != m.len && !has_prefix(skip(m, last + 1), L(", ")))
		return false;
	ev->reason = FAIL_HBA_REJECT;
	ev->replication = repl;
	return true;
}

/* Fill ev for a FATAL message; false when it is none we know. */
static bool classify_fatal(struct slice m, struct conn_event *ev)
{
	for (size_t i = 0; i < sizeof(plain_failures) / sizeof(plain_failures[0]); i++) {
		const struct plain_failure *f = &plain_failures[i];
		if (f->prefix ? has_prefix(m, f->text, f->len) : is_exactly(m, f->text, f->len)) {
			ev->kind = EV_FAILED;
			ev->reason = f->reason;
			ev->after_auth = f->after_auth;
			ev->replication = f->replication;
			return true;
		}
	}
	for (size_t i = 0; i < sizeof(quoted_failures) / sizeof(quoted_failures[0]); i++) {
		const struct quoted_failure *f = &quoted_failures[i];
		struct slice name;
		if (m.len < f->pre_len + f->post_len || !has_prefix(m, f->pre, f->pre_len) ||
		    !has_suffix(m, f->post, f->post_len))
			continue;
		name = sub(m, f->pre_len, m.len - f->post_len);
		if (f->field == NAME_USER)
			ev->user = name;
		else
			ev->database = name;
		ev->kind = EV_FAILED;
		ev->reason = f->reason;
		ev->after_auth = f->after_auth;
		return true;
	}
	if (parse_hba(m, ev)) {
		ev->kind = EV_FAILED;
		return true;
	}
	for (size_t i = 0; i < sizeof(ending_forms) / sizeof(ending_forms[0]); i++) {
		if (ending_forms[i].prefix
			? has_prefix(m, ending_forms[i].text, ending_forms[i].len)
			: is_exactly(m, ending_forms[i].text, ending_forms[i].len)) {
			ev->kind = EV_SESSION_ENDING;
			ev->ending = ending_forms[i].reason;
			return true;
		}
	}
	return false;
}

/* ASCII case-insensitive equality of m and s[0..n). */
static bool is_exactly_nocase(struct slice m, const char *s, size_t n)
{
	if (m.len != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char a = m.p[i], b = s[i];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != b)
			return false;
	}
	return true;
}

/*
 * A boolean as PostgreSQL's parse_bool() reads it: any case, a prefix of
 * true/false/yes/no, "on" or "off" (at least two letters), 1 or 0.
 * Returns 1 (true), 0 (false) or -1 (not a boolean).
 */
static int parse_bool_value(struct slice v)
{
	static const struct {
		const char *word;
		size_t min; /* shortest accepted prefix */
		int val;
	} words[] = {{"true", 1, 1}, {"false", 1, 0}, {"yes", 1, 1}, {"no", 1, 0},
		     {"on", 2, 1},   {"off", 2, 0},   {"1", 1, 1},   {"0", 1, 0}};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i].word);
		if (v.len < words[i].min || v.len > n)
			continue;
		if (is_exactly_nocase(v, words[i].word, v.len))
			return words[i].val;
	}
	return -1;
}

/*
 * Whether log_connections = v logs "connection authorized": a true boolean
 * (every version; 18 keeps on/true/yes/1), or in 18 a list naming
 * "authorization" or "all".  Elements are split at commas, trimmed and
 * unquoted as SplitIdentifierString() does.
 */
static bool log_connections_on(struct slice v)
{
	size_t at = 0;
	int b = parse_bool_value(v);

	if (b >= 0)
		return b == 1;
	while (at <= v.len) {
		size_t end = at;
		while (end < v.len && v.p[end] != ',')
			end++;
		struct slice e = sub(v, at, end);
		while (e.len && (e.p[0] == ' ' || e.p[0] == '\t'))
			e = skip(e, 1);
		while (e.len && (e.p[e.len - 1] == ' ' || e.p[e.len - 1] == '\t'))
			e.len--;
		if (e.len >= 2 && e.p[0] == '"' && e.p[e.len - 1] == '"')
			e = sub(e, 1, e.len - 1);
		if (is_exactly_nocase(e, L("authorization")) || is_exactly_nocase(e, L("all")))
			return true;
		at = end + 1;
	}
	return false;
}

/*
 * After a reload the postmaster logs, for each setting whose value changed
 * (guc-file.l 9.6-15, guc.c 16+; only the postmaster logs it at LOG):
 *   parameter "NAME" changed to "VALUE"
 *   parameter "NAME" removed from configuration file, reset to default
 * NAME is spelled as in the file (any case); VALUE is the file's text.  Only
 * log_connections and log_disconnections matter here; the built-in default
 * of both is off ('' for log_connections in 18).  rest starts after
 * 'parameter "'.
 */
/* ev for the setting name (any case), its new value, or removed from the
 * file (value unused); false when it is neither setting we follow or the
 * value is no boolean log_disconnections could take. */
static bool setting_apply(struct slice name, bool removed, struct slice value,
			  struct conn_event *ev)
{
	if (is_exactly_nocase(name, L("log_connections")))
		ev->setting = SETTING_LOG_CONNECTIONS;
	else if (is_exactly_nocase(name, L("log_disconnections")))
		ev->setting = SETTING_LOG_DISCONNECTIONS;
	else
		return false;
	if (removed) {
		ev->setting_on = false;
	} else if (ev->setting == SETTING_LOG_CONNECTIONS) {
		ev->setting_on = log_connections_on(value);
	} else {
		int b = parse_bool_value(value);
		if (b < 0)
			return false; /* the server accepts no other value */
		ev->setting_on = b == 1;
	}
	return true;
}

static bool parse_setting(struct slice rest, struct conn_event *ev)
{
	size_t q = find(rest, 0, L("\""));
	struct slice tail, value = SLICE_NULL;

	if (q == NPOS)
		return false;
	tail = skip(rest, q + 1);
	if (is_exactly(tail, L(" removed from configuration file, reset to default")))
		return setting_apply(sub(rest, 0, q), true, value, ev);
	if (has_prefix(tail, L(" changed to \"")) && tail.len > sizeof(" changed to \"") - 1 &&
	    tail.p[tail.len - 1] == '"') {
		value = sub(tail, sizeof(" changed to \"") - 1, tail.len - 1);
		return setting_apply(sub(rest, 0, q), false, value, ev);
	}
	return false;
}

/* Fill ev for a LOG message (or one whose severity word we do not know). */
static bool classify_log(struct slice m, struct conn_event *ev)
{
	const struct log_form *f = log_form_find(m);

	if (!f)
		return false;
	ev->kind = f->kind;
	ev->reason = f->reason;
	return !f->rest || f->rest(skip(m, f->len), ev);
}

/*
 * Session attributes the message did not name come from the prefix/columns.
 * The port follows the host: taken when the host was, or when the message
 * named the same host without a port (the pg_hba refusals).
 */
static void fill_gaps(const struct pg_entry *e, struct conn_event *ev)
{
	if (!ev->user.p)
		ev->user = e->user;
	if (!ev->database.p)
		ev->database = e->database;
	if (!ev->application.p)
		ev->application = e->application;
	if (!ev->host.p) {
		ev->host = e->host;
		if (!ev->port.p)
			ev->port = e->port;
	} else if (!ev->port.p && e->port.len && ev->host.len == e->host.len &&
		   memcmp(ev->host.p, e->host.p, e->host.len) == 0) {
		ev->port = e->port;
	}
}

/* The kinds about one connection, which take the entry's session attributes;
 * the lifecycle kinds are about the server and take none. */
static bool is_session_kind(enum ev_kind k)
{
	switch (k) {
	case EV_RECEIVED:
	case EV_AUTHENTICATED:
	case EV_AUTHORIZED:
	case EV_READY:
	case EV_DISCONNECTED:
	case EV_FAILED:
	case EV_SESSION_ENDING:
		return true;
	default:
		return false;
	}
}

static void event_reset(const struct pg_entry *e, struct conn_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->kind = EV_NONE;
	ev->ts_ms = e->ts_ms;
	ev->pid = e->pid;
	ev->session_id = e->session_id;
	ev->reason = FAIL_NONE;
	ev->session_ms = -1;
	ev->other_pid = -1;
	ev->message = e->message;
}

/* The digits of f as a number (at most 9 of them); false when f is none. */
static bool field_number(struct slice f, int64_t *v)
{
	size_t at = 0;

	return f.len > 0 && digits(f, &at, 0, v) && at == f.len;
}

/*
 * Fill ev from a translated message: the form says what it is, the fields
 * what it names, as the English parsers above would have read them.
 */
static bool apply_translated(const struct lang_match *lm, struct conn_event *ev)
{
	const struct lang_form *f = lm->form;
	const struct slice *v = lm->field;
	int64_t hh, mm, ss, ms;

	ev->kind = f->kind;
	ev->reason = f->reason;
	ev->ending = f->ending;
	ev->after_auth = f->after_auth;
	ev->replication = f->replication;
	ev->lang = (uint8_t)lm->lang;
	ev->user = v[LF_USER];
	ev->database = v[LF_DATABASE];
	ev->application = v[LF_APPLICATION];
	ev->host = v[LF_HOST];
	ev->port = v[LF_PORT];
	switch (f->kind) {
	case EV_RECEIVED:
		return ev->host.len > 0 && (!ev->port.p || ev->port.len > 0);
	case EV_AUTHORIZED:
		return ev->user.len > 0;
	case EV_DISCONNECTED:
		if (!field_number(v[LF_HOURS], &hh) || !field_number(v[LF_MINUTES], &mm) ||
		    !field_number(v[LF_SECONDS], &ss) || !field_number(v[LF_MILLIS], &ms) ||
		    mm > 59 || ss > 59 || v[LF_MINUTES].len != 2 || v[LF_SECONDS].len != 2 ||
		    v[LF_MILLIS].len != 3)
			return false;
		ev->session_ms = ((hh * 60 + mm) * 60 + ss) * 1000 + ms;
		return true;
	case EV_BACKEND_DIED:
		return field_number(v[LF_OTHER_PID], &ev->other_pid);
	case EV_SETTING:
		return setting_apply(v[LF_SETTING], f->removed, v[LF_VALUE], ev);
	default:
		return true;
	}
}

/*
 * Severity gate: the connection lines are LOG (also accepted when the parser
 * could not read the severity word), the refusals and session endings are
 * FATAL.  Matching a FATAL text at another severity (an ERROR 'role "x" does
 * not exist' from a statement, say) would invent failures.  English first,
 * then the translations of langs.
 */
enum ev_kind classify_entry_lang(const struct pg_entry *e, unsigned langs, struct conn_event *ev)
{
	struct slice m = e->message;
	struct lang_match lm;
	bool ok, fatal;

	event_reset(e, ev);
	if (e->kind != ENTRY_MESSAGE)
		return EV_NONE;
	if (e->sev == SEV_FATAL)
		fatal = true;
	else if (e->sev == SEV_LOG || e->sev == SEV_UNKNOWN)
		fatal = false;
	else
		return EV_NONE;
	ok = (langs & 1u) && (fatal ? classify_fatal(m, ev) : classify_log(m, ev));
	if (!ok && (langs & ~1u)) {
		event_reset(e, ev);
		ok = lang_match(m, fatal, langs, &lm) && apply_translated(&lm, ev);
	}
	if (!ok) {
		event_reset(e, ev);
		return EV_NONE;
	}
	if (is_session_kind(ev->kind))
		fill_gaps(e, ev);
	return ev->kind;
}

enum ev_kind classify_entry(const struct pg_entry *e, struct conn_event *ev)
{
	return classify_entry_lang(e, LANGS_ALL, ev);
}

/*
 * Must accept every message classify_entry() accepts, which holds by
 * construction: FATAL/PANIC always, LOG and unknown severities when the
 * message is one of log_forms, found as classify_log() finds it, or starts
 * as a translated LOG pattern does (lang_maybe).
 */
static __attribute__((noinline)) bool maybe_form(const char *msg, size_t len)
{
	return log_form_find(slice_make(msg, len)) != NULL || lang_maybe(msg, len);
}

bool classify_maybe(enum pg_sev sev, const char *msg, size_t len)
{
	if (sev == SEV_FATAL || sev == SEV_PANIC)
		return true;
	if (sev != SEV_LOG && sev != SEV_UNKNOWN)
		return false;
	if (!msg)
		return false;
	/* Most messages start as no form does: the search, with its loop,
	 * is a call apart (this test runs on every line). */
	if (len >= 2) {
		unsigned k = bucket_of((unsigned char)msg[0], (unsigned char)msg[1]);
		if (by_start.first[k] == by_start.first[k + 1])
			return lang_maybe(msg, len);
	}
	return maybe_form(msg, len);
}

/* Beginnings of common English PostgreSQL messages that are not about
 * connections.  Enough that any real English log hits some of them. */
static const struct {
	const char *text;
	size_t len;
} english_starts[] = {
    {L("statement: ")},
    {L("duration: ")},
    {L("execute ")},
    {L("parse ")},
    {L("bind ")},
    {L("checkpoint")},
    {L("restartpoint")},
    {L("automatic vacuum")},
    {L("automatic analyze")},
    {L("automatic aggressive vacuum")},
    {L("could not ")},
    {L("database system ")},
    {L("the database system ")},
    {L("redo ")},
    {L("background worker ")},
    {L("logical replication ")},
    {L("logical decoding ")},
    {L("listening on ")},
    {L("starting ")},
    {L("parameter \"")},
    {L("received SIGHUP")},
    {L("aborting any active transactions")},
    {L("shutting down")},
    {L("syntax error")},
    {L("relation \"")},
    {L("column \"")},
    {L("function ")},
    {L("permission denied")},
    {L("current transaction is aborted")},
    {L("canceling ")},
    {L("duplicate key value")},
    {L("deadlock detected")},
    {L("process ")},
    {L("temporary file: ")},
    {L("invalid ")},
    {L("unexpected EOF")},
    {L("terminating ")},
    {L("autovacuum")},
    {L("archive ")},
    {L("archiving ")},
    {L("restored log file")},
    {L("consistent recovery state")},
    {L("entering standby mode")},
    {L("started streaming")},
    {L("MultiXact ")},
    {L("redirecting log output")},
    {L("skipping ")},
    {L("value too long")},
    {L("null value in column")},
    {L("insert or update on table")},
    {L("update or delete on table")},
    {L("new row for relation")},
    {L("there is no ")},
    {L("there is already ")},
    {L("cannot ")},
    {L("must be ")},
    {L("operator does not exist")},
    {L("division by zero")},
    {L("out of memory")},
    {L("out of shared memory")},
    {L("provided user name")},
    {L("unrecognized ")},
    {L("configuration file")},
    {L("selected new timeline")},
    {L("archive recovery complete")},
    {L("last completed transaction")},
    {L("table \"")},
    {L("type \"")},
    {L("schema \"")},
    {L("prepared statement \"")},
    {L("still waiting for ")},
    {L("acquired ")},
    {L("sending cancel")},
    {L("unexpected pageaddr")},
    {L("record with incorrect")},
    {L("missing FROM-clause")},
};

bool classify_is_english(const struct pg_entry *e)
{
	struct conn_event ev;
	struct pg_entry f;

	if (e->kind != ENTRY_MESSAGE || e->message.len == 0)
		return false;
	for (size_t i = 0; i < sizeof(english_starts) / sizeof(english_starts[0]); i++) {
		if (has_prefix(e->message, english_starts[i].text, english_starts[i].len))
			return true;
	}
	/* Any English text the classifier knows, whatever its severity word says. */
	f = *e;
	f.sev = SEV_LOG;
	if (classify_entry_lang(&f, 1u << LANG_EN, &ev) != EV_NONE)
		return true;
	f.sev = SEV_FATAL;
	return classify_entry_lang(&f, 1u << LANG_EN, &ev) != EV_NONE;
}

const char *fail_reason_name(enum fail_reason r)
{
	switch (r) {
	case FAIL_NONE:
		return "none";
	case FAIL_PASSWORD:
		return "password_authentication_failed";
	case FAIL_AUTH:
		return "authentication_failed";
	case FAIL_HBA_REJECT:
		return "pg_hba_reject";
	case FAIL_NO_DATABASE:
		return "database_does_not_exist";
	case FAIL_NO_ROLE:
		return "role_does_not_exist";
	case FAIL_ROLE_LIMIT:
		return "role_connection_limit";
	case FAIL_DB_LIMIT:
		return "database_connection_limit";
	case FAIL_RESERVED_SLOTS:
		return "reserved_connection_slots";
	case FAIL_MAX_CONNECTIONS:
		return "max_connections";
	case FAIL_NOT_ACCEPTING:
		return "server_not_accepting";
	case FAIL_OTHER:
	case FAIL__COUNT:
		break;
	}
	return "other";
}

/* The reasons that are always after "connection authorized".  Some FAIL_OTHER
 * messages are too ("not permitted to log in", "not currently accepting
 * connections", "permission denied for database"); conn_event.after_auth says
 * so per message. */
bool fail_reason_after_auth(enum fail_reason r)
{
	switch (r) {
	case FAIL_NO_DATABASE:
	case FAIL_NO_ROLE:
	case FAIL_ROLE_LIMIT:
	case FAIL_DB_LIMIT:
	case FAIL_RESERVED_SLOTS:
		return true;
	default:
		return false;
	}
}
