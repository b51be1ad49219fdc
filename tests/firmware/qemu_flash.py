#!/usr/bin/env python3
"""QEMU runs of the mps2-an385 firmware with a persistent storage partition:
the device's flash store (0x000E0000, 128 KB; ports/mps2-an385/flash_layout.h)
is loaded from a file at power-on and saved to a file at power-off, so that
consecutive runs are reboots of one device.

Power-on: `-device loader,file=F,addr=0x000E0000` puts F into the board's
flash. Power-off: through the QEMU monitor (a unix socket), `stop` freezes
the machine, `pmemsave 0x000E0000 131072 "OUT"` saves the partition, `quit`.
The image runs with `-append hold`, so that at the end of its run it idles
instead of ending QEMU (ports/mps2-an385/board.cpp, board_exit): the test
powers it off after the "EXIT n" line. A power cut is the same at an instant
of the test's choosing, mid-run. Every wait is bounded.

Also a test of its own (localStorage surviving a reboot):
  qemu_flash.py --elf fw-test-local-storage.elf
"""
import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import firmware_test  # noqa: E402  (fail, check_memory)

fail = firmware_test.fail
STORAGE_BASE = 0x000E0000
STORAGE_SIZE = 128 * 1024


class Board:
    """One power-on of the emulated board: QEMU with its UART read into
    self.out by a thread, and its monitor on a unix socket."""

    def __init__(self, elf, work, flash_in=None, net=False, icount=False, qemu='qemu-system-arm'):
        self.sock_path = os.path.join(work, 'monitor-%d.sock' % time.monotonic_ns())
        cmd = [qemu, '-M', 'mps2-an385', '-nographic',
               '-monitor', 'unix:%s,server=on,wait=off' % self.sock_path,
               '-semihosting-config', 'enable=on,target=native',
               '-kernel', os.path.abspath(elf), '-append', 'hold']
        if net:
            cmd += ['-nic', 'user']
        if icount:
            cmd += ['-icount', 'shift=0']
        if flash_in:
            cmd += ['-device', 'loader,file=%s,addr=0x%08X' % (os.path.abspath(flash_in), STORAGE_BASE)]
        self.t0 = time.time()
        self.proc = subprocess.Popen(cmd, cwd=work, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.chunks = []
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for chunk in iter(lambda: self.proc.stdout.read1(4096), b''):
            with self.lock:
                self.chunks.append(chunk)

    @property
    def out(self):
        with self.lock:
            return b''.join(self.chunks).decode('utf-8', 'replace').replace('\r\n', '\n')

    def wait_for(self, regex, timeout, count=1):
        """Waits until the UART output matches regex count times; returns the
        last match."""
        rx = re.compile(regex, re.M)
        deadline = time.time() + timeout
        while time.time() < deadline:
            ended = self.proc.poll() is not None
            if ended:
                self.reader.join(5)
            found = list(rx.finditer(self.out))
            if len(found) >= count:
                return found[count - 1]
            if ended:
                fail('QEMU ended (status %s) before %r' % (self.proc.returncode, regex), self.out)
            time.sleep(0.005)
        self.kill()
        fail('no %r within %.0f s' % (regex, timeout), self.out)

    def _monitor(self, commands):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(30)
        for _ in range(100):  # the socket appears once QEMU has started
            try:
                s.connect(self.sock_path)
                break
            except OSError:
                time.sleep(0.05)
        else:
            fail('no QEMU monitor at %s' % self.sock_path, self.out)
        buf = b''

        def prompt():
            nonlocal buf
            while b'(qemu) ' not in buf:
                data = s.recv(4096)
                if not data:
                    return
                buf += data
            buf = buf.split(b'(qemu) ', 1)[1]

        prompt()
        for c in commands:
            s.sendall(c.encode() + b'\n')
            prompt()  # after quit: until QEMU closes the socket (closing first could lose the command)
        s.close()

    def power_off(self, flash_out):
        """Freezes the machine, saves the storage partition, ends QEMU."""
        self._monitor(['stop', 'pmemsave 0x%08X %d "%s"' % (STORAGE_BASE, STORAGE_SIZE, os.path.abspath(flash_out)),
                       'quit'])
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.kill()
            fail('QEMU did not quit')
        self.reader.join(5)
        if os.path.getsize(flash_out) != STORAGE_SIZE:
            fail('pmemsave wrote %d bytes, expected %d' % (os.path.getsize(flash_out), STORAGE_SIZE))
        return self.out

    def run_to_end(self, flash_out, timeout):
        """Waits for the run's "EXIT n" line, then powers off; returns (n, output)."""
        m = self.wait_for(r'^EXIT (\d+)$', timeout)
        out = self.power_off(flash_out)
        return int(m.group(1)), out

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--elf', required=True)
    ap.add_argument('--qemu', default='qemu-system-arm')
    ap.add_argument('--timeout', type=float, default=60)
    a = ap.parse_args()
    if not os.path.exists(a.elf):
        fail('no firmware image at %s' % a.elf)
    with tempfile.TemporaryDirectory(prefix='mcujs-fw-flash-') as work:
        flash = os.path.join(work, 'flash.bin')
        outs = []
        for boot in (1, 2, 3):
            board = Board(a.elf, work, flash_in=flash if boot > 1 else None, qemu=a.qemu)
            try:
                status, out = board.run_to_end(flash, a.timeout)
            finally:
                board.kill()
            sys.stdout.write(out)
            outs.append(out)
            if status != 0:
                fail('boot %d: exit status %d' % (boot, status), out)
            firmware_test.check_memory(out)
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
        print('PASS: localStorage kept in the flash partition across 2 reboots (pmemsave/loader)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
