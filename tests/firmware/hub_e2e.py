#!/usr/bin/env python3
"""End to end on the emulated board: the sensor hub (apps/sensor-hub as a
bundle with the provisioned configuration and CA, `mcujs bundle`) on the
runtime image (the e2e scenario compiled in, on the simulated clock; its
clock set by SNTP from chronyd started by this test) under QEMU
with user-mode networking -> TLS 1.3 to 10.0.2.2 (the host's loopback) ->
mcujs-receiver -> SQLite. The scenario is the one tests/hub/e2e.sh uses on
Linux, so the same 10 reports and 7 alarms must arrive, each exactly once.

  hub_e2e.py --elf mcujs-runtime.elf --cli mcujs --provision DIR --receiver BIN
             [--icount] [--outage | --power-cuts N [--seed S]] [--timeout S] [--keep]
             [--budget-json F]

--outage: nothing lost while the receiver is down. The firmware runs first
with no receiver (every connection refused): it must end normally and keep
the 17 events in its flash store; its flash state (bundle + storage
partitions) is saved at its power-off (QEMU monitor pmemsave, qemu_flash.py)
and loaded at the next power-on; the receiver starts and the firmware boots again on that flash:
the 17 kept events and the 17 of the second run must all arrive, ids 1..34,
each exactly once.

--power-cuts N (the image logging at trace level: the bundle's configuration
has "device": {"log": "trace"}, whose
"queued <event> #<id>" lines say which events the outbox acknowledged): N boots with the
receiver down, each stopped at a random instant (--seed) while the app
publishes and the outbox writes, its flash saved as it was at that instant;
then a boot with the receiver up. Every event acknowledged in any boot must
arrive exactly once (the receiver keys events by device and id), except
those the outbox's documented overflow policy dropped (logged with their id).

DIR holds what tools/fw_provision.sh made for the device (device.json and
ca.pem for the bundle, receiver.json with the port and secret of device.json,
server.pem/key). The receiver
listens on that fixed port (it is in the bundle's configuration); the test fails
clearly if the port is taken. Every wait is bounded.
"""
import argparse
import json
import os
import random
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import firmware_test  # noqa: E402  (check_memory, fail)
import qemu_flash  # noqa: E402  (Board: flash saved at power-off)
import ntp_server  # noqa: E402  (chronyd for the device's clock)

fail = firmware_test.fail
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def start_receiver(binary, provision, work):
    cfg = json.load(open(os.path.join(provision, 'receiver.json')))
    host, port = cfg['listen'].rsplit(':', 1)
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the receiver does (TIME_WAIT is fine)
        try:
            s.bind((host, int(port)))
        except OSError as e:
            fail('port %s (in the bundle\'s configuration) is not free: %s' % (port, e))
    provision = os.path.abspath(provision)
    cfg['cert'] = os.path.join(provision, cfg['cert'])
    cfg['key'] = os.path.join(provision, cfg['key'])
    cfg['db'] = os.path.join(work, 'receiver.db')
    with open(os.path.join(work, 'receiver.json'), 'w') as f:
        json.dump(cfg, f)
    log = open(os.path.join(work, 'receiver.log'), 'w')
    portfile = os.path.join(work, 'receiver.port')
    p = subprocess.Popen([os.path.abspath(binary), '--config', os.path.join(work, 'receiver.json'), '--port-file', portfile],
                         cwd=work, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(200):  # 20 s
        if os.path.exists(portfile) and os.path.getsize(portfile) > 0:
            return p
        if p.poll() is not None:
            break
        time.sleep(0.1)
    p.kill()
    fail('the receiver did not start', open(os.path.join(work, 'receiver.log')).read())


def run_qemu(a, work, flash_in=None, flash_out=None, trace=False):
    """Boots the image once in work with the hub's bundle, on the flash state
    flash_in (else erased flash), until its "EXIT n" line; its flash state is
    saved to flash_out (else to a scratch file). Fails unless n is 0."""
    board = boot(a, work, flash_in, trace)
    try:
        status, out = board.run_to_end(flash_out or os.path.join(work, 'flash-last.bin'), a.timeout)
    finally:
        board.kill()
    sys.stdout.write(out)
    print('QEMU ran %.1f s' % (time.time() - board.t0))
    if status != 0:
        fail('firmware exit status %d, expected 0' % status, out)
    if not re.search(r'^net: DHCP lease 10\.0\.2\.\d+', out, re.M):
        fail('no DHCP lease reported', out)
    return out


def hub_bundle(a, work, trace=False, entry=None, name=None, config=None):
    """The sensor hub (or the app at entry) as a bundle with the provisioned
    configuration (or the given config dict) and CA; the configuration is a copy
    of the provisioned device.json with the device section its boot needs: the
    NTP server this test started and, for trace, the log level
    (bundle/boot_settings.h)."""
    name = name or ('hub-trace' if trace else 'hub')
    if config is None:
        with open(os.path.join(a.provision, 'device.json')) as f:
            config = json.load(f)
    config['device'] = dict({'ntp': '10.0.2.2:%d' % a.ntp.port}, **({'log': 'trace'} if trace else {}))
    path = os.path.join(work, name + '.json')
    with open(path, 'w') as f:
        json.dump(config, f)
    return firmware_test.make_bundle(
        a.cli, entry or os.path.join(ROOT, 'apps', 'sensor-hub', 'main.js'), os.path.join(work, name + '.bundle'),
        ['--config', path, '--ca', os.path.join(a.provision, 'ca.pem')], board=a.board)


def boot(a, work, flash_in=None, trace=False):
    """Powers the board on with the hub's bundle (the trace one if trace)."""
    if trace and not getattr(a, 'trace_bundle', None):
        a.trace_bundle = hub_bundle(a, work, trace=True)
    return qemu_flash.Board(a.elf, work, a.trace_bundle if trace else a.bundle, flash_in=flash_in,
                            icount=a.icount, qemu=a.qemu, machine=a.board, pcap=getattr(a, 'pcap', None))


def clean_up(a, work):
    """Stops the receiver and chronyd (if started), removes work (unless --keep)."""
    if a.ntp:
        a.ntp.stop()
    receiver = a.receiver_proc
    if receiver:
        receiver.terminate()
        try:
            receiver.wait(10)
        except subprocess.TimeoutExpired:
            receiver.kill()
    if a.keep:
        print('kept %s' % work)
    else:
        shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--elf', required=True)
    ap.add_argument('--cli', required=True, help='the host mcujs, to bundle apps/sensor-hub')
    ap.add_argument('--provision', required=True)
    ap.add_argument('--receiver', required=True)
    ap.add_argument('--qemu', default='qemu-system-arm')
    ap.add_argument('--board', default='mps2-an385', help='the board the image is for (mcujs bundle --board, QEMU -M)')
    ap.add_argument('--icount', action='store_true')
    ap.add_argument('--timeout', type=float, default=600)
    ap.add_argument('--keep', action='store_true', help='keep the work directory')
    ap.add_argument('--budget-json', help='write the budget report of this run here (tools/fw_budget.py)')
    ap.add_argument('--outage', action='store_true', help='a first run with the receiver down (see above)')
    ap.add_argument('--power-cuts', type=int, default=0, help='boots cut short with the receiver down (see above)')
    ap.add_argument('--seed', type=int, default=None, help='of the instants of the power cuts (default: random)')
    a = ap.parse_args()
    for path, what in ((a.elf, 'firmware image'), (a.cli, 'host mcujs (make build)'),
                       (a.receiver, 'receiver (make build)')):
        if not os.path.exists(path):
            fail('no %s at %s' % (what, path))

    work = tempfile.mkdtemp(prefix='mcujs-fw-cuts-' if a.power_cuts else 'mcujs-fw-e2e-')
    a.ntp = a.receiver_proc = None
    try:
        a.ntp = ntp_server.Chrony(work)  # TLS needs the time (docs/time.md)
        a.bundle = hub_bundle(a, work)
        return power_cuts(a, work) if a.power_cuts else e2e(a, work)
    finally:
        clean_up(a, work)


def e2e(a, work):
    """The e2e run (and --outage)."""
    total = 17
    flash = None
    if a.outage:
        flash = os.path.join(work, 'flash.bin')
        out = run_qemu(a, work, flash_out=flash)  # nothing listens on the receiver's port
        if not re.search(r'outbox: 17 event\(s\) not delivered; kept', out):
            fail('the first run (receiver down) did not keep its 17 events', out)
        total = 34
    a.receiver_proc = start_receiver(a.receiver, a.provision, work)
    out = run_qemu(a, work, flash_in=flash)
    if a.outage and not re.search(r'outbox: 17 event\(s\) waiting from an earlier run', out):
        fail('the second boot did not find the 17 events in its flash', out)
    in_use = firmware_test.check_memory(out, firmware_test.BOARD_RAM[a.board])

    db = sqlite3.connect(os.path.join(work, 'receiver.db'))
    rows = db.execute('SELECT event_id, event, coreid, data FROM events ORDER BY event_id').fetchall()
    reports = [r for r in rows if r[1] == 'sensor-report']
    alarms = [r for r in rows if r[1] == 'sensor-alarm']
    runs = total // 17
    if len(reports) != 10 * runs or len(alarms) != 7 * runs:
        fail('stored %d reports and %d alarms, expected %d and %d' % (len(reports), len(alarms), 10 * runs,
                                                                     7 * runs), out)
    if [r[0] for r in rows] != list(range(1, total + 1)):
        fail('event ids %r, expected 1..%d each once' % ([r[0] for r in rows], total), out)
    if any(r[2] != 'photon-1' for r in rows):
        fail('events from another device than photon-1', out)
    reasons = [json.loads(r[3])['reasons'][0] for r in alarms]
    want = ['gas', 'movement', 'flame', 'flame', 'flame', 'temperature', 'temperature'] * runs
    if reasons != want:
        fail('alarm causes %r, expected %r' % (reasons, want), out)
    log = open(os.path.join(work, 'receiver.log')).read()
    tls13 = len(re.findall(r'INFO 201 sensor-.* from photon-1 .* TLSv1\.3$', log, re.M))
    if tls13 != total:
        fail('%d of %d deliveries logged over TLS 1.3' % (tls13, total), log)
    hs = re.search(r'^TLS handshakes full=(\d+) resumed=(\d+)', out, re.M)
    if not hs or int(hs.group(1)) < 1:
        fail('no full TLS handshake reported', out)
    # The connection is kept between deliveries (keep_alive_ms 30 s on the
    # device, idle_timeout_s 60 on the receiver: tools/fw_provision.sh), so
    # a run's events share one connection: at most one more handshake (a
    # resumed one) if the server closed it between two deliveries.
    if int(hs.group(1)) + int(hs.group(2)) > 2 or int(hs.group(1)) > 1:
        fail('handshakes full=%s resumed=%s for %d deliveries, expected at most 2 (one full, the connection '
             'kept alive)' % (hs.group(1), hs.group(2), total), out)
    if a.budget_json:
        log_path = os.path.join(work, 'qemu.log')
        with open(log_path, 'w') as f:
            f.write(out)
        cmd = [sys.executable, os.path.join(ROOT, 'tools', 'fw_budget.py'), '--map',
               os.path.splitext(a.elf)[0] + '.map', '--log', log_path, '--json', a.budget_json,
               '--bundle', a.bundle, '--delivered', str(total),
               '--headroom', os.path.join(os.path.dirname(os.path.abspath(a.budget_json)), 'headroom.json')]
        if a.icount:
            cmd.append('--icount')
        subprocess.run(cmd, check=True)
    print('PASS: %d reports + %d alarms stored once each over TLS 1.3 (last run: %s full, %s resumed '
          'handshakes), RAM in use %d bytes' % (10 * runs, 7 * runs, hs.group(1), hs.group(2), in_use))
    return 0


def power_cuts(a, work):
    """The --power-cuts runs (see above)."""
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    print('power cuts: %d, seed %d' % (a.power_cuts, seed))
    queued_rx = re.compile(r'queued sensor-\w+ #(\d+)')
    dropped_rx = re.compile(r'outbox: queue full .*dropped the oldest \w+ #(\d+)')
    acked, dropped, repaired = set(), set(), 0
    flash = os.path.join(work, 'flash.bin')
    for i in range(a.power_cuts):
        board = boot(a, work, flash_in=flash if i else None, trace=True)
        try:
            # While the outbox writes: after the app's n-th event of this
            # boot (at most 6 a boot, so that 5 boots stay under the
            # queue's 32 events), a moment later.
            n = rng.randint(1, 6)
            board.wait_for(r'sensor hub: sampling every', 60)
            t0 = time.time()
            board.wait_for(r'queued sensor-\w+ #\d+', 60, count=n)
            time.sleep(rng.uniform(0.0, 0.03))
            delay = time.time() - t0
            out = board.power_off(flash)
        finally:
            board.kill()
        ids = {int(x) for x in queued_rx.findall(out)}
        acked |= ids
        dropped |= {int(x) for x in dropped_rx.findall(out)}
        m = re.search(r'^storage: \d+ of \d+ sectors free, (\d+) repaired at mount$', out, re.M)
        if not m:
            fail('boot %d: no storage line' % (i + 1), out)
        if i:
            repaired += int(m.group(1))  # (the first boot erases the never-written partition)
        print('cut %d after event %d (%.2f s): %d event(s) acknowledged in this boot (%s)%s' % (
            i + 1, n, delay, len(ids), ','.join(str(x) for x in sorted(ids)),
            '' if 'EXIT' not in out else ' (the run had ended)'))
    a.receiver_proc = start_receiver(a.receiver, a.provision, work)
    out = run_qemu(a, work, flash_in=flash, trace=True)
    acked |= {int(x) for x in queued_rx.findall(out)}
    dropped |= {int(x) for x in dropped_rx.findall(out)}
    m = re.search(r'^storage: \d+ of \d+ sectors free, (\d+) repaired at mount$', out, re.M)
    repaired += int(m.group(1)) if m else 0
    db = sqlite3.connect(os.path.join(work, 'receiver.db'))
    rows = [r[0] for r in db.execute('SELECT event_id FROM events ORDER BY event_id').fetchall()]
    if len(rows) != len(set(rows)):
        fail('an event stored twice: %r' % rows, out)
    missing = sorted(acked - dropped - set(rows))
    if missing:
        fail('acknowledged events never arrived: %r (stored %r)' % (missing, rows), out)
    extra = sorted(set(rows) - acked)
    print('PASS: %d power cuts (seed %d): all %d acknowledged events arrived once (%d dropped by the '
          'overflow policy; %d stored but cut before their acknowledgement: %r); %d sector(s) repaired '
          'at mount' % (a.power_cuts, seed, len(acked - dropped), len(dropped), len(extra), extra, repaired))
    return 0


if __name__ == '__main__':
    sys.exit(main())
