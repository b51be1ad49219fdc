#!/usr/bin/env python3
"""Runs the port conformance suite (conformance.h) on one backend and checks
that it ran every group and passed every check.

  port_test.py --host BIN                      the linux backend
  port_test.py --cli MCUJS --image ELF --board B   a board under QEMU: the
      suite's image with a bundle holding the probe file (`mcujs bundle`,
      `mcujs qemu --net user`); the guest reaches the host's loopback peer
      at 10.0.2.2.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer import Peer  # noqa: E402

PROBE = b'port conformance probe\n'
GROUPS = ['clock', 'entropy', 'files', 'kv', 'tcp']


def run_host(args, peer, tmp):
    probe = os.path.join(tmp, 'probe.txt')
    with open(probe, 'wb') as f:
        f.write(PROBE)
    cmd = [args.host, '127.0.0.1', str(peer.echo_port), str(peer.closed_port), probe, os.path.join(tmp, 'kv')]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)


def run_board(args, peer, tmp):
    probe = os.path.join(tmp, 'probe.txt')
    with open(probe, 'wb') as f:
        f.write(PROBE)
    entry = os.path.join(tmp, 'main.js')
    with open(entry, 'w') as f:
        f.write('// the port suite image runs no JavaScript\n')
    peer_file = os.path.join(tmp, 'peer.txt')  # the loopback peer, as QEMU's user network reaches it
    with open(peer_file, 'w') as f:
        f.write('10.0.2.2:%d:%d' % (peer.echo_port, peer.closed_port))
    bundle = os.path.join(tmp, 'port.bundle')
    subprocess.run([args.cli, 'bundle', '--board', args.board, '-o', bundle, '--features', '',
                    '--file', 'probe.txt=' + probe, '--file', 'peer.txt=' + peer_file, entry], check=True, timeout=60)
    cmd = [args.cli, 'qemu', '--board', args.board, '--image', args.image, '--net', 'user',
           '--timeout', str(args.timeout), bundle]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout + 30)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--host')
    ap.add_argument('--cli')
    ap.add_argument('--image')
    ap.add_argument('--board')
    ap.add_argument('--timeout', type=int, default=120)
    args = ap.parse_args()
    peer = Peer()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            r = run_host(args, peer, tmp) if args.host else run_board(args, peer, tmp)
    finally:
        peer.close()
    out = r.stdout + r.stderr
    print(out)
    fails = [l for l in out.splitlines() if l.startswith('port: FAIL')]
    oks = [l for l in out.splitlines() if l.startswith('port: ok')]
    missing = [g for g in GROUPS if not any(l.startswith('port: ok   ' + g) for l in oks)]
    summary = re.search(r'^port: (\d+) passed, (\d+) failed$', out, re.M)
    problems = []
    if r.returncode != 0:
        problems.append('exit status %d' % r.returncode)
    if fails:
        problems.append('%d failed checks' % len(fails))
    if missing:
        problems.append('groups that did not run: ' + ', '.join(missing))
    if not summary or int(summary.group(1)) != len(oks):
        problems.append('no summary line matching the checks')
    if problems:
        print('port_test: FAILED: ' + '; '.join(problems))
        return 1
    print('port_test: %d checks passed' % len(oks))
    return 0


if __name__ == '__main__':
    sys.exit(main())
