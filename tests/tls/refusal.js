// A TLS connection that must be refused, tried three ways: the origin
// article's photon.TLSTCPClient, tls.connect and fetch. Each must fail with
// exactly env.code (a TLSError when env.tlsError), and none may put a byte of
// the request on the wire: refusal.sh checks the server's capture for the
// secret afterwards.
import env from './env.js';
import { eq, ok, within, articleRequest } from './assert.js';

const request = articleRequest(env);
const url = `https://${env.host}:${env.port}${env.path}`;

function checkError(e, code, what) {
  ok(e instanceof Error, `${what}: an Error (got ${e})`);
  const desc = `${e.name} ${e.code} (errno ${e.errno}): ${e.message}`;
  console.log(`${what}: ${desc}`);
  eq(e.code, code, `${what}: code of ${desc}`);
  if (env.tlsError) ok(e instanceof TLSError, `${what}: a TLSError: ${desc}`);
  else ok(!(e instanceof TLSError), `${what}: not a TLSError: ${desc}`);
  if (env.tlsError) ok(typeof e.errno === 'number', `${what}: errno is a number`);
  if (env.errno !== null && env.tlsError) eq(e.errno, env.errno, `${what}: errno of ${desc}`);
  ok(typeof e.message === 'string' && e.message.length > 0, `${what}: a message`);
}

// 1. photon.TLSTCPClient, as in the article.
photon.TLSTCPClient.addCertificates(env.ca);
const client = photon.TLSTCPClient();
const t0 = Date.now();
const connected = client.connect(env.host, env.port);
if (connected) {
  client.write(request);  // let the server's capture show the leak, too
  client.stop();
}
eq(connected, false, 'photon: connect() returns false');
checkError(client.lastError, env.code, 'photon');
const elapsed = Date.now() - t0;
console.log(`photon: refused after ${elapsed} ms`);
ok(elapsed >= env.minMs && elapsed <= env.maxMs, `photon: refused after ${elapsed} ms, expected ${env.minMs}..${env.maxMs}`);
eq(client.connected(), false, 'photon: connected() after the failure');
// Writing anyway throws and sends nothing.
let threw = null;
try { client.write(request); } catch (e) { threw = e; }
ok(threw instanceof Error, 'photon: write() after a failed connect throws');
console.log(`photon: write after failure: ${threw.code}: ${threw.message}`);
client.stop();

// 2. tls.connect: rejects with the same code.
let sock = null, err = null;
try {
  sock = await within(tls.connect({ host: env.host, port: env.port, ca: env.ca }), 15000, 'tls.connect');
} catch (e) {
  err = e;
}
if (sock) {
  await sock.write(request);
  sock.close();
  throw new Error(`tls.connect: connected (${sock.protocol}), expected ${env.code}`);
}
checkError(err, env.code, 'tls.connect');

// 3. fetch (a POST with the secret): rejects with the same code (env.fetchCode
// where fetch reports the failure in its own terms).
err = null;
try {
  const r = await within(fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Secret: env.secret },
    body: `event=${env.event}&data=${env.data}&coreid=${env.coreid}`,
  }), 15000, 'fetch');
  throw new Error(`fetch: got a response (${r.status}), expected ${env.code}`);
} catch (e) {
  err = e;
}
if (String(err.message).startsWith('fetch: got a response')) throw err;
checkError(err, env.fetchCode, 'fetch');
console.log('refusal ok');
