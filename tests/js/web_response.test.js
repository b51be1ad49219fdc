// @stdout-has web response ok
// Response as the WHATWG Fetch standard defines it: init rules, attributes,
// the Body mixin (once only, null bodies, body as a stream), clone(), and
// Response.error/json/redirect.
import { eq, ok, throws, rejects } from './assert.js';

const typeError = (text) => (e) => ok(e instanceof TypeError && e.message.includes(text), `TypeError '${text}', got ${e && e.message}`);

// statusText is a reason-phrase ByteString; status 200..599.
throws(() => new Response('', { statusText: 'a\r\nb' }), TypeError, 'reason phrase', 'CR/LF in statusText');
throws(() => new Response('', { statusText: 'a\nb' }), TypeError, 'reason phrase', 'LF in statusText');
throws(() => new Response('', { statusText: 'a\0b' }), TypeError, 'reason phrase', 'NUL in statusText');
throws(() => new Response('', { statusText: '\u0100' }), TypeError, 'above U+00FF', 'U+0100 in statusText');
eq(new Response('', { statusText: 'Caf\u00e9 \tok' }).statusText, 'Caf\u00e9 \tok', 'obs-text and tab allowed');
for (const s of [199, 600, 0, -1]) throws(() => new Response('', { status: s }), RangeError, "'status'", `status ${s}`);
eq(new Response('', { status: 65736 }).status, 200, 'unsigned short wraps (65736 % 65536)');

// A null-body status refuses a body; a null body is fine.
for (const s of [204, 205, 304]) {
  throws(() => new Response('x', { status: s }), TypeError, `status ${s} cannot have a body`, `body with ${s}`);
  eq(new Response(null, { status: s }).status, s, `null body with ${s}`);
}

// body: null for a null body; bodyUsed stays false when reading it.
const empty = new Response();
eq(empty.body, null, 'body is null');
eq(await empty.text(), '', 'text of a null body');
eq(empty.bodyUsed, false, 'bodyUsed after reading a null body');
eq(await empty.text(), '', 'a null body can be read again');

// body as a ReadableStream with a reader.
const streamed = new Response('chunky');
const stream = streamed.body;
ok(stream instanceof Object && typeof stream.getReader === 'function', 'a stream');
ok(streamed.body === stream, 'the same stream each time');
eq(streamed.bodyUsed, false, 'not used until read');
const reader = stream.getReader();
eq(stream.locked, true, 'locked');
throws(() => stream.getReader(), TypeError, 'locked', 'one reader at a time');
await rejects(streamed.text(), typeError('already used'), 'locked body cannot be consumed');
const first = await reader.read();
ok(first.value instanceof Uint8Array && !first.done, 'a chunk');
eq(String.fromCharCode(...first.value), 'chunky', 'chunk bytes');
eq(await reader.read(), { done: true }, 'then done');
eq(streamed.bodyUsed, true, 'used after reading');
reader.releaseLock();
eq(stream.locked, false, 'released');

// Consumed once.
const once = new Response('{"a":[1]}');
eq(await once.json(), { a: [1] }, 'json');
eq(once.bodyUsed, true, 'used');
await rejects(once.text(), typeError('already used'), 'second read');
throws(() => once.clone(), TypeError, 'already used', 'clone after use');

// clone
const orig = new Response('twice', { status: 201, statusText: 'Made', headers: { 'X-A': '1' } });
const copy = orig.clone();
eq([copy.status, copy.statusText, copy.headers.get('x-a')], [201, 'Made', '1'], 'clone attributes');
ok(copy.headers !== orig.headers, 'clone has its own headers');
eq([await orig.text(), await copy.text()], ['twice', 'twice'], 'both bodies readable');

// Statics
const err = Response.error();
eq([err.type, err.status, err.statusText, err.body], ['error', 0, '', null], 'Response.error()');
throws(() => err.headers.set('a', 'b'), TypeError, 'immutable', 'error headers immutable');
const j = Response.json({ ok: true }, { status: 202, headers: { 'X-J': 'y' } });
eq([j.status, j.headers.get('content-type'), j.headers.get('x-j')], [202, 'application/json', 'y'], 'Response.json()');
eq(await j.json(), { ok: true }, 'Response.json body');
throws(() => Response.json(undefined), TypeError, 'JSON', 'unserialisable data');
throws(() => Response.json(1n), TypeError, 'BigInt', 'BigInt');
throws(() => Response.json({}, { status: 204 }), TypeError, 'cannot have a body', 'json with 204');
const red = Response.redirect('http://example.test/a b', 301);
eq([red.status, red.headers.get('location'), red.body], [301, 'http://example.test/a%20b', null], 'Response.redirect()');
eq(Response.redirect('http://example.test/').status, 302, 'default 302');
throws(() => Response.redirect('http://example.test/', 200), RangeError, 'status', 'non-redirect status');
throws(() => Response.redirect('not a url'), TypeError, 'invalid URL', 'bad URL');

// Attributes live on the prototype (Web IDL).
for (const a of ['status', 'ok', 'statusText', 'headers', 'body', 'bodyUsed', 'url', 'type', 'redirected'])
  ok(typeof Object.getOwnPropertyDescriptor(Response.prototype, a).get === 'function', `${a} is a getter`);
throws(() => Response.prototype.status, TypeError, 'not a Response', 'brand check');
throws(() => Response(), TypeError, '', 'needs new');
class Sub extends Response {}
ok(new Sub('x') instanceof Sub, 'subclassing');
console.log('web response ok');

