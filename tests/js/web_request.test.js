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
console.log('web request ok');
