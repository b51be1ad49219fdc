#!/usr/bin/env python3
"""HTTPS server for bench/tls_resumption.sh: answers every POST with a short
200, HTTP/1.1 keep-alive unless the request says Connection: close. One
SSLContext for the server's life, so its TLS 1.3 tickets (and TLS 1.2
tickets) stay valid across connections. GET /stats returns and resets the
counts of TLS connections and of those that resumed a session (the
server's view, to check what each client run really did).

Usage: https_server.py CERTCHAIN KEY PORTFILE [tls1.2|tls1.3]
Writes the port it listens on (127.0.0.1, kernel-chosen) to PORTFILE.
"""
import http.server
import json
import os
import ssl
import sys
import threading


STATS = {"connections": 0, "resumed": 0}
LOCK = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        with LOCK:
            STATS["connections"] += 1
            STATS["resumed"] += 1 if self.request.session_reused else 0

    def do_GET(self):
        with LOCK:
            body = json.dumps(STATS).encode() + b"\n"
            STATS["connections"] = STATS["resumed"] = 0
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def _reply(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        body = b"accepted\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = _reply

    def log_message(self, *args):
        pass


def main():
    chain, key, portfile = sys.argv[1:4]
    version = sys.argv[4] if len(sys.argv) > 4 else "tls1.3"
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(chain, key)
    v = ssl.TLSVersion.TLSv1_3 if version == "tls1.3" else ssl.TLSVersion.TLSv1_2
    ctx.minimum_version = ctx.maximum_version = v
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(portfile + ".tmp", portfile)
    srv.serve_forever()


if __name__ == "__main__":
    main()
