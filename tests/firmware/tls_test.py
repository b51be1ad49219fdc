#!/usr/bin/env python3
"""Runs the TLS device-profile test image (tls_main.cpp) under QEMU against
real `openssl s_server` processes on the host.

  tls_test.py --elf build/.../fw-test-tls.elf --cli build/host/mcujs --pki tests/pki/make-pki.sh
              [--timeout S] [--qemu qemu-system-arm] [--icount] [--keep]

Makes the test PKI in a temporary directory (make-pki.sh), writes the served
file data.txt (SIZE bytes of a pattern the image recomputes), starts one
s_server -WWW per case on a free 127.0.0.1 port (10.0.2.2 from the guest):

  ok13        TLS 1.3, ECDSA chain, -max_send_frag 4096 (full 4 KB records)
  big         the same without -max_send_frag: 16 KB records
  again       ok13's server again, after big failed (the board still works)
  untrusted   a chain to a root that is not in ca.pem
  selfsigned  a self-signed leaf
  wronghost   a good chain for the name wrong.example
  ok12        TLS 1.2 only, -max_send_frag 4096
  clientcert  TLS 1.3, -Verify 1: requires a client certificate (P-256,
              issued by a client CA made here), which the image presents
              through tls::ConnectOptions (client.pem, client.key)

and chronyd (the board's clock). Everything the image needs goes into its
own flash: `mcujs bundle` packs params.txt ("size=SIZE <case>=<port>..."),
the config's device section ({"device": {"ntp": "10.0.2.2:<port>"}}, as
boot.cfg), ca.pem, client.pem and client.key with a trivial entry module
(js/test_image.js), and QEMU loads the bundle into the bundle partition
(-device loader). Then it checks each case's result line, the record buffer
sizes, that no fault was reported and the exit status 0. Every wait is
bounded; the servers are killed by pid.
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
from firmware_test import fail, free_port, loader_args, make_bundle  # noqa: E402  (one failure format for every firmware test)
import ntp_server  # noqa: E402  (chronyd: the board's clock)

HERE = os.path.dirname(os.path.abspath(__file__))
SIZE = 20000  # > 10 KB: four full 4096-byte records and a partial one
ALPHABET = b'abcdefghijklmnopqrstuvwxyz0123456789'

EC = ['-cert', 'server-ec.pem', '-key', 'server-ec.key', '-cert_chain', 'server-ec-chain.pem']
SERVERS = {  # name: s_server arguments after -accept
    'ok13': ['-tls1_3', '-max_send_frag', '4096'] + EC,
    'big': ['-tls1_3'] + EC,
    'untrusted': ['-cert', 'untrusted.pem', '-key', 'untrusted.key', '-cert_chain', 'untrusted-chain.pem'],
    'selfsigned': ['-cert', 'selfsigned.pem', '-key', 'selfsigned.key'],
    'wronghost': ['-cert', 'wronghost.pem', '-key', 'wronghost.key', '-cert_chain', 'wronghost-chain.pem'],
    'ok12': ['-tls1_2', '-max_send_frag', '4096'] + EC,
    'clientcert': ['-tls1_3', '-max_send_frag', '4096', '-Verify', '1', '-verify_return_error',
                   '-CAfile', 'client-ca.pem'] + EC,
}
CASES = ['ok13', 'big', 'again', 'untrusted', 'selfsigned', 'wronghost', 'ok12', 'clientcert']
SERVER_OF = {'again': 'ok13'}
FULL_MIN, FULL_MAX = 4096 + 16, 4096 + 256  # a record of 4096 bytes of plaintext, encrypted

RECORD_MSG = (r"TLS record of (\d+) bytes is larger than this build's 4096-byte receive buffer: "
              r"the server ignored max_fragment_length/record_size_limit")


def make_client_cert(pki):
    """client-ca.pem (P-256) and client.pem/.key (P-256, clientAuth) in pki."""
    def run(*args):
        r = subprocess.run(['openssl'] + list(args), cwd=pki, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=60)
        if r.returncode != 0:
            fail('openssl %s failed:\n%s' % (args[0], r.stdout.decode('utf-8', 'replace')))
    run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
        '-subj', '/CN=mcujs firmware client CA', '-keyout', 'client-ca.key', '-out', 'client-ca.pem',
        '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign')
    run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=mcujs firmware device',
        '-keyout', 'client.key', '-out', 'client.csr')
    with open(os.path.join(pki, 'client.cnf'), 'w') as f:
        f.write('basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n')
    run('x509', '-req', '-in', 'client.csr', '-CA', 'client-ca.pem', '-CAkey', 'client-ca.key', '-CAcreateserial',
        '-days', '2', '-extfile', 'client.cnf', '-out', 'client.pem')


def done(version):
    return (r'done TLSv%s (\S+) body=%d match=yes end=close_notify resumed=no hs_ms=\d+' % (re.escape(version), SIZE))


# Each case's result line after "tls-test: <case> ".
EXPECT = {
    'ok13': done('1.3'),
    'clientcert': done('1.3'),
    # -0x7100 (BAD_INPUT_DATA: the record does not fit the buffer) or
    # -0x7200 (INVALID_RECORD: fits, but decrypts to more than 4096 bytes).
    'big': r'failed at read body=\d+: PROTOCOL_ERROR \((-28928|-29184)\) ' + RECORD_MSG,
    'again': done('1.3'),
    'untrusted': (r"failed at handshake body=0: CERT_UNTRUSTED \(-\d+\) server certificate is not trusted: "
                  r"no trusted CA for issuer '[^']*mcujs test untrusted root[^']*'"),
    'selfsigned': (r"failed at handshake body=0: CERT_UNTRUSTED \(-\d+\) server certificate is self-signed "
                   r"\('[^']*localhost[^']*'\) and not in the CA store"),
    'wronghost': (r"failed at handshake body=0: CERT_HOSTNAME_MISMATCH \(-\d+\) server certificate is not valid "
                  r"for host 'localhost' \(it names DNS:wrong\.example\)"),
    'ok12': done('1.2'),
}


def pattern(n):
    return bytes((0x0a if i % 64 == 63 else ALPHABET[(i * 7 + i // 1000) % 36]) for i in range(n))


class Server:
    """One `openssl s_server -WWW` in the PKI directory. stdin is a pipe kept
    open (s_server quits when its stdin ends)."""

    def __init__(self, name, args, pki):
        self.name, self.proc, self.port = name, None, 0
        for attempt in range(3):
            self.port = free_port()
            self.log = os.path.join(pki, 'server-%s-%d.log' % (name, attempt))
            with open(self.log, 'wb') as log:
                self.proc = subprocess.Popen(
                    ['openssl', 's_server', '-accept', '127.0.0.1:%d' % self.port, '-WWW', '-msg'] + args,
                    cwd=pki, stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT)
            for _ in range(100):  # 5 s to print ACCEPT
                if self.proc.poll() is not None:
                    break  # exited (port taken meanwhile, or bad arguments): retry
                if b'ACCEPT' in self.output():
                    return
                time.sleep(0.05)
            self.stop()
        raise RuntimeError('s_server %s did not start: %s' % (name, self.output().decode('utf-8', 'replace')))

    def output(self):
        try:
            with open(self.log, 'rb') as f:
                return f.read()
        except OSError:
            return b''

    def sent_records(self):
        """Lengths of the application_data records the server sent (-msg
        prints every record header in hex; TLS 1.3 wraps everything after
        ServerHello in application_data records)."""
        return [int(m.group(1) + m.group(2), 16) for m in re.finditer(
            r'^>>> [^\n]*RecordHeader \[length 0005\]\n\s+17 03 03 ([0-9a-f]{2}) ([0-9a-f]{2})',
            self.output().decode('latin-1'), re.M)]

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc = None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--elf', required=True)
    ap.add_argument('--cli', required=True, help='the host mcujs (bundle)')
    ap.add_argument('--pki', required=True, help='tests/pki/make-pki.sh')
    ap.add_argument('--timeout', type=float, default=240)
    ap.add_argument('--icount', action='store_true', help='-icount shift=0: cpu_us counts instructions/1000')
    ap.add_argument('--qemu', default='qemu-system-arm')
    ap.add_argument('--keep', action='store_true', help='keep the temporary directory')
    a = ap.parse_args()
    if not os.path.exists(a.elf):
        fail('no firmware image at %s' % a.elf)

    tmp = tempfile.mkdtemp(prefix='mcujs-tls-fw-')
    servers = {}
    ntp = None
    records = {}
    servers_log = {}
    try:
        pki = os.path.join(tmp, 'pki')
        try:
            r = subprocess.run(['bash', a.pki, pki], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=180)
        except subprocess.TimeoutExpired:
            fail('make-pki.sh did not finish within 180 s')
        if r.returncode != 0:
            fail('make-pki.sh failed:\n%s' % r.stdout.decode('utf-8', 'replace'))
        with open(os.path.join(pki, 'data.txt'), 'wb') as f:
            f.write(pattern(SIZE))
        make_client_cert(pki)
        for name, args in SERVERS.items():
            servers[name] = Server(name, args, pki)
        ntp = ntp_server.Chrony(tmp)  # certificate validity needs the time (docs/time.md)
        # The image's inputs, as a bundle in its flash.
        ports = ' '.join('%s=%d' % (c, servers[SERVER_OF.get(c, c)].port) for c in CASES)
        params = os.path.join(tmp, 'params.txt')
        with open(params, 'w') as f:
            f.write('size=%d %s\n' % (SIZE, ports))
        config = os.path.join(tmp, 'config.json')
        with open(config, 'w') as f:
            json.dump({'device': {'ntp': '10.0.2.2:%d' % ntp.port}}, f)
        bundle = make_bundle(a.cli, os.path.join(HERE, 'js', 'test_image.js'), os.path.join(tmp, 'tls.bundle'),
                             ['--config', config, '--ca', os.path.join(pki, 'ca.pem'),
                              '--file', 'client.pem=' + os.path.join(pki, 'client.pem'),
                              '--file', 'client.key=' + os.path.join(pki, 'client.key'),
                              '--file', 'params.txt=' + params])
        cmd = [a.qemu, '-M', 'mps2-an385', '-nographic', '-monitor', 'none',
               '-semihosting-config', 'enable=on,target=native', '-nic', 'user',
               '-kernel', os.path.abspath(a.elf)] + loader_args(bundle)
        if a.icount:
            cmd += ['-icount', 'shift=0']
        try:
            p = subprocess.run(cmd, cwd=tmp, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=a.timeout)
        except subprocess.TimeoutExpired as e:
            fail('QEMU did not exit within %.0f s' % a.timeout, (e.stdout or b'').decode('utf-8', 'replace'))
    finally:
        if ntp:
            ntp.stop()
        for name, s in servers.items():
            servers_log[name] = s.output().decode('utf-8', 'replace')
            s.stop()
            records[name] = s.sent_records()
        if a.keep:
            print('kept %s' % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    out = p.stdout.decode('utf-8', 'replace').replace('\r\n', '\n')
    sys.stdout.write(out)
    lines = [l.rstrip() for l in out.split('\n')]
    if '*** HARD FAULT ***' in lines:  # the crash report (ports/mps2-an385/board/startup.cpp)
        fail('the firmware reported a fault', out)
    if p.returncode != 0:
        fail('exit status %d, expected 0' % p.returncode, out)
    if 'tls-test: record buffers in 4096 out 2048' not in lines:
        fail('not the device profile (expected record buffers in 4096 out 2048)', out)
    for case in CASES:
        prefix = 'tls-test: %s ' % case
        got = [l[len(prefix):] for l in lines if l.startswith(prefix) and not l.startswith(prefix + 'heap')]
        if len(got) != 1:
            fail('expected one result line for %s, got %d' % (case, len(got)), out)
        m = re.fullmatch(EXPECT[case], got[0])
        if not m:
            fail('%s: unexpected result\n  got:      %s\n  expected: %s' % (case, got[0], EXPECT[case]), out)
        if case == 'big' and int(m.group(2)) <= 4096:
            fail('big: the refused record (%s bytes) is not larger than the 4096-byte buffer' % m.group(2), out)
    if 'tls-test: ran %d cases' % len(CASES) not in lines:
        fail('the image did not run all %d cases' % len(CASES), out)
    # The servers' side: full 4 KB records did arrive (ciphertext = 4096
    # bytes of plaintext + AEAD overhead, at most 256), none larger; the
    # uncapped server sent a larger one.
    for name in ('ok13', 'ok12'):
        full = [n for n in records[name] if FULL_MIN <= n <= FULL_MAX]
        if len(full) < 4 or max(records[name], default=0) > FULL_MAX:
            fail('server %s: expected >= 4 full 4 KB records and none larger, sent %s' % (name, records[name]), out)
        print('tls_test: server %s sent %d full records of 4096 bytes (%d bytes of ciphertext)'
              % (name, len(full), max(full)))
    if not re.search(r'depth=0 CN = mcujs firmware device', servers_log['clientcert']):
        fail('the clientcert server did not verify the device certificate', servers_log['clientcert'])
    print('tls_test: the server verified the client certificate CN=mcujs firmware device')
    if max(records['big'], default=0) <= FULL_MAX:
        fail('server big sent no record above 4 KB: %s' % records['big'], out)
    print('tls_test: server big sent a %d-byte record' % max(records['big']))
    for l in lines:  # the numbers, for the log
        if ' heap' in l or 'handshakes' in l:
            print('tls_test: ' + l)
    print('tls_test: PASS')


if __name__ == '__main__':
    main()
