/* SPDX-License-Identifier: PostgreSQL */
/*
 * Unit tests for the classifier: one case per message variant of PostgreSQL
 * 9.6-18 (reference sections 1-3), the severity gate, bounds, and a pass over
 * the real debian-prefix and default-prefix logs counted against grep.
 */
#ifndef _GNU_SOURCE
#define _POSIX_C_SOURCE 200809L /* getline */
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <cmocka.h>

#include "conn/classify.h"

/*
 * One case: an entry (severity, message, optional prefix user/db/host/app) and
 * what classify_entry() must make of it.  An expected string NULL means "absent"
 * (len 0); session_ms and other_pid are checked for every case (-1 unless the
 * kind sets them, which the table marks with has_ms / has_pid).
 */
struct ccase {
	const char *name;
	enum pg_sev sev;
	const char *msg;
	const char *pu, *pd, *ph, *pa, *pp; /* prefix user, database, host, application, port */
	enum ev_kind kind;
	enum fail_reason reason;
	const char *user, *db, *app, *host, *port;
	bool has_ms;
	int64_t ms;
	bool has_pid;
	int64_t other_pid;
	bool repl;
	bool after;
	enum log_setting setting;
	bool on;
};

#define SSL13 " SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)"
#define START15                                                                                    \
	"starting PostgreSQL 15.18 (Debian 15.18-0+deb12u1) on x86_64-pc-linux-gnu, compiled by "  \
	"gcc (Debian 12.2.0-14+deb12u1) 12.2.0, 64-bit"

static const struct ccase cases[] = {
    /* 1.1 connection received */
    {"received_ipv4", SEV_LOG, "connection received: host=127.0.0.1 port=35310",
     .kind = EV_RECEIVED, .host = "127.0.0.1", .port = "35310"},
    {"received_local", SEV_LOG, "connection received: host=[local]", .kind = EV_RECEIVED,
     .host = "[local]"},
    {"received_ipv6", SEV_LOG, "connection received: host=::1 port=35746", .kind = EV_RECEIVED,
     .host = "::1", .port = "35746"},
    {"received_ipv6_scoped", SEV_LOG, "connection received: host=fe80::1%eth0 port=5000",
     .kind = EV_RECEIVED, .host = "fe80::1%eth0", .port = "5000"},
    {"received_hostname", SEV_LOG, "connection received: host=localhost port=36610",
     .kind = EV_RECEIVED, .host = "localhost", .port = "36610"},
    {"received_unknown_severity", SEV_UNKNOWN, "connection received: host=[local]",
     .kind = EV_RECEIVED, .host = "[local]"},
    {"received_unknown_prefix_fields", SEV_LOG, "connection received: host=10.1.2.3 port=1",
     .pu = NULL, .kind = EV_RECEIVED, .host = "10.1.2.3", .port = "1"},
    {"received_no_host", SEV_LOG, "connection received: ", .kind = EV_NONE},
    {"received_empty_host", SEV_LOG, "connection received: host=", .kind = EV_NONE},
    {"received_empty_port", SEV_LOG, "connection received: host=x port=", .kind = EV_NONE},
    {"received_as_notice", SEV_NOTICE, "connection received: host=[local]", .kind = EV_NONE},

    /* 1.2 connection authenticated (14+; trust form 17+) */
    {"authn_scram_14", SEV_LOG,
     "connection authenticated: identity=\"alice\" method=scram-sha-256 "
     "(/etc/postgresql/15/main/pg_hba.conf:10)",
     "alice", "postgres", .kind = EV_AUTHENTICATED, .user = "alice", .db = "postgres"},
    {"authn_md5_14", SEV_LOG,
     "connection authenticated: identity=\"bob\" method=md5 (/data/pg_hba.conf:5)", "bob",
     "postgres", .kind = EV_AUTHENTICATED, .user = "bob", .db = "postgres"},
    {"authn_peer_identity_is_not_user", SEV_LOG,
     "connection authenticated: identity=\"root\" method=peer (/data/pg_hba.conf:2)", "peeruser",
     "peerdb", .kind = EV_AUTHENTICATED, .user = "peeruser", .db = "peerdb"},
    {"authn_cert_16", SEV_LOG,
     "connection authenticated: identity=\"CN=alice,O=Example\" method=cert "
     "(/data/conf.d/hba-extra.conf:3)",
     .kind = EV_AUTHENTICATED},
    {"authn_oauth_18", SEV_LOG,
     "connection authenticated: identity=\"alice@example.com\" method=oauth "
     "(/data/pg_hba.conf:7)",
     .kind = EV_AUTHENTICATED},
    {"authn_trust_17", SEV_LOG,
     "connection authenticated: user=\"carol\" method=trust (/data/pg_hba.conf:1)", NULL,
     "postgres", .kind = EV_AUTHENTICATED, .user = "carol", .db = "postgres"},
    {"authn_garbage", SEV_LOG, "connection authenticated: who knows", .kind = EV_NONE},

    /* 1.3 connection authorized, 9.6-11 */
    {"authz_96", SEV_LOG, "connection authorized: user=alice database=postgres",
     .kind = EV_AUTHORIZED, .user = "alice", .db = "postgres"},
    {"authz_96_ssl", SEV_LOG,
     "connection authorized: user=alice database=postgres SSL enabled (protocol=TLSv1.2, "
     "cipher=ECDHE-RSA-AES256-GCM-SHA384, compression=off)",
     .kind = EV_AUTHORIZED, .user = "alice", .db = "postgres"},
    {"authz_96_repl", SEV_LOG, "replication connection authorized: user=repl",
     .kind = EV_AUTHORIZED, .user = "repl", .repl = true},
    {"authz_96_repl_ssl", SEV_LOG,
     "replication connection authorized: user=repl SSL enabled (protocol=TLSv1.2, "
     "cipher=ECDHE-RSA-AES256-GCM-SHA384, compression=off)",
     .kind = EV_AUTHORIZED, .user = "repl", .repl = true},
    {"authz_11_ssl_bits", SEV_LOG,
     "connection authorized: user=alice database=postgres SSL enabled (protocol=TLSv1.2, "
     "cipher=ECDHE-RSA-AES256-GCM-SHA384, bits=256, compression=off)",
     .kind = EV_AUTHORIZED, .user = "alice", .db = "postgres"},
    /* 12 */
    {"authz_12_app", SEV_LOG,
     "connection authorized: user=postgres database=postgres application_name=app_local",
     .kind = EV_AUTHORIZED, .user = "postgres", .db = "postgres", .app = "app_local"},
    {"authz_12_app_ssl_compression", SEV_LOG,
     "connection authorized: user=alice database=postgres application_name=psql SSL enabled "
     "(protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256, compression=off)",
     .kind = EV_AUTHORIZED, .user = "alice", .db = "postgres", .app = "psql"},
    {"authz_12_repl_app", SEV_LOG,
     "replication connection authorized: user=repl application_name=walreceiver",
     .kind = EV_AUTHORIZED, .user = "repl", .app = "walreceiver", .repl = true},
    /* 13 (GSS part from 13.2) */
    {"authz_13_gss_principal", SEV_LOG,
     "connection authorized: user=alice database=postgres application_name=psql GSS "
     "(authenticated=yes, encrypted=yes, principal=alice@EXAMPLE.COM)",
     .kind = EV_AUTHORIZED, .user = "alice", .db = "postgres", .app = "psql"},
    {"authz_13_gss_no_principal", SEV_LOG,
     "connection authorized: user=alice database=postgres GSS (authenticated=no, encrypted=no)",
     .kind = EV_AUTHORIZED, .user = "alice", .db = "postgres"},
    /* 14, 15 */
    {"authz_15_no_app", SEV_LOG, "connection authorized: user=alice database=postgres",
     .kind = EV_AUTHORIZED, .user = "alice", .db = "postgres"},
    {"authz_15_app_ssl", SEV_LOG,
     "connection authorized: user=alice database=postgres application_name=app_ssl" SSL13,
     .kind = EV_AUTHORIZED, .user = "alice", .db = "postgres", .app = "app_ssl"},
    {"authz_15_no_app_ssl", SEV_LOG, "connection authorized: user=alice database=postgres" SSL13,
     .kind = EV_AUTHORIZED, .user = "alice", .db = "postgres"},
    {"authz_15_app_space", SEV_LOG,
     "connection authorized: user=readonly database=analytics application_name=my app",
     .kind = EV_AUTHORIZED, .user = "readonly", .db = "analytics", .app = "my app"},
    {"authz_15_app_space_ssl", SEV_LOG,
     "connection authorized: user=readonly database=analytics application_name=my app" SSL13,
     .kind = EV_AUTHORIZED, .user = "readonly", .db = "analytics", .app = "my app"},
    {"authz_15_app_space_gss", SEV_LOG,
     "connection authorized: user=readonly database=analytics application_name=my app GSS "
     "(authenticated=yes, encrypted=no, principal=x)",
     .kind = EV_AUTHORIZED, .user = "readonly", .db = "analytics", .app = "my app"},
    {"authz_15_ssl_then_gss", SEV_LOG,
     "connection authorized: user=u database=d application_name=a b" SSL13
     " GSS (authenticated=yes, encrypted=no, principal=x)",
     .kind = EV_AUTHORIZED, .user = "u", .db = "d", .app = "a b"},
    {"authz_15_app_holding_ssl_text", SEV_LOG,
     "connection authorized: user=u database=d application_name=x SSL enabled (protocol=y" SSL13,
     .kind = EV_AUTHORIZED, .user = "u", .db = "d", .app = "x SSL enabled (protocol=y"},
    {"authz_15_repl_app", SEV_LOG,
     "replication connection authorized: user=repl application_name=psql", .kind = EV_AUTHORIZED,
     .user = "repl", .app = "psql", .repl = true},
    {"authz_15_repl_app_ssl", SEV_LOG,
     "replication connection authorized: user=repl application_name=pg_basebackup" SSL13,
     .kind = EV_AUTHORIZED, .user = "repl", .app = "pg_basebackup", .repl = true},
    {"authz_15_ignores_prefix_when_named", SEV_LOG,
     "connection authorized: user=alice database=postgres application_name=psql", "other",
     "otherdb", .kind = EV_AUTHORIZED, .user = "alice", .db = "postgres", .app = "psql"},
    {"authz_15_app_from_columns", SEV_LOG, "connection authorized: user=alice database=postgres",
     .pa = "csvapp", .kind = EV_AUTHORIZED, .user = "alice", .db = "postgres", .app = "csvapp"},
    /* 16-18 */
    {"authz_16_gss_delegated", SEV_LOG,
     "connection authorized: user=alice database=postgres application_name=psql GSS "
     "(authenticated=yes, encrypted=yes, delegated_credentials=no, principal=alice@EXAMPLE.COM)",
     .kind = EV_AUTHORIZED, .user = "alice", .db = "postgres", .app = "psql"},
    {"authz_16_app_escaped", SEV_LOG,
     "connection authorized: user=alice database=postgres application_name=caf\\xc3\\xa9",
     .kind = EV_AUTHORIZED, .user = "alice", .db = "postgres", .app = "caf\\xc3\\xa9"},
    {"authz_18_repl_gss", SEV_LOG,
     "replication connection authorized: user=repl GSS (authenticated=yes, encrypted=yes, "
     "delegated_credentials=no, principal=repl@EXAMPLE.COM)",
     .kind = EV_AUTHORIZED, .user = "repl", .repl = true},
    {"authz_missing_database", SEV_LOG, "connection authorized: user=alice", .kind = EV_NONE},
    {"authz_empty_user", SEV_LOG, "connection authorized: user= database=x", .kind = EV_NONE},
    {"authz_as_fatal", SEV_FATAL, "connection authorized: user=a database=b", .kind = EV_NONE},

    /* 1.4 connection ready (18) */
    {"ready_18", SEV_LOG,
     "connection ready: setup total=8.123 ms, fork=0.456 ms, authentication=1.234 ms", "alice",
     "postgres", .kind = EV_READY, .user = "alice", .db = "postgres"},

    /* 1.5 disconnection */
    {"disc_tcp", SEV_LOG,
     "disconnection: session time: 0:00:00.022 user=alice database=postgres host=127.0.0.1 "
     "port=35310",
     .kind = EV_DISCONNECTED, .user = "alice", .db = "postgres", .host = "127.0.0.1",
     .port = "35310", .has_ms = true, .ms = 22},
    {"disc_local", SEV_LOG,
     "disconnection: session time: 0:00:00.016 user=postgres database=postgres host=[local]",
     .kind = EV_DISCONNECTED, .user = "postgres", .db = "postgres", .host = "[local]",
     .has_ms = true, .ms = 16},
    {"disc_physical_walsender", SEV_LOG,
     "disconnection: session time: 0:00:01.456 user=repl database= host=127.0.0.1 port=53688",
     "repl", "fromprefix", .kind = EV_DISCONNECTED, .user = "repl", .db = NULL, .host = "127.0.0.1",
     .port = "53688", .has_ms = true, .ms = 1456},
    {"disc_logical_walsender", SEV_LOG,
     "disconnection: session time: 0:00:00.017 user=repl database=postgres host=127.0.0.1 "
     "port=53672",
     .kind = EV_DISCONNECTED, .user = "repl", .db = "postgres", .host = "127.0.0.1",
     .port = "53672", .has_ms = true, .ms = 17},
    {"disc_100_hours", SEV_LOG,
     "disconnection: session time: 100:00:00.000 user=a database=b host=[local]",
     .kind = EV_DISCONNECTED, .user = "a", .db = "b", .host = "[local]", .has_ms = true,
     .ms = 360000000},
    {"disc_25_hours", SEV_LOG,
     "disconnection: session time: 25:01:02.003 user=a database=b host=::1 port=5432",
     .kind = EV_DISCONNECTED, .user = "a", .db = "b", .host = "::1", .port = "5432", .has_ms = true,
     .ms = 90062003},
    {"disc_hostname", SEV_LOG,
     "disconnection: session time: 0:01:00.500 user=a database=b host=localhost port=36610",
     .kind = EV_DISCONNECTED, .user = "a", .db = "b", .host = "localhost", .port = "36610",
     .has_ms = true, .ms = 60500},
    {"disc_bad_minutes", SEV_LOG,
     "disconnection: session time: 0:60:00.000 user=a database=b host=[local]", .kind = EV_NONE},
    {"disc_short_minutes", SEV_LOG,
     "disconnection: session time: 0:0:00.000 user=a database=b host=[local]", .kind = EV_NONE},
    {"disc_no_host", SEV_LOG, "disconnection: session time: 0:00:00.000 user=a database=b",
     .kind = EV_NONE},
    {"disc_huge_hours", SEV_LOG,
     "disconnection: session time: 99999999999:00:00.000 user=a database=b host=[local]",
     .kind = EV_NONE},

    /* 2.2 authentication failures */
    {"fail_password", SEV_FATAL, "password authentication failed for user \"bob\"", "bob",
     "postgres", "127.0.0.1", .pp = "35310", .kind = EV_FAILED, .reason = FAIL_PASSWORD,
     .user = "bob", .db = "postgres", .host = "127.0.0.1", .port = "35310"},
    {"fail_password_quote_in_name", SEV_FATAL, "password authentication failed for user \"a\"b\"",
     .kind = EV_FAILED, .reason = FAIL_PASSWORD, .user = "a\"b"},
    {"fail_peer", SEV_FATAL, "Peer authentication failed for user \"peeruser\"", .kind = EV_FAILED,
     .reason = FAIL_AUTH, .user = "peeruser"},
    {"fail_ident", SEV_FATAL, "Ident authentication failed for user \"u\"", .kind = EV_FAILED,
     .reason = FAIL_AUTH, .user = "u"},
    {"fail_gssapi", SEV_FATAL, "GSSAPI authentication failed for user \"u\"", .kind = EV_FAILED,
     .reason = FAIL_AUTH, .user = "u"},
    {"fail_sspi", SEV_FATAL, "SSPI authentication failed for user \"u\"", .kind = EV_FAILED,
     .reason = FAIL_AUTH, .user = "u"},
    {"fail_pam", SEV_FATAL, "PAM authentication failed for user \"u\"", .kind = EV_FAILED,
     .reason = FAIL_AUTH, .user = "u"},
    {"fail_bsd", SEV_FATAL, "BSD authentication failed for user \"u\"", .kind = EV_FAILED,
     .reason = FAIL_AUTH, .user = "u"},
    {"fail_ldap", SEV_FATAL, "LDAP authentication failed for user \"u\"", .kind = EV_FAILED,
     .reason = FAIL_AUTH, .user = "u"},
    {"fail_radius", SEV_FATAL, "RADIUS authentication failed for user \"u\"", .kind = EV_FAILED,
     .reason = FAIL_AUTH, .user = "u"},
    {"fail_certificate", SEV_FATAL, "certificate authentication failed for user \"u\"",
     .kind = EV_FAILED, .reason = FAIL_AUTH, .user = "u"},
    {"fail_oauth_18", SEV_FATAL, "OAuth bearer authentication failed for user \"u\"",
     .kind = EV_FAILED, .reason = FAIL_AUTH, .user = "u"},
    {"fail_trust", SEV_FATAL, "\"trust\" authentication failed for user \"u\"", .kind = EV_FAILED,
     .reason = FAIL_AUTH, .user = "u"},
    {"fail_host_rejected", SEV_FATAL, "authentication failed for user \"u\": host rejected",
     .kind = EV_FAILED, .reason = FAIL_HBA_REJECT, .user = "u"},
    {"fail_invalid_method", SEV_FATAL,
     "authentication failed for user \"u\": invalid authentication method", .kind = EV_FAILED,
     .reason = FAIL_AUTH, .user = "u"},
    {"fail_client_cert", SEV_FATAL, "connection requires a valid client certificate", "u", "d",
     .kind = EV_FAILED, .reason = FAIL_AUTH, .user = "u", .db = "d"},
    {"provided_user_name_is_not_a_failure", SEV_LOG,
     "provided user name (peeruser) and authenticated user name (root) do not match",
     .kind = EV_NONE},
    {"no_match_in_usermap_is_not_a_failure", SEV_LOG,
     "no match in usermap \"m\" for user \"u\" authenticated as \"x\"", .kind = EV_NONE},
    {"password_failed_as_log", SEV_LOG, "password authentication failed for user \"bob\"",
     .kind = EV_NONE},

    /* pg_hba refusals, every suffix */
    {"hba_reject_15", SEV_FATAL,
     "pg_hba.conf rejects connection for host \"127.0.0.1\", user \"rejectme\", database "
     "\"postgres\", no encryption",
     "p_user", "p_db", "p_host", .pp = "1", .kind = EV_FAILED, .reason = FAIL_HBA_REJECT,
     .user = "rejectme", .db = "postgres", .host = "127.0.0.1"},
    {"hba_reject_port_from_prefix", SEV_FATAL,
     "pg_hba.conf rejects connection for host \"127.0.0.1\", user \"u\", database \"d\", no "
     "encryption",
     .ph = "127.0.0.1", .pp = "40000", .kind = EV_FAILED, .reason = FAIL_HBA_REJECT, .user = "u",
     .db = "d", .host = "127.0.0.1", .port = "40000"},
    {"hba_reject_96_no_suffix", SEV_FATAL,
     "pg_hba.conf rejects connection for host \"10.0.0.1\", user \"u\", database \"d\"",
     .kind = EV_FAILED, .reason = FAIL_HBA_REJECT, .user = "u", .db = "d", .host = "10.0.0.1"},
    {"hba_reject_96_ssl_off", SEV_FATAL,
     "pg_hba.conf rejects connection for host \"10.0.0.1\", user \"u\", database \"d\", SSL off",
     .kind = EV_FAILED, .reason = FAIL_HBA_REJECT, .user = "u", .db = "d", .host = "10.0.0.1"},
    {"hba_reject_13_gss", SEV_FATAL,
     "pg_hba.conf rejects connection for host \"10.0.0.1\", user \"u\", database \"d\", GSS "
     "encryption",
     .kind = EV_FAILED, .reason = FAIL_HBA_REJECT, .user = "u", .db = "d", .host = "10.0.0.1"},
    {"hba_reject_repl", SEV_FATAL,
     "pg_hba.conf rejects replication connection for host \"10.0.0.2\", user \"repl\", SSL "
     "encryption",
     .kind = EV_FAILED, .reason = FAIL_HBA_REJECT, .user = "repl", .host = "10.0.0.2",
     .repl = true},
    {"hba_no_entry_15_ssl", SEV_FATAL,
     "no pg_hba.conf entry for host \"::1\", user \"alice\", database \"postgres\", SSL "
     "encryption",
     .kind = EV_FAILED, .reason = FAIL_HBA_REJECT, .user = "alice", .db = "postgres",
     .host = "::1"},
    {"hba_no_entry_96_ssl_on", SEV_FATAL,
     "no pg_hba.conf entry for host \"::1\", user \"alice\", database \"postgres\", SSL on",
     .kind = EV_FAILED, .reason = FAIL_HBA_REJECT, .user = "alice", .db = "postgres",
     .host = "::1"},
    {"hba_no_entry_repl", SEV_FATAL,
     "no pg_hba.conf entry for replication connection from host \"10.0.0.2\", user \"repl\", "
     "no encryption",
     .kind = EV_FAILED, .reason = FAIL_HBA_REJECT, .user = "repl", .host = "10.0.0.2",
     .repl = true},
    {"hba_no_entry_repl_96", SEV_FATAL,
     "no pg_hba.conf entry for replication connection from host \"10.0.0.2\", user \"repl\"",
     .kind = EV_FAILED, .reason = FAIL_HBA_REJECT, .user = "repl", .host = "10.0.0.2",
     .repl = true},
    {"hba_bad_tail", SEV_FATAL,
     "no pg_hba.conf entry for host \"a\", user \"b\", database \"c\" garbage", .kind = EV_NONE},

    /* refusals after "connection authorized" */
    {"fail_no_database", SEV_FATAL, "database \"nosuchdb\" does not exist", "postgres", "nosuchdb",
     .kind = EV_FAILED, .reason = FAIL_NO_DATABASE, .user = "postgres", .db = "nosuchdb",
     .after = true},
    {"fail_no_role", SEV_FATAL, "role \"ghost\" does not exist", "ghost", "postgres",
     .kind = EV_FAILED, .reason = FAIL_NO_ROLE, .user = "ghost", .db = "postgres", .after = true},
    {"fail_role_limit", SEV_FATAL, "too many connections for role \"carol\"", NULL, "postgres",
     .kind = EV_FAILED, .reason = FAIL_ROLE_LIMIT, .user = "carol", .db = "postgres",
     .after = true},
    {"fail_db_limit", SEV_FATAL, "too many connections for database \"limdb\"", "alice", NULL,
     .kind = EV_FAILED, .reason = FAIL_DB_LIMIT, .user = "alice", .db = "limdb", .after = true},
    {"fail_reserved_15", SEV_FATAL,
     "remaining connection slots are reserved for non-replication superuser connections", "alice",
     "postgres", .kind = EV_FAILED, .reason = FAIL_RESERVED_SLOTS, .user = "alice",
     .db = "postgres", .after = true},
    {"fail_reserved_16_superuser", SEV_FATAL,
     "remaining connection slots are reserved for roles with the SUPERUSER attribute",
     .kind = EV_FAILED, .reason = FAIL_RESERVED_SLOTS, .after = true},
    {"fail_reserved_16_pg_use_reserved", SEV_FATAL,
     "remaining connection slots are reserved for roles with privileges of the "
     "\"pg_use_reserved_connections\" role",
     .kind = EV_FAILED, .reason = FAIL_RESERVED_SLOTS, .after = true},
    {"fail_not_permitted_to_log_in", SEV_FATAL, "role \"nologin\" is not permitted to log in",
     .kind = EV_FAILED, .reason = FAIL_OTHER, .user = "nologin", .after = true},
    {"fail_db_not_accepting", SEV_FATAL,
     "database \"noconn\" is not currently accepting connections", .kind = EV_FAILED,
     .reason = FAIL_OTHER, .db = "noconn", .after = true},
    {"fail_no_connect_privilege", SEV_FATAL, "permission denied for database \"secret\"", "u",
     .kind = EV_FAILED, .reason = FAIL_OTHER, .user = "u", .db = "secret", .after = true},
    {"fail_invalid_database", SEV_FATAL, "cannot connect to invalid database \"half\"",
     .kind = EV_FAILED, .reason = FAIL_OTHER, .db = "half", .after = true},
    {"fail_walsender_role_old", SEV_FATAL,
     "must be superuser or replication role to start walsender", .kind = EV_FAILED,
     .reason = FAIL_OTHER, .repl = true, .after = true},
    {"fail_walsender_role_16", SEV_FATAL, "permission denied to start WAL sender",
     .kind = EV_FAILED, .reason = FAIL_OTHER, .repl = true, .after = true},
    {"role_missing_as_error", SEV_ERROR, "role \"ghost\" does not exist", .kind = EV_NONE},
    {"database_missing_as_error", SEV_ERROR, "database \"x\" does not exist", .kind = EV_NONE},

    /* slots and server state */
    {"fail_max_connections", SEV_FATAL, "sorry, too many clients already", "postgres", "postgres",
     .kind = EV_FAILED, .reason = FAIL_MAX_CONNECTIONS, .user = "postgres", .db = "postgres"},
    {"fail_max_wal_senders_96", SEV_FATAL,
     "number of requested standby connections exceeds max_wal_senders (currently 10)",
     .kind = EV_FAILED, .reason = FAIL_MAX_CONNECTIONS, .repl = true},
    {"fail_max_wal_senders_17", SEV_FATAL,
     "number of requested standby connections exceeds \"max_wal_senders\" (currently 10)",
     .kind = EV_FAILED, .reason = FAIL_MAX_CONNECTIONS, .repl = true},
    {"fail_starting_up", SEV_FATAL, "the database system is starting up", .kind = EV_FAILED,
     .reason = FAIL_NOT_ACCEPTING},
    {"fail_shutting_down", SEV_FATAL, "the database system is shutting down", .kind = EV_FAILED,
     .reason = FAIL_NOT_ACCEPTING},
    {"fail_recovery_mode", SEV_FATAL, "the database system is in recovery mode", .kind = EV_FAILED,
     .reason = FAIL_NOT_ACCEPTING},
    {"fail_not_yet_accepting_14", SEV_FATAL, "the database system is not yet accepting connections",
     .kind = EV_FAILED, .reason = FAIL_NOT_ACCEPTING},
    {"fail_not_accepting_14", SEV_FATAL, "the database system is not accepting connections",
     .kind = EV_FAILED, .reason = FAIL_NOT_ACCEPTING},

    /* protocol and timeout */
    {"fail_auth_timeout", SEV_FATAL, "canceling authentication due to timeout", .kind = EV_FAILED,
     .reason = FAIL_OTHER},
    {"fail_unsupported_protocol", SEV_FATAL,
     "unsupported frontend protocol 9.0: server supports 3.0 to 3.0", .kind = EV_FAILED,
     .reason = FAIL_OTHER},
    {"fail_unsupported_protocol_18", SEV_FATAL,
     "unsupported frontend protocol 3.9: server supports 3.0 to 3.2", .kind = EV_FAILED,
     .reason = FAIL_OTHER},
    {"fail_no_user_name", SEV_FATAL, "no PostgreSQL user name specified in startup packet",
     .kind = EV_FAILED, .reason = FAIL_OTHER},
    {"fail_expected_sasl", SEV_FATAL, "expected SASL response, got message type 88",
     .kind = EV_FAILED, .reason = FAIL_OTHER},
    {"incomplete_startup_packet", SEV_LOG, "incomplete startup packet", .kind = EV_FAILED,
     .reason = FAIL_OTHER},
    {"invalid_length_startup_packet", SEV_LOG, "invalid length of startup packet",
     .kind = EV_FAILED, .reason = FAIL_OTHER},
    {"unknown_fatal", SEV_FATAL, "out of memory", .kind = EV_NONE},

    /* sessions ending with a disconnection line to follow */
    {"end_admin_command", SEV_FATAL, "terminating connection due to administrator command", "alice",
     "postgres", .kind = EV_SESSION_ENDING, .user = "alice", .db = "postgres"},
    {"end_idle_session_14", SEV_FATAL, "terminating connection due to idle-session timeout",
     .kind = EV_SESSION_ENDING},
    {"end_idle_in_transaction", SEV_FATAL,
     "terminating connection due to idle-in-transaction timeout", .kind = EV_SESSION_ENDING},
    {"end_transaction_timeout_17", SEV_FATAL, "terminating connection due to transaction timeout",
     .kind = EV_SESSION_ENDING},
    {"end_conflict_with_recovery", SEV_FATAL,
     "terminating connection due to conflict with recovery", .kind = EV_SESSION_ENDING},
    {"end_postmaster_exit", SEV_FATAL, "terminating connection due to unexpected postmaster exit",
     .kind = EV_SESSION_ENDING},
    {"end_client_lost", SEV_FATAL, "connection to client lost", "trustuser", "postgres",
     .kind = EV_SESSION_ENDING, .user = "trustuser", .db = "postgres"},
    {"end_protocol_sync_lost", SEV_FATAL,
     "terminating connection because protocol synchronization was lost", .kind = EV_SESSION_ENDING},
    {"end_invalid_frontend_message", SEV_FATAL, "invalid frontend message type 88",
     .kind = EV_SESSION_ENDING},
    {"crash_warning_is_none", SEV_WARNING,
     "terminating connection because of crash of another server process", .kind = EV_NONE},
    {"sigquit_warning_is_none", SEV_WARNING,
     "terminating connection because of unexpected SIGQUIT signal", .kind = EV_NONE},
    {"could_not_receive_is_none", SEV_LOG,
     "could not receive data from client: Connection reset by peer", .kind = EV_NONE},

    /* 3 lifecycle */
    {"start_12", SEV_LOG, START15, .kind = EV_SERVER_START},
    {"start_shut_down_at", SEV_LOG, "database system was shut down at 2026-11-29 01:20:05 UTC",
     .kind = EV_SERVER_START},
    {"start_shut_down_in_recovery", SEV_LOG,
     "database system was shut down in recovery at 2026-11-29 01:20:05 UTC",
     .kind = EV_SERVER_START},
    {"start_interrupted", SEV_LOG,
     "database system was interrupted; last known up at 2026-11-29 02:20:58 CET",
     .kind = EV_SERVER_START},
    {"start_interrupted_in_recovery", SEV_LOG,
     "database system was interrupted while in recovery at 2026-11-29 02:20:58 CET",
     .kind = EV_SERVER_START},
    {"start_interrupted_in_recovery_log_time", SEV_LOG,
     "database system was interrupted while in recovery at log time 2026-11-29 02:20:58 CET",
     .kind = EV_SERVER_START},
    {"start_shutdown_interrupted", SEV_LOG,
     "database system shutdown was interrupted; last known up at 2026-11-29 02:20:58 CET",
     .kind = EV_SERVER_START},
    {"start_not_properly_shut_down_is_none", SEV_LOG,
     "database system was not properly shut down; automatic recovery in progress", .kind = EV_NONE},
    {"listening_is_none", SEV_LOG, "listening on IPv4 address \"127.0.0.1\", port 54329",
     .kind = EV_NONE},
    {"ready", SEV_LOG, "database system is ready to accept connections", .kind = EV_SERVER_READY},
    {"ready_read_only_96", SEV_LOG, "database system is ready to accept read only connections",
     .kind = EV_SERVER_READY},
    {"ready_read_only_14", SEV_LOG, "database system is ready to accept read-only connections",
     .kind = EV_SERVER_READY},
    {"crash_terminating_others", SEV_LOG, "terminating any other active server processes",
     .kind = EV_SERVER_CRASH},
    {"crash_reinitializing", SEV_LOG, "all server processes terminated; reinitializing",
     .kind = EV_SERVER_CRASH},
    {"crash_immediate_shutdown", SEV_LOG, "received immediate shutdown request",
     .kind = EV_SERVER_CRASH},
    {"crash_no_restart_14", SEV_LOG, "shutting down because restart_after_crash is off",
     .kind = EV_SERVER_CRASH},
    {"crash_no_restart_18", SEV_LOG, "shutting down because \"restart_after_crash\" is off",
     .kind = EV_SERVER_CRASH},
    {"stopped", SEV_LOG, "database system is shut down", .kind = EV_SERVER_STOPPED},
    {"shutdown_smart", SEV_LOG, "received smart shutdown request", .kind = EV_SHUTDOWN_REQUEST},
    {"shutdown_fast", SEV_LOG, "received fast shutdown request", .kind = EV_SHUTDOWN_REQUEST},
    {"shutting_down_is_none", SEV_LOG, "shutting down", .kind = EV_NONE},
    {"sighup_is_none", SEV_LOG, "received SIGHUP, reloading configuration files", .kind = EV_NONE},
    {"lifecycle_takes_no_prefix_fields", SEV_LOG, "database system is shut down", "u", "d",
     .kind = EV_SERVER_STOPPED},
    {"died_signal", SEV_LOG, "server process (PID 26747) was terminated by signal 9: Killed",
     .kind = EV_BACKEND_DIED, .has_pid = true, .other_pid = 26747},
    {"died_signal_96_no_text", SEV_LOG, "server process (PID 26747) was terminated by signal 9",
     .kind = EV_BACKEND_DIED, .has_pid = true, .other_pid = 26747},
    {"died_exit_code", SEV_LOG, "server process (PID 123) exited with exit code 2",
     .kind = EV_BACKEND_DIED, .has_pid = true, .other_pid = 123},
    {"died_exception", SEV_LOG, "server process (PID 5) was terminated by exception 0xC0000005",
     .kind = EV_BACKEND_DIED, .has_pid = true, .other_pid = 5},
    {"died_unrecognized", SEV_LOG, "server process (PID 7) exited with unrecognized status 99",
     .kind = EV_BACKEND_DIED, .has_pid = true, .other_pid = 7},
    {"died_18_client_backend", SEV_LOG,
     "client backend (PID 4242) was terminated by signal 11: Segmentation fault",
     .kind = EV_BACKEND_DIED, .has_pid = true, .other_pid = 4242},
    {"died_18_walsender", SEV_LOG, "walsender (PID 99) exited with exit code 2",
     .kind = EV_BACKEND_DIED, .has_pid = true, .other_pid = 99},
    {"died_background_worker_is_none", SEV_LOG,
     "background worker \"logical replication launcher\" (PID 5553) exited with exit code 1",
     .kind = EV_NONE},
    {"died_bad_pid", SEV_LOG, "server process (PID x) exited with exit code 2", .kind = EV_NONE},
    {"died_bad_tail", SEV_LOG, "server process (PID 1) did something", .kind = EV_NONE},

    /* a reload changing log_connections / log_disconnections (postmaster, LOG) */
    {"setting_disc_off", SEV_LOG, "parameter \"log_disconnections\" changed to \"off\"", "u", "d",
     .kind = EV_SETTING, .setting = SETTING_LOG_DISCONNECTIONS},
    {"setting_disc_on", SEV_LOG, "parameter \"log_disconnections\" changed to \"on\"",
     .kind = EV_SETTING, .setting = SETTING_LOG_DISCONNECTIONS, .on = true},
    {"setting_disc_unknown_severity", SEV_UNKNOWN,
     "parameter \"log_disconnections\" changed to \"off\"", .kind = EV_SETTING,
     .setting = SETTING_LOG_DISCONNECTIONS},
    {"setting_disc_name_any_case", SEV_LOG, "parameter \"Log_Disconnections\" changed to \"ON\"",
     .kind = EV_SETTING, .setting = SETTING_LOG_DISCONNECTIONS, .on = true},
    {"setting_disc_true_prefix", SEV_LOG, "parameter \"log_disconnections\" changed to \"tr\"",
     .kind = EV_SETTING, .setting = SETTING_LOG_DISCONNECTIONS, .on = true},
    {"setting_disc_yes", SEV_LOG, "parameter \"log_disconnections\" changed to \"yes\"",
     .kind = EV_SETTING, .setting = SETTING_LOG_DISCONNECTIONS, .on = true},
    {"setting_disc_1", SEV_LOG, "parameter \"log_disconnections\" changed to \"1\"",
     .kind = EV_SETTING, .setting = SETTING_LOG_DISCONNECTIONS, .on = true},
    {"setting_disc_false", SEV_LOG, "parameter \"log_disconnections\" changed to \"false\"",
     .kind = EV_SETTING, .setting = SETTING_LOG_DISCONNECTIONS},
    {"setting_disc_of", SEV_LOG, "parameter \"log_disconnections\" changed to \"of\"",
     .kind = EV_SETTING, .setting = SETTING_LOG_DISCONNECTIONS},
    {"setting_disc_0", SEV_LOG, "parameter \"log_disconnections\" changed to \"0\"",
     .kind = EV_SETTING, .setting = SETTING_LOG_DISCONNECTIONS},
    {"setting_disc_removed", SEV_LOG,
     "parameter \"log_disconnections\" removed from configuration file, reset to default",
     .kind = EV_SETTING, .setting = SETTING_LOG_DISCONNECTIONS},
    {"setting_disc_ambiguous_o_is_none", SEV_LOG,
     "parameter \"log_disconnections\" changed to \"o\"", .kind = EV_NONE},
    {"setting_disc_not_bool_is_none", SEV_LOG,
     "parameter \"log_disconnections\" changed to \"maybe\"", .kind = EV_NONE},
    {"setting_disc_too_long_is_none", SEV_LOG,
     "parameter \"log_disconnections\" changed to \"offf\"", .kind = EV_NONE},
    {"setting_disc_unterminated_is_none", SEV_LOG,
     "parameter \"log_disconnections\" changed to \"off", .kind = EV_NONE},
    {"setting_conn_off_96", SEV_LOG, "parameter \"log_connections\" changed to \"off\"",
     .kind = EV_SETTING, .setting = SETTING_LOG_CONNECTIONS},
    {"setting_conn_on", SEV_LOG, "parameter \"log_connections\" changed to \"on\"",
     .kind = EV_SETTING, .setting = SETTING_LOG_CONNECTIONS, .on = true},
    {"setting_conn_18_empty", SEV_LOG, "parameter \"log_connections\" changed to \"\"",
     .kind = EV_SETTING, .setting = SETTING_LOG_CONNECTIONS},
    {"setting_conn_18_all", SEV_LOG, "parameter \"log_connections\" changed to \"all\"",
     .kind = EV_SETTING, .setting = SETTING_LOG_CONNECTIONS, .on = true},
    {"setting_conn_18_list_with_authorization", SEV_LOG,
     "parameter \"log_connections\" changed to \"receipt, Authorization,setup_durations\"",
     .kind = EV_SETTING, .setting = SETTING_LOG_CONNECTIONS, .on = true},
    {"setting_conn_18_list_quoted_all", SEV_LOG,
     "parameter \"log_connections\" changed to \"receipt,\"all\"\"", .kind = EV_SETTING,
     .setting = SETTING_LOG_CONNECTIONS, .on = true},
    {"setting_conn_18_receipt_only", SEV_LOG,
     "parameter \"log_connections\" changed to \"receipt,authentication\"", .kind = EV_SETTING,
     .setting = SETTING_LOG_CONNECTIONS},
    {"setting_conn_18_authorization_prefix_is_not_it", SEV_LOG,
     "parameter \"log_connections\" changed to \"authorizations\"", .kind = EV_SETTING,
     .setting = SETTING_LOG_CONNECTIONS},
    {"setting_conn_removed", SEV_LOG,
     "parameter \"log_connections\" removed from configuration file, reset to default",
     .kind = EV_SETTING, .setting = SETTING_LOG_CONNECTIONS},
    {"setting_other_parameter_is_none", SEV_LOG, "parameter \"work_mem\" changed to \"64MB\"",
     .kind = EV_NONE},
    {"setting_longer_name_is_none", SEV_LOG, "parameter \"log_connections_x\" changed to \"on\"",
     .kind = EV_NONE},
    {"setting_needs_restart_is_none", SEV_LOG,
     "parameter \"log_connections\" cannot be changed without restarting the server",
     .kind = EV_NONE},
    {"setting_as_error_is_none", SEV_ERROR, "parameter \"log_connections\" changed to \"on\"",
     .kind = EV_NONE},
    {"setting_no_quote_is_none", SEV_LOG, "parameter \"log_connections", .kind = EV_NONE},
    {"empty_message", SEV_LOG, "", .kind = EV_NONE},
    {"statement_is_none", SEV_LOG, "statement: select 1", .kind = EV_NONE},
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

static struct slice S(const char *s) {
	return s ? slice_make(s, strlen(s)) : SLICE_NULL;
}

static struct pg_entry
entry_for(const struct ccase *c)
{
	struct pg_entry e;

	pg_entry_clear(&e);
	e.kind = ENTRY_MESSAGE;
	e.ts_ms = 1796000000123;
	e.pid = 4242;
	e.session_id = S("6b0b7dca.1092");
	e.sev = c->sev;
	e.message = S(c->msg);
	e.user = S(c->pu);
	e.database = S(c->pd);
	e.host = S(c->ph);
	e.application = S(c->pa);
	e.port = S(c->pp);
	return e;
}

static void check_slice(const char *what, const char *case_name, struct slice got, const char *want)
{
	size_t n = want ? strlen(want) : 0;
	if (got.len != n || (n && memcmp(got.p, want, n) != 0)) {
		print_error("%s: %s is '%.*s', want '%s'\n", case_name, what, (int)got.len,
			    got.p ? got.p : "", want ? want : "");
		fail();
	}
}

static void run_case(void **state)
{
	const struct ccase *c = *state;
	struct pg_entry e = entry_for(c);
	struct conn_event ev;
	enum ev_kind k = classify_entry(&e, &ev);

	assert_int_equal(k, c->kind);
	assert_int_equal(ev.kind, c->kind);
	assert_int_equal(ev.reason, c->reason);
	assert_true(ev.replication == c->repl);
	assert_true(ev.after_auth == c->after);
	assert_true(ev.ts_ms == e.ts_ms);
	assert_true(ev.pid == e.pid);
	assert_true(ev.session_id.p == e.session_id.p && ev.session_id.len == e.session_id.len);
	assert_true(ev.message.p == e.message.p && ev.message.len == e.message.len);
	assert_true(ev.session_ms == (c->has_ms ? c->ms : -1));
	assert_true(ev.other_pid == (c->has_pid ? c->other_pid : -1));
	check_slice("user", c->name, ev.user, c->user);
	check_slice("database", c->name, ev.database, c->db);
	check_slice("application", c->name, ev.application, c->app);
	check_slice("host", c->name, ev.host, c->host);
	check_slice("port", c->name, ev.port, c->port);
	assert_int_equal(ev.setting, c->setting);
	assert_true(ev.setting_on == c->on);
	/* The pre-test never rejects what the classifier accepts. */
	if (k != EV_NONE)
		assert_true(classify_maybe(e.sev, e.message.p, e.message.len));
	/* Anything classified is English. */
	if (k != EV_NONE)
		assert_true(classify_is_english(&e));
	if (k == EV_FAILED && c->after)
		assert_true(fail_reason_after_auth(c->reason) || c->reason == FAIL_OTHER);
	if (k == EV_FAILED && fail_reason_after_auth(c->reason))
		assert_true(ev.after_auth);
}

/* Every case's message cut at every length, in a buffer of exactly that size:
 * under ASan any read past the slice is caught. */
static void test_truncated_messages(void **state)
{
	(void)state;
	for (size_t i = 0; i < NCASES; i++) {
		size_t len = strlen(cases[i].msg);
		for (size_t n = 0; n <= len; n++) {
			char *buf = malloc(n ? n : 1);
			struct pg_entry e = entry_for(&cases[i]);
			struct conn_event ev;
			assert_non_null(buf);
			memcpy(buf, cases[i].msg, n);
			e.message = slice_make(n ? buf : NULL, n);
			enum ev_kind k = classify_entry(&e, &ev);
			if (k != EV_NONE)
				assert_true(classify_maybe(e.sev, e.message.p, e.message.len));
			(void)classify_is_english(&e);
			free(buf);
		}
	}
}

/* Only primary records are classified. */
static void test_secondary_lines(void **state)
{
	static const enum pg_sev secondary[] = {
	    SEV_DETAIL,    SEV_HINT,      SEV_QUERY, SEV_CONTEXT, SEV_LOCATION,
	    SEV_STATEMENT, SEV_BACKTRACE, SEV_DEBUG, SEV_INFO,    SEV_NOTICE,
	    SEV_WARNING,   SEV_ERROR,     SEV_PANIC};
	static const char *msgs[] = {
	    "connection received: host=[local]",
	    "disconnection: session time: 0:00:00.022 user=a database=b host=[local]",
	    "role \"ghost\" does not exist",
	    "database system is shut down",
	};
	struct conn_event ev;
	(void)state;

	for (size_t i = 0; i < sizeof(secondary) / sizeof(secondary[0]); i++) {
		for (size_t j = 0; j < sizeof(msgs) / sizeof(msgs[0]); j++) {
			struct ccase c = {.name = "x", .sev = secondary[i], .msg = msgs[j]};
			struct pg_entry e = entry_for(&c);
			assert_int_equal(classify_entry(&e, &ev), EV_NONE);
		}
	}
	/* A continuation or a foreign line is never classified, whatever it says. */
	{
		struct ccase c = {
		    .name = "x", .sev = SEV_LOG, .msg = "connection received: host=x"};
		struct pg_entry e = entry_for(&c);
		e.kind = ENTRY_CONTINUATION;
		assert_int_equal(classify_entry(&e, &ev), EV_NONE);
		assert_true(ev.pid == e.pid && ev.session_ms == -1 && ev.other_pid == -1);
		e.kind = ENTRY_OTHER;
		assert_int_equal(classify_entry(&e, &ev), EV_NONE);
		assert_false(classify_is_english(&e));
	}
}

static void test_maybe(void **state)
{
	(void)state;
	assert_true(classify_maybe(SEV_FATAL, "anything", 8));
	assert_true(classify_maybe(SEV_PANIC, "", 0));
	assert_false(classify_maybe(SEV_LOG, NULL, 0));
	assert_false(classify_maybe(SEV_LOG, "statement: select 1", 19));
	assert_false(classify_maybe(SEV_LOG, "checkpoint starting: time", 25));
	assert_false(classify_maybe(SEV_LOG, "duration: 0.1 ms", 16));
	assert_false(classify_maybe(SEV_ERROR, "connection received: host=x", 27));
	assert_false(classify_maybe(SEV_DETAIL, "connection received: host=x", 27));
	assert_true(classify_maybe(SEV_LOG, "connection received: host=x", 27));
	assert_true(classify_maybe(SEV_UNKNOWN, "connection received: host=x", 27));
	assert_false(classify_maybe(SEV_LOG, "c", 1));
	{
		static const char on[] = "parameter \"log_connections\" changed to \"on\"";
		/* (Not "parameter" alone: that may start a translation, Swedish
		 * "parametern »...«", and a fast path may hand over a start.) */
		static const char bare[] = "parameter x";
		assert_true(classify_maybe(SEV_LOG, on, sizeof(on) - 1));
		assert_true(classify_maybe(SEV_UNKNOWN, on, sizeof(on) - 1));
		assert_false(classify_maybe(SEV_NOTICE, on, sizeof(on) - 1));
		assert_false(classify_maybe(SEV_LOG, bare, sizeof(bare) - 1));
	}
}

static void test_reason_names(void **state)
{
	static const char *names[FAIL__COUNT] = {
	    "none",
	    "password_authentication_failed",
	    "authentication_failed",
	    "pg_hba_reject",
	    "database_does_not_exist",
	    "role_does_not_exist",
	    "role_connection_limit",
	    "database_connection_limit",
	    "reserved_connection_slots",
	    "max_connections",
	    "server_not_accepting",
	    "other",
	};
	(void)state;
	for (int r = 0; r < FAIL__COUNT; r++)
		assert_string_equal(fail_reason_name((enum fail_reason)r), names[r]);
	assert_string_equal(fail_reason_name(FAIL__COUNT), "other");

	for (int r = 0; r < FAIL__COUNT; r++) {
		bool want = r == FAIL_NO_DATABASE || r == FAIL_NO_ROLE || r == FAIL_ROLE_LIMIT ||
			    r == FAIL_DB_LIMIT || r == FAIL_RESERVED_SLOTS;
		assert_true(fail_reason_after_auth((enum fail_reason)r) == want);
	}
}

static bool english(enum pg_sev sev, const char *msg)
{
	struct ccase c = {.name = "x", .sev = sev, .msg = msg};
	struct pg_entry e = entry_for(&c);
	return classify_is_english(&e);
}

static void test_is_english(void **state)
{
	(void)state;
	assert_true(english(SEV_LOG, "checkpoint starting: time"));
	assert_true(english(SEV_LOG, "checkpoint complete: wrote 3999 buffers (48.8%)"));
	assert_true(english(SEV_LOG, "statement: select 1"));
	assert_true(english(SEV_LOG, "duration: 0.123 ms"));
	assert_true(english(SEV_LOG, "listening on IPv4 address \"127.0.0.1\", port 5432"));
	assert_true(english(SEV_LOG, "aborting any active transactions"));
	assert_true(english(SEV_LOG, "background worker \"logical replication launcher\" (PID 1) "
				     "exited with exit code 1"));
	assert_true(english(SEV_ERROR, "role \"ghost\" does not exist"));
	assert_true(english(SEV_UNKNOWN, "connection received: host=[local]"));
	assert_true(english(SEV_UNKNOWN, "sorry, too many clients already"));
	assert_false(english(SEV_UNKNOWN, "соединение получено: узел=[local]"));
	assert_false(english(SEV_UNKNOWN, "Verbindung empfangen: Host=[local]"));
	assert_false(english(SEV_UNKNOWN, "conexión recibida: host=[local]"));
	assert_false(english(SEV_LOG, ""));
}

/*
 * The corpus: a minimal stderr split (this test must not depend on the stderr
 * parser): "<date> <time> UTC [pid] [user@db ]SEV:  message".  Tab-indented
 * lines continue the previous record and are fed as continuations.
 */
struct corpus_counts {
	unsigned kinds[EV__COUNT];
	unsigned reasons[FAIL__COUNT];
	unsigned lines;
	unsigned my_app;     /* authorized with application "my app" */
	unsigned local_disc; /* disconnections from [local] */
	unsigned named_fail; /* failures carrying a user and a database */
	int64_t session_ms;  /* sum over disconnections */
};

static struct slice unknown_to_absent(struct slice s)
{
	return slice_eq(s, "[unknown]") ? SLICE_NULL : s;
}

static void split_line(char *line, size_t len, struct pg_entry *e)
{
	char *br, *sep, *sp;
	struct slice l = slice_make(line, len);

	pg_entry_clear(e);
	if (len && line[0] == '\t') {
		e->kind = ENTRY_CONTINUATION;
		e->message = slice_make(line + 1, len - 1);
		return;
	}
	br = memchr(line, ']', len);
	assert_non_null(br);
	assert_true(br + 2 <= line + len && br[1] == ' ');
	e->pid = strtoll(memchr(line, '[', len) + 1, NULL, 10);
	l = slice_make(br + 2, (size_t)(line + len - (br + 2)));
	sep = NULL;
	for (size_t i = 0; i + 3 <= l.len; i++) {
		if (memcmp(l.p + i, ":  ", 3) == 0) {
			sep = (char *)l.p + i;
			break;
		}
	}
	assert_non_null(sep);
	/* The severity word is the last word before ":  ". */
	sp = sep;
	while (sp > l.p && sp[-1] != ' ')
		sp--;
	e->sev_word = slice_make(sp, (size_t)(sep - sp));
	e->sev = pg_sev_from_word(sp, (size_t)(sep - sp));
	e->message = slice_make(sep + 3, (size_t)(line + len - (sep + 3)));
	if (sp > l.p) { /* "user@db " */
		const char *at = memchr(l.p, '@', (size_t)(sp - l.p));
		assert_non_null(at);
		e->user = unknown_to_absent(slice_make(l.p, (size_t)(at - l.p)));
		e->database = unknown_to_absent(slice_make(at + 1, (size_t)(sp - 1 - (at + 1))));
	}
	e->kind = ENTRY_MESSAGE;
	e->ts_ms = 0;
}

static void count_file(const char *rel, struct corpus_counts *cc)
{
	char path[4096];
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", FIXTURE_DIR, rel);
	f = fopen(path, "r");
	if (!f) {
		print_error("cannot open fixture '%s'\n", path);
		fail();
	}
	memset(cc, 0, sizeof(*cc));
	while ((n = getline(&line, &cap, f)) > 0) {
		struct pg_entry e;
		struct conn_event ev;
		size_t len = (size_t)n;
		if (line[len - 1] == '\n')
			len--;
		split_line(line, len, &e);
		enum ev_kind k = classify_entry(&e, &ev);
		cc->lines++;
		cc->kinds[k]++;
		if (k != EV_NONE) {
			assert_true(classify_maybe(e.sev, e.message.p, e.message.len));
			assert_true(classify_is_english(&e));
		}
		if (k == EV_FAILED) {
			cc->reasons[ev.reason]++;
			if (ev.user.len && ev.database.len)
				cc->named_fail++;
		}
		if (k == EV_AUTHORIZED) {
			assert_true(ev.user.len > 0 && ev.database.len > 0 &&
				    ev.application.len > 0);
			if (slice_eq(ev.application, "my app"))
				cc->my_app++;
		}
		if (k == EV_RECEIVED)
			assert_true(ev.host.len > 0);
		if (k == EV_DISCONNECTED) {
			assert_true(ev.session_ms >= 0 && ev.host.len > 0 && ev.user.len > 0);
			assert_true(ev.database.len > 0);
			cc->session_ms += ev.session_ms;
			if (slice_eq(ev.host, "[local]")) {
				assert_int_equal(ev.port.len, 0);
				cc->local_disc++;
			} else {
				assert_true(ev.port.len > 0);
			}
		}
	}
	free(line);
	fclose(f);
}

/* Expected numbers from grep over the fixture (see the commit adding this test). */
static void test_corpus_debian_prefix(void **state)
{
	struct corpus_counts cc;
	(void)state;

	count_file("debian-prefix/postgresql-2026-11-29_003703.log", &cc);
	assert_int_equal(cc.lines, 875);
	assert_int_equal(cc.kinds[EV_RECEIVED], 284);
	assert_int_equal(cc.kinds[EV_AUTHENTICATED], 38);
	assert_int_equal(cc.kinds[EV_AUTHORIZED], 278);
	assert_int_equal(cc.kinds[EV_DISCONNECTED], 254);
	assert_int_equal(cc.kinds[EV_FAILED], 13);
	assert_int_equal(cc.kinds[EV_SESSION_ENDING], 1);
	assert_int_equal(cc.kinds[EV_SERVER_START], 2); /* "starting" + "was shut down at" */
	assert_int_equal(cc.kinds[EV_SERVER_READY], 1);
	assert_int_equal(cc.kinds[EV_SERVER_CRASH], 0);
	assert_int_equal(cc.kinds[EV_SERVER_STOPPED], 0);
	assert_int_equal(cc.kinds[EV_BACKEND_DIED], 0);
	assert_int_equal(cc.kinds[EV_NONE], 4); /* 2 listening, 2 DETAIL */
	assert_int_equal(cc.reasons[FAIL_PASSWORD], 2);
	assert_int_equal(cc.reasons[FAIL_HBA_REJECT], 1);
	assert_int_equal(cc.reasons[FAIL_NO_DATABASE], 1);
	assert_int_equal(cc.reasons[FAIL_NO_ROLE], 2);
	assert_int_equal(cc.reasons[FAIL_ROLE_LIMIT], 2);
	assert_int_equal(cc.reasons[FAIL_DB_LIMIT], 2);
	assert_int_equal(cc.reasons[FAIL_RESERVED_SLOTS], 1);
	assert_int_equal(cc.reasons[FAIL_MAX_CONNECTIONS], 2);
	assert_int_equal(cc.named_fail, 13); /* user@db prefix fills what the text omits */
	assert_int_equal(cc.my_app, 43);
	assert_int_equal(cc.local_disc, 84);
	assert_true(cc.session_ms == 277519);

	count_file("debian-prefix/after-cut/postgresql-2026-11-29_003703.log", &cc);
	assert_int_equal(cc.lines, 23);
	assert_int_equal(cc.kinds[EV_DISCONNECTED], 16);
	assert_int_equal(cc.kinds[EV_SHUTDOWN_REQUEST], 1);
	assert_int_equal(cc.kinds[EV_SERVER_STOPPED], 1);
	assert_int_equal(cc.kinds[EV_NONE], 5);
	assert_true(cc.session_ms == 868149);
}

static void test_corpus_default_prefix(void **state)
{
	struct corpus_counts cc;
	(void)state;

	count_file("default-prefix/postgresql-2026-11-29_004152.log", &cc);
	assert_int_equal(cc.kinds[EV_RECEIVED], 1375);
	assert_int_equal(cc.kinds[EV_AUTHENTICATED], 87);
	assert_int_equal(cc.kinds[EV_AUTHORIZED], 1366);
	assert_int_equal(cc.kinds[EV_DISCONNECTED], 1314);
	assert_int_equal(cc.kinds[EV_FAILED], 20);
	assert_int_equal(cc.kinds[EV_SESSION_ENDING], 1);
	assert_int_equal(cc.kinds[EV_SERVER_START], 2);
	assert_int_equal(cc.kinds[EV_SERVER_READY], 1);
	assert_int_equal(cc.reasons[FAIL_PASSWORD], 3);
	assert_int_equal(cc.reasons[FAIL_HBA_REJECT], 2);
	assert_int_equal(cc.reasons[FAIL_NO_DATABASE], 2);
	assert_int_equal(cc.reasons[FAIL_NO_ROLE], 4);
	assert_int_equal(cc.reasons[FAIL_ROLE_LIMIT], 3);
	assert_int_equal(cc.reasons[FAIL_DB_LIMIT], 3);
	assert_int_equal(cc.reasons[FAIL_RESERVED_SLOTS], 1);
	assert_int_equal(cc.reasons[FAIL_MAX_CONNECTIONS], 2);
	assert_int_equal(cc.my_app, 92);
	assert_int_equal(cc.local_disc, 294);
	assert_true(cc.session_ms == 724908);

	count_file("default-prefix/after-cut/postgresql-2026-11-29_004152.log", &cc);
	assert_int_equal(cc.kinds[EV_DISCONNECTED], 39);
	assert_int_equal(cc.kinds[EV_SHUTDOWN_REQUEST], 1);
	assert_int_equal(cc.kinds[EV_SERVER_STOPPED], 1);
	assert_true(cc.session_ms == 4801872);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
	    cmocka_unit_test(test_truncated_messages),
	    cmocka_unit_test(test_secondary_lines),
	    cmocka_unit_test(test_maybe),
	    cmocka_unit_test(test_reason_names),
	    cmocka_unit_test(test_is_english),
	    cmocka_unit_test(test_corpus_debian_prefix),
	    cmocka_unit_test(test_corpus_default_prefix),
	};
	size_t nfixed = sizeof(fixed) / sizeof(fixed[0]);
	struct CMUnitTest *tests = calloc(NCASES + nfixed, sizeof(*tests));
	int rc;

	if (!tests)
		return 1;
	/* One named test per message case, so a failure names the variant. */
	for (size_t i = 0; i < NCASES; i++) {
		tests[i].name = cases[i].name;
		tests[i].test_func = run_case;
		tests[i].initial_state = (void *)&cases[i];
	}
	memcpy(tests + NCASES, fixed, sizeof(fixed));
	rc = _cmocka_run_group_tests("classify", tests, NCASES + nfixed, NULL, NULL);
	free(tests);
	return rc;
}
