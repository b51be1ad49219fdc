// @stdout-has web streams ok
// ReadableStream and WritableStream as the WHATWG Streams standard defines
// them (default and byte controllers, readers, tee, pipes), and the Fetch
// standard's bodies over them: a stream as a body, bodyUsed as the stream's
// disturbed flag, clone() as a tee, duplex.
import { eq, ok, throws, rejects } from './assert.js';

const typeError = (text) => (e) => ok(e instanceof TypeError && e.message.includes(text), `TypeError '${text}', got ${e && e.name}: ${e && e.message}`);
const bytes = (s) => new TextEncoder().encode(s);
const text = (u8) => new TextDecoder().decode(u8);

// start() runs at once; chunks come out in order, then done; closed resolves.
{
  const calls = [];
  const s = new ReadableStream({
    start(c) { calls.push(['start', c.desiredSize]); c.enqueue('a'); c.enqueue('b'); c.close(); },
  });
  eq(calls, [['start', 1]], 'start ran synchronously, desiredSize = default highWaterMark 1');
  const r = s.getReader();
  ok(s.locked, 'a reader locks the stream');
  throws(() => s.getReader(), TypeError, 'locked', 'a second reader');
  eq(await r.read(), { value: 'a', done: false }, 'first chunk');
  eq(await r.read(), { value: 'b', done: false }, 'second chunk');
  eq(await r.read(), { done: true }, 'then done (value undefined)');
  await r.closed;
  r.releaseLock();
  ok(!s.locked, 'releaseLock unlocks');
}

// pull() is called while desiredSize > 0 or a read waits, one call at a time.
{
  let pulls = 0;
  const s = new ReadableStream({
    pull(c) { pulls++; c.enqueue(pulls); if (pulls === 3) c.close(); },
  }, { highWaterMark: 2 });
  await Promise.resolve();
  await Promise.resolve();
  ok(pulls >= 1 && pulls <= 2, `pulled up to the high-water mark (pulls ${pulls})`);
  const got = [];
  for await (const v of s) got.push(v);
  eq(got, [1, 2, 3], 'async iteration reads every chunk');
  ok(!s.locked, 'the iterator releases its reader at the end');
}

// A size strategy: desiredSize counts sizes; a bad size errors the stream.
{
  let ctl;
  new ReadableStream({ start(c) { ctl = c; } }, { highWaterMark: 10, size: (ch) => ch.length });
  ctl.enqueue('abcd');
  eq(ctl.desiredSize, 6, 'desiredSize = 10 - 4');
  const e = throws(() => ctl.enqueue('x'.repeat(1) && { length: -1 }), RangeError, '', 'a negative size');
  ok(e instanceof RangeError, 'RangeError');
  eq(ctl.desiredSize, null, 'the stream is errored: desiredSize null');
}

// cancel(): the source's cancel gets the reason; pending reads end as done.
{
  let reason;
  const s = new ReadableStream({ cancel(r) { reason = r; } });
  const r = s.getReader();
  const pending = r.read();
  await r.cancel('why');
  eq(reason, 'why', 'cancel reason reaches the source');
  eq(await pending, { done: true }, 'a pending read is done');
  await rejects(s.cancel(), typeError('locked'), 'cancel of a locked stream');
}

// error(): reads and closed reject with the error; start() errors too.
{
  const err = new Error('boom');
  const s = new ReadableStream({ start(c) { c.error(err); } });
  const r = s.getReader();
  await rejects(r.read(), (e) => eq(e === err, true, 'the same error'), 'read of an errored stream');
  await rejects(r.closed, (e) => eq(e === err, true, 'closed rejects'), 'closed');
  throws(() => new ReadableStream({ start() { throw err; } }), Error, 'boom', 'start() throwing: the constructor throws');
  const t = new ReadableStream({ start() { return Promise.reject(err); } });
  await rejects(t.getReader().read(), (e) => eq(e === err, true, 'start() rejecting errors the stream'), 'start rejects');
  throws(() => new ReadableStream(null), TypeError, 'null', 'a null source');
  throws(() => new ReadableStream({ type: 'other' }), TypeError, 'bytes', 'unknown type');
}

// tee(): both branches see every chunk; cancelling both cancels the source.
{
  let reason;
  const s = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); c.close(); }, cancel(r) { reason = r; } });
  const [a, b] = s.tee();
  const ra = a.getReader(), rb = b.getReader();
  eq([(await ra.read()).value, (await ra.read()).value, (await ra.read()).done], [1, 2, true], 'branch 1');
  eq([(await rb.read()).value, (await rb.read()).value, (await rb.read()).done], [1, 2, true], 'branch 2');
  const [c, d] = new ReadableStream({ cancel(r) { reason = r; } }).tee();
  const p = c.cancel('x');
  await d.cancel('y');
  await p;
  eq(reason, ['x', 'y'], 'the source is cancelled with both reasons');
}

// Byte streams: a BYOB reader fills the caller's view, in pieces.
{
  const s = new ReadableStream({ type: 'bytes', start(c) { c.enqueue(bytes('hello world')); c.close(); } });
  const r = s.getReader({ mode: 'byob' });
  const first = await r.read(new Uint8Array(5));
  eq([text(first.value), first.done], ['hello', false], 'first 5 bytes');
  const rest = await r.read(new Uint8Array(64));
  eq(text(rest.value), ' world', 'the rest');
  const end = await r.read(new Uint8Array(4));
  eq([end.done, end.value.byteLength], [true, 0], 'then done with an empty view');
  await rejects(r.read(new Uint8Array(0)), typeError('empty'), 'an empty view');
  throws(() => new ReadableStream().getReader({ mode: 'byob' }), TypeError, 'not a byte stream', 'BYOB on a default stream');
  let ctl;
  new ReadableStream({ type: 'bytes', start(c) { ctl = c; } });
  throws(() => ctl.enqueue('str'), TypeError, 'ArrayBufferView', 'a byte stream takes views only');
}

// pipeTo(): every chunk written in order, then the sink closed.
{
  const written = [];
  let closed = false;
  const src = new ReadableStream({ start(c) { c.enqueue('a'); c.enqueue('b'); c.close(); } });
  const ws = new WritableStream({ write(ch) { written.push(ch); }, close() { closed = true; } });
  const p = src.pipeTo(ws);
  ok(src.locked && ws.locked, 'both locked while piping');
  await p;
  eq([written, closed], [['a', 'b'], true], 'written then closed');
  const err = new Error('sink');
  const src2 = new ReadableStream({ pull(c) { c.enqueue(1); } });
  await rejects(src2.pipeTo(new WritableStream({ write() { throw err; } })), (e) => eq(e === err, true, 'the sink error'), 'pipe to a failing sink');
  const ac = new AbortController();
  const p3 = new ReadableStream().pipeTo(new WritableStream(), { signal: ac.signal });
  ac.abort();
  await rejects(p3, (e) => eq(e.name, 'AbortError', 'aborted pipe'), 'abort a pipe');
}

// Bodies: a stream is a body without a Content-Type; bodyUsed follows it.
{
  const s = new ReadableStream({ start(c) { c.enqueue(bytes('{"a":')); c.enqueue(bytes('1}')); c.close(); } });
  const res = new Response(s);
  eq(res.headers.get('content-type'), null, 'no Content-Type for a stream');
  ok(res.body === s, 'body is the very stream');
  eq(res.bodyUsed, false, 'not used yet');
  eq(await res.json(), { a: 1 }, 'json() reads every chunk');
  eq(res.bodyUsed, true, 'used after reading');
  await rejects(res.text(), typeError('already used'), 'a second read');

  const bad = new Response(new ReadableStream({ start(c) { c.enqueue('not bytes'); c.close(); } }));
  await rejects(bad.text(), typeError('not a Uint8Array'), 'a chunk that is not a Uint8Array');

  const locked = new ReadableStream();
  locked.getReader();
  throws(() => new Response(locked), TypeError, 'disturbed or locked', 'a locked stream as a body');

  // bytes bodies: body is a byte stream made on demand; reading it disturbs.
  const r2 = new Response('abc');
  const reader = r2.body.getReader({ mode: 'byob' });
  eq(text((await reader.read(new Uint8Array(8))).value), 'abc', 'a string body through a BYOB reader');
  eq(r2.bodyUsed, true, 'read() disturbed it');
  await rejects(r2.arrayBuffer(), typeError('already used'), 'then arrayBuffer() rejects');
  const r3 = new Response('x');
  await r3.text();
  throws(() => r3.body.getReader(), TypeError, 'locked', 'the stream of a consumed body is locked');
}

// clone() tees a stream body; both read the same bytes, copies not shared.
{
  const chunk = bytes('abc');
  const res = new Response(new ReadableStream({ start(c) { c.enqueue(chunk); c.close(); } }));
  const copy = res.clone();
  const [a, b] = await Promise.all([res.body.getReader().read(), copy.body.getReader().read()]);
  eq([text(a.value), text(b.value)], ['abc', 'abc'], 'both branches');
  ok(a.value.buffer !== b.value.buffer, "the clone's chunk is a structured clone");
}

// Request: a stream body needs duplex 'half'; keepalive refuses one;
// new Request(request) moves it and disturbs the input.
{
  const mk = () => new ReadableStream({ start(c) { c.enqueue(bytes('payload')); c.close(); } });
  throws(() => new Request('http://h.test/', { method: 'POST', body: mk() }), TypeError, "duplex: 'half'", 'no duplex');
  throws(() => new Request('http://h.test/', { method: 'POST', body: 'x', duplex: 'full' }), TypeError, "'half'", "duplex 'full'");
  throws(() => new Request('http://h.test/', { method: 'POST', body: mk(), duplex: 'half', keepalive: true }), TypeError, 'keepalive', 'keepalive');
  const req = new Request('http://h.test/', { method: 'POST', body: mk(), duplex: 'half' });
  eq(req.duplex, 'half', 'duplex');
  const moved = new Request(req);
  eq(req.bodyUsed, true, 'the input is disturbed');
  eq(await moved.text(), 'payload', 'the new request reads the input body');
}

// Reading a body cannot be hijacked by Object.prototype.then.
{
  const res = new Response(new ReadableStream({ start(c) { c.enqueue(bytes('hello')); c.close(); } }));
  Object.prototype.then = function (resolve) { delete Object.prototype.then; resolve({ done: false, value: bytes('bye') }); };
  let got;
  try { got = await res.text(); } finally { delete Object.prototype.then; }
  eq(got, 'hello', 'text() of a stream ignores Object.prototype.then');
}

console.log('web streams ok');
