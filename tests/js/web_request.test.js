// @stdout-has web request ok
// Request as the WHATWG Fetch standard defines it: URL, init rules,
// defaults, body rules, clone(), a Request as input.
import { eq, ok, throws, rejects } from './assert.js';

const url = 'http://example.test/p?q=1';
const r = new Request(url);
eq([r.method, r.url, r.mode, r.credentials, r.cache, r.redirect, r.referrer, r.referrerPolicy, r.integrity,
    r.keepalive, r.destination, r.duplex, r.body, r.bodyUsed, r.signal],
   ['GET', url, 'cors', 'same-origin', 'default', 'follow', 'about:client', '', '', false, '', 'half', null, false, null],
   'defaults');
eq(new Request('HTTP://Example.TEST:80/a/../b').url, 'http://example.test/b', 'URL serialised');
throws(() => new Request('/relative'), TypeError, 'invalid URL', 'relative URL');
throws(() => new Request('http://user:pw@example.test/'), TypeError, 'credentials', 'credentials in the URL');
throws(() => new Request(), TypeError, 'at least 1 argument', 'no input');
throws(() => new Request(url, 5), TypeError, 'init must be an object', 'init type');

// Methods: the six standard ones normalised, forbidden ones refused.
eq(new Request(url, { method: 'post' }).method, 'POST', 'post upper-cased');
eq(new Request(url, { method: 'patch' }).method, 'patch', 'patch kept');
for (const m of ['CONNECT', 'trace', 'TRACK']) throws(() => new Request(url, { method: m }), TypeError, 'not allowed', m);
throws(() => new Request(url, { method: 'bad method' }), TypeError, 'invalid method', 'non-token');
throws(() => new Request(url, { method: 'PUT', mode: 'no-cors' }), TypeError, 'no-cors', 'no-cors method');

// Enums
throws(() => new Request(url, { mode: 'navigate' }), TypeError, 'navigate', 'navigate');
throws(() => new Request(url, { mode: 'bogus' }), TypeError, "option 'mode' must be one of", 'mode enum');
throws(() => new Request(url, { redirect: 'x' }), TypeError, "option 'redirect'", 'redirect enum');
throws(() => new Request(url, { cache: 'only-if-cached' }), TypeError, 'only-if-cached', 'only-if-cached needs same-origin');
eq(new Request(url, { cache: 'only-if-cached', mode: 'same-origin' }).cache, 'only-if-cached', 'only-if-cached ok');
const full = new Request(url, { mode: 'same-origin', credentials: 'include', cache: 'no-store', redirect: 'manual',
  referrer: '', referrerPolicy: 'no-referrer', integrity: 'sha256-x', keepalive: true });
eq([full.mode, full.credentials, full.cache, full.redirect, full.referrer, full.referrerPolicy, full.integrity, full.keepalive],
   ['same-origin', 'include', 'no-store', 'manual', '', 'no-referrer', 'sha256-x', true], 'init members');
eq(new Request(url, { referrer: 'http://ref.test/x' }).referrer, 'http://ref.test/x', 'referrer URL');
throws(() => new Request(url, { window: {} }), TypeError, 'window', 'window must be null');
throws(() => new Request(url, { signal: {} }), TypeError, 'AbortSignal', 'signal type');

// Bodies
throws(() => new Request(url, { body: 'x' }), TypeError, 'GET request cannot have a body', 'GET body');
throws(() => new Request(url, { method: 'HEAD', body: 'x' }), TypeError, 'HEAD request cannot have a body', 'HEAD body');
const post = new Request(url, { method: 'POST', body: 'hello', headers: { 'X-A': '1' } });
eq(post.headers.get('content-type'), 'text/plain;charset=UTF-8', 'content-type from a string body');
ok(post.body !== null, 'a body stream');
const bin = new Request(url, { method: 'POST', body: new Uint8Array([1, 2, 3]) });
eq(bin.headers.get('content-type'), null, 'no content-type for bytes');
eq([...new Uint8Array(await bin.arrayBuffer())], [1, 2, 3], 'bytes body');
eq(bin.bodyUsed, true, 'used');
await rejects(bin.text(), (e) => ok(e instanceof TypeError, 'TypeError'), 'used twice');

// clone and Request as input
const c = post.clone();
eq([c.method, c.url, c.headers.get('x-a')], ['POST', url, '1'], 'clone');
eq([await c.text(), await post.clone().text()], ['hello', 'hello'], 'clone bodies');
const from = new Request(post, { headers: { 'X-B': '2' } });
eq([from.method, from.headers.get('x-a'), from.headers.get('x-b')], ['POST', null, '2'], 'init headers replace');
eq(post.bodyUsed, true, 'the input request body moved');
eq(await from.text(), 'hello', 'moved body');
throws(() => new Request(post), TypeError, 'already used', 'a used input');
const keep = new Request(new Request(url, { headers: { 'X-K': 'v' }, redirect: 'error' }));
eq([keep.headers.get('x-k'), keep.redirect], ['v', 'error'], 'copied from the input');
throws(() => new Request(new Request(url, { method: 'POST', body: 'b' }), { method: 'GET' }), TypeError,
  'GET request cannot have a body', 'input body with GET');

for (const a of ['method', 'url', 'headers', 'body', 'bodyUsed', 'signal', 'redirect'])
  ok(typeof Object.getOwnPropertyDescriptor(Request.prototype, a).get === 'function', `${a} is a getter`);
throws(() => Request.prototype.method, TypeError, 'not a Request', 'brand check');
// A relative URL resolves against globalThis.location when a script sets one.
globalThis.location = { href: 'http://base.test/dir/page' };
eq([new Request('other?q').url, new Request('').url], ['http://base.test/dir/other?q', 'http://base.test/dir/page'], 'location as base');
delete globalThis.location;
throws(() => new Request('x'), TypeError, 'invalid URL', 'no base without location');

// URLs of other schemes: kept as the URL standard serialises an opaque path
// (scheme lower-cased, controls, non-ASCII and, after '?', spaces encoded).
eq(new Request('about:blank').url, 'about:blank', 'about:blank');
eq(new Request(' DATA:text/plain,a b?c d#e\u00e9 ').url, 'data:text/plain,a b?c%20d#e%C3%A9', 'data: serialised');
throws(() => new Request('foo://host/x'), TypeError, 'invalid URL', 'an authority of another scheme');
throws(() => new Request('ws://h/'), TypeError, 'invalid URL', 'a special scheme other than http(s)');
await rejects(fetch('about:blank'), (e) => ok(e instanceof TypeError && e.message.includes('only http: and https:'), 'fetch refuses about:'), 'fetch about:blank');
eq(await new Request('about:blank', { method: 'POST', body: 'x' }).text(), 'x', 'a body on an about: request');

// A DataView is a BufferSource: its window of bytes is the body.
const dvbuf = new Uint8Array([0x30, 0x41, 0x42, 0x43, 0x39]).buffer;
eq(await new Request('http://h.test/', { method: 'POST', body: new DataView(dvbuf, 1, 3) }).text(), 'ABC', 'DataView body');

// fetch() of a data: URL (the Fetch standard's data: URL processor): no network.
const d1 = await fetch('data:,Hello%2C%20World!');
eq([d1.status, d1.statusText, d1.headers.get('content-type'), d1.url, await d1.text()],
   [200, 'OK', 'text/plain;charset=US-ASCII', 'data:,Hello%2C%20World!', 'Hello, World!'], 'data: percent-encoded');
const d2 = await fetch('data:application/json ;base64, eyJhIjogMX0=');
eq([d2.headers.get('content-type'), await d2.json()], ['application/json', { a: 1 }], 'data: base64 (spaces before base64, in the data)');
const d3 = await fetch('data:;charset=utf-8,x+y');
eq([d3.headers.get('content-type'), await d3.text()], ['text/plain;charset=utf-8', 'x+y'], "data: type starting with ';', '+' kept");
throws(() => d3.headers.set('x', 'y'), TypeError, '', 'its headers are immutable');
await rejects(fetch('data:text/plain'), (e) => ok(e instanceof TypeError && e.message.includes('data: URL'), 'no comma'), 'data: without a comma');
await rejects(fetch('data:;base64,a'), (e) => ok(e instanceof TypeError, 'bad base64'), 'data: bad base64');

// Response.redirect resolves a relative URL as Request does.
globalThis.location = { href: 'http://base.test/dir/page' };
eq(Response.redirect('/next', 301).headers.get('location'), 'http://base.test/next', 'Response.redirect relative');
delete globalThis.location;
throws(() => Response.redirect('/next'), TypeError, 'invalid URL', 'relative without a base');
// A non-ASCII host: IDNA ToASCII through the URL global, as the standard's URL parser does.
eq(new Request('https://B\u00fccher.example/a?b').url, 'https://xn--bcher-kva.example/a?b', 'IDN host in a Request');
eq(new Request('https://\u2603.example:443/').url, 'https://xn--n3h.example/', 'IDN host, default port dropped');
throws(() => new Request('https://a\u00a0b.example/'), TypeError, 'invalid host', 'a host IDNA refuses stays refused');
throws(() => new Request('https://user:pw@b\u00fccher.example/'), TypeError, 'credentials', 'credentials still refused');
console.log('web request ok');
