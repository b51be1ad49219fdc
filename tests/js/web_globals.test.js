// @stdout-has web globals ok
// The small Web-standard globals, from their specs: Encoding (TextEncoder,
// TextDecoder), HTML (atob, btoa, queueMicrotask, structuredClone), DOM
// (AbortController, AbortSignal), URL (URLSearchParams), WebCrypto
// (getRandomValues, randomUUID).
import { eq, ok, throws } from './assert.js';

// ------------------------------------------------------------ Encoding
const te = new TextEncoder();
eq(te.encoding, 'utf-8', 'encoder encoding');
eq([...te.encode('A\u00e9\u2713\u{1F600}')], [0x41, 0xC3, 0xA9, 0xE2, 0x9C, 0x93, 0xF0, 0x9F, 0x98, 0x80], 'encode');
eq([...te.encode('\uD800x')], [0xEF, 0xBF, 0xBD, 0x78], 'a lone surrogate becomes U+FFFD');
eq([...te.encode()], [], 'encode() is empty');
const dst = new Uint8Array(5);
eq(te.encodeInto('a\u{1F600}b', dst), { read: 3, written: 5 }, 'encodeInto stops at whole code points');
eq(te.encodeInto('\u{1F600}', new Uint8Array(3)), { read: 0, written: 0 }, 'no room for a 4-byte sequence');
const td = new TextDecoder();
eq([td.encoding, td.fatal, td.ignoreBOM], ['utf-8', false, false], 'decoder defaults');
eq(td.decode(new Uint8Array([0xEF, 0xBB, 0xBF, 0x68, 0x69])), 'hi', 'BOM stripped');
eq(new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array([0xEF, 0xBB, 0xBF, 0x68])), '\uFEFFh', 'ignoreBOM keeps it');
eq(td.decode(new Uint8Array([0x61, 0xFF, 0x62])), 'a\uFFFDb', 'invalid byte');
eq(td.decode(new Uint8Array([0xE2, 0x9C, 0x61])), '\uFFFDa', 'truncated sequence: one U+FFFD');
eq(td.decode(new Uint8Array([0xED, 0xA0, 0x80])), '\uFFFD\uFFFD\uFFFD', 'encoded surrogate: three');
eq(td.decode(new Uint8Array([0xF0, 0x9F, 0x98, 0x80]).buffer), '\u{1F600}', 'ArrayBuffer input');
eq(td.decode(), '', 'decode() is empty');
throws(() => new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xC3])), TypeError, 'invalid UTF-8', 'fatal');
eq(new TextDecoder(' UTF8 ').encoding, 'utf-8', 'label trimmed, case-insensitive');
throws(() => new TextDecoder('latin1'), RangeError, 'not supported', 'other encodings');
throws(() => td.decode('str'), TypeError, 'ArrayBuffer', 'decode validates its input');

// ------------------------------------------------------------ base64
eq(btoa(''), '', 'btoa empty');
eq(btoa('\u00ff\u00fe'), '//4=', 'btoa bytes');
eq(atob(' //4 =\n'), '\u00ff\u00fe', 'atob forgiving whitespace');
eq(atob('YQ'), 'a', 'atob without padding');
for (const bad of ['a', 'YQ=', 'Y===', '*AAA']) throws(() => atob(bad), Error, '', `atob('${bad}')`);
try { btoa('\u0100'); ok(false, 'btoa above U+00FF'); } catch (e) { eq(e.name, 'InvalidCharacterError', 'btoa error name'); }
throws(() => atob(), TypeError, 'at least 1 argument', 'atob needs an argument');

// ------------------------------------------------------------ crypto
const u = crypto.randomUUID();
ok(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(u), `v4 UUID: ${u}`);
ok(crypto.randomUUID() !== u, 'UUIDs differ');
const r32 = new Uint32Array(64);
ok(crypto.getRandomValues(r32) === r32, 'returns its argument');
ok(new Set(r32).size > 60, 'values look random');
crypto.getRandomValues(new Uint8Array(65536));
try { crypto.getRandomValues(new Uint8Array(65537)); ok(false, 'quota'); } catch (e) { eq(e.name, 'QuotaExceededError', 'quota'); }
try { crypto.getRandomValues(new Float32Array(1)); ok(false, 'float'); } catch (e) { eq(e.name, 'TypeMismatchError', 'float array'); }
throws(() => crypto.getRandomValues([1]), TypeError, 'integer typed array', 'plain array');

// ------------------------------------------------------------ structuredClone
const src = { a: [1, { b: 'x' }], d: new Date(5), m: new Map([[1, { z: 1 }]]), s: new Set([1]), u: new Uint8Array([1, 2]) };
src.self = src;
const c = structuredClone(src);
ok(c !== src && c.self === c, 'cycles kept');
eq([c.a, c.d.getTime(), c.m.get(1), [...c.s], [...c.u]], [[1, { b: 'x' }], 5, { z: 1 }, [1], [1, 2]], 'deep copy');
ok(c.a[1] !== src.a[1] && c.u.buffer !== src.u.buffer, 'not shared');
for (const bad of [() => 1, Symbol('s'), { f() {} }]) {
  try { structuredClone(bad); ok(false, 'did not throw'); } catch (e) { eq(e.name, 'DataCloneError', 'DataCloneError'); }
}

// ------------------------------------------------------------ URLSearchParams
const sp = new URLSearchParams('?a=1&b=%41+b&a=2&c');
eq([sp.get('a'), sp.getAll('a'), sp.get('b'), sp.get('c'), sp.get('x'), sp.size], ['1', ['1', '2'], 'A b', '', null, 4], 'parse');
sp.set('a', '3');
sp.append('d', 'é &=');
sp.delete('c');
eq(sp.toString(), 'a=3&b=A+b&d=%C3%A9+%26%3D', 'serialise');
sp.sort();
eq([...sp.keys()], ['a', 'b', 'd'], 'sort');
eq([...new URLSearchParams([['x', '1'], ['y', '2']])], [['x', '1'], ['y', '2']], 'from pairs');
eq(new URLSearchParams({ k: 'v' }).toString(), 'k=v', 'from a record');
throws(() => new URLSearchParams([['x']]), TypeError, 'two items', 'bad pair');

// ------------------------------------------------------------ URL (more in web_url.test.js)
const url = new URL('HTTP://Example.COM:80/a/../b?x=1#frag');
eq([url.href, url.origin, url.protocol, url.host, url.hostname, url.port, url.pathname, url.search, url.hash],
   ['http://example.com/b?x=1#frag', 'http://example.com', 'http:', 'example.com', 'example.com', '', '/b', '?x=1', '#frag'], 'parts');
url.searchParams.append('y', 'a b');
eq(url.href, 'http://example.com/b?x=1&y=a+b#frag', 'searchParams write through');
url.search = '?z=9';
eq([url.searchParams.get('z'), url.searchParams.get('x')], ['9', null], 'search updates searchParams');
eq(new URL('c?q', 'https://h.test:8443/a/b').href, 'https://h.test:8443/a/c?q', 'relative to a base');
eq([URL.canParse('nope'), URL.canParse('/x', 'http://a.test')], [false, true], 'canParse');
eq(JSON.stringify({ u: new URL('http://[::1]:8080/') }), '{"u":"http://[::1]:8080/"}', 'toJSON');
throws(() => new URL('http://exa mple/'), TypeError, 'invalid URL', 'a space in a host');
throws(() => new URL(), TypeError, 'at least 1 argument', 'URL needs an argument');

// ------------------------------------------------------------ AbortController, queueMicrotask
const ac = new AbortController();
let calls = 0;
ac.signal.onabort = () => calls++;
ac.signal.addEventListener('abort', () => calls++);
ok(!ac.signal.aborted, 'not aborted');
ac.abort('why');
ac.abort('again');
eq([ac.signal.aborted, ac.signal.reason, calls], [true, 'why', 2], 'aborted once');
try { ac.signal.throwIfAborted(); ok(false, 'throwIfAborted'); } catch (e) { eq(e, 'why', 'throwIfAborted throws the reason'); }
throws(() => new AbortSignal(), TypeError, 'Illegal constructor', 'AbortSignal is not constructible');
eq(AbortSignal.abort().reason.name, 'AbortError', 'AbortSignal.abort()');
const any = AbortSignal.any([new AbortController().signal, AbortSignal.abort(7)]);
eq([any.aborted, any.reason], [true, 7], 'AbortSignal.any');
throws(() => AbortSignal.timeout(-1), TypeError, 'non-negative', 'timeout validates');
const order = [];
queueMicrotask(() => order.push('micro'));
setTimeout(() => order.push('timer'), 0);
Promise.resolve().then(() => order.push('promise'));
throws(() => queueMicrotask(1), TypeError, 'callback must be a function', 'queueMicrotask validates');
await new Promise((res) => setTimeout(res, 20));
eq(order, ['micro', 'promise', 'timer'], 'microtasks before timers, in order');
await new Promise((res) => AbortSignal.timeout(10).addEventListener('abort', (e) => { eq(e.target.reason.name, 'TimeoutError', 'timeout reason'); res(); }));
console.log('web globals ok');
