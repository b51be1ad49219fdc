// fetch() over plain HTTP against mcujs_http_test_server (started by
// fetch_run.sh, which writes env.js next to a copy of this file): arguments,
// methods, headers, bodies, framing, redirects, limits and failures.
import { eq, ok, throws, rejects } from './assert.js';
import env from './env.js';

const base = `http://127.0.0.1:${env.httpPort}`;
const typeError = (text) => (e) => {
  ok(e instanceof TypeError, `TypeError expected, got ${e && e.name}: ${e && e.message}`);
  if (text) ok(String(e.message).includes(text), `message '${e.message}' lacks '${text}'`);
};
const code = (c, ctor = Error) => (e) => {
  ok(e instanceof ctor, `${ctor.name} expected, got ${e && e.name}: ${e && e.message}`);
  eq(e.code, c, `code (${e.message})`);
};

// ---------------------------------------------------------------- arguments
// Argument errors reject (they never throw synchronously).
let p;
try {
  p = fetch();
} catch (e) {
  throw new Error('fetch() threw synchronously: ' + e);
}
await rejects(p, typeError('expected at least 1 argument'), 'no args');
await rejects(fetch(42), typeError("invalid URL '42'"), 'numeric url (stringified, as the standard does)');
await rejects(fetch('/relative'), typeError('invalid URL'), 'relative url');
await rejects(fetch('ftp://x/'), typeError('only http: and https:'), 'ftp');
await rejects(fetch('http://user:pw@127.0.0.1/'), typeError('credentials'), 'credentials');
await rejects(fetch('http://h:99999/'), typeError('invalid port'), 'port');
await rejects(fetch(base, 'init'), typeError('init must be an object'), 'init string');
await rejects(fetch(base, { method: 'ĉ' }), typeError('above U+00FF'), 'method not a ByteString');
await rejects(fetch(base, { method: 'BAD METHOD' }), typeError('invalid method'), 'method token');
await rejects(fetch(base, { method: 'connect' }), typeError("method 'CONNECT' is not allowed"), 'CONNECT');
await rejects(fetch(base, { timeout: 0 }), (e) => ok(e instanceof RangeError && e.message.includes("'timeout'"), 'timeout 0'), 'timeout 0');
await rejects(fetch(base, { timeout: 'x' }), typeError("option 'timeout' must be an integer"), 'timeout type');
await rejects(fetch(base, { maxBodySize: -1 }), (e) => ok(e instanceof RangeError, 'maxBodySize'), 'maxBodySize');
await rejects(fetch(base, { body: 'x' }), typeError('GET request cannot have a body'), 'GET body');
await rejects(fetch(base, { method: 'HEAD', body: 'x' }), typeError('HEAD request cannot have a body'), 'HEAD body');
await rejects(fetch(base, { method: 'POST', body: { toString() { throw new TypeError('no string'); } } }), typeError('no string'), 'body conversion throws');
await rejects(fetch(base, { headers: 'x' }), typeError('headers must be an object'), 'headers string');
await rejects(fetch(base, { headers: { 'bad name': 'v' } }), typeError("invalid header name 'bad name'"), 'header name');
await rejects(fetch(base, { headers: { 'X-A': 'a\r\nInjected: 1' } }), typeError("invalid value for header 'X-A'"), 'header value');
await rejects(fetch(base, { headers: [['a']] }), typeError('[name, value] pair'), 'header pair');
await rejects(fetch(base, { headers: { 'Content-Length': '5' } }), typeError("header 'content-length' cannot be set"), 'reserved');
await rejects(fetch(base, { headers: { Connection: 'close' } }), typeError("header 'connection' cannot be set"), 'reserved 2');
await rejects(fetch(base, { redirect: 'sometimes' }), typeError("option 'redirect' must be one of 'follow', 'manual', 'error'"), 'redirect mode');
eq(fetch.stats().pending, 0, 'nothing left pending after argument errors');

// ---------------------------------------------------------------- basics
let r = await fetch(`${base}/hello`);
eq([r.status, r.statusText, r.ok, r.url, r.redirected, r.type], [200, 'OK', true, `${base}/hello`, false, 'basic'], 'hello');
ok(r instanceof Response, 'instanceof Response');
ok(r.headers instanceof Headers, 'headers instanceof Headers');
eq(r.headers.get('CONTENT-TYPE'), 'text/plain', 'case-insensitive get');
eq(r.headers.get('content-length'), '11', 'content-length');
eq(r.headers.has('Content-Type'), true, 'has');
eq(r.headers.get('x-missing'), null, 'missing is null');
eq(r.bodyUsed, false, 'bodyUsed before');
eq(await r.text(), 'hello world', 'text');
eq(r.bodyUsed, true, 'bodyUsed after');
await rejects(r.text(), typeError('body already used'), 'second text()');
await rejects(r.json(), typeError('body already used'), 'json after text');
await rejects(r.arrayBuffer(), typeError('body already used'), 'arrayBuffer after text');
throws(() => r.headers.set('x', 'y'), TypeError, 'immutable', 'response headers are immutable');

eq(await (await fetch(`${base}/json`)).json(), { ok: true, n: 42, s: 'café', list: [1, 2, 3] }, 'json');
await rejects((await fetch(`${base}/bad-json`)).json(), (e) => ok(e instanceof SyntaxError, 'SyntaxError'), 'bad json');
eq(await (await fetch(`${base}/bom`)).text(), 'hi ✓', 'UTF-8 with BOM');

const ab = await (await fetch(`${base}/big?n=1000`)).arrayBuffer();
ok(ab instanceof ArrayBuffer, 'arrayBuffer type');
eq(ab.byteLength, 1000, 'arrayBuffer length');
const u8 = new Uint8Array(ab);
eq([u8[0], u8[25], u8[26], u8[999]], [97, 122, 97, 97 + (999 % 26)], 'arrayBuffer content');
const bytes = await (await fetch(`${base}/hello`)).bytes();
ok(bytes instanceof Uint8Array && bytes.length === 11 && bytes[0] === 104, 'bytes()');

// Chunked with extensions and trailers; HTTP/1.0 read until close.
r = await fetch(`${base}/chunked`);
eq(await r.text(), 'Hello, chunked world!', 'chunked');
eq(await (await fetch(`${base}/slow-chunks`)).text(), 'part0;part1;part2;part3;part4;', 'chunks over time');
r = await fetch(`${base}/http10`);
eq([r.status, await r.text()], [200, 'old school'], 'HTTP/1.0');

// Statuses: ok flag, no body for HEAD/204/304.
for (const s of [201, 404, 418, 500]) {
  r = await fetch(`${base}/status/${s}`);
  eq([r.status, r.ok, await r.text()], [s, s < 300, `status ${s}`], `status ${s}`);
}
eq((await fetch(`${base}/status/404`)).statusText, 'Not Found', 'statusText');
for (const s of [204, 304]) {
  r = await fetch(`${base}/status/${s}`);
  eq([r.status, await r.text()], [s, ''], `no body for ${s}`);
}
r = await fetch(`${base}/hello`, { method: 'head' });
eq([r.status, r.headers.get('content-length'), await r.text()], [200, '11', ''], 'HEAD');
r = await fetch(`${base}/chunked`, { method: 'HEAD' });
eq(await r.text(), '', 'HEAD of a chunked resource');

// ---------------------------------------------------------------- requests
let echo = await (await fetch(`${base}/echo?q=1`, {
  method: 'POST',
  body: 'héllo',
  headers: { 'X-One': ' padded ', 'x-two': 2 },
})).json();
eq(echo.method, 'POST', 'echo method');
eq(echo.target, '/echo?q=1', 'echo target');
eq(echo.body, 'héllo', 'echo body (UTF-8)');
const h = Object.fromEntries(echo.headers.map(([k, v]) => [k.toLowerCase(), v]));
eq(h['x-one'], 'padded', 'header value trimmed');
eq(h['x-two'], '2', 'header value stringified');
eq(h['content-type'], 'text/plain;charset=UTF-8', 'default content-type for a string body');
eq(h['content-length'], '6', 'content-length in bytes');
eq(h['host'], `127.0.0.1:${env.httpPort}`, 'host');
eq(h['accept'], '*/*', 'default accept');

const bin = new Uint8Array([0x41, 0x42, 0x43]);
echo = await (await fetch(`${base}/echo`, { method: 'PUT', body: bin.buffer, headers: [['Content-Type', 'application/x-test'], ['X-Dup', 'a'], ['X-Dup', 'b']] })).json();
eq([echo.method, echo.body], ['PUT', 'ABC'], 'ArrayBuffer body');
ok(echo.headers.some(([k, v]) => k.toLowerCase() === 'content-type' && v === 'application/x-test'), 'explicit content-type kept');
eq(echo.headers.filter(([k]) => k.toLowerCase() === 'x-dup').length, 2, 'array of pairs keeps duplicates');
echo = await (await fetch(`${base}/echo`, { method: 'POST', body: bin.subarray(1) })).json();
eq(echo.body, 'BC', 'typed array view body');
echo = await (await fetch(`${base}/echo`, { method: 'POST' })).json();
ok(echo.headers.some(([k, v]) => k.toLowerCase() === 'content-length' && v === '0'), 'POST without body sends Content-Length: 0');
echo = await (await fetch(`${base}/echo`, { method: 'patch', body: '' })).json();
eq(echo.method, 'patch', 'non-standard case kept for other methods');
echo = await (await fetch(`${base}/echo`, { method: 'delete' })).json();
eq(echo.method, 'DELETE', 'standard methods upper-cased');
const hdrs = new Headers({ 'X-From': 'headers-object' });
hdrs.append('x-from', 'twice');
echo = await (await fetch(`${base}/echo`, { headers: hdrs })).json();
// A Headers is iterated like any iterable: its pairs come combined.
eq(echo.headers.filter(([k]) => k === 'x-from').map(([, v]) => v), ['headers-object, twice'], 'Headers instance as init');
echo = await (await fetch(`${base}/echo`, { headers: new Map([['X-Map', 'm']]) })).json();
ok(echo.headers.some(([k, v]) => k === 'x-map' && v === 'm'), 'iterable (Map) as init');
echo = await (await fetch(`${base}/echo`, { headers: { Host: 'virtual.example' } })).json();
ok(echo.headers.some(([k, v]) => k.toLowerCase() === 'host' && v === 'virtual.example'), 'Host override');
echo = await (await fetch(`${base}/echo`, { headers: { 'User-Agent': 'custom/1' } })).json();
eq(echo.headers.filter(([k]) => k.toLowerCase() === 'user-agent').map(([, v]) => v), ['custom/1'], 'user-agent override');
echo = await (await fetch(`${base}/a/./b/../../echo?x=a b#frag`)).json();
eq(echo.target, '/echo?x=a%20b', 'URL normalised on the wire');
const big = 'z'.repeat(200000);
echo = await (await fetch(`${base}/echo`, { method: 'POST', body: big })).json();
eq(echo.body.length, 200000, 'large request body');

// ---------------------------------------------------------------- redirects
r = await fetch(`${base}/redirect/3`);
eq([r.status, r.url, r.redirected, await r.text()], [200, `${base}/hello`, true, 'hello world'], 'redirect chain');
r = await fetch(`${base}/redirect/1`, { redirect: 'manual' });
eq([r.status, r.headers.get('location'), r.redirected], [302, '/redirect/0', false], 'manual redirect');
await rejects(fetch(`${base}/redirect/1`, { redirect: 'error' }), typeError("redirect is 'error'"), 'redirect error');
await rejects(fetch(`${base}/redirect/25`), typeError('too many redirects'), 'redirect loop');
echo = await (await fetch(`${base}/redirect-to?status=303&url=/echo`, { method: 'POST', body: 'gone' })).json();
eq([echo.method, echo.body], ['GET', ''], '303 turns POST into GET');
ok(!echo.headers.some(([k]) => k.toLowerCase() === 'content-type'), '303 drops body headers');
echo = await (await fetch(`${base}/redirect-to?status=307&url=/echo`, { method: 'POST', body: 'kept' })).json();
eq([echo.method, echo.body], ['POST', 'kept'], '307 keeps method and body');
echo = await (await fetch(`${base}/redirect-to?status=308&url=${encodeURIComponent(`http://localhost:${env.httpPort}/echo`)}`, {
  method: 'PUT', body: 'abs', headers: { Authorization: 'secret' },
})).json();
eq([echo.method, echo.body], ['PUT', 'abs'], 'absolute 308');
ok(!echo.headers.some(([k]) => k.toLowerCase() === 'authorization'), 'Authorization dropped across origins');
await rejects(fetch(`${base}/redirect-to?url=ftp%3A%2F%2Fx%2F`), typeError('invalid redirect location'), 'bad location');

// ---------------------------------------------------------------- limits and failures
r = await fetch(`${base}/big?n=300000`);
eq((await r.arrayBuffer()).byteLength, 300000, 'big body under the default limit');
await rejects(fetch(`${base}/big?n=2000000`), code('BODY_TOO_LARGE', RangeError), 'default 1 MiB limit');
await rejects(fetch(`${base}/big?n=101`, { maxBodySize: 100 }), code('BODY_TOO_LARGE', RangeError), 'Content-Length over the limit');
await rejects(fetch(`${base}/bigchunked?n=5000`, { maxBodySize: 4999 }), code('BODY_TOO_LARGE', RangeError), 'chunked over the limit');
eq((await (await fetch(`${base}/bigchunked?n=5000`, { maxBodySize: 5000 })).text()).length, 5000, 'chunked at the limit');
eq(await (await fetch(`${base}/status/204`, { maxBodySize: 0 })).text(), '', 'limit 0 allows no body');
await rejects(fetch(`${base}/many-headers?n=100`), code('HEADERS_TOO_LARGE'), 'too many header fields');
eq((await fetch(`${base}/many-headers?n=40`)).headers.get('x-h-39'), 'v', '40 header fields are fine');
await rejects(fetch(`${base}/malformed`), code('BAD_RESPONSE'), 'malformed status line');
await rejects(fetch(`${base}/garbage`), code('BAD_RESPONSE'), 'not HTTP');
await rejects(fetch(`${base}/truncated`), code('CONNECTION_CLOSED'), 'truncated body');
const t0 = Date.now();
await rejects(fetch(`${base}/slow`, { timeout: 300 }), (e) => {
  code('TIMEOUT')(e);
  ok(!(e instanceof TLSError), 'a timeout is not a TLSError');
  ok(e.message.includes(`request to ${base} timed out after 300 ms`), `timeout message names the origin (${e.message})`);
  ok(!e.message.includes('/slow'), 'and not the path (a query may hold a token)');
}, 'timeout');
const took = Date.now() - t0;
ok(took >= 250 && took < 3000, `timeout fired in time (${took} ms)`);
await rejects(fetch(`${base}/delay?ms=2000`, { timeout: 200 }), code('TIMEOUT'), 'delayed answer');
eq(await (await fetch(`${base}/delay?ms=100`, { timeout: 5000 })).text(), 'late', 'delayed answer in time');
await rejects(fetch('http://127.0.0.1:1/'), code('CONNECTION_REFUSED'), 'refused');
await rejects(fetch('http://no-such-host.invalid/'), code('HOST_NOT_FOUND'), 'unresolvable');

// Timers keep running while a fetch waits.
let ticks = 0;
const iv = setInterval(() => ticks++, 20);
await fetch(`${base}/delay?ms=300`);
clearInterval(iv);
ok(ticks >= 5, `timers ran during the fetch (${ticks})`);

// ---------------------------------------------------------------- Headers and Response
const hh = new Headers([['B', '2'], ['a', '1'], ['b', '3']]);
eq([...hh], [['a', '1'], ['b', '2, 3']], 'sorted and combined iteration');
eq([...hh.keys()], ['a', 'b'], 'keys');
eq([...hh.values()], ['1', '2, 3'], 'values');
eq([...hh.entries()], [['a', '1'], ['b', '2, 3']], 'entries');
const seen = [];
hh.forEach((v, k, self) => seen.push(k + '=' + v + (self === hh)));
eq(seen, ['a=1true', 'b=2, 3true'], 'forEach');
hh.set('B', 'only');
eq(hh.get('b'), 'only', 'set replaces');
hh.delete('A');
eq([hh.has('a'), hh.has('b')], [false, true], 'delete');
throws(() => hh.get('bad name'), TypeError, 'invalid header name', 'get validates');
throws(() => hh.append('x', 'a\nb'), TypeError, 'invalid value', 'append validates');
throws(() => new Headers('x'), TypeError, 'headers must be an object', 'ctor validates');
throws(() => Headers(), TypeError, '', 'Headers needs new');
const many = new Headers();
throws(() => { for (let i = 0; i < 100; i++) many.append('x' + i, 'v'); }, RangeError, 'too many headers', 'bounded');
const ck = await fetch(`${base}/cookies`);
eq(ck.headers.getSetCookie(), ['a=1', 'b=2'], 'getSetCookie');
eq(ck.headers.get('x-multi'), 'one, two', 'combined get');
eq([...ck.headers].filter(([k]) => k === 'set-cookie').length, 2, 'set-cookie not combined');

const made = new Response('{"a":1}', { status: 201, statusText: 'Made', headers: { 'X-Y': 'z' } });
eq([made.status, made.statusText, made.ok, made.headers.get('x-y'), made.headers.get('content-type')],
   [201, 'Made', true, 'z', 'text/plain;charset=UTF-8'], 'new Response');
eq(await made.json(), { a: 1 }, 'new Response json');
eq(await new Response().text(), '', 'empty Response');
eq(new Uint8Array(await new Response(new Uint8Array([1, 2])).arrayBuffer()), new Uint8Array([1, 2]), 'Response bytes');
throws(() => new Response('x', { status: 99 }), RangeError, "'status'", 'status range');

eq(fetch.stats().pending, 0, 'nothing pending at the end');
console.log('fetch basic ok');
