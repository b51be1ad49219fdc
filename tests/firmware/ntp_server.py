#!/usr/bin/env python3
"""NTP servers on 127.0.0.1 for the firmware's SNTP client (docs/time.md);
QEMU's user network takes the guest's UDP to 10.0.2.2:PORT there.

- Chrony: Debian's chronyd as a non-daemon NTP server (-d), on a free
  loopback port, with a temporary configuration; it serves the host's
  clock (`local stratum 8`) and never touches it (-x).
- Liar: a minimal SNTP responder that answers every request with a fixed
  time (e.g. before the image's time floor), echoing the request's
  transmit timestamp as the protocol requires.

As a program (tools/fw_qemu.sh): `ntp_server.py --dir DIR --port-file F`
runs chronyd until killed and writes its port to F once it answers.
"""
import argparse
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from firmware_test import free_port  # noqa: E402

NTP_EPOCH = 2208988800  # seconds from 1900 to 1970


def free_udp_port():
    return free_port(socket.SOCK_DGRAM)


def query(port, timeout=1.0):
    """One SNTP request to 127.0.0.1:port; the server's Unix time, or None."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(timeout)
    try:
        s.sendto(b'\x23' + b'\0' * 47, ('127.0.0.1', port))  # v4, client
        data, _ = s.recvfrom(512)
        return struct.unpack('!I', data[40:44])[0] - NTP_EPOCH
    except OSError:
        return None
    finally:
        s.close()


class Chrony:
    def __init__(self, workdir):
        self.dir = os.path.join(workdir, 'chrony')
        os.makedirs(self.dir, exist_ok=True)
        self.proc = None
        for _ in range(3):  # a port taken meanwhile: try another
            self.port = free_udp_port()
            conf = os.path.join(self.dir, 'chrony.conf')
            with open(conf, 'w') as f:
                f.write('port %d\nbindaddress 127.0.0.1\nallow 127.0.0.1\nlocal stratum 8\ncmdport 0\n'
                        'pidfile %s/chronyd.pid\ndriftfile %s/drift\n' % (self.port, self.dir, self.dir))
            cmd = ['chronyd', '-d', '-x', '-f', conf]
            if os.geteuid() == 0:
                cmd += ['-u', 'root']  # keep root: no drop to _chrony, which could not use this directory
            self.log = open(os.path.join(self.dir, 'chronyd.log'), 'w')
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)
            for _ in range(50):  # 5 s to answer
                if self.proc.poll() is not None:
                    break
                if query(self.port, 0.1) is not None:
                    return
                time.sleep(0.1)
            self.stop()
        raise RuntimeError('chronyd did not start: %s' % open(os.path.join(self.dir, 'chronyd.log')).read())

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


class Liar:
    """Answers every SNTP request with unix_time (a thread; stop() ends it)."""

    def __init__(self, unix_time):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(('127.0.0.1', 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.time = unix_time
        self.answered = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        deadline = time.time() + 600  # bounded, whatever the test does
        while self.running and time.time() < deadline:
            try:
                req, addr = self.sock.recvfrom(512)
            except socket.timeout:
                continue
            if len(req) < 48:
                continue
            t = struct.pack('!II', self.time + NTP_EPOCH, 0)
            # LI 0, version 4, mode 4 (server), stratum 2; reference, originate
            # (= the request's transmit), receive and transmit timestamps.
            resp = bytes([0x24, 2, 6, 0xEC]) + b'\0' * 8 + b'LIAR' + t + req[40:48] + t + t
            self.sock.sendto(resp, addr)
            self.answered += 1

    def stop(self):
        self.running = False
        self.thread.join(2)
        self.sock.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--dir', required=True)
    ap.add_argument('--port-file', required=True)
    a = ap.parse_args()
    c = Chrony(a.dir)
    with open(a.port_file + '.tmp', 'w') as f:
        f.write('%d\n' % c.port)
    os.rename(a.port_file + '.tmp', a.port_file)
    # SIGTERM only sets a flag: stopping chronyd from the handler would wait
    # on the child inside a wait on it.
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    while not stop and c.proc.poll() is None:
        time.sleep(0.2)
    c.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
