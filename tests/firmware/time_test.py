#!/usr/bin/env python3
"""The device's clock (docs/time.md): SNTP against a real NTP server on the
host, the time floor, and TLS refused without a time.

  time_test.py --cli build/host/mcujs --image build/mps2-an385/mcujs-runtime.elf
               --pki tests/pki/make-pki.sh

One app (js/time_app: prints Date.now(), then tls.connect to an `openssl
s_server` with the test PKI's server certificate for 10.0.2.2) bundled with
the PKI's CA and a configuration whose device section names the NTP server
({"device": {"ntp": "10.0.2.2:PORT"}}: the bundle's boot.cfg), booted with
`mcujs qemu` three times, each with its own NTP side:

- chronyd serving the host's clock: "time: set by SNTP", Date.now() within
  30 s of the host's clock, the TLS connection verified and established;
- nothing listening on the NTP port: the boot waits 3 s, says so, Date.now()
  is the uptime (a 1970 date), the TLS connection fails with CLOCK_NOT_SET;
- a server answering 2001-01-01 (before the image's time floor, its build
  time): "not believed", TLS fails with CLOCK_NOT_SET.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from firmware_test import fail, make_bundle  # noqa: E402
import ntp_server  # noqa: E402
from tls_test import EC, Server  # noqa: E402  (openssl s_server on 127.0.0.1)

HERE = os.path.dirname(os.path.abspath(__file__))


def boot(a, ntp_port):
    """Bundles the app for the NTP server on ntp_port, boots it once."""
    cfg = os.path.join(a.work, 'app.json')
    with open(cfg, 'w') as f:
        json.dump({'tlsPort': a.tls_port, 'device': {'ntp': '10.0.2.2:%d' % ntp_port}}, f)
    bundle = make_bundle(a.cli, os.path.join(HERE, 'js', 'time_app', 'main.js'), os.path.join(a.work, 'time.bundle'),
                         ['--config', cfg, '--ca', a.ca])
    cmd = [a.cli, 'qemu', '--board', 'mps2-an385', '--image', a.image, '--timeout', '90', bundle]
    t = time.time()
    p = subprocess.run(cmd, cwd=a.work, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=120)
    out = p.stdout.decode('utf-8', 'replace').replace('\r\n', '\n')
    sys.stdout.write(out)
    if p.returncode != 0:
        fail('exit status %d' % p.returncode, out)
    m = re.search(r'^INFO  now: (\d+)$', out, re.M)
    tls = re.search(r'^INFO  tls: (\S+)$', out, re.M)
    if not m or not tls:
        fail('the app did not print its time and TLS outcome', out)
    return out, int(m.group(1)) / 1000.0, tls.group(1), t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cli', required=True)
    ap.add_argument('--image', required=True)
    ap.add_argument('--pki', required=True)
    a = ap.parse_args()
    a.cli, a.image = os.path.abspath(a.cli), os.path.abspath(a.image)
    a.work = tempfile.mkdtemp(prefix='mcujs-time-')
    chrony = liar = server = None
    try:
        os.mkdir(os.path.join(a.work, 'kv'))
        pki = os.path.join(a.work, 'pki')
        subprocess.run(['bash', a.pki, pki], check=True, stdout=subprocess.DEVNULL, timeout=120)
        server = Server('time', ['-tls1_3'] + EC, pki)
        a.tls_port, a.ca = server.port, os.path.join(pki, 'ca.pem')

        chrony = ntp_server.Chrony(a.work)
        out, now, tls, t = boot(a, chrony.port)
        if not re.search(r'^time: set by SNTP from 10\.0\.2\.2:%d: \d+$' % chrony.port, out, re.M):
            fail('synced: no "time: set by SNTP" line', out)
        if abs(now - t) > 30:
            fail('synced: Date.now() is %.0f, the host says %.0f' % (now, t), out)
        if tls != 'connected':
            fail('synced: TLS %s, expected a verified connection' % tls, out)
        chrony.stop()
        print('PASS synced: Date.now() %+.1f s from the host, TLS connected' % (now - t))

        silent = ntp_server.free_udp_port()  # nothing answers there
        out, now, tls, _ = boot(a, silent)
        if 'time: not set by SNTP within 3000 ms: TLS fails with CLOCK_NOT_SET until it is' not in out:
            fail('no server: no "time: not set by SNTP" line', out)
        if now > 86400 or tls != 'CLOCK_NOT_SET':
            fail('no server: Date.now() %.0f s (expected the uptime), TLS %s (expected CLOCK_NOT_SET)'
                 % (now, tls), out)
        print('PASS no NTP server: Date.now() is the uptime, TLS refused with CLOCK_NOT_SET')

        liar = ntp_server.Liar(978307200)  # 2001-01-01, before any build of this image
        out, now, tls, _ = boot(a, liar.port)
        if not re.search(r'^time: SNTP answer 978307200 from 10\.0\.2\.2 is before this image\'s time floor '
                         r'\d+: not believed$', out, re.M):
            fail('before the floor: no "not believed" line', out)
        if liar.answered < 1 or now > 86400 or tls != 'CLOCK_NOT_SET':
            fail('before the floor: %d answers, Date.now() %.0f s, TLS %s' % (liar.answered, now, tls), out)
        if 'time: not set by SNTP within 3000 ms' not in out:
            fail('before the floor: the boot did not say the clock stayed unset', out)
        print('PASS time before the floor: not believed, TLS refused with CLOCK_NOT_SET')
    finally:
        for s in (chrony, liar, server):
            if s:
                s.stop()
        shutil.rmtree(a.work, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
