#!/usr/bin/env python3
"""The Web globals written in JavaScript on a board (js/web_js): URL,
URLSearchParams, FormData, structuredClone, AbortController,
AbortSignal.timeout and a response body read as a ReadableStream. The
image has no JavaScript parser: `mcujs bundle` compiles the ones each app
names into its bundle (modules/bindings/js_text.h, docs/firmware.md).

  web_js_test.py --cli build/host/mcujs --image build/<board>/mcujs-runtime.elf --board <board>
                 [--apps url.js,form.js,...]

Starts chronyd (the device's clock) and a plain HTTP server on the host's
loopback that parses what the device sends (the query, the multipart form)
and answers with what it found; bundles each app of --apps (one or two
globals each: see APPS), checks that each bundle holds exactly the compiled
texts its app reaches, runs it with `mcujs qemu --board B`, checks every
"webjs:" line, that the aborted fetch never reached the server, and the
memory report.
"""
import argparse
import email.parser
import email.policy
import http.server
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from firmware_test import BOARD_RAM, check_memory, fail  # noqa: E402
import ntp_server  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BODY = bytes(i % 251 for i in range(4000))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    timeout = 30

    def reply(self, body, ctype='text/plain'):
        self.send_response(200)
        self.send_header('Content-Type', ctype)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path, _, query = self.path.partition('?')
        self.server.paths.append(path)
        if path == '/echo':  # the query as the server parses it
            self.reply(json.dumps(urllib.parse.parse_qsl(query), separators=(',', ':')).encode())
        elif path == '/slow':  # later than the app's AbortSignal.timeout(500)
            time.sleep(3)
            try:
                self.reply(b'late')
            except OSError:  # the device closed the connection when it aborted: expected
                self.close_connection = True
        elif path == '/bytes':
            self.reply(BODY, 'application/octet-stream')
        elif path == '/bighead':  # a 3000-byte header field: over the boards' 2 KB head buffer
            self.send_response(200)
            self.send_header('X-Pad', 'p' * 3000)
            self.send_header('Content-Length', '2')
            self.end_headers()
            self.wfile.write(b'ok')
        else:
            self.send_error(404)

    def do_POST(self):
        self.server.paths.append(self.path)
        body = self.rfile.read(int(self.headers.get('Content-Length', '0')))
        # The multipart body parsed by Python's MIME parser: name=value per
        # part, a file as name=filename:type:content.
        msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b'Content-Type: ' + self.headers.get('Content-Type', '').encode() + b'\r\n\r\n' + body)
        parts = []
        for part in msg.iter_parts() if msg.is_multipart() else []:
            name = part.get_param('name', header='content-disposition')
            data = part.get_payload(decode=True).decode()
            if part.get_filename():
                data = '%s:%s:%s' % (part.get_filename(), part.get_content_type(), data)
            parts.append('%s=%s' % (name, data))
        self.reply(json.dumps(parts).encode())

    def log_message(self, *args):
        pass


def bundle_texts(path):
    """The kJsText entries (kind 4) of a bundle (bundle/format.h): name -> size."""
    with open(path, 'rb') as f:
        data = f.read()
    out = {}
    for i in range(struct.unpack_from('<I', data, 64)[0]):
        kind, _, size = struct.unpack_from('<III', data, 128 + 64 * i)
        if kind == 4:
            out[data[128 + 64 * i + 12:128 + 64 * i + 64].split(b'\0')[0].decode()] = size
    return out


# Each app (js/web_js/), the compiled texts its bundle must hold (what it
# names and what those use: FormData parses urlencoded forms, the streams
# clone and parse forms) and its checked lines. One or two globals per app:
# all at once would not fit a board's JS heap. The mps2-an385's 80 KB holds
# none of them next to a fetch (docs/fetch.md "Memory"): it runs the small_
# apps, the same globals without the network (--apps), and URL not at all
# (its parser alone takes ~38 KB at first use: small_params.js).
MISSING = r"TypeError: ReadableStream is not in this app's bundle: .*"
APPS = {
    'url.js': (['URL', 'URLSearchParams'], {
        'url': r'http://10\.0\.2\.2:\d+/echo\?x=2&q=a\+b%26c 10\.0\.2\.2:\d+ /echo x,q',
        'query': r'200 \[\["x","2"\],\["q","a b&c"\]\]',
        'idna': r'xn--bcher-kva\.example',
        'head': r'HEADERS_TOO_LARGE 200 3000',
    }),
    'form.js': (['FormData', 'URLSearchParams', 'structuredClone'], {
        'form': r'200 \["device=photon-1", "log=boot\.txt:text/plain:line one\\n"\]',
        'clone': r'true c true 8 true',
    }),
    'abort.js': (['AbortController'], {
        'abort': r'AbortError true',
        'timeout': r'TimeoutError \(.*\) true',
        'missing': MISSING,
    }),
    'body.js': (['FormData', 'ReadableStream', 'URLSearchParams', 'structuredClone'], {
        'body': r'200 4000 39473 bad=0 chunks>0=true used=true',
    }),
    'small_params.js': (['URLSearchParams'], {
        'params': '1\\+2 \u20ac 4 k=1&k=2&m=%E2%82%AC&q=a\\+b%26c',
    }),
    'small_form.js': (['FormData', 'URLSearchParams', 'structuredClone'], {
        'form': r'photon-1\+photon-2 auto false 3',
        'clone': r'true c true 8 true',
    }),
    'small_abort.js': (['AbortController'], {
        'abort': r'AbortError true 1',
        'timeout': r'TimeoutError true',
        'missing': MISSING,
    }),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cli', required=True)
    ap.add_argument('--image', required=True)
    ap.add_argument('--board', required=True)
    ap.add_argument('--timeout', type=int, default=60)
    ap.add_argument('--apps', default='url.js,form.js,abort.js,body.js', help='the apps of APPS to run, in order')
    a = ap.parse_args()
    a.cli, a.image = os.path.abspath(a.cli), os.path.abspath(a.image)
    work = tempfile.mkdtemp(prefix='mcujs-webjs-')
    httpd = chrony = None
    try:
        httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        httpd.daemon_threads = True
        httpd.paths = []
        threading.Thread(target=httpd.serve_forever, kwargs={'poll_interval': 0.2}, daemon=True).start()
        chrony = ntp_server.Chrony(work)
        cfg = os.path.join(work, 'app.json')
        with open(cfg, 'w') as f:
            f.write('{"port": %d, "device": {"ntp": "10.0.2.2:%d"}}\n' % (httpd.server_address[1], chrony.port))
        for app in a.apps.split(','):
            texts, want = APPS[app]
            bundle = os.path.join(work, app + '.bundle')
            subprocess.run([a.cli, 'bundle', '--board', a.board, '-o', bundle, '--config', cfg,
                            os.path.join(HERE, 'js', 'web_js', app)], check=True, timeout=60)
            have = bundle_texts(bundle)
            if sorted(have) != texts:
                fail('%s: the bundle holds the texts %s, expected %s' % (app, sorted(have), texts))
            cmd = [a.cli, 'qemu', '--board', a.board, '--image', a.image, '--net', 'user',
                   '--timeout', str(a.timeout), bundle]
            p = subprocess.run(cmd, cwd=work, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=a.timeout + 30)
            out = p.stdout.decode('utf-8', 'replace').replace('\r\n', '\n')
            sys.stdout.write(out)
            if p.returncode != 0:
                fail('%s: exit status %d' % (app, p.returncode), out)
            for what, rx in want.items():
                if not re.search(r'^INFO  webjs: %s %s$' % (what, rx), out, re.M):
                    fail('%s: webjs: %s: expected /%s/' % (app, what, rx), out)
            in_use = check_memory(out, BOARD_RAM[a.board])
            m = re.search(r'js_heap_boot=(\d+) js_heap_peak=(\d+)', out)
            print('web_js_test: %s %s: %s bytes of compiled text in the bundle; JS heap %s at boot, peak %s; '
                  'RAM in use %d' % (a.board, app, sum(have.values()), m.group(1), m.group(2), in_use))
        if '/never' in httpd.paths:
            fail('the fetch aborted before it started reached the server: %s' % httpd.paths)
        if 'abort.js' in a.apps.split(',') and httpd.paths.count('/slow') != 1:
            fail('the server saw %d requests for /slow, expected 1' % httpd.paths.count('/slow'))
    finally:
        if chrony:
            chrony.stop()
        if httpd:
            httpd.shutdown()
            httpd.server_close()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
