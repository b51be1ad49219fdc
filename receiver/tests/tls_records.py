#!/usr/bin/env python3
"""Fetches PATH from the receiver over TLS and reports the size of every TLS
record the receiver sent, read from the raw TCP stream (record headers:
type, version, 16-bit length) while Python's ssl decrypts the same bytes
through a MemoryBIO.

  tls_records.py PORT CAFILE PATH {1.2|1.3}

Prints one JSON object: {"version", "status", "body", "records": [[type, len]...]}.
Every wait is bounded (socket timeout, 20 s overall)."""
import json
import socket
import ssl
import sys
import time


def main():
    port, cafile, path, version = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    ctx = ssl.create_default_context(cafile=cafile)
    v = ssl.TLSVersion.TLSv1_3 if version == "1.3" else ssl.TLSVersion.TLSv1_2
    ctx.minimum_version = ctx.maximum_version = v
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = ctx.wrap_bio(incoming, outgoing, server_hostname="localhost")
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    deadline = time.monotonic() + 20
    raw = bytearray()    # everything the server sent, for the record parser
    plain = bytearray()  # decrypted HTTP response

    def flush():
        data = outgoing.read()
        if data:
            sock.sendall(data)

    def receive():
        if time.monotonic() > deadline:
            raise TimeoutError("no complete response within 20 s")
        data = sock.recv(65536)
        if not data:
            incoming.write_eof()
            return False
        raw.extend(data)
        incoming.write(data)
        return True

    while True:  # handshake
        try:
            tls.do_handshake()
            break
        except ssl.SSLWantReadError:
            flush()
            if not receive():
                raise ConnectionError("closed during the handshake")
    flush()
    request = f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    tls.write(request.encode())
    flush()
    while True:
        try:
            chunk = tls.read(65536)
            if not chunk:
                break
            plain.extend(chunk)
        except ssl.SSLWantReadError:
            flush()
            if not receive():
                break
        except (ssl.SSLZeroReturnError, ssl.SSLEOFError):
            break
    sock.close()

    records, i = [], 0
    while i + 5 <= len(raw):  # TLSPlaintext/TLSCiphertext headers
        length = (raw[i + 3] << 8) | raw[i + 4]
        records.append([raw[i], length])
        i += 5 + length
    head, _, body = bytes(plain).partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1]) if head.startswith(b"HTTP/") else 0
    print(json.dumps({"version": tls.version(), "status": status, "body": len(body), "records": records}))


if __name__ == "__main__":
    main()
