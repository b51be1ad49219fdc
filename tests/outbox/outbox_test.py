#!/usr/bin/env python3
"""Outbox integration tests: mcujs with a --config 'cloud' section against a
real HTTPS peer on loopback (an in-process TLS server whose answers the test
controls, which records every request's raw bytes).

    outbox_test.py MCUJS CASE     CASE: wire outage dead restart overflow args

Every wait is bounded; every mcujs process is killed at the end.
"""
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

MCUJS = os.path.abspath(sys.argv[1])
CASE = sys.argv[2]
WORK = tempfile.mkdtemp(prefix='mcujs-outbox.')
SECRET = 's3cret-' + os.urandom(4).hex()
PROCS = []


def fail(msg):
    print('FAIL: ' + msg, file=sys.stderr)
    for name in sorted(os.listdir(WORK)):
        if name.endswith('.log'):
            with open(os.path.join(WORK, name), errors='replace') as f:
                print('--- ' + name, file=sys.stderr)
                print(f.read()[-4000:], file=sys.stderr)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def wait_until(seconds, pred, what):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if pred():
            return
        time.sleep(0.05)
    fail('timed out after %d s waiting for %s' % (seconds, what))


def make_pki():
    def run(*args):
        subprocess.run(args, cwd=WORK, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    run('openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
        '-subj', '/CN=mcujs outbox test CA', '-keyout', 'ca.key', '-out', 'ca.pem',
        '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign')
    run('openssl', 'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=localhost',
        '-keyout', 'server.key', '-out', 'server.csr')
    with open(os.path.join(WORK, 'ext.cnf'), 'w') as f:
        f.write('subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n')
    run('openssl', 'x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
        '-days', '2', '-extfile', 'ext.cnf', '-out', 'server.pem')


class Peer:
    """HTTPS/1.1 keep-alive server. status: the default answer; rules: event
    name -> status. requests: every request received, in order."""

    def __init__(self):
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(os.path.join(WORK, 'server.pem'), os.path.join(WORK, 'server.key'))
        self.status = 200
        self.rules = {}
        self.requests = []
        self.lock = threading.Lock()
        self.listener = None
        self.conns = []
        s = socket.socket()
        s.bind(('127.0.0.1', 0))
        self.port = s.getsockname()[1]
        s.close()

    def start(self):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        for _ in range(50):
            try:
                s.bind(('127.0.0.1', self.port))
                break
            except OSError:
                time.sleep(0.1)
        else:
            fail('cannot bind port %d again' % self.port)
        s.listen(16)
        self.listener = s
        threading.Thread(target=self._accept, args=(s,), daemon=True).start()

    def stop(self):
        s, self.listener = self.listener, None
        if s:
            try:
                s.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
            except OSError:
                pass
            s.close()
        with self.lock:
            conns, self.conns = self.conns, []
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            c.close()

    def _accept(self, s):
        while True:
            try:
                c, _ = s.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(c,), daemon=True).start()

    def _serve(self, raw):
        raw.settimeout(20)
        with self.lock:
            self.conns.append(raw)
        try:
            c = self.ctx.wrap_socket(raw, server_side=True)
        except (OSError, ssl.SSLError):
            raw.close()
            return
        buf = b''
        try:
            while True:
                while b'\r\n\r\n' not in buf:
                    d = c.recv(4096)
                    if not d:
                        return
                    buf += d
                    if len(buf) > 65536:
                        return
                head, buf = buf.split(b'\r\n\r\n', 1)
                length = 0
                for line in head.split(b'\r\n')[1:]:
                    k, _, v = line.partition(b':')
                    if k.strip().lower() == b'content-length':
                        length = int(v.strip())
                while len(buf) < length:
                    d = c.recv(4096)
                    if not d:
                        return
                    buf += d
                body, buf = buf[:length], buf[length:]
                form = urllib.parse.parse_qs(body.decode('latin-1'), keep_blank_values=True, encoding='utf-8')
                form = {k: v[0] for k, v in form.items()}
                with self.lock:
                    status = self.rules.get(form.get('event'), self.status)
                    self.requests.append({'head': head + b'\r\n\r\n', 'body': body, 'form': form, 'status': status})
                c.sendall(b'HTTP/1.1 %d X\r\nContent-Length: 2\r\n\r\nok' % status)
        except (OSError, ssl.SSLError, ValueError):
            return
        finally:
            c.close()

    def delivered(self):
        with self.lock:
            return [r for r in self.requests if 200 <= r['status'] <= 299]


def write_config(name, port, queue=None, cloud_extra=None):
    cloud = {'url': 'https://localhost:%d/events' % port, 'ca': 'ca.pem', 'secret': SECRET, 'coreid': 'hub-7'}
    cloud['queue'] = {'backoff_initial_ms': 50, 'backoff_max_ms': 400, 'request_timeout_ms': 5000,
                      'drain_timeout_ms': 20000}
    cloud['queue'].update(queue or {})
    cloud.update(cloud_extra or {})
    path = os.path.join(WORK, name)
    with open(path, 'w') as f:
        json.dump({'cloud': cloud, 'app': {'answer': 42}}, f)
    return path


def start_mcujs(script, config=None, log='mcujs.log', state='state', extra=()):
    path = os.path.join(WORK, 'script-%d.js' % len(PROCS))
    with open(path, 'w') as f:
        f.write(script)
    args = [MCUJS, 'run', '--log-level', 'info', '--state-dir', os.path.join(WORK, state)]
    if config:
        args += ['--config', config]
    args += list(extra) + [path]
    out = open(os.path.join(WORK, log), 'a')
    p = subprocess.Popen(args, cwd=WORK, stdout=out, stderr=subprocess.STDOUT)
    PROCS.append(p)
    return p


def finish(p, seconds, want=0):
    try:
        rc = p.wait(seconds)
    except subprocess.TimeoutExpired:
        fail('mcujs did not finish within %d s' % seconds)
    check(rc == want, 'mcujs exited with %d, expected %d' % (rc, want))


def log_text(name='mcujs.log'):
    with open(os.path.join(WORK, name), errors='replace') as f:
        return f.read()


def state_files(state='state'):
    d = os.path.join(WORK, state)
    return sorted(os.listdir(d)) if os.path.isdir(d) else []


def marked(marker, name='mcujs.log'):
    """The JSON after 'MARKER ' on the script's output lines (console.log
    lines carry a level prefix)."""
    out = []
    for line in log_text(name).splitlines():
        at = line.find(marker + ' ')
        if at >= 0:
            out.append(json.loads(line[at + len(marker) + 1:]))
    return out


def ids(reqs):
    return [int(r['form']['id']) for r in reqs]


# A script helper: waits (bounded) until the outbox has delivered n events.
WAIT_JS = '''
function waitDelivered(n, ms, done) {
  const t0 = Date.now();
  const iv = setInterval(() => {
    const s = photon.outbox.stats();
    if (s.delivered >= n && s.queued === 0) { clearInterval(iv); done(s); }
    else if (Date.now() - t0 > ms) { clearInterval(iv); throw new Error('not delivered: ' + JSON.stringify(s)); }
  }, 20);
}
'''


# ---------------------------------------------------------------- cases

def case_wire():
    peer = Peer()
    peer.start()
    cfg = write_config('c.json', peer.port)
    p = start_mcujs('''
if (photon.publish('sensor-report', 'a b&c=d/\u00e9+%') !== true) throw new Error('publish');
const id = photon.outbox.send('sensor-alarm', {t: 21, why: ['gas']});
if (id !== 2) throw new Error('id ' + id);
console.log('queued');
''', cfg)
    finish(p, 60)
    reqs = peer.delivered()
    check(len(reqs) == 2, 'expected 2 requests, got %d' % len(reqs))
    body1 = ('event=sensor-report&data=a+b%26c%3Dd%2F%C3%A9%2B%25&coreid=hub-7&id=1').encode()
    head1 = ('POST /events HTTP/1.1\r\nHost: localhost:%d\r\nContent-Length: %d\r\n'
             'Content-Type: application/x-www-form-urlencoded\r\nSecret: %s\r\n\r\n' % (peer.port, len(body1), SECRET))
    check(reqs[0]['head'] == head1.encode(), 'head differs:\n%r\n%r' % (reqs[0]['head'], head1))
    check(reqs[0]['body'] == body1, 'body differs:\n%r\n%r' % (reqs[0]['body'], body1))
    f = reqs[1]['form']
    check(f == {'event': 'sensor-alarm', 'data': '{"t":21,"why":["gas"]}', 'coreid': 'hub-7', 'id': '2'},
          'second event: %r' % f)
    check(state_files() == ['ob.meta'], 'state left: %r' % state_files())
    # The ids go on after a restart (never reused).
    p = start_mcujs('photon.publish("sensor-report", "again");', cfg)
    finish(p, 60)
    check(ids(peer.delivered()) == [1, 2, 3], 'ids %r' % ids(peer.delivered()))


def case_outage():
    peer = Peer()
    peer.status = 503
    peer.start()
    cfg = write_config('c.json', peer.port)
    p = start_mcujs(WAIT_JS + '''
for (let i = 1; i <= 6; i++) photon.outbox.send('sensor-report', {n: i});
waitDelivered(6, 40000, (s) => console.log('STATS ' + JSON.stringify(s)));
''', cfg)
    wait_until(20, lambda: len(peer.requests) >= 3, 'three refused attempts (503)')
    check(not peer.delivered(), 'delivered during 503')
    peer.stop()  # now connections are refused
    time.sleep(1.0)
    check(p.poll() is None, 'mcujs ended during the outage')
    peer.status = 200
    peer.start()
    finish(p, 60)
    got = ids(peer.delivered())
    check(got == [1, 2, 3, 4, 5, 6], 'delivered ids %r (want 1..6 once, in order)' % got)
    check([json.loads(r['form']['data'])['n'] for r in peer.delivered()] == [1, 2, 3, 4, 5, 6], 'data order')
    stats = marked('STATS')
    check(stats, 'no stats line')
    s = stats[-1]
    check(s['retries'] >= 4 and s['delivered'] == 6 and s['queued'] == 0 and s['deadLetters'] == 0, 'stats %r' % s)
    check('retry' in log_text(), 'no retry logged')
    # Every 503 was for event 1: order preserved (head of line first).
    check(all(r['form']['id'] == '1' for r in peer.requests if r['status'] == 503), 'a later event overtook #1')


def case_dead():
    peer = Peer()
    peer.rules = {'poison': 400, 'gone': 410}
    peer.start()
    cfg = write_config('c.json', peer.port, {'max_dead': 2})
    p = start_mcujs(WAIT_JS + '''
photon.outbox.send('a', 'x'); photon.outbox.send('poison', 'p1'); photon.outbox.send('b', 'y');
photon.outbox.send('gone', 'g'); photon.outbox.send('poison', 'p2'); photon.outbox.send('c', 'z');
waitDelivered(3, 20000, (s) => {
  console.log('STATS ' + JSON.stringify(s));
  console.log('DEAD ' + JSON.stringify(photon.outbox.deadLetters()));
});
''', cfg)
    finish(p, 60)
    check(ids(peer.delivered()) == [1, 3, 6], 'delivered %r' % ids(peer.delivered()))
    check([r['form']['id'] for r in peer.requests] == ['1', '2', '3', '4', '5', '6'], 'a 4xx was retried')
    out = log_text()
    check(marked('DEAD'), 'no dead letter line')
    dead = marked('DEAD')[0]
    check(dead == [{'id': 4, 'event': 'gone', 'status': 410}, {'id': 5, 'event': 'poison', 'status': 400}],
          'dead letters %r (max_dead 2 keeps the newest)' % dead)
    check('HTTP 400' in out and 'HTTP 410' in out, 'the 4xx statuses are not logged')
    # Persisted: a new run sees the same dead letters.
    p = start_mcujs('console.log("DEAD2 " + JSON.stringify(photon.outbox.deadLetters()));', cfg)
    finish(p, 30)
    dead2 = marked('DEAD2')
    check(dead2 and dead2[0] == dead, 'dead letters after restart: %r' % dead2)


def case_restart():
    peer = Peer()  # not started: connections refused
    cfg = write_config('c.json', peer.port)
    p = start_mcujs('''
for (let i = 1; i <= 5; i++) photon.outbox.send('sensor-report', 'r' + i);
console.log('QUEUED');
setInterval(() => {}, 1000);
''', cfg)
    wait_until(20, lambda: 'QUEUED' in log_text() and 'retry' in log_text(), 'events queued and retried')
    p.send_signal(signal.SIGKILL)
    p.wait(10)
    files = state_files()
    check(len([f for f in files if f.startswith('ob.e.')]) == 5, 'state after kill -9: %r' % files)
    peer.start()
    p = start_mcujs(WAIT_JS + '''
const id = photon.outbox.send('sensor-report', 'r6');
if (id !== 6) throw new Error('id reused: ' + id);
waitDelivered(6, 20000, (s) => console.log('STATS ' + JSON.stringify(s)));
''', cfg)
    finish(p, 60)
    got = ids(peer.delivered())
    check(got == [1, 2, 3, 4, 5, 6], 'delivered %r' % got)
    check([r['form']['data'] for r in peer.delivered()] == ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'], 'data')
    check(state_files() == ['ob.meta'], 'state left: %r' % state_files())


def case_overflow():
    peer = Peer()  # down at first
    cfg = write_config('c.json', peer.port, {'max_events': 4, 'backoff_initial_ms': 100, 'backoff_max_ms': 200,
                                             'critical_events': ['sensor-alarm']})
    p = start_mcujs(WAIT_JS + '''
const r = [];
const rep = (n) => r.push(photon.outbox.send('sensor-report', n));
const al = (n) => r.push(photon.outbox.send('sensor-alarm', n));
rep('r1'); al('a1'); rep('r2'); rep('r3'); al('a2'); rep('r4'); al('a3'); al('a4');
r.push(photon.publish('sensor-report', 'r5'));
al('a5');
console.log('RESULTS ' + JSON.stringify(r));
console.log('STATS1 ' + JSON.stringify(photon.outbox.stats()));
waitDelivered(4, 30000, (s) => console.log('STATS ' + JSON.stringify(s)));
''', cfg)
    wait_until(20, lambda: 'STATS1' in log_text(), 'the script to queue its events')
    peer.start()
    finish(p, 60)
    out = log_text()
    check(marked('RESULTS') and marked('STATS1'), 'no result lines')
    res = marked('RESULTS')[0]
    check(res == [1, 2, 3, 4, 5, 6, 7, 8, False, 9], 'results %r' % res)
    s1 = marked('STATS1')[0]
    check(s1['queued'] == 4 and s1['dropped'] == {'reports': 5, 'alarms': 1}, 'stats %r' % s1)
    reqs = peer.delivered()
    check([r['form']['data'] for r in reqs] == ['a2', 'a3', 'a4', 'a5'], 'delivered %r' % [r['form'] for r in reqs])
    check(reqs[0]['form'].get('dropped') == '6', 'first delivery must report dropped=6: %r' % reqs[0]['form'])
    check(all('dropped' not in r['form'] for r in reqs[1:]), 'dropped reported twice')
    check('dropped the oldest report' in out and 'dropped the oldest alarm' in out and 'dropped new' in out,
          'drops not logged')


def case_args():
    # Without a configuration: photon.config is {} and publish is a clear Error.
    p = start_mcujs('''
if (!Object.isFrozen(photon.config) || Object.keys(photon.config).length) throw new Error('config');
let e = null;
try { photon.publish('x', 'y'); } catch (err) { e = err; }
if (!e || e.constructor !== Error || !/no cloud outbox configured/.test(e.message)) throw new Error('no error: ' + e);
console.log('NOCONFIG OK');
''', None, log='noconfig.log')
    finish(p, 30)
    check('NOCONFIG OK' in log_text('noconfig.log'), 'no-config checks')
    peer = Peer()
    peer.start()
    cfg = write_config('c.json', peer.port, {'drain_timeout_ms': 20000})
    p = start_mcujs('''
"use strict";
function throws(f, type, re) {
  try { f(); } catch (e) {
    if (!(e instanceof type) || (re && !re.test(e.message))) throw new Error('wrong error ' + e);
    return;
  }
  throw new Error('no error from ' + f);
}
throws(() => photon.publish(), TypeError);
throws(() => photon.publish(1, 'x'), TypeError, /event must be a string/);
throws(() => photon.publish('', 'x'), RangeError, /1\\.\\.63/);
throws(() => photon.publish('e'.repeat(64), 'x'), RangeError);
throws(() => photon.publish('e', {a: 1}), TypeError, /data must be a string/);
throws(() => photon.publish('e', 7), TypeError);
throws(() => photon.publish('e', '\u00e9'.repeat(128)), RangeError, /255/);
throws(() => photon.publish('e', 'x', 'extra'), TypeError);
throws(() => photon.outbox.send('e', 'x'.repeat(1025)), RangeError);
throws(() => photon.outbox.send('e', () => 1), TypeError);
throws(() => photon.outbox.stats(1), TypeError);
if (photon.publish('e'.repeat(63), 'x'.repeat(255)) !== true) throw new Error('max publish');
if (photon.publish('e') !== true) throw new Error('publish without data');
if (typeof photon.outbox.send('e', {a: 1}) !== 'number') throw new Error('send');
throws(() => { photon.config.app.answer = 1; }, TypeError);
throws(() => { photon.config.cloud.queue.max_events = 1; }, TypeError);
if (photon.config.app.answer !== 42) throw new Error('config value');
console.log('ARGS OK');
''', cfg)
    finish(p, 60)
    check('ARGS OK' in log_text(), 'argument checks')
    got = peer.delivered()
    check([r['form']['data'] for r in got] == ['x' * 255, '', '{"a":1}'], 'delivered %r' % [r['form'] for r in got])
    # Configuration errors name the field and stop startup (status 78).
    bad = [({'secret': None}, "option 'secret' is required"),
           ({'url': 'http://localhost:1/x'}, 'https://'),
           ({'queue': {'max_events': 0}}, "option 'max_events' must be in 1..256"),
           ({'coreid': 'c' * 64}, "option 'coreid'"),
           ({'keep_alive_ms': -1}, "option 'keep_alive_ms' must be in 0..3600000"),
           ({'keep_alive_ms': 'long'}, "option 'keep_alive_ms' must be an integer"),
           ({'ca': 'missing.pem'}, "option 'ca': cannot read"),
           ({'queue': {'backoff_initial_ms': 500, 'backoff_max_ms': 100}}, 'backoff_max_ms'),
           ({'queue': {'critical_events': 'sensor-alarm'}}, "option 'critical_events' must be an array"),
           ({'queue': {'critical_events': ['e%d' % n for n in range(9)]}}, 'at most 8 event names')]
    for i, (extra, msg) in enumerate(bad):
        cloud = {k: v for k, v in extra.items() if v is not None}
        c = write_config('bad%d.json' % i, peer.port, cloud_extra=cloud)
        if 'secret' in extra and extra['secret'] is None:
            with open(c) as f:
                d = json.load(f)
            del d['cloud']['secret']
            with open(c, 'w') as f:
                json.dump(d, f)
        p = start_mcujs('console.log("should not run")', c, log='bad%d.log' % i, state='bad-state')
        finish(p, 30, want=78)
        text = log_text('bad%d.log' % i)
        check(msg in text and 'should not run' not in text, 'bad config %r: %r' % (extra, text))
    with open(os.path.join(WORK, 'notjson.json'), 'w') as f:
        f.write('{"cloud": ')
    p = start_mcujs('1', os.path.join(WORK, 'notjson.json'), log='notjson.log', state='bad-state')
    finish(p, 30, want=78)
    check('SyntaxError' in log_text('notjson.log'), 'JSON syntax error not reported')


CASES = {'wire': case_wire, 'outage': case_outage, 'dead': case_dead, 'restart': case_restart,
         'overflow': case_overflow, 'args': case_args}

if __name__ == '__main__':
    ok = False
    try:
        make_pki()
        CASES[CASE]()
        ok = True
        print('PASS outbox ' + CASE)
    finally:
        for p in PROCS:
            if p.poll() is None:
                p.kill()
                p.wait(10)
        if ok and os.environ.get('MCUJS_OUTBOX_KEEP') != '1':
            shutil.rmtree(WORK, ignore_errors=True)
        else:
            print('kept ' + WORK, file=sys.stderr)
