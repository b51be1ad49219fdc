// fetch() over HTTPS against openssl s_server -WWW instances started by
// fetch_run.sh with a test CA (passed to mcujs with --ca): a verified
// exchange, and refusals with the TLSError codes of the TLS layer.
import { eq, ok, rejects } from './assert.js';
import env from './env.js';

const tlsError = (c) => (e) => {
  ok(e instanceof TLSError, `TLSError expected, got ${e && e.name}: ${e && e.message} (${e && e.code})`);
  ok(e instanceof Error, 'TLSError is an Error');
  eq(e.code, c, `code (${e.message})`);
};

// A verified exchange, by name and by IP address (both in the certificate).
let r = await fetch(`https://localhost:${env.httpsPort}/index.html`);
eq(r.status, 200, 'status over TLS');
eq(r.url, `https://localhost:${env.httpsPort}/index.html`, 'url');
ok((await r.text()).includes('hello over TLS'), 'body over TLS');
r = await fetch(`https://127.0.0.1:${env.httpsPort}/index.html`, { timeout: 10000 });
ok((await r.text()).includes('hello over TLS'), 'IP address in subjectAltName');

// Refusals: each with its code.
await rejects(fetch(`https://localhost:${env.expiredPort}/index.html`), tlsError('CERT_EXPIRED'), 'expired');
await rejects(fetch(`https://localhost:${env.wrongHostPort}/index.html`), tlsError('CERT_HOSTNAME_MISMATCH'), 'wrong host');
await rejects(fetch(`https://localhost:${env.untrustedPort}/index.html`), tlsError('CERT_UNTRUSTED'), 'untrusted');

// TLS to a plain HTTP server fails as a TLS error, not a hang.
await rejects(fetch(`https://127.0.0.1:${env.httpPort}/hello`, { timeout: 1500 }), (e) => {
  ok(e instanceof Error, 'an error');
  ok(e.code === 'TIMEOUT' || e instanceof TLSError, `TLS failure (${e.code}: ${e.message})`);
}, 'https to a plain server');

// Plain HTTP to a TLS server is not HTTP.
await rejects(fetch(`http://127.0.0.1:${env.httpsPort}/index.html`, { timeout: 5000 }), (e) => {
  ok(e instanceof Error && !(e instanceof TLSError), 'a plain Error');
  ok(['BAD_RESPONSE', 'CONNECTION_CLOSED', 'CONNECTION_RESET', 'TIMEOUT'].includes(e.code), `code ${e.code}`);
}, 'http to a TLS server');

// And the verified server still works afterwards.
r = await fetch(`https://localhost:${env.httpsPort}/index.html`);
eq(r.status, 200, 'still fine');
await r.arrayBuffer();
eq(fetch.stats().pending, 0, 'nothing pending');
console.log('fetch tls ok');
