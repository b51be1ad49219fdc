#!/usr/bin/env python3
"""Apps as bundles on the runtime image, through the CLI (`mcujs bundle`,
`mcujs qemu`; docs/firmware.md "Bundles").

  bundle_test.py --cli build/host/mcujs --image build/mps2-an385/mcujs-runtime.elf

Checks, each under QEMU with a timeout:
- round trip: a multi-module app (classes, Map, RegExp, Date, top-level
  await, its config from the bundle) prints what the Linux CLI prints for
  it, and `mcujs qemu` exits with the app's status (0; 1 when it throws);
- the boot settings from the config's device section (boot.cfg): "log":
  "warn" silences the app's INFO lines on the device;
- every refusal of a bad bundle (missing, bad magic, bad SHA-256, other
  board, other QuickJS version, other bytecode version, truncated, a
  boot.cfg the image cannot read): one
  "bundle: refused: ..." line naming the reason, status 65, nothing of the
  app run, no fault, no network brought up;
- --flash-state: the bundle and storage partitions are loaded at power-on
  and saved at power-off (what the flash store wrote in the storage
  partition survives the run of another bundle, installed over the old one).
"""
import argparse
import hashlib
import os
import re
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from firmware_test import fail, make_bundle  # noqa: E402  (one failure format for every firmware test)

HERE = os.path.dirname(os.path.abspath(__file__))
APP = os.path.join(HERE, 'js', 'bundle_app', 'main.js')
BUNDLE_SIZE = 128 * 1024
STATE_SIZE = 256 * 1024  # bundle + storage partitions (ports/mps2-an385/board/flash_layout.h)
EXPECTED = [
    'INFO  app: start',
    'INFO  areas: [["square","4.00"],["circle","3.14"]] true',
    'INFO  words: mcujs|runs|bundles|from|flash',
    'INFO  month: 2026/12',
    'INFO  date: 2024-02-29T12:00:00.000Z now is a number',
    'INFO  await: after a timer',
    'INFO  app: end',
]


def qemu(a, bundle, *extra, timeout=90):
    cmd = [a.cli, 'qemu', '--board', a.board, '--image', a.image, '--timeout', str(timeout - 30)]
    cmd += list(extra) + [bundle]
    p = subprocess.run(cmd, cwd=a.work, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=timeout)
    out = p.stdout.decode('utf-8', 'replace').replace('\r\n', '\n')
    return p.returncode, out


def lines_in_order(out, want, what):
    lines = out.split('\n')
    pos = 0
    for w in want:
        while pos < len(lines) and lines[pos].rstrip() != w:
            pos += 1
        if pos == len(lines):
            fail('%s: expected line missing or out of order: %r' % (what, w), out)
        pos += 1


def resign(b):
    """Recomputes the SHA-256 (bundle/format.h: all bytes but the digest's own 32)."""
    length = struct.unpack_from('<I', b, 12)[0]
    b[96:128] = hashlib.sha256(bytes(b[:96]) + bytes(b[128:length])).digest()
    return b


def round_trip(a, good):
    status, out = qemu(a, good)
    if status != 0:
        fail('round trip: mcujs qemu exited %d, expected 0' % status, out)
    lines_in_order(out, EXPECTED + ['EXIT 0'], 'round trip')
    host = subprocess.run([a.cli, 'run', '--config', os.path.join(HERE, 'js', 'bundle_app.json'), APP],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
    host_lines = host.stdout.decode().strip().split('\n')
    if host.returncode != 0 or host_lines != EXPECTED:
        fail('the Linux CLI prints otherwise for the same app: %r' % host_lines)
    failing = make_bundle(a.cli, APP, os.path.join(a.work, 'fail.bundle'),
                          ['--config', os.path.join(HERE, 'js', 'bundle_fail.json')], board=a.board)
    status, out = qemu(a, failing)
    if status != 1 or 'Error: the app failed on purpose' not in out or 'app: end' in out:
        fail('a throwing app: status %d, expected 1 with its error' % status, out)
    print('PASS round trip (status 0 and 1)')


def boot_settings(a):
    """The device section's log level applies on the device; returns the
    bundle (with its boot.cfg) for the refusals."""
    cfg = os.path.join(a.work, 'warn.json')
    with open(cfg, 'w') as f:
        f.write('{"month": "2026-12", "device": {"log": "warn"}}\n')
    warn = make_bundle(a.cli, APP, os.path.join(a.work, 'warn.bundle'), ['--config', cfg], board=a.board)
    status, out = qemu(a, warn)
    if status != 0 or 'EXIT 0' not in out or 'INFO  app: start' in out or 'INFO  app: end' in out:
        fail('"device": {"log": "warn"}: status %d, expected 0 without the app\'s INFO lines' % status, out)
    print('PASS boot settings: "log": "warn" from the bundle silences INFO on the device')
    return warn


def refusals(a, good, warn):
    data = bytearray(open(good, 'rb').read())
    cases = []
    # A boot.cfg this image cannot read (a mcujs bundle would not write it):
    # refused whole, before anything runs.
    b = bytearray(open(warn, 'rb').read())
    at = b.find(b'log=warn\n')
    if at < 0:
        fail('no boot.cfg "log=warn" in %s' % warn)
    b[at:at + 9] = b'log=loud\n'
    cases.append(('bad boot.cfg', resign(b), r"boot\.cfg: log: unknown level 'loud' \(trace, info, warn, error, none\)"))
    cases.append(('missing', bytearray(), r'no bundle \(the partition is empty\)'))
    b = bytearray(data)
    b[0:8] = b'notabndl'
    cases.append(('bad magic', b, r'not a bundle \(bad magic\)'))
    b = bytearray(data)
    b[len(b) - 8] ^= 0x55  # a byte of the main module's bytecode
    cases.append(('bad sha', b, r'corrupt \(SHA-256 mismatch\)'))
    b = bytearray(data)
    b[16:40] = b'mps3-an547'.ljust(24, b'\0')
    cases.append(('other board', resign(b), r"built for board 'mps3-an547', this is " + a.board))
    b = bytearray(data)
    b[40:56] = b'2024-01-13'.ljust(16, b'\0')
    cases.append(('other quickjs', resign(b), r"built with QuickJS '2024-01-13' \(bytecode 4\), this image has "
                                              r"2025-04-26 \(bytecode 4\)"))
    b = bytearray(data)
    b[56] += 1
    cases.append(('other bytecode', resign(b), r"built with QuickJS '2025-04-26' \(bytecode 5\), this image has "
                                               r"2025-04-26 \(bytecode 4\)"))
    cases.append(('cut short', bytearray(data[:len(data) // 2]), r'corrupt \(SHA-256 mismatch\)'))
    b = bytearray(data)
    struct.pack_into('<I', b, 12, BUNDLE_SIZE + 4)
    cases.append(('truncated', b, r'truncated \(its length runs past the partition\)'))
    for name, content, reason in cases:
        path = os.path.join(a.work, 'bad.bundle')
        with open(path, 'wb') as f:
            f.write(content)
        status, out = qemu(a, path, timeout=60)
        refused = [l for l in out.split('\n') if l.startswith('bundle:')]
        if status != 65:
            fail('%s: status %d, expected 65' % (name, status), out)
        if len(refused) != 1 or not re.match(r'^bundle: refused: ' + reason, refused[0]):
            fail('%s: expected one line "bundle: refused: %s"' % (name, reason), out)
        for bad in ('app: start', 'MEMORY', 'net: DHCP', 'HardFault', 'Uncaught'):
            if bad in out:
                fail('%s: %r in the output of a refused bundle' % (name, bad), out)
        print('PASS refused: %s: %s' % (name, refused[0]))


def flash_state(a, good):
    state = os.path.join(a.work, 'device.flash')
    status, out = qemu(a, good, '--flash-state', state)
    if status != 0:
        fail('flash state, first boot: status %d' % status, out)
    s = open(state, 'rb').read()
    b = open(good, 'rb').read()
    if len(s) != STATE_SIZE or s[:len(b)] != b or s[len(b):] != b'\xff' * (STATE_SIZE - len(b)):
        fail('flash state after the first run: not the bundle followed by erased flash (%d bytes)' % len(s))
    # The device's flash store writes the storage partition (localStorage
    # items); what it wrote must come back from the device's memory after a
    # run of another bundle.
    writer = make_bundle(a.cli, os.path.join(HERE, 'js', 'local_storage.js'), os.path.join(a.work, 'ls.bundle'),
                         board=a.board)
    status, out = qemu(a, writer, '--flash-state', state)
    if status != 0 or 'localStorage boot 1:' not in out:
        fail('flash state, boot of a bundle writing localStorage: status %d' % status, out)
    s = open(state, 'rb').read()
    if len(s) != STATE_SIZE or s[BUNDLE_SIZE:] == b'\xff' * (STATE_SIZE - BUNDLE_SIZE):
        fail('flash state after localStorage writes: the storage partition is still erased')
    other = make_bundle(a.cli, os.path.join(os.path.dirname(HERE), '..', 'apps', 'firmware', 'hello.js'),
                        os.path.join(a.work, 'hello.bundle'), board=a.board)
    status, out = qemu(a, other, '--flash-state', state)
    if status != 0 or 'INFO  hello from mcujs on a Cortex-M3' not in out:
        fail('flash state, second boot with another bundle: status %d' % status, out)
    s2 = open(state, 'rb').read()
    hb = open(other, 'rb').read()
    if len(s2) != STATE_SIZE or s2[:len(hb)] != hb or s2[len(hb):BUNDLE_SIZE] != b'\xff' * (BUNDLE_SIZE - len(hb)):
        fail('flash state after the second run: the new bundle is not installed')
    if s2[BUNDLE_SIZE:] != bytes(s[BUNDLE_SIZE:]):
        fail('flash state after the second run: the storage partition changed')
    # A file that is no flash state of this board is refused before QEMU starts.
    with open(state, 'wb') as f:
        f.write(b'\0' * 10)
    status, out = qemu(a, good, '--flash-state', state, timeout=60)
    if status != 2 or 'a %s flash state has 262144' % a.board not in out:
        fail('a flash state of the wrong size: status %d, expected 2 and a clear message' % status, out)
    print('PASS flash state: loaded at power-on, saved at power-off, new bundle installed, storage kept')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cli', required=True)
    ap.add_argument('--image', required=True)
    ap.add_argument('--board', default='mps2-an385', help='the board the image is for')
    a = ap.parse_args()
    a.cli, a.image = os.path.abspath(a.cli), os.path.abspath(a.image)
    for path in (a.cli, a.image):
        if not os.path.exists(path):
            fail('missing %s (make build / make firmware)' % path)
    with tempfile.TemporaryDirectory(prefix='mcujs-bundle-') as work:
        a.work = work
        good = make_bundle(a.cli, APP, os.path.join(work, 'app.bundle'),
                           ['--config', os.path.join(HERE, 'js', 'bundle_app.json')], board=a.board)
        round_trip(a, good)
        refusals(a, good, boot_settings(a))
        flash_state(a, good)
    return 0


if __name__ == '__main__':
    sys.exit(main())
