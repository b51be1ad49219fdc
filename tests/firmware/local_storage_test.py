#!/usr/bin/env python3
"""localStorage on the device survives reboots: js/local_storage.js as a
bundle, booted three times by `mcujs qemu --flash-state F` on one flash
state (the bundle and storage partitions, loaded at power-on and saved at
power-off), as a device is switched off and on again.

  local_storage_test.py --cli build/host/mcujs --image build/mps2-an385/mcujs-runtime.elf
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import firmware_test  # noqa: E402  (fail, make_bundle, check_memory)

fail = firmware_test.fail
APP = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'js', 'local_storage.js')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cli', required=True)
    ap.add_argument('--image', required=True)
    ap.add_argument('--timeout', type=float, default=60)
    ap.add_argument('--board', default='mps2-an385', help='the board the image is for')
    a = ap.parse_args()
    for path in (a.cli, a.image):
        if not os.path.exists(path):
            fail('no %s' % path)
    with tempfile.TemporaryDirectory(prefix='mcujs-fw-ls-') as work:
        bundle = firmware_test.make_bundle(a.cli, APP, os.path.join(work, 'app.bundle'), board=a.board)
        state = os.path.join(work, 'flash.bin')
        outs = []
        for boot in (1, 2, 3):
            cmd = [a.cli, 'qemu', '--board', a.board, '--image', a.image, '--flash-state', state,
                   '--timeout', str(a.timeout), bundle]
            try:
                p = subprocess.run(cmd, cwd=work, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, timeout=a.timeout + 30)
            except subprocess.TimeoutExpired as e:
                fail('boot %d: mcujs qemu did not end' % boot, (e.stdout or b'').decode('utf-8', 'replace'))
            out = p.stdout.decode('utf-8', 'replace').replace('\r\n', '\n')
            sys.stdout.write(out)
            outs.append(out)
            if p.returncode != 0:
                fail('boot %d: exit status %d' % (boot, p.returncode), out)
            firmware_test.check_memory(out, firmware_test.BOARD_RAM[a.board])
        want = ['localStorage boot 1: greeting=null length=0',
                'localStorage boot 2: greeting=kept in flash length=2',
                'localStorage boot 3: greeting=kept in flash length=2']
        for boot, (out, line) in enumerate(zip(outs, want), 1):
            if not re.search('^INFO  %s$' % re.escape(line), out, re.M):
                fail('boot %d did not print %r' % (boot, line), out)
        if not re.search(r'^INFO  quota: QuotaExceededError code 22$', outs[0], re.M):
            fail('no QuotaExceededError on the device', outs[0])
        if not re.search(r'^storage: 31 of 32 sectors free, 0 repaired at mount$', outs[1], re.M):
            fail('the second boot did not find one sector in use', outs[1])
        print('PASS: localStorage kept in the flash partition across 2 reboots (mcujs qemu --flash-state)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
