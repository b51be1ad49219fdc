#!/usr/bin/env python3
"""Request smuggling shapes: each must get 400 (or 413/431 for the limits)
and the connection closed right after, with the bytes that follow never
parsed as a second request. Also the framing that must work: pipelined
requests, chunked bodies, keep-alive.

  smuggling.py PORT CAFILE SECRET

Prints one line per case; exit status 1 if any case fails. Every socket
wait is bounded (3 s), the whole run by the caller's timeout."""
import re
import socket
import ssl
import sys
import time

PORT, CAFILE, SECRET = int(sys.argv[1]), sys.argv[2], sys.argv[3]
CTX = ssl.create_default_context(cafile=CAFILE)
FAILED = []


def body(i):
    return f"event=smuggle&data=%7B%7D&coreid=hub-1&id={i}"


def head(extra, method="POST", target="/events"):
    return (f"{method} {target} HTTP/1.1\r\nHost: localhost\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nSecret: {SECRET}\r\n"
            + (extra + "\r\n" if extra else "") + "\r\n")


def exchange(data, wait=3.0):
    """Sends data, reads until the server closes or `wait` passes.
    Returns (bytes received, closed by the server)."""
    sock = socket.create_connection(("127.0.0.1", PORT), timeout=wait)
    tls = CTX.wrap_socket(sock, server_hostname="localhost")
    tls.settimeout(wait)
    try:
        tls.sendall(data.encode() if isinstance(data, str) else data)
    except (ssl.SSLError, OSError):
        pass
    got, closed, deadline = b"", False, time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            chunk = tls.recv(65536)
        except socket.timeout:
            break
        except (ssl.SSLError, OSError):
            closed = True
            break
        if not chunk:
            closed = True
            break
        got += chunk
    tls.close()
    return got, closed


def statuses(got):
    return [int(m) for m in re.findall(r"HTTP/1\.1 (\d{3}) ", got.decode("latin-1"))]


def case(name, data, want, closed=True):
    got, was_closed = exchange(data)
    st = statuses(got)
    ok = st == want and (was_closed or not closed)
    print(f"{'ok' if ok else 'FAIL'}: {name}: statuses {st} (want {want}), closed {was_closed}")
    if not ok:
        FAILED.append(name)


# The next request on the same connection: must never be answered after a refusal.
SMUGGLED = head(f"Content-Length: {len(body(999))}") + body(999)

b = body(1)
case("two different Content-Length", head(f"Content-Length: {len(b)}\r\nContent-Length: 40") + b + SMUGGLED, [400])
case("the same Content-Length twice", head(f"Content-Length: {len(b)}\r\nContent-Length: {len(b)}") + b + SMUGGLED, [400])
case("Content-Length: 3abc", head("Content-Length: 3abc") + "abc" + SMUGGLED, [400])
case("Content-Length: +3", head("Content-Length: +3") + "abc" + SMUGGLED, [400])
case("Content-Length: 3, 40", head("Content-Length: 3, 40") + "abc" + SMUGGLED, [400])
case("Content-Length: -1", head("Content-Length: -1") + SMUGGLED, [400])
case("chunk size 0x33", head("Transfer-Encoding: chunked") + "0x33\r\n" + b + "\r\n0\r\n\r\n" + SMUGGLED, [400])
case("chunk data without CRLF", head("Transfer-Encoding: chunked") + f"{len(b):x}\r\n{b}0\r\n\r\n" + SMUGGLED, [400])
case("Transfer-Encoding : chunked (space before colon)",
     head(f"Transfer-Encoding : chunked\r\nContent-Length: {len(b)}") + b + SMUGGLED, [400])
case("Transfer-Encoding and Content-Length", head(f"Transfer-Encoding: chunked\r\nContent-Length: {len(b)}") +
     f"{len(b):x}\r\n{b}\r\n0\r\n\r\n" + SMUGGLED, [400])
case("Content-Length and Transfer-Encoding", head(f"Content-Length: {len(b)}\r\nTransfer-Encoding: chunked") +
     f"{len(b):x}\r\n{b}\r\n0\r\n\r\n" + SMUGGLED, [400])
case("Transfer-Encoding: gzip, chunked", head("Transfer-Encoding: gzip, chunked") + "0\r\n\r\n" + SMUGGLED, [400])
case("Transfer-Encoding twice", head("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked") + "0\r\n\r\n" +
     SMUGGLED, [400])
case("POST without length", head("") + b + SMUGGLED, [400])
case("bare LF line endings", head(f"Content-Length: {len(b)}").replace("\r\n", "\n") + b + SMUGGLED, [400])
case("obs-fold", head(f"X-A: 1\r\n  continued\r\nContent-Length: {len(b)}") + b + SMUGGLED, [400])
case("control character in a field", head(f"X-A: a\x01b\r\nContent-Length: {len(b)}") + b + SMUGGLED, [400])
case("HTTP/1.2", head(f"Content-Length: {len(b)}").replace("HTTP/1.1", "HTTP/1.2", 1) + b + SMUGGLED, [400])
case("413 from Content-Length before the body",
     head("Content-Length: 1000000000") + SMUGGLED, [413])
case("65 header fields", head("".join(f"X-{i}: {i}\r\n" for i in range(61)) + f"Content-Length: {len(b)}") + b, [431])
case("17 KB of header", head("X-Big: " + "a" * 17000 + f"\r\nContent-Length: {len(b)}") + b, [431])

# What must keep working: two pipelined requests answered in order, a
# chunked body, and a GET after a POST on one kept-alive connection.
b2, b3 = body(2), body(3)
case("pipelined requests", head(f"Content-Length: {len(b2)}") + b2 + head(f"Content-Length: {len(b3)}\r\nConnection: close") + b3,
     [201, 201])
b4 = body(4)
case("chunked body", head("Transfer-Encoding: chunked\r\nConnection: close") + f"{len(b4[:10]):x}\r\n{b4[:10]}\r\n" +
     f"{len(b4[10:]):x}\r\n{b4[10:]}\r\n0\r\n\r\n", [201])
case("keep-alive then close", head(f"Content-Length: {len(body(5))}") + body(5) +
     "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", [201, 200])
# Escapes in a path must not reach the log as terminal control sequences.
case("escape sequence in the path", "GET /%1b[2J%0d%0aFAKE HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", [404])
case("raw ESC in the path", "GET /\x1b[2J HTTP/1.1\r\nHost: localhost\r\n\r\n", [400])
sys.exit(1 if FAILED else 0)
