// Per-connection TLS options (options.sh says what each case sets up).
import env from './env.js';
import { eq, ok, within } from './assert.js';

const base = { host: env.host, port: env.port };

async function expectRejection(promise, code, what) {
  try {
    const s = await within(promise, 15000, what);
    s.close();
  } catch (e) {
    console.log(`${what}: ${e.name} ${e.code}: ${e.message}`);
    eq(e.code, code, `${what}: code`);
    return e;
  }
  throw new Error(`${what}: connected, expected ${code}`);
}

// Writes a line and reads until the server closes or fails: returns the
// error a refused client certificate causes (TLS 1.3: after the handshake).
async function refusedAfterConnect(options, what) {
  let s;
  try {
    s = await within(tls.connect(options), 15000, what);
  } catch (e) {
    console.log(`${what}: connect rejected: ${e.code}: ${e.message}`);
    return e;
  }
  try {
    await s.write(`hello ${env.secret}\n`);
    for (let i = 0; i < 10; i++) {
      const chunk = await within(s.read(), 10000, `${what}: read`);
      if (chunk === null) break;
    }
  } catch (e) {
    console.log(`${what}: after connect: ${e.code}: ${e.message}`);
    return e;
  }
  throw new Error(`${what}: the server did not refuse`);
}

switch (env.case) {
  case 'ca_scoped': {
    // The runtime's store (--ca) holds an unrelated root: only the
    // connection given `ca` trusts the server.
    const s = await within(tls.connect({ ...base, ca: env.ca }), 15000, 'with ca');
    eq(s.protocol, 'TLSv1.3', 'with ca: connected');
    s.close();
    await expectRejection(tls.connect(base), 'CERT_UNTRUSTED', 'later tls.connect without ca');
    const c = photon.TLSTCPClient();
    eq(c.connect(env.host, env.port), false, 'TLSTCPClient afterwards');
    eq(c.lastError.code, 'CERT_UNTRUSTED', 'TLSTCPClient: code');
    let fe = null;
    try { await within(fetch(`https://${env.host}:${env.port}/`), 15000, 'fetch'); } catch (e) { fe = e; }
    ok(fe !== null, 'fetch afterwards fails');
    eq(fe.code, 'CERT_UNTRUSTED', 'fetch afterwards: code');
    // A bad ca is reported, as before: a TLSError BAD_INPUT.
    await expectRejection(tls.connect({ ...base, ca: 'not a pem' }), 'BAD_INPUT', 'bad ca');
    // addCertificates stays runtime-wide, as in the article.
    photon.TLSTCPClient.addCertificates(env.ca);
    const s2 = await within(tls.connect(base), 15000, 'after addCertificates');
    s2.close();
    eq(c.connect(env.host, env.port), true, 'TLSTCPClient after addCertificates');
    c.stop();
    break;
  }
  case 'timeout': {
    // The listener accepts and never answers: the handshake, not the TCP
    // connect, is what hangs. The runtime's handshake timeout is 10 s.
    const t0 = Date.now();
    const e = await expectRejection(tls.connect({ ...base, timeout: 800 }), 'HANDSHAKE_TIMEOUT', 'silent server');
    const ms = Date.now() - t0;
    console.log(`failed after ${ms} ms`);
    ok(ms >= 700 && ms < 3000, `timeout 800 covers the handshake (took ${ms} ms)`);
    ok(e instanceof TLSError, 'a TLSError');
    break;
  }
  case 'client_ec':
  case 'client_rsa':
  case 'client_tls12': {
    const s = await within(tls.connect({ ...base, cert: env.cert, key: env.key }), 15000, 'tls.connect with cert');
    eq(s.protocol, env.case === 'client_tls12' ? 'TLSv1.2' : 'TLSv1.3', 'protocol');
    await s.write(`hello ${env.secret} tls.connect\n`);
    s.close();
    const c = photon.TLSTCPClient();
    eq(c.setClientCertificate(env.cert, env.key), undefined, 'setClientCertificate');
    ok(c.connect(env.host, env.port), `TLSTCPClient with cert: ${c.lastError && c.lastError.message}`);
    c.write(`hello ${env.secret} TLSTCPClient\n`);
    c.stop();
    // Without it, the same server refuses (TLS 1.3: on the first read).
    const e = await refusedAfterConnect({ ...base }, 'no cert');
    if (env.case === 'client_tls12')
      ok(e.message.includes('it requires a client certificate, and none was given'), `says why: ${e.message}`);
    else
      ok(e.message.includes('certificate_required'), `refusal names the alert: ${e.message}`);
    break;
  }
  case 'fetch_client': {
    // fetch with this request's own client certificate and CA (the runtime's
    // store trusts only an unrelated root): s_server -www answers 200.
    const url = `https://${env.host}:${env.port}/`;
    const init = { ca: env.ca, cert: env.cert, key: env.key };
    const r = await within(fetch(url, init), 15000, 'fetch with cert and ca');
    eq(r.status, 200, 'fetch with cert: status');
    const page = await r.text();
    ok(page.includes('TLSv1.3'), 'the status page names the protocol');
    const r2 = await within(fetch(url, init), 15000, 'second fetch with cert and ca');
    await r2.text();
    eq(r2._reused, false, 'a connection with its own TLS options is never reused');
    // Without ca: the runtime's store does not trust the server.
    let fe = null;
    try { await within(fetch(url, { cert: env.cert, key: env.key }), 15000, 'fetch without ca'); } catch (e) { fe = e; }
    ok(fe !== null && fe.code === 'CERT_UNTRUSTED', `fetch without ca: ${fe && fe.code}`);
    // Without the certificate: the server refuses (the request never gets a 200).
    fe = null;
    try { await within(fetch(url, { ca: env.ca }), 15000, 'fetch without cert'); } catch (e) { fe = e; }
    ok(fe !== null, 'fetch without a client certificate fails');
    console.log(`fetch without cert: ${fe.code}: ${fe.message}`);
    // Bad options are TypeErrors naming fetch and the option.
    fe = null;
    try { await fetch(url, { cert: env.cert }); } catch (e) { fe = e; }
    ok(fe instanceof TypeError && /fetch/.test(fe.message), `cert without key: ${fe && fe.message}`);
    fe = null;
    try { await fetch(url, { ca: 'not a pem' }); } catch (e) { fe = e; }
    eq(fe && fe.code, 'BAD_INPUT', 'bad ca');
    break;
  }
  case 'client_missing': {
    const e = await refusedAfterConnect({ ...base }, 'no client certificate');
    ok(e instanceof TLSError, 'a TLSError');
    ok(/certificate_required|handshake_failure/.test(e.message), `names the alert: ${e.message}`);
    const c = photon.TLSTCPClient();
    let refused = !c.connect(env.host, env.port);
    if (!refused) {
      try { c.write(`x\n`); photon.delay(300); c.read(); refused = !c.connected(); } catch (err) { refused = true; }
    }
    ok(refused, 'TLSTCPClient without a certificate is refused');
    break;
  }
  case 'client_expired': {
    const e = await refusedAfterConnect({ ...base, cert: env.cert, key: env.key }, 'expired client certificate');
    ok(/certificate_expired|bad_certificate/.test(e.message), `names the alert: ${e.message}`);
    break;
  }
  case 'client_wrong_key': {
    const c = photon.TLSTCPClient();
    let te = null;
    try { c.setClientCertificate(env.cert, env.otherKey); } catch (e) { te = e; }
    ok(te instanceof TypeError, 'setClientCertificate: TypeError');
    ok(te.message.includes('does not match'), `message: ${te.message}`);
    await expectRejection(tls.connect({ ...base, cert: env.cert, key: env.otherKey }), 'BAD_INPUT', 'tls.connect');
    await expectRejection(tls.connect({ ...base, cert: env.cert, key: 'junk' }), 'BAD_INPUT', 'junk key');
    let ae = null;
    try { tls.connect({ ...base, cert: env.cert }); } catch (e) { ae = e; }
    ok(ae instanceof TypeError && ae.message.includes("'cert' and 'key' go together"), `cert alone: ${ae}`);
    let pe = null;
    try { photon.TCPClient().setClientCertificate(env.cert, env.key); } catch (e) { pe = e; }
    ok(pe instanceof TypeError, 'plain TCPClient: TypeError');
    break;
  }
  case 'alpn': {
    const s = await within(tls.connect({ ...base, alpn: ['h3', 'http/1.1'] }), 15000, 'alpn');
    eq(s.alpnProtocol, 'http/1.1', 'the server chose http/1.1');
    s.close();
    const s2 = await within(tls.connect(base), 15000, 'no alpn');
    eq(s2.alpnProtocol, null, 'none offered: null');
    s2.close();
    for (const [bad, type] of [['h2', TypeError], [[], RangeError], [[1], TypeError], [[''], RangeError],
                               [Array(9).fill('a'), RangeError], [['x'.repeat(256)], RangeError]]) {
      let err = null;
      try { tls.connect({ ...base, alpn: bad }); } catch (e) { err = e; }
      ok(err instanceof type, `alpn ${JSON.stringify(bad).slice(0, 30)}: ${type.name} (got ${err})`);
      ok(err.message.includes("tls.connect: option 'alpn'"), `names the option: ${err.message}`);
    }
    break;
  }
  case 'bad_host': {
    for (const host of ['localhost\0evil', 'localhost\r\nX: y', 'local\nhost', 'localhost\t']) {
      let err = null;
      try { tls.connect({ host, port: env.port }); } catch (e) { err = e; }
      ok(err instanceof TypeError, `tls.connect(${JSON.stringify(host)}): TypeError (got ${err})`);
      ok(/host must not contain (NUL|CR|LF|control)/.test(err.message), `message: ${err.message}`);
      err = null;
      try { photon.TLSTCPClient().connect(host, env.port); } catch (e) { err = e; }
      ok(err instanceof TypeError, `TLSTCPClient.connect(${JSON.stringify(host)}): TypeError`);
      err = null;
      try { tls.connect({ host: 'localhost', port: env.port, servername: host }); } catch (e) { err = e; }
      ok(err instanceof TypeError && err.message.includes('servername must not contain'), `servername: ${err}`);
    }
    break;
  }
  default:
    throw new Error(`unknown case ${env.case}`);
}
console.log('options ok');
