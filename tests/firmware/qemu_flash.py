"""QEMU runs of the mps2-an385 runtime image with a persistent flash state:
the bundle and storage partitions (0x000C0000..0x000FFFFF, 256 KB;
ports/mps2-an385/board/flash_layout.h), the same file `mcujs qemu --flash-state`
keeps, loaded at power-on and saved at power-off, so that consecutive runs
are reboots of one device. For tests that must cut the power at an instant
of their choosing (`mcujs qemu` saves the flash only after the app's end).

Power-on: the flash state (or erased flash) with the app's bundle written
over its bundle partition, put into the board's flash by `-device
loader,file=F,addr=0x000C0000`. Power-off: through the QEMU monitor (a unix
socket), `stop` freezes the machine, `pmemsave 0x000C0000 262144 "OUT"`
saves the state, `quit`. The image runs with `-append hold` (the only word
of its command line: its settings come with the bundle, boot.cfg), so that
at the end of its run it halts instead of ending QEMU
(ports/mps2-an385/board/board.cpp, board_exit): run_to_end powers it off after
the "EXIT n" line; a power cut is power_off mid-run. Every wait is bounded.
"""
import os
import re
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import firmware_test  # noqa: E402  (fail, BUNDLE_BASE)

fail = firmware_test.fail
STATE_BASE = firmware_test.BUNDLE_BASE
BUNDLE_SIZE = 128 * 1024
STATE_SIZE = 256 * 1024  # bundle + storage partitions


def power_on_state(bundle, flash_in, out):
    """Writes out: flash_in's state (else erased flash) with bundle over its
    bundle partition, as `mcujs qemu` installs an app."""
    state = bytearray(b'\xff' * STATE_SIZE)
    if flash_in and os.path.exists(flash_in):
        with open(flash_in, 'rb') as f:
            state = bytearray(f.read())
        if len(state) != STATE_SIZE:
            fail('flash state %s has %d bytes, expected %d' % (flash_in, len(state), STATE_SIZE))
    with open(bundle, 'rb') as f:
        app = f.read()
    if len(app) > BUNDLE_SIZE:
        fail('bundle %s: %d bytes do not fit the bundle partition' % (bundle, len(app)))
    state[:BUNDLE_SIZE] = app + b'\xff' * (BUNDLE_SIZE - len(app))
    with open(out, 'wb') as f:
        f.write(state)
    return out


class Board:
    """One power-on of the emulated board: QEMU with its UART read into
    self.out by a thread, and its monitor on a unix socket."""

    def __init__(self, elf, work, bundle, flash_in=None, net=True, icount=False, qemu='qemu-system-arm',
                 machine='mps2-an385', pcap=None):
        stamp = time.monotonic_ns()
        self.sock_path = os.path.join(work, 'monitor-%d.sock' % stamp)
        state = power_on_state(bundle, flash_in, os.path.join(work, 'power-on-%d.bin' % stamp))
        # Both boards' flash partitions are at 0x000C0000 on QEMU's system bus
        # (the mps2-an505's core sees them at the secure alias 0x100C0000).
        cmd = [qemu, '-M', machine, '-nographic',
               '-monitor', 'unix:%s,server=on,wait=off' % self.sock_path,
               '-semihosting-config', 'enable=on,target=native',
               '-kernel', os.path.abspath(elf), '-append', 'hold',
               '-device', 'loader,file=%s,addr=0x%08X' % (state, STATE_BASE)]
        if net and pcap:  # the board's traffic, as its NIC sees it (tls_wire.py reads it)
            cmd += ['-nic', 'user,id=net0', '-object', 'filter-dump,id=dump0,netdev=net0,file=%s' % pcap]
        elif net:
            cmd += ['-nic', 'user']
        if icount:
            cmd += ['-icount', 'shift=0']
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
        """Freezes the machine, saves the flash state, ends QEMU."""
        self._monitor(['stop', 'pmemsave 0x%08X %d "%s"' % (STATE_BASE, STATE_SIZE, os.path.abspath(flash_out)),
                       'quit'])
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.kill()
            fail('QEMU did not quit')
        self.reader.join(5)
        if os.path.getsize(flash_out) != STATE_SIZE:
            fail('pmemsave wrote %d bytes, expected %d' % (os.path.getsize(flash_out), STATE_SIZE))
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
