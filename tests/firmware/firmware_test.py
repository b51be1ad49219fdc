#!/usr/bin/env python3
"""Boots the mps2-an385 firmware under QEMU and checks what it prints.

  firmware_test.py --elf build/mps2-an385/mcujs-runtime.elf [--app ENTRY.js --cli build/host/mcujs]
                   [--expect FILE] [--status N] [--timeout S] [--qemu qemu-system-arm]

With --app, the app is bundled first (`mcujs bundle`) and loaded into the
image's bundle partition (QEMU -device loader at 0x000C0000).

Checks: QEMU ends by itself (semihosting exit) within the timeout with the
expected status; the expected lines (one per line in FILE, '#' comments, 're:' for a regular
expression) appear
in the UART output in that order; the firmware's memory report is present and
fits the 128 KB of RAM (static + heap region + stack == RAM, RAM in use below
it, stack high-water below the stack). Runs QEMU in a fresh temporary
directory.
"""
import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile

RAM = 128 * 1024
# Each board's RAM (its linker script), for tests that run on several boards.
BOARD_RAM = {'mps2-an385': 128 * 1024, 'mps2-an505': 256 * 1024}


def fail(msg, out=''):
    sys.stderr.write('FAIL: %s\n' % msg)
    if out:
        sys.stderr.write('---- firmware output ----\n%s\n-------------------------\n' % out)
    sys.exit(1)


def free_port(kind=socket.SOCK_STREAM):
    """A 127.0.0.1 port (TCP, or UDP with socket.SOCK_DGRAM) that was free a
    moment ago (nothing listens on it)."""
    s = socket.socket(socket.AF_INET, kind)
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


BUNDLE_BASE = 0x000C0000  # ports/mps2-an385/board/flash_layout.h


def make_bundle(cli, entry, out, extra=(), board='mps2-an385'):
    """`mcujs bundle` for the board; fails the test with its output if it fails."""
    cmd = [cli, 'bundle', '--board', board, '-o', out] + list(extra) + [entry]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
    if p.returncode != 0:
        fail('mcujs bundle failed (%d): %s' % (p.returncode, ' '.join(cmd)), p.stdout.decode('utf-8', 'replace'))
    return out


def loader_args(bundle):
    """QEMU arguments placing a bundle file in the bundle partition."""
    return ['-device', 'loader,file=%s,addr=0x%08X' % (os.path.abspath(bundle), BUNDLE_BASE)]


def check_memory(out, ram=None):
    """Checks the firmware's MEMORY line against the board's RAM (default:
    the mps2-an385's 128 KB); returns the RAM in use."""
    RAM = ram or globals()['RAM']  # noqa: N806
    m = re.search(r'^MEMORY (.*)$', out, re.M)
    if not m:
        fail('no MEMORY report', out)
    mem = {k: int(v) for k, v in re.findall(r'(\w+)=(\d+)', m.group(1))}
    if mem['ram'] != RAM:
        fail('RAM region is %d bytes, not %d' % (mem['ram'], RAM), out)
    if mem['static'] + mem['heap_size'] + mem['stack_size'] > RAM:
        fail('static + heap + stack exceed %d KB: %r' % (RAM // 1024, mem), out)
    in_use = mem['static'] + mem['heap_peak'] + mem['stack_peak']
    if in_use != mem['in_use'] or in_use >= RAM:
        fail('RAM in use %d is not below %d KB: %r' % (in_use, RAM // 1024, mem), out)
    if not 0 < mem['stack_peak'] < mem['stack_size']:
        fail('stack high-water %d outside (0, %d)' % (mem['stack_peak'], mem['stack_size']), out)
    if not 0 < mem['heap_used_peak'] <= mem['heap_peak']:
        fail('heap in live blocks %d outside (0, heap peak %d]' % (mem['heap_used_peak'], mem['heap_peak']), out)
    if not 0 < mem['heap_peak'] <= mem['heap_size'] or mem['heap_free_min'] != mem['heap_size'] - mem['heap_peak']:
        fail('inconsistent heap report: %r' % mem, out)
    if not 0 < mem['js_heap_peak'] <= mem['js_heap_limit']:
        fail('JS heap peak %d outside its limit %d' % (mem['js_heap_peak'], mem['js_heap_limit']), out)
    return in_use


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--elf', required=True)
    ap.add_argument('--expect', default=os.path.join(os.path.dirname(__file__), 'hello.expected'))
    ap.add_argument('--status', type=int, default=0)
    ap.add_argument('--timeout', type=float, default=120)
    ap.add_argument('--qemu', default='qemu-system-arm')
    ap.add_argument('--icount', action='store_true', help='deterministic: -icount shift=0')
    ap.add_argument('--no-memory', action='store_true', help='the image prints no memory report')
    ap.add_argument('--app', help='entry module of an app to bundle into the bundle partition')
    ap.add_argument('--cli', help='the host mcujs (for --app)')
    ap.add_argument('--board', default='mps2-an385', choices=sorted(BOARD_RAM),
                    help='the board the image is for (QEMU -M, mcujs bundle --board)')
    a = ap.parse_args()

    if not os.path.exists(a.elf):
        fail('no firmware image at %s' % a.elf)
    cmd = [a.qemu, '-M', a.board, '-nographic', '-monitor', 'none',
           '-semihosting-config', 'enable=on,target=native', '-kernel', os.path.abspath(a.elf)]
    if a.icount:
        cmd += ['-icount', 'shift=0']
    with tempfile.TemporaryDirectory(prefix='mcujs-fw-') as tmp:
        if a.app:
            cmd += loader_args(make_bundle(a.cli, a.app, os.path.join(tmp, 'app.bundle'), board=a.board))
        try:
            p = subprocess.run(cmd, cwd=tmp, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=a.timeout)
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b'').decode('utf-8', 'replace')
            fail('QEMU did not exit within %.0f s' % a.timeout, out)
    out = p.stdout.decode('utf-8', 'replace').replace('\r\n', '\n')
    sys.stdout.write(out)

    if p.returncode != a.status:
        fail('exit status %d, expected %d' % (p.returncode, a.status), out)

    with open(a.expect) as f:
        # {ram}: the board's RAM in bytes.
        expected = [l.rstrip('\n').replace('{ram}', str(BOARD_RAM[a.board]))
                    for l in f if l.strip() and not l.startswith('#')]
    lines = out.split('\n')
    pos = 0
    for want in expected:
        # 're:' lines are regular expressions, the others exact lines.
        if want.startswith('re:'):
            rx = re.compile(want[3:])
            match = lambda l: rx.search(l) is not None
        else:
            match = lambda l: l.rstrip() == want
        while pos < len(lines) and not match(lines[pos]):
            pos += 1
        if pos == len(lines):
            fail('expected line missing or out of order: %r' % want, out)
        pos += 1

    if a.no_memory:
        print('PASS: %d expected lines, status %d' % (len(expected), p.returncode))
        return 0
    in_use = check_memory(out, BOARD_RAM[a.board])
    print('PASS: %d expected lines, status %d, RAM in use %d of %d bytes'
          % (len(expected), p.returncode, in_use, BOARD_RAM[a.board]))
    return 0


if __name__ == '__main__':
    sys.exit(main())
