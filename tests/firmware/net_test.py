#!/usr/bin/env python3
"""Runs the network test image (net_main.cpp) under QEMU with a host server.

  net_test.py --elf build/.../fw-test-net.elf --cli build/host/mcujs [--timeout S] [--qemu qemu-system-arm]

Starts an echo server on 127.0.0.1 (a free port): each connection gets back
what it sends until 100 KB have been echoed, then the server closes it; a
connection starting with "RST\n" is reset instead (SO_LINGER 0). Picks
a second free port with nothing listening (the "closed" port). Bundles
params.txt "echo=<port> closed=<port>" (`mcujs bundle`, with the trivial
entry module js/test_image.js) and boots QEMU with that bundle in the
board's bundle partition (-device loader), where the image reads it
(test_bundle.h), and `-nic user` (no restrict=on: it answers 10.0.2.2 with
RST). Checks: exit status 0, the DHCP lease line, every
"net-test: ok" line and no FAIL, and on the server's side that one
connection carried exactly the 100 KB pattern.
"""
import argparse
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from firmware_test import fail, free_port, loader_args, make_bundle  # noqa: E402  (one failure format for every firmware test)

ECHO_BYTES = 100 * 1024
EXPECTED = [
    'net-test: echo port %(echo)d, closed port %(closed)d (params.txt)',
    'net: DHCP lease 10.0.2.15 gw 10.0.2.2',
    'net-test: ok   echo connection established',
    'net-test: ok   100 KB sent and echoed',
    'net-test: ok   echoed bytes match',
    'net-test: ok   pending() announces what read() returns',
    "net-test: ok   the server's close reads as kClosed",
    'net-test: ok   a closed port fails with kRefused',
    'net-test: ok   read/write on it answer the error',
    'net-test: ok   a closed id is invalid',
    'net-test: ok   a reset by the peer reads as kReset',
    'net-test: ok   a fifth socket is refused with kNoMemory',
    'net-test: ok   an unknown name fails with kResolveFailed',
    'net-test: PASSED',
]


def pattern(start, n):
    return bytes(((i * 31 + (i >> 9)) & 0xff) for i in range(start, start + n))


class EchoServer:
    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(8)
        self.sock.settimeout(0.5)
        self.port = self.sock.getsockname()[1]
        self.full_good = 0  # connections that carried exactly the expected bytes
        self.stop = False
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop:
            try:
                c, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            threading.Thread(target=self.serve, args=(c,), daemon=True).start()

    def serve(self, c):
        got = bytearray()
        c.settimeout(60)
        try:
            while len(got) < ECHO_BYTES:
                d = c.recv(65536)
                if not d:
                    break
                if not got and d.startswith(b'RST\n'):
                    # Abortive close: SO_LINGER 0 makes close() send RST.
                    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
                    return
                d = d[:ECHO_BYTES - len(got)]
                got += d
                c.sendall(d)
            if len(got) == ECHO_BYTES and bytes(got) == pattern(0, ECHO_BYTES):
                self.full_good += 1
        except OSError:
            pass
        finally:
            c.close()

    def close(self):
        self.stop = True
        self.sock.close()
        self.thread.join(5)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--elf', required=True)
    ap.add_argument('--cli', required=True, help='the host mcujs (bundle)')
    ap.add_argument('--timeout', type=float, default=150)
    ap.add_argument('--qemu', default='qemu-system-arm')
    a = ap.parse_args()
    if not os.path.exists(a.elf):
        fail('no firmware image at %s' % a.elf)

    server = EchoServer()
    closed = free_port()
    try:
        with tempfile.TemporaryDirectory(prefix='mcujs-net-') as tmp:
            params = os.path.join(tmp, 'params.txt')
            with open(params, 'w') as f:
                f.write('echo=%d closed=%d\n' % (server.port, closed))
            bundle = make_bundle(a.cli, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'js',
                                                     'test_image.js'),
                                 os.path.join(tmp, 'net.bundle'), ['--file', 'params.txt=' + params])
            cmd = [a.qemu, '-M', 'mps2-an385', '-nographic', '-monitor', 'none',
                   '-semihosting-config', 'enable=on,target=native', '-nic', 'user',
                   '-kernel', os.path.abspath(a.elf)] + loader_args(bundle)
            try:
                p = subprocess.run(cmd, cwd=tmp, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, timeout=a.timeout)
            except subprocess.TimeoutExpired as e:
                fail('QEMU did not exit within %.0f s' % a.timeout,
                     (e.stdout or b'').decode('utf-8', 'replace'))
    finally:
        server.close()
    out = p.stdout.decode('utf-8', 'replace').replace('\r\n', '\n')
    sys.stdout.write(out)
    if p.returncode != 0:
        fail('exit status %d, expected 0' % p.returncode, out)
    lines = [l.rstrip() for l in out.split('\n')]
    pos = 0
    for want in EXPECTED:
        want = want % {'echo': server.port, 'closed': closed} if '%(' in want else want
        while pos < len(lines) and lines[pos] != want:
            pos += 1
        if pos == len(lines):
            fail('expected line missing or out of order: %r' % want, out)
        pos += 1
    if any('FAIL' in l for l in lines):
        fail('a check failed', out)
    if server.full_good != 1:
        fail('the server saw %d connections with the full 100 KB pattern, expected 1' % server.full_good, out)
    print('net_test: PASS')


if __name__ == '__main__':
    main()
