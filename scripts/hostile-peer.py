#!/usr/bin/env python3
"""Hostile peers for nlsprobe's tests: servers and proxies that misbehave on purpose.

    hostile-peer.py [--cert PEM --key PEM] [--lifetime SECONDS] MODE...

Listens on one loopback port per MODE and prints "PORTS p1 p2 ..." once every listener is up
(tests wait for that line, never for a timer). Exits when standard input closes (the test that
started it ended, however it ended) or after --lifetime seconds. Every connection is closed after
at most CONNECTION_LIFETIME seconds; every loop is bounded in time.

Modes (what the peer does with each connection):
  tarpit            accept, read, never answer
  drip              an endless HTTP header, one byte every 0.2 s
  tls-drip          a TLS record header promising a long handshake message, then one byte every 0.2 s
  garbage           read the first bytes, answer with binary junk and escape sequences, stay open
  flood             "HTTP/1.1 200 OK" then header lines as fast as the peer reads them
  hugeline          a 1 MB header line
  alert             read the ClientHello, answer with a TLS handshake_failure alert, close
  reset             reset the connection right after accepting it
  status:CODE[:SERVER[:VIA]]  answer any request (CONNECT included) with CODE, that Server header and
                    that Via header (a redirect to a login page for 3xx)
  escape            answer 403 with escape sequences, a table pipe and HTML in Server and X-Squid-Error
  connect-ok-then:MODE  answer CONNECT with 200, then behave as MODE inside the tunnel
  socks-ok-then:MODE    complete a SOCKS5 handshake (no auth) with success, then behave as MODE
  tls+MODE          complete a TLS handshake (--cert/--key), then behave as MODE inside it
"""

import select
import socket
import ssl
import struct
import sys
import threading
import time

CONNECTION_LIFETIME = 30.0
PHRASES = {
    200: "OK",
    302: "Found",
    403: "Forbidden",
    404: "Not Found",
    407: "Proxy Authentication Required",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
ESCAPES = "\x1b]0;owned\x07evil\x1b[2J | <b>bold</b> `tick`"


def read_some(conn, deadline, want=0):
    """Reads a request: up to its blank line, or `want` bytes of a binary protocol; once something
    came, 0.3 s of silence ends it too, and so does the deadline."""
    data = b""
    last = time.monotonic()
    while time.monotonic() < deadline and len(data) < 65536:
        if (want and len(data) >= want) or b"\r\n\r\n" in data:
            return data
        pending = conn.pending() if isinstance(conn, ssl.SSLSocket) else 0
        if not pending:
            r, _, _ = select.select([conn], [], [], 0.1)
            if not r:
                if data and time.monotonic() - last >= 0.3:
                    return data
                continue
        try:
            chunk = conn.recv(4096)
        except (OSError, ssl.SSLError):
            return data
        if not chunk:
            return data
        data += chunk
        last = time.monotonic()
    return data


def hold(conn, deadline):
    """Reads and discards until the peer closes or the deadline passes."""
    while time.monotonic() < deadline:
        try:
            r, _, _ = select.select([conn], [], [], 0.2)
            if r and not conn.recv(4096):
                return
        except (OSError, ssl.SSLError):
            return


def send(conn, data):
    try:
        conn.sendall(data)
        return True
    except (OSError, ssl.SSLError):
        return False


def behave(conn, mode, deadline, context):
    if mode == "tarpit":
        hold(conn, deadline)
    elif mode == "drip":
        read_some(conn, deadline)
        for byte in b"HTTP/1.1 200 OK\r\nX-Drip: " + b"a" * 100000:
            if time.monotonic() >= deadline or not send(conn, bytes([byte])):
                return
            time.sleep(0.2)
    elif mode == "tls-drip":
        read_some(conn, deadline)
        # A handshake record of 16,000 bytes, of which one byte comes every 0.2 s.
        if not send(conn, b"\x16\x03\x03\x3e\x80\x02"):
            return
        while time.monotonic() < deadline and send(conn, b"\x00"):
            time.sleep(0.2)
    elif mode == "garbage":
        read_some(conn, deadline)
        send(conn, b"\x00\x01\x02garbage\xff\xfe" + ESCAPES.encode() + b"\r\n\r\n")
        hold(conn, deadline)
    elif mode == "flood":
        read_some(conn, deadline)
        if not send(conn, b"HTTP/1.1 200 OK\r\n"):
            return
        line = 0
        while time.monotonic() < deadline and line < 1000000:
            if not send(conn, b"X-Flood-%d: %s\r\n" % (line, b"f" * 100)):
                return
            line += 1
    elif mode == "hugeline":
        read_some(conn, deadline)
        send(conn, b"HTTP/1.1 200 OK\r\nX-Huge: " + b"h" * 1000000 + b"\r\n\r\n")
        hold(conn, deadline)
    elif mode == "alert":
        read_some(conn, deadline, want=5)
        send(conn, b"\x15\x03\x03\x00\x02\x02\x28")
    elif mode == "reset":
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    elif mode.startswith("status:"):
        read_some(conn, deadline)
        parts = mode.split(":")
        code = int(parts[1])
        server = parts[2] if len(parts) > 2 else "hostile"
        body = b"<html><body>%d from the hostile peer</body></html>" % code
        head = "HTTP/1.1 %d %s\r\nServer: %s\r\nContent-Type: text/html\r\nContent-Length: %d\r\n" % (
            code, PHRASES.get(code, "Status"), server, len(body))
        if len(parts) > 3:
            head += "Via: %s\r\n" % parts[3]
        if 300 <= code < 400:
            head += "Location: http://login.invalid/portal\r\n"
        if code == 407:
            head += "Proxy-Authenticate: Basic realm=\"hostile\"\r\n"
        send(conn, head.encode() + b"\r\n" + body)
        hold(conn, deadline)
    elif mode == "escape":
        read_some(conn, deadline)
        body = b"<html>denied</html>"
        head = "HTTP/1.1 403 Forbidden\r\nServer: %s\r\nX-Squid-Error: ERR_%s\r\nContent-Length: %d\r\n\r\n" % (
            ESCAPES, ESCAPES, len(body))
        send(conn, head.encode("latin-1") + body)
        hold(conn, deadline)
    elif mode.startswith("connect-ok-then:"):
        request = read_some(conn, deadline)
        if not request.startswith(b"CONNECT"):
            return
        if send(conn, b"HTTP/1.1 200 Connection established\r\n\r\n"):
            behave(conn, mode.split(":", 1)[1], deadline, context)
    elif mode.startswith("socks-ok-then:"):
        greeting = read_some(conn, deadline, want=3)
        if not greeting.startswith(b"\x05") or not send(conn, b"\x05\x00"):
            return
        request = read_some(conn, deadline, want=10)
        if len(request) < 4:
            return
        if send(conn, b"\x05\x00\x00\x01\x7f\x00\x00\x01" + struct.pack(">H", 9)):
            behave(conn, mode.split(":", 1)[1], deadline, context)
    elif mode.startswith("tls+"):
        if context is None:
            return
        try:
            conn.settimeout(max(0.1, deadline - time.monotonic()))
            wrapped = context.wrap_socket(conn, server_side=True)
            wrapped.settimeout(None)
        except (OSError, ssl.SSLError):
            return
        behave(wrapped, mode[4:], deadline, context)
    else:
        sys.stderr.write("hostile-peer: unknown mode %r\n" % mode)


def serve(listener, mode, context, stop):
    while not stop.is_set():
        r, _, _ = select.select([listener], [], [], 0.2)
        if not r:
            continue
        try:
            conn, _ = listener.accept()
        except OSError:
            continue
        deadline = time.monotonic() + CONNECTION_LIFETIME

        def run(conn=conn, deadline=deadline):
            try:
                behave(conn, mode, deadline, context)
            finally:
                try:
                    conn.close()
                except OSError:
                    pass

        threading.Thread(target=run, daemon=True).start()


def main(argv):
    cert = key = None
    lifetime = 300.0
    modes = []
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--cert":
            cert = args.pop(0)
        elif arg == "--key":
            key = args.pop(0)
        elif arg == "--lifetime":
            lifetime = float(args.pop(0))
        else:
            modes.append(arg)
    context = None
    if cert and key:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
    stop = threading.Event()
    ports = []
    for mode in modes:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(128)
        ports.append(listener.getsockname()[1])
        threading.Thread(target=serve, args=(listener, mode, context, stop), daemon=True).start()
    print("PORTS " + " ".join(str(p) for p in ports), flush=True)
    end = time.monotonic() + lifetime
    while time.monotonic() < end:
        r, _, _ = select.select([sys.stdin], [], [], 0.5)
        if r and not sys.stdin.buffer.read1(4096):
            break
    stop.set()


if __name__ == "__main__":
    main(sys.argv[1:])
