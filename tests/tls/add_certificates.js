// photon.TLSTCPClient.addCertificates: bad input is refused with a clear
// error and leaves the trust store unchanged (all or nothing); the server's
// chain verifies only once its root has really been added.
import env from './env.js';
import { eq, ok } from './assert.js';

const add = photon.TLSTCPClient.addCertificates;
function throwsWith(fn, ctor, text, what) {
  try { fn(); } catch (e) {
    ok(e instanceof ctor, `${what}: ${ctor.name} expected, got ${e && e.name}: ${e && e.message}`);
    if (text) ok(String(e.message).includes(text), `${what}: message '${e.message}' lacks '${text}'`);
    console.log(`${what}: ${e.name}: ${e.message}`);
    return;
  }
  throw new Error(`${what}: did not throw`);
}
function connectCode() {
  const c = photon.TLSTCPClient();
  const r = c.connect(env.host, env.port);
  const code = r ? 'CONNECTED' : c.lastError.code;
  c.stop();
  return code;
}

throwsWith(() => add(42), TypeError, 'Expected certificate as string', 'number');
throwsWith(() => add(), TypeError, 'Expected certificate as string', 'no argument');
throwsWith(() => add(null), TypeError, 'Expected certificate as string', 'null');
throwsWith(() => add(''), Error, '', 'empty string');
throwsWith(() => add('not a certificate'), Error, '', 'not PEM');
const broken = '-----BEGIN CERTIFICATE-----\nMIIBbroken0000\n-----END CERTIFICATE-----\n';
throwsWith(() => add(broken), Error, '', 'broken PEM');
// The good root first, then a broken one: nothing may be added.
throwsWith(() => add(env.rootEc + broken), Error, '', 'good + broken PEM');

// Nothing was added: the ECDSA chain's root is still unknown.
eq(connectCode(), 'CERT_UNTRUSTED', 'after the failed additions');

// Now add it for real (the bundle: RSA and ECDSA roots).
const n = add(env.ca);
eq(n, 2, 'addCertificates returns the number of certificates added');
eq(connectCode(), 'CONNECTED', 'after adding the CA bundle');
console.log('add certificates ok');
