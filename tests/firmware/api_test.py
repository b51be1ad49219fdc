#!/usr/bin/env python3
"""The full JavaScript API on a board (js/api_app): Date, RegExp, Map/Set,
typed arrays, fetch with a kept-alive connection, tls.connect, and reading
past the server's close on a tls.connect socket and a photon.TLSTCPClient.

  api_test.py --cli build/host/mcujs --image build/<board>/mcujs-runtime.elf --board <board>
              --provision build/<board>/provision

Starts, on the host's loopback: chronyd (the device's time over SNTP:
certificates need it, docs/time.md) and an HTTPS server (TLS 1.3, the
provisioned P-256 certificate for IP 10.0.2.2 and its CA: tools/fw_provision.sh)
that counts its connections; bundles the app with that CA and the server's port, runs it
with `mcujs qemu --board B` and checks each "api:" line, that the two
fetches shared one TLS connection, and the memory report.
"""
import argparse
import http.server
import os
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from firmware_test import BOARD_RAM, check_memory, fail  # noqa: E402
import ntp_server  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'  # keep-alive unless the client says close
    timeout = 30

    def setup(self):
        super().setup()
        with self.server.lock:
            self.server.connections += 1
            self.conn_no = self.server.connections
        self.requests = 0

    def do_GET(self):
        self.requests += 1
        body = (b'raw ok' if self.path == '/raw' else b'bye ok' if self.path == '/bye' else
                ('conn=%d req=%d' % (self.conn_no, self.requests)).encode())
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        # /raw (as every other path) ends with a plain TCP close, no
        # close_notify (Python's ssl never sends one unless unwrapped);
        # /bye sends close_notify, then waits for the client's (bounded by
        # the handler's timeout) before the TCP close.
        if self.path == '/bye':
            self.close_connection = True
            try:
                self.connection.unwrap()
            except (OSError, ValueError):
                pass  # the client closed without its close_notify: fine here

    def log_message(self, *args):
        pass


class HttpsServer:
    def __init__(self, pki):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        ctx.load_cert_chain(os.path.join(pki, 'server.pem'), os.path.join(pki, 'server.key'))
        self.httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        self.httpd.lock = threading.Lock()
        self.httpd.connections = 0
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={'poll_interval': 0.2}, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cli', required=True)
    ap.add_argument('--image', required=True)
    ap.add_argument('--board', required=True)
    ap.add_argument('--provision', required=True, help='the build tree\'s provision/ (ca.pem, server.pem, server.key)')
    ap.add_argument('--timeout', type=int, default=120)
    ap.add_argument('--entry', default='main.js',
                    help='main.js (the full API) or past_end.js (reading past the close alone: the an385)')
    a = ap.parse_args()
    a.cli, a.image = os.path.abspath(a.cli), os.path.abspath(a.image)
    work = tempfile.mkdtemp(prefix='mcujs-api-')
    server = chrony = None
    try:
        server = HttpsServer(os.path.abspath(a.provision))
        chrony = ntp_server.Chrony(work)
        cfg = os.path.join(work, 'app.json')
        with open(cfg, 'w') as f:
            # The device section: the NTP server (chronyd) the boot sets its clock from.
            f.write('{"port": %d, "device": {"ntp": "10.0.2.2:%d"}}\n' % (server.port, chrony.port))
        bundle = os.path.join(work, 'api.bundle')
        subprocess.run([a.cli, 'bundle', '--board', a.board, '-o', bundle, '--config', cfg,
                        '--ca', os.path.join(a.provision, 'ca.pem'), os.path.join(HERE, 'js', 'api_app', a.entry)],
                       check=True, timeout=60)
        cmd = [a.cli, 'qemu', '--board', a.board, '--image', a.image, '--net', 'user', '--timeout', str(a.timeout),
               bundle]
        p = subprocess.run(cmd, cwd=work, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=a.timeout + 30)
        out = p.stdout.decode('utf-8', 'replace').replace('\r\n', '\n')
        sys.stdout.write(out)
        if p.returncode != 0:
            fail('exit status %d' % p.returncode, out)
        want = {
            'date': r'2026-12-06T12:30:05\.000Z true',
            'regexp': r'59 abc',
            'mapset': r'3 3 ab',
            'typed': r'256 1018 2',
            'strings': r'4 x-y-z 61 f1 1f600 62',
            'fetch': r'200 conn=1 req=1 200 conn=1 req=2 reused=true connections=1',
            'tls': r'TLSv1\.3 HTTP/1\.1 200 OK body ok',
            # Past the server's close (docs/tls.md "Reading past the end"):
            # no close_notify = TLSError TRUNCATED; close_notify = null/"".
            'tls-end': r'TLSError TRUNCATED / body ok null null',
            'photon-end': r'body ok TLSError TRUNCATED TLSError TRUNCATED false '
                          r'Error NOT_CONNECTED \(read: client is not connected\) / '
                          r'body ok closed "" false ""',
        }
        # past_end.js: its three lines and connections (2 tls.connect, 2 TLSTCPClient).
        connections = 5
        if a.entry == 'past_end.js':
            want = {k: v for k, v in want.items() if k.endswith('-end') or k == 'strings'}
            connections = 4
        for what, rx in want.items():
            if not re.search(r'^INFO  api: %s %s$' % (what, rx), out, re.M):
                fail('api: %s: expected /%s/' % (what, rx), out)
        if server.httpd.connections != connections:
            fail('the server saw %d TLS connections, expected %d (fetch kept alive, 2 tls.connect, 2 TLSTCPClient)'
                 % (server.httpd.connections, connections), out)
        in_use = check_memory(out, BOARD_RAM[a.board])
        print('api_test: %s: %s in %d bytes of RAM' % (
            a.board, 'the full API' if a.entry == 'main.js' else 'reading past the close', in_use))
    finally:
        if chrony:
            chrony.stop()
        if server:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
