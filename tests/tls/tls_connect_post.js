// The same POST as article_post.js through the modern API, tls.connect:
// checks the socket's protocol, cipher and peer certificate against what the
// driver expects, sends the request, reads the reply to the end.
import env from './env.js';
import { eq, ok, hexEq, within, articleRequest } from './assert.js';

const options = { host: env.host, port: env.port, timeout: 10000 };
if (env.caOption) options.ca = env.ca;  // else the CA comes from --ca FILE
const sock = await within(tls.connect(options), 15000, 'tls.connect');

eq(sock.protocol, env.protocol, 'protocol');
ok(typeof sock.cipher === 'string' && sock.cipher.length > 0, `cipher (${sock.cipher})`);
eq(sock.cipher, env.cipher, 'cipher (IANA name)');
const pc = sock.peerCertificate;
ok(pc && typeof pc === 'object', 'peerCertificate');
ok(pc.subject.includes('CN=localhost'), `subject (${pc.subject})`);
ok(pc.issuer.includes(env.issuerCN), `issuer (${pc.issuer})`);
hexEq(pc.fingerprint256, env.fingerprint256, 'fingerprint256');
hexEq(pc.serial, env.serial, 'serial');
ok(String(pc.validFrom).includes(env.validFromYear), `validFrom (${pc.validFrom})`);
ok(String(pc.validTo).includes(env.validToYear), `validTo (${pc.validTo})`);
console.log(`tls.connect: ${sock.protocol} ${sock.cipher}; ${pc.subject} <- ${pc.issuer}`);

const request = articleRequest(env);
eq(await within(sock.write(request), 10000, 'write'), request.length, 'write resolves with the byte count');
let reply = '';

const deadline = Date.now() + 10000;
while (reply.length < env.reply.length && Date.now() < deadline) {
  const chunk = await within(sock.read(), 10000, 'read');
  if (chunk === null) break;
  ok(chunk instanceof Uint8Array, 'read() gives a Uint8Array');
  reply += String.fromCharCode(...chunk);  // ASCII
}
eq(reply, env.reply, 'reply');
sock.close();
console.log('tls connect ok');
