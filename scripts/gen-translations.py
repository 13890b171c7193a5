#!/usr/bin/env python3
# SPDX-License-Identifier: PostgreSQL
"""PostgreSQL's translated messages, as data and as C tables.

pgtail matches the connection messages of the server in every language its
backend ships.  The catalogs are the source of truth:

  gen-translations.py extract VERSION MO_DIR > data/translations/pgVERSION.tsv
      reads MO_DIR/LANG/LC_MESSAGES/postgres-VERSION.mo for every language
      (Debian installs them under /usr/share/locale) and keeps the entries
      the classifier needs (MSGIDS below): one line "LANG<TAB>MSGID<TAB>MSGSTR",
      tabs, newlines and backslashes escaped as \\t \\n \\\\, sorted.
  gen-translations.py tables SRCDIR TSV...
      writes SRCDIR/conn/lang_tables.c and SRCDIR/logfmt/sev_tables.c, the C
      tables, and SRCDIR/../tests/fuzz/fuzz_classify.dict, the fuzz target's
      dictionary (patterns split into literal pieces and arguments,
      severity words) from the committed data.

tests/unit (the 'lang_tables' meson test) checks that the committed C file is
what the second command writes from the committed data, byte for byte.

FORMS says what each message means: its kind and reason (the English
classifier's enums), the severity it comes at, and what each printf argument
holds.  Arguments are numbered as in the English msgid (a translation may
reorder them with %N$s).  A form may replace an argument by other pieces
before matching ("subst"): the "starting %s" argument always starts with
"PostgreSQL ", a "%s (PID %d)" names the process in the catalog's own words
("server process"), the " port=" of the disconnection line is no
translation, and the key of a table to index needs a literal start.
"""
import struct
import sys
import os

LANGS = ["de", "es", "fr", "it", "ja", "ka", "ko", "ru", "sv", "uk", "zh_CN"]

# Severity words (error_severity(): _("LOG") ...), and the enum they mean.
SEV_WORDS = [
    ("LOG", "SEV_LOG"),
    ("FATAL", "SEV_FATAL"),
    ("PANIC", "SEV_PANIC"),
    ("ERROR", "SEV_ERROR"),
    ("WARNING", "SEV_WARNING"),
    ("NOTICE", "SEV_NOTICE"),
    ("INFO", "SEV_INFO"),
    ("DEBUG", "SEV_DEBUG"),
    ("DETAIL:  ", "SEV_DETAIL"),
    ("HINT:  ", "SEV_HINT"),
    ("QUERY:  ", "SEV_QUERY"),
    ("CONTEXT:  ", "SEV_CONTEXT"),
    ("LOCATION:  ", "SEV_LOCATION"),
    ("STATEMENT:  ", "SEV_STATEMENT"),
    ("BACKTRACE:  ", "SEV_BACKTRACE"),
]

# Argument fields: U user, D database, A application_name, H host, P port,
# h m s f session time (hours, minutes, seconds, milliseconds), O the pid of
# another process, N V a setting's name and value, - nothing.
#
# (id, msgid, severity L(OG)/F(ATAL), kind, reason or ending, flags, fields,
#  subst).  The texts are PostgreSQL 15's, and those of 16-18 that differ
#  (marked): a catalog of another version gives the entries it has.  flags: a = after "connection authorized", r = replication only,
#  x = the setting was removed.
F = "F"
L = "L"
FORMS = [
    # LOG: the session's lines.
    ("received_port", "connection received: host=%s port=%s", L, "EV_RECEIVED", None, "", "HP", {}),
    ("received", "connection received: host=%s", L, "EV_RECEIVED", None, "", "H", {}),
    ("authenticated", "connection authenticated: identity=\"%s\" method=%s (%s:%d)", L,
     "EV_AUTHENTICATED", None, "", "----", {}),
    ("disconnection",
     "disconnection: session time: %d:%02d:%02d.%03d user=%s database=%s host=%s%s%s", L,
     "EV_DISCONNECTED", None, "", "hmsfUDH-P", {8: [(" port=",)]}),
    ("disconnection_local",
     "disconnection: session time: %d:%02d:%02d.%03d user=%s database=%s host=%s%s%s", L,
     "EV_DISCONNECTED", None, "", "hmsfUDH--", {8: [], 9: []}),
    ("authenticated_user", "connection authenticated: user=\"%s\" method=%s (%s:%d)", L,
     "EV_AUTHENTICATED", None, "", "U---", {}),  # 17+
    ("ready_setup", "connection ready: setup total=%.3f ms, fork=%.3f ms, authentication=%.3f "
     "ms", L, "EV_READY", None, "", "---", {}),  # 18
    ("incomplete_startup", "incomplete startup packet", L, "EV_FAILED", "FAIL_OTHER", "", "", {}),
    ("invalid_length", "invalid length of startup packet", L, "EV_FAILED", "FAIL_OTHER", "", "",
     {}),
    # LOG: the server's life.
    ("starting", "starting %s", L, "EV_SERVER_START", None, "", "-", {1: [("PostgreSQL ",), "%s"]}),
    ("shut_down_at", "database system was shut down at %s", L, "EV_SERVER_START", None, "", "-",
     {}),
    ("shut_down_recovery", "database system was shut down in recovery at %s", L,
     "EV_SERVER_START", None, "", "-", {}),
    ("interrupted", "database system was interrupted; last known up at %s", L, "EV_SERVER_START",
     None, "", "-", {}),
    ("interrupted_recovery", "database system was interrupted while in recovery at %s", L,
     "EV_SERVER_START", None, "", "-", {}),
    ("shutdown_interrupted", "database system shutdown was interrupted; last known up at %s", L,
     "EV_SERVER_START", None, "", "-", {}),
    ("ready", "database system is ready to accept connections", L, "EV_SERVER_READY", None, "",
     "", {}),
    ("ready_ro", "database system is ready to accept read-only connections", L,
     "EV_SERVER_READY", None, "", "", {}),
    ("crash_terminating", "terminating any other active server processes", L, "EV_SERVER_CRASH",
     None, "", "", {}),
    ("crash_reinit", "all server processes terminated; reinitializing", L, "EV_SERVER_CRASH",
     None, "", "", {}),
    ("immediate", "received immediate shutdown request", L, "EV_SERVER_CRASH", None, "", "", {}),
    ("no_restart", "shutting down because restart_after_crash is off", L, "EV_SERVER_CRASH",
     None, "", "", {}),
    ("no_restart_18", "shutting down because \"%s\" is off", L, "EV_SERVER_CRASH", None, "",
     "-", {1: [("restart_after_crash",)]}),  # 18
    ("shut_down", "database system is shut down", L, "EV_SERVER_STOPPED", None, "", "", {}),
    ("smart", "received smart shutdown request", L, "EV_SHUTDOWN_REQUEST", None, "", "", {}),
    ("fast", "received fast shutdown request", L, "EV_SHUTDOWN_REQUEST", None, "", "", {}),
    ("died_signal", "%s (PID %d) was terminated by signal %d: %s", L, "EV_BACKEND_DIED", None,
     "", "-O--", {1: [("@server process",)]}),
    ("died_exit", "%s (PID %d) exited with exit code %d", L, "EV_BACKEND_DIED", None, "", "-O-",
     {1: [("@server process",)]}),
    ("died_exception", "%s (PID %d) was terminated by exception 0x%X", L, "EV_BACKEND_DIED",
     None, "", "-O-", {1: [("@server process",)]}),
    ("died_status", "%s (PID %d) exited with unrecognized status %d", L, "EV_BACKEND_DIED", None,
     "", "-O-", {1: [("@server process",)]}),
    ("setting_changed", "parameter \"%s\" changed to \"%s\"", L, "EV_SETTING", None, "", "NV",
     {}),
    ("setting_removed", "parameter \"%s\" removed from configuration file, reset to default", L,
     "EV_SETTING", None, "x", "N", {}),
    # FATAL: refusals.
    ("too_many", "sorry, too many clients already", F, "EV_FAILED", "FAIL_MAX_CONNECTIONS", "", "",
     {}),
    ("standby_limit", "number of requested standby connections exceeds max_wal_senders "
     "(currently %d)", F, "EV_FAILED", "FAIL_MAX_CONNECTIONS", "r", "-", {}),
    ("reserved", "remaining connection slots are reserved for non-replication superuser "
     "connections", F, "EV_FAILED", "FAIL_RESERVED_SLOTS", "a", "", {}),
    ("reserved_superuser", "remaining connection slots are reserved for roles with the %s "
     "attribute", F, "EV_FAILED", "FAIL_RESERVED_SLOTS", "a", "-", {1: [("SUPERUSER",)]}),  # 16+
    ("reserved_role", "remaining connection slots are reserved for roles with privileges of the "
     "\"%s\" role", F, "EV_FAILED", "FAIL_RESERVED_SLOTS", "a", "-",
     {1: [("pg_use_reserved_connections",)]}),  # 16+
    ("starting_up", "the database system is starting up", F, "EV_FAILED", "FAIL_NOT_ACCEPTING",
     "", "", {}),
    ("shutting_down", "the database system is shutting down", F, "EV_FAILED",
     "FAIL_NOT_ACCEPTING", "", "", {}),
    ("recovery_mode", "the database system is in recovery mode", F, "EV_FAILED",
     "FAIL_NOT_ACCEPTING", "", "", {}),
    ("not_yet", "the database system is not yet accepting connections", F, "EV_FAILED",
     "FAIL_NOT_ACCEPTING", "", "", {}),
    ("not_accepting", "the database system is not accepting connections", F, "EV_FAILED",
     "FAIL_NOT_ACCEPTING", "", "", {}),
    ("cert_required", "connection requires a valid client certificate", F, "EV_FAILED",
     "FAIL_AUTH", "", "", {}),
    ("auth_timeout", "canceling authentication due to timeout", F, "EV_FAILED", "FAIL_OTHER", "",
     "", {}),
    ("protocol", "unsupported frontend protocol %u.%u: server supports %u.0 to %u.%u", F,
     "EV_FAILED", "FAIL_OTHER", "", "----", {}),
    ("no_user", "no PostgreSQL user name specified in startup packet", F, "EV_FAILED",
     "FAIL_OTHER", "", "", {}),
    ("layout", "invalid startup packet layout: expected terminator as last byte", F, "EV_FAILED",
     "FAIL_OTHER", "", "", {}),
    ("expected_password", "expected password response, got message type %d", F, "EV_FAILED",
     "FAIL_OTHER", "", "-", {}),
    ("expected_sasl", "expected SASL response, got message type %d", F, "EV_FAILED", "FAIL_OTHER",
     "", "-", {}),
    ("expected_gss", "expected GSS response, got message type %d", F, "EV_FAILED", "FAIL_OTHER",
     "", "-", {}),
    ("expected_sspi", "expected SSPI response, got message type %d", F, "EV_FAILED", "FAIL_OTHER",
     "", "-", {}),
    ("walsender_role", "must be superuser or replication role to start walsender", F, "EV_FAILED",
     "FAIL_OTHER", "ar", "", {}),
    ("password", "password authentication failed for user \"%s\"", F, "EV_FAILED",
     "FAIL_PASSWORD", "", "U", {}),
] + [
    (m.split()[0].strip('"').lower() + "_auth", m + " authentication failed for user \"%s\"", F,
     "EV_FAILED", "FAIL_AUTH", "", "U", {})
    for m in ["Peer", "Ident", "GSSAPI", "SSPI", "PAM", "BSD", "LDAP", "RADIUS", "certificate",
              "\"trust\""]
] + [
    ("host_rejected", "authentication failed for user \"%s\": host rejected", F, "EV_FAILED",
     "FAIL_HBA_REJECT", "", "U", {}),
    ("invalid_method", "authentication failed for user \"%s\": invalid authentication method", F,
     "EV_FAILED", "FAIL_AUTH", "", "U", {}),
    ("no_database", "database \"%s\" does not exist", F, "EV_FAILED", "FAIL_NO_DATABASE", "a",
     "D", {}),
    ("no_role", "role \"%s\" does not exist", F, "EV_FAILED", "FAIL_NO_ROLE", "a", "U", {}),
    ("role_limit", "too many connections for role \"%s\"", F, "EV_FAILED", "FAIL_ROLE_LIMIT", "a",
     "U", {}),
    ("db_limit", "too many connections for database \"%s\"", F, "EV_FAILED", "FAIL_DB_LIMIT", "a",
     "D", {}),
    ("no_login", "role \"%s\" is not permitted to log in", F, "EV_FAILED", "FAIL_OTHER", "a", "U",
     {}),
    ("db_not_accepting", "database \"%s\" is not currently accepting connections", F, "EV_FAILED",
     "FAIL_OTHER", "a", "D", {}),
    ("no_connect", "permission denied for database \"%s\"", F, "EV_FAILED", "FAIL_OTHER", "a", "D",
     {}),
    ("invalid_db", "cannot connect to invalid database \"%s\"", F, "EV_FAILED", "FAIL_OTHER", "a",
     "D", {}),  # 16+
    ("hba_rejects", "pg_hba.conf rejects connection for host \"%s\", user \"%s\", database "
     "\"%s\", %s", F, "EV_FAILED", "FAIL_HBA_REJECT", "", "HUD-", {}),
    ("hba_rejects_repl", "pg_hba.conf rejects replication connection for host \"%s\", user "
     "\"%s\", %s", F, "EV_FAILED", "FAIL_HBA_REJECT", "r", "HU-", {}),
    ("hba_none", "no pg_hba.conf entry for host \"%s\", user \"%s\", database \"%s\", %s", F,
     "EV_FAILED", "FAIL_HBA_REJECT", "", "HUD-", {}),
    ("hba_none_repl", "no pg_hba.conf entry for replication connection from host \"%s\", user "
     "\"%s\", %s", F, "EV_FAILED", "FAIL_HBA_REJECT", "r", "HU-", {}),
    # FATAL: an established session ends (its disconnection follows).
    ("end_admin", "terminating connection due to administrator command", F,
     "EV_SESSION_ENDING", "END_ADMIN", "", "", {}),
    ("end_idle_session", "terminating connection due to idle-session timeout", F,
     "EV_SESSION_ENDING", "END_IDLE_SESSION", "", "", {}),
    ("end_idle_tx", "terminating connection due to idle-in-transaction timeout", F,
     "EV_SESSION_ENDING", "END_IDLE_TX", "", "", {}),
    ("end_tx_timeout", "terminating connection due to transaction timeout", F,
     "EV_SESSION_ENDING", "END_TX_TIMEOUT", "", "", {}),  # 17+
    ("end_recovery", "terminating connection due to conflict with recovery", F,
     "EV_SESSION_ENDING", "END_RECOVERY_CONFLICT", "", "", {}),
    ("end_postmaster", "terminating connection due to unexpected postmaster exit", F,
     "EV_SESSION_ENDING", "END_POSTMASTER_EXIT", "", "", {}),
    ("end_protocol", "terminating connection because protocol synchronization was lost", F,
     "EV_SESSION_ENDING", "END_PROTOCOL", "", "", {}),
    ("end_client_lost", "connection to client lost", F, "EV_SESSION_ENDING", "END_CLIENT_LOST",
     "", "", {}),
    ("end_bad_message", "invalid frontend message type %d", F, "EV_SESSION_ENDING",
     "END_PROTOCOL", "", "-", {}),
]

# "connection authorized" is built from fragments (14+): a head, then the
# optional parts in this order.  Every combination is one pattern.
AUTH_HEADS = [
    ("authorized", "connection authorized: user=%s", False),
    ("authorized_repl", "replication connection authorized: user=%s", True),
]
AUTH_PARTS = [
    # (msgid, fields, required for a non-replication session)
    [(" database=%s", "D")],
    [(" application_name=%s", "A"), None],
    [(" SSL enabled (protocol=%s, cipher=%s, bits=%d)", "---"), None],
    [(" GSS (authenticated=%s, encrypted=%s, principal=%s)", "---"),
     (" GSS (authenticated=%s, encrypted=%s)", "--"), None],
]

# Other msgids read: the words substituted into forms ("@msgid").
EXTRA = ["server process"]

# Messages that are no connection event but common in any log: their
# translated starts tell the language of a log that has no connection lines.
DETECT = [
    "statement: %s",
    "duration: %s ms",
    "duration: %s ms  statement: %s",
    "checkpoint starting: %s",
    "execute %s: %s",
    "could not receive data from client: %m",
    "unexpected EOF on client connection with an open transaction",
    "syntax error at or near \"%s\"",
    "relation \"%s\" does not exist",
    "automatic vacuum of table \"%s.%s.%s\": index scans: %d\n",
    "automatic analyze of table \"%s.%s.%s\"\n",
    "redo starts at %X/%X",
    "listening on IPv4 address \"%s\", port %d",
    "listening on Unix socket \"%s\"",
    "received SIGHUP, reloading configuration files",
    "aborting any active transactions",
    "shutting down",
    "checkpoint complete: wrote %d buffers (%.1f%%); %d WAL file(s) added, %d removed, "
    "%d recycled; write=%ld.%03d s, sync=%ld.%03d s, total=%ld.%03d s; sync files=%d, "
    "longest=%ld.%03d s, average=%ld.%03d s; distance=%d kB, estimate=%d kB",
]


def msgids():
    ids = [w for w, _ in SEV_WORDS] + [f[1] for f in FORMS] + EXTRA + DETECT
    ids += [h[1] for h in AUTH_HEADS]
    for alts in AUTH_PARTS:
        ids += [a[0] for a in alts if a]
    return set(ids)


def read_mo(path):
    """{msgid: msgstr} of a compiled catalog (plural and context entries left out)."""
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    end = "<" if magic == 0x950412DE else ">"
    _, n, orig, trans = struct.unpack(end + "4I", data[4:20])
    out = {}
    for i in range(n):
        ol, oo = struct.unpack(end + "2I", data[orig + 8 * i:orig + 8 * i + 8])
        tl, to = struct.unpack(end + "2I", data[trans + 8 * i:trans + 8 * i + 8])
        mid = data[oo:oo + ol]
        if b"\0" in mid or b"\x04" in mid or not mid:
            continue
        out[mid.decode("utf-8")] = data[to:to + tl].decode("utf-8")
    return out


def esc(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def unesc(s):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            out.append({"t": "\t", "n": "\n", "\\": "\\"}[s[i + 1]])
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def extract(version, mo_dir):
    want = msgids()
    rows = []
    for lang in LANGS:
        path = os.path.join(mo_dir, lang, "LC_MESSAGES", "postgres-%s.mo" % version)
        cat = read_mo(path)
        for mid in sorted(want):
            if mid in cat and cat[mid]:
                rows.append((lang, mid, cat[mid]))
    for lang, mid, s in sorted(rows):
        sys.stdout.write("%s\t%s\t%s\n" % (lang, esc(mid), esc(s)))


# --- patterns -------------------------------------------------------------------

def parse_format(s):
    """A printf format as pieces: ("lit", text) and ("arg", n, conv), n from 1
    in the English order (%N$ taken as given)."""
    pieces, i, n, lit = [], 0, 0, []
    while i < len(s):
        c = s[i]
        if c != "%":
            lit.append(c)
            i += 1
            continue
        if s[i + 1] == "%":
            lit.append("%")
            i += 2
            continue
        j = i + 1
        pos = None
        k = j
        while k < len(s) and s[k].isdigit():
            k += 1
        if k < len(s) and s[k] == "$" and k > j:
            pos = int(s[j:k])
            j = k + 1
        while s[j] in "-+ #0123456789.*":
            j += 1
        while s[j] in "hlzjtqL":
            j += 1
        conv = s[j]
        if conv not in "sdiuxXfm":
            raise ValueError("unknown conversion %r in %r" % (conv, s))
        if lit:
            pieces.append(("lit", "".join(lit)))
            lit = []
        if conv == "m":
            pieces.append(("arg", 0, "s"))  # strerror: no argument
        else:
            n += 1
            pieces.append(("arg", pos if pos else n, conv))
        i = j + 1
    if lit:
        pieces.append(("lit", "".join(lit)))
    return pieces


def nargs(pieces):
    return max([p[1] for p in pieces if p[0] == "arg"] + [0])


def substitute(pieces, subst, cat):
    """Replace argument k by subst[k]: a list of ("text",) literals,
    ("@msgid",) the catalog's translation of msgid, or "%s" (the argument
    itself)."""
    out = []
    for p in pieces:
        if p[0] == "arg" and p[1] in subst:
            for r in subst[p[1]]:
                if r == "%s":
                    out.append(p)
                elif r[0].startswith("@"):
                    out.append(("lit", cat.get(r[0][1:], r[0][1:])))
                else:
                    out.append(("lit", r[0]))
        else:
            out.append(p)
    merged = []
    for p in out:
        if p[0] == "lit" and merged and merged[-1][0] == "lit":
            merged[-1] = ("lit", merged[-1][1] + p[1])
        elif p[0] != "lit" or p[1]:
            merged.append(p)
    return merged


def shift(pieces, by):
    return [("arg", p[1] + by, p[2]) if p[0] == "arg" and p[1] else p for p in pieces]


def c_str(s):
    b = s.encode("utf-8")
    out = ['"']
    prev_hex = False
    for ch in b:
        c = chr(ch)
        if c in '"\\':
            out.append("\\" + c)
            prev_hex = False
        elif 32 <= ch < 127:
            if prev_hex and c in "0123456789abcdefABCDEF":
                out.append('""')
            out.append(c)
            prev_hex = False
        elif c == "\n":
            out.append("\\n")
            prev_hex = False
        else:
            out.append("\\x%02x" % ch)
            prev_hex = True
    out.append('"')
    return "".join(out), len(b)


FIELD = {"U": "LF_USER", "D": "LF_DATABASE", "A": "LF_APPLICATION", "H": "LF_HOST",
         "P": "LF_PORT", "h": "LF_HOURS", "m": "LF_MINUTES", "s": "LF_SECONDS",
         "f": "LF_MILLIS", "O": "LF_OTHER_PID", "N": "LF_SETTING", "V": "LF_VALUE",
         "-": "LF_NONE"}


def first_line(pieces):
    """The pieces up to a newline in a text (None when there is none): a
    stderr log holds a message's first line only (the next are continuation
    lines), and the fields after it are lost there."""
    for i, p in enumerate(pieces):
        if p[0] == "lit" and "\n" in p[1]:
            head = p[1].split("\n")[0]
            return pieces[:i] + ([("lit", head)] if head else [])
    return None


def patterns_of(lang, cat):
    """Every pattern of one language: (form index, pieces, fields by arg);
    a message of several lines also as its first line alone, next."""
    out = []
    for fi, pieces, fields in patterns_whole(lang, cat):
        out.append((fi, pieces, fields))
        head = first_line(pieces)
        if head and head[0][0] == "lit":
            out.append((fi, head, fields))
    return out


def patterns_whole(lang, cat):
    out = []
    for fi, (fid, mid, sev, kind, reason, flags, fields, subst) in enumerate(FORMS):
        if mid not in cat:
            continue
        pieces = substitute(parse_format(cat[mid]), subst, cat)
        out.append((fi, pieces, fields))
    base = len(FORMS)
    for hi, (hid, hmid, repl) in enumerate(AUTH_HEADS):
        # A part the catalog lacks is printed in English: the head may be
        # English and the parts translated (zh_CN 15).
        combos = [(parse_format(cat.get(hmid, hmid)), "U", hmid in cat)]
        for alts in AUTH_PARTS:
            if repl and alts[0][0] == " database=%s":
                continue
            nxt = []
            for pieces, fields, tr in combos:
                for a in alts:
                    if a is None:
                        nxt.append((pieces, fields, tr))
                    else:
                        part = shift(parse_format(cat.get(a[0], a[0])), len(fields))
                        nxt.append((pieces + part, fields + a[1], tr or a[0] in cat))
            combos = nxt
        for pieces, fields, tr in combos:
            if tr:  # all in English: the English classifier reads it
                out.append((base + hi, substitute(pieces, {}, cat), fields))
    return out


def tables(outdir, paths):
    cats = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                lang, mid, s = line.rstrip("\n").split("\t")
                cats.setdefault(lang, {})[unesc(mid)] = unesc(s)
    langs = [l for l in LANGS if l in cats]
    out = open(os.path.join(outdir, "conn", "lang_tables.c"), "w", encoding="utf-8")
    w = out.write
    w(HEAD)
    w('#include "conn/lang_tables.h"\n\n')
    w("_Static_assert(LANG__COUNT == %d, \"LANG__COUNT is English and every catalog\");\n\n"
      % (len(langs) + 1))
    w("const char *const lang_codes[LANG__COUNT] = {\"en\"")
    for l in langs:
        w(", \"%s\"" % l)
    w("};\n\n")

    # Forms: what a match means.
    w("const struct lang_form lang_forms[] = {\n")
    for fid, mid, sev, kind, reason, flags, fields, subst in FORMS:
        w("    {%s, %s, %s, %s, %s, %s, %s}, /* %s */\n" % (
            kind, reason if reason and reason.startswith("FAIL_") else "FAIL_NONE",
            reason if reason and reason.startswith("END_") else "END_NONE",
            "true" if sev == F else "false", "true" if "a" in flags else "false",
            "true" if "r" in flags else "false", "true" if "x" in flags else "false", fid))
    for hid, hmid, repl in AUTH_HEADS:
        w("    {EV_AUTHORIZED, FAIL_NONE, END_NONE, false, false, %s, false}, /* %s */\n" % (
            "true" if repl else "false", hid))
    w("};\n")
    w("const size_t lang_forms_count = sizeof(lang_forms) / sizeof(lang_forms[0]);\n\n")

    pieces_out, pats = [], []
    for li, lang in enumerate(langs, 1):
        for fi, pieces, fields in patterns_of(lang, cats[lang]):
            first = len(pieces_out)
            for p in pieces:
                if p[0] == "lit":
                    pieces_out.append(("LP_LIT", "LF_NONE", p[1]))
                else:
                    typ = "LP_NUM" if p[2] in "diu" else (
                        "LP_HEX" if p[2] in "xX" else "LP_STR")
                    fld = fields[p[1] - 1] if p[1] and p[1] <= len(fields) else "-"
                    pieces_out.append((typ, FIELD[fld], None))
            pats.append((li, fi, first, len(pieces) ))
    w("const struct lang_piece lang_pieces[] = {\n")
    for typ, fld, text in pieces_out:
        if text is None:
            w("    {%s, %s, NULL, 0},\n" % (typ, fld))
        else:
            s, n = c_str(text)
            w("    {%s, %s, %s, %d},\n" % (typ, fld, s, n))
    w("};\n\n")
    w("const struct lang_pattern lang_patterns[] = {\n")
    for li, fi, first, n in pats:
        w("    {%d, %d, %d, %d},\n" % (li, fi, first, n))
    w("};\n")
    w("const size_t lang_patterns_count = sizeof(lang_patterns) / sizeof(lang_patterns[0]);\n\n")

    # Severity words: one meaning per word (a word two levels share in one
    # language keeps the first, the more severe).
    seen, words = {}, []
    for li, lang in enumerate(langs, 1):
        for eng, sev in SEV_WORDS:
            t = cats[lang].get(eng)
            if not t:
                continue
            if eng.endswith(":  "):
                if not t.endswith(":  "):
                    continue
                t = t[:-3]
            if t == eng.rstrip(": ") or any(c in t for c in " :"):
                continue
            if t in seen:
                if seen[t][0] != sev:
                    continue
                seen[t][1].append(li)
                continue
            seen[t] = (sev, [li])
            words.append(t)
    w("const struct lang_start lang_starts[] = {\n")
    for li, lit in detect_starts(langs, cats):
        s, n = c_str(lit)
        w("    {%s, %d, %d},\n" % (s, n, li))
    w("};\n")
    w("const size_t lang_starts_count = sizeof(lang_starts) / sizeof(lang_starts[0]);\n")
    out.close()

    out = open(os.path.join(outdir, "logfmt", "sev_tables.c"), "w", encoding="utf-8")
    w = out.write
    w(HEAD)
    w('#include "logfmt/sev_tables.h"\n\n')
    longest = max(len(t.encode()) for t in words)
    w("_Static_assert(PG_SEV_WORD_MAX >= %d, \"PG_SEV_WORD_MAX is the longest word\");\n\n"
      % longest)
    w("const struct sev_word_tr sev_words_tr[] = {\n")
    for t in words:
        sev, ls = seen[t]
        s, n = c_str(t)
        w("    {%s, %d, %s, 0x%xu},\n" % (s, n, sev, sum(1 << l for l in ls)))
    w("};\n")
    w("const size_t sev_words_tr_count = sizeof(sev_words_tr) / sizeof(sev_words_tr[0]);\n")
    out.close()
    fuzz_dict(os.path.join(outdir, "..", "tests", "fuzz", "fuzz_classify.dict"), langs, cats)


def fuzz_dict(path, langs, cats):
    """A libFuzzer dictionary of every text piece of the patterns and the
    severity words, for the classifier's fuzz target."""
    seen = []
    for lang in langs:
        for fi, pieces, fields in patterns_of(lang, cats[lang]):
            for p in pieces:
                if p[0] == "lit" and p[1] not in seen:
                    seen.append(p[1])
        for eng, sev in SEV_WORDS:
            t = cats[lang].get(eng)
            if t and t not in seen:
                seen.append(t)
    with open(path, "w", encoding="utf-8") as out:
        out.write("# Generated by scripts/gen-translations.py from data/translations/: "
                  "do not edit.\n")
        for t in seen:
            b = t.encode("utf-8")
            if len(b) > 64:
                b = b[:64]
            out.write('"%s"\n' % "".join(
                chr(c) if 32 <= c < 127 and chr(c) not in '"\\' else "\\x%02x" % c
                for c in b))


HEAD = ("/* SPDX-License-Identifier: PostgreSQL */\n"
        "/* Generated by scripts/gen-translations.py from data/translations/: do not edit. */\n"
        "/* clang-format off */\n")


def detect_starts(langs, cats):
    """Starts of common messages, to tell the language: (language, text)."""
    starts = []
    for li, lang in enumerate(langs, 1):
        for mid in DETECT:
            t = cats[lang].get(mid)
            if not t:
                continue
            p = parse_format(t)
            if p[0][0] != "lit" or len(p[0][1].encode()) < 4:
                continue
            lit = p[0][1]
            if mid.startswith(lit):
                continue  # the English words: they tell nothing
            starts.append((li, lit))
    return starts


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "extract":
        extract(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 4 and sys.argv[1] == "tables":
        tables(sys.argv[2], sys.argv[3:])
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main()
