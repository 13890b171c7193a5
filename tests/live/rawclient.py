#!/usr/bin/env python3
# SPDX-License-Identifier: PostgreSQL
"""A minimal PostgreSQL client that sends no application_name (unless asked).

    rawclient.py HOST PORT USER DATABASE [--source ADDR] [--app NAME]

HOST is an IP address or a unix socket directory.  --source binds the TCP
connection to the local address ADDR (127.0.0.2: the server sees a client
from another host); --app sends application_name NAME.  Speaks the v3 startup
handshake with trust authentication only, prints the backend PID once the
server is ready for queries, then holds the session open until its standard
input reaches end of file, and ends it with a Terminate message.  libpq-based
clients always send an application name (psql falls back to "psql"); this one
gives the live tests a session whose application_name is empty.
"""
import socket
import struct
import sys


def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise EOFError("server closed the connection")
        buf += chunk
    return buf


def main():
    args = sys.argv[1:]
    source = app = None
    while len(args) > 4 and args[-2] in ("--source", "--app"):
        if args[-2] == "--source":
            source = args[-1]
        else:
            app = args[-1]
        args = args[:-2]
    if len(args) != 4:
        sys.stderr.write("usage: rawclient.py HOST PORT USER DATABASE [--source ADDR] [--app NAME]\n")
        return 2
    host, port, user, db = args[0], int(args[1]), args[2], args[3]
    if host.startswith("/"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect("%s/.s.PGSQL.%d" % (host, port))
    else:
        sock = socket.create_connection((host, port), source_address=(source, 0) if source else None)

    params = b"user\0" + user.encode() + b"\0database\0" + db.encode() + b"\0"
    if app is not None:
        params += b"application_name\0" + app.encode() + b"\0"
    params += b"\0"
    body = struct.pack("!I", 196608) + params
    sock.sendall(struct.pack("!I", len(body) + 4) + body)

    pid = None
    while True:
        kind = recv_exact(sock, 1)
        (length,) = struct.unpack("!I", recv_exact(sock, 4))
        payload = recv_exact(sock, length - 4)
        if kind == b"R":
            (code,) = struct.unpack("!I", payload[:4])
            if code != 0:
                sys.stderr.write("authentication method %d is not supported\n" % code)
                return 1
        elif kind == b"K":
            pid = struct.unpack("!I", payload[:4])[0]
        elif kind == b"E":
            sys.stderr.write("server error: %r\n" % payload)
            return 1
        elif kind == b"Z":
            break
    sys.stdout.write("%d\n" % pid)
    sys.stdout.flush()

    sys.stdin.read()  # hold the session until end of input
    try:
        sock.sendall(b"X" + struct.pack("!I", 4))
    except OSError:
        pass  # the server may be gone (crash, restart)
    sock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
