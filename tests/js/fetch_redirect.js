// Redirects that leak nothing (net/http/redirect.h), against
// mcujs_http_test_server and an openssl s_server -HTTP sending canned
// redirects over TLS (fetch_run.sh writes env.js).
import { eq, ok, rejects } from './assert.js';
import env from './env.js';

const base = `http://127.0.0.1:${env.httpPort}`;
const other = `http://localhost:${env.httpPort}`;  // another origin, same server
const raw = `https://localhost:${env.rawHttpsPort}`;
const coded = (code, text) => (e) => {
  ok(e instanceof TypeError, `TypeError expected, got ${e && e.name}: ${e && e.message}`);
  eq(e.code, code, `code (${e.message})`);
  if (text) ok(e.message.includes(text), `message '${e.message}' lacks '${text}'`);
};
const conns = async () => Number(await (await fetch(`${base}/conns`)).text());
const secrets = {
  Authorization: 'Bearer t0ken',
  Cookie: 'session=s3cret',
  'Proxy-Authorization': 'Basic cHJveHk=',
  'X-Custom': 'kept',
};
const names = (echo) => echo.headers.map(([k]) => k.toLowerCase());

// https -> http is never followed: nothing reaches the plain server.
const before = await conns();
await rejects(fetch(`${raw}/to-http`, { headers: secrets }), coded('INSECURE_REDIRECT', 'from https to http'), 'https -> http');
eq(await conns(), before, 'no new connection to the http server (/conns reuses the pooled one)');
// https -> https on the same origin is followed.
let r = await fetch(`${raw}/to-https`);
eq([r.status, r.redirected, await r.text()], [200, true, 'raw over TLS'], 'https -> https followed');
// manual mode hands the redirect over instead.
r = await fetch(`${raw}/to-http`, { redirect: 'manual' });
eq([r.status, r.headers.get('location')], [302, `${base}/echo`], 'manual: the redirect itself');

// Cross-origin: Authorization, Cookie and Proxy-Authorization stay behind.
let echo = await (await fetch(`${base}/redirect-to?status=307&url=${encodeURIComponent(`${other}/echo`)}`, { headers: secrets })).json();
for (const h of ['authorization', 'cookie', 'proxy-authorization']) ok(!names(echo).includes(h), `${h} dropped across origins`);
ok(echo.headers.some(([k, v]) => k === 'x-custom' && v === 'kept'), 'other headers kept');
ok(echo.headers.some(([k, v]) => k.toLowerCase() === 'host' && v === `localhost:${env.httpPort}`), 'Host is the new one');
// Same origin: everything is kept.
echo = await (await fetch(`${base}/redirect-to?status=302&url=/echo`, { headers: secrets })).json();
for (const h of ['authorization', 'cookie', 'proxy-authorization', 'x-custom']) ok(names(echo).includes(h), `${h} kept on the same origin`);

// The hop limit is the standard's 20.
r = await fetch(`${base}/redirect/19`);  // /redirect/0 redirects once more
eq([r.status, r.redirected], [200, true], '20 redirects are followed');
await rejects(fetch(`${base}/redirect/20`), coded('TOO_MANY_REDIRECTS', 'more than 20'), '21 are not');
await rejects(fetch(`${base}/redirect/1`, { redirect: 'error' }), coded('REDIRECT_MODE_ERROR', "redirect is 'error'"), 'error mode');
await rejects(fetch(`${base}/redirect-to?url=ftp%3A%2F%2Fx%2F`), coded('BAD_REDIRECT_LOCATION'), 'bad location');

// A Request carries its redirect mode and headers into fetch.
const req = new Request(`${base}/redirect-to?status=308&url=${encodeURIComponent(`${other}/echo`)}`, {
  method: 'PUT', body: 'payload', headers: secrets,
});
echo = await (await fetch(req)).json();
eq([echo.method, echo.body], ['PUT', 'payload'], '308 keeps method and body');
ok(!names(echo).includes('cookie') && !names(echo).includes('authorization'), 'fetch(request) drops credentials too');
eq(req.bodyUsed, true, 'the request body is used by fetch');
await rejects(fetch(req), (e) => ok(e instanceof TypeError, 'a used request cannot be fetched again'), 'used request');
eq(fetch.stats().pending, 0, 'nothing pending');
console.log('fetch redirect ok');
