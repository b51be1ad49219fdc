// ReadableStream and WritableStream (WHATWG Streams, default controllers:
// queue with a size strategy and high-water mark, pull/cancel of the source,
// readers with pending reads, tee, pipeTo/pipeThrough, async iteration), in
// JavaScript evaluated on first use like the other web_js globals; and the
// hooks through which the Body mixin (body.cpp) and fetch use a stream:
// disturbed/locked, read everything, a stream over bytes, tee for clone().
// The hooks object lives in a context slot (the prototype slot of a class
// that has no instances), so C++ reaches it without a global name a script
// could replace. Byte streams (`type: 'bytes'`, as bodies are) have BYOB
// readers, which fill the caller's view in place (QuickJS has no
// ArrayBuffer.prototype.transfer to detach it) and no byobRequest.
#include "modules/bindings/streams.h"

#include "modules/bindings/class_def.h"
#include "modules/bindings/install.h"

namespace mcujs::bind {

namespace {

const char kStreams[] = R"JS((() => {
const kS = Symbol('stream'), kR = Symbol('reader'), kW = Symbol('writable'), kWr = Symbol('writer');
const T = (m) => new TypeError(m);
const st = (s, fn) => { if (!s || !s[kS]) throw T(`ReadableStream.${fn}: not a ReadableStream`); return s[kS]; };
const handled = (p) => { p.catch(() => {}); return p; };
const defer = () => { let resolve, reject; const promise = new Promise((a, b) => { resolve = a; reject = b; }); return { promise, resolve, reject }; };
const strategyOf = (strategy, hwmDefault) => {
  if (strategy === undefined || strategy === null) strategy = {};
  const size = strategy.size, h = strategy.highWaterMark;
  const hwm = h === undefined ? hwmDefault : Number(h);
  if (Number.isNaN(hwm) || hwm < 0) throw new RangeError('highWaterMark must be a non-negative number');
  if (size !== undefined && typeof size !== 'function') throw T('strategy.size must be a function');
  return { hwm, size: size === undefined ? () => 1 : (c) => size(c) };
};
const method = (o, name) => { const f = o[name]; if (f !== undefined && typeof f !== 'function') throw T(`underlying source's ${name} must be a function`); return f; };

// ---- ReadableStream
class ReadableStreamDefaultController {
  constructor() { throw T('Illegal constructor'); }
  get desiredSize() { return desired(ctl(this)); }
  enqueue(chunk) { enqueue(ctl(this), chunk); }
  close() {
    const c = ctl(this);
    if (c.closeRequested || c.stream.state !== 'readable') throw T('ReadableStreamDefaultController.close: the stream is not readable');
    c.closeRequested = true;
    if (c.queue.length === 0) { clearAlgorithms(c); close(c.stream); }
  }
  error(e) { controllerError(ctl(this), e); }
  get [Symbol.toStringTag]() { return 'ReadableStreamDefaultController'; }
}
class ReadableByteStreamController {
  constructor() { throw T('Illegal constructor'); }
  get byobRequest() { ctl(this); return null; }
  get desiredSize() { return desired(ctl(this)); }
  enqueue(chunk) {
    const c = ctl(this);
    if (!ArrayBuffer.isView(chunk)) throw T('ReadableByteStreamController.enqueue: chunk must be an ArrayBufferView');
    if (chunk.byteLength === 0) throw T('ReadableByteStreamController.enqueue: chunk is empty');
    enqueue(c, chunk);
  }
  close() { ReadableStreamDefaultController.prototype.close.call(this); }
  error(e) { controllerError(ctl(this), e); }
  get [Symbol.toStringTag]() { return 'ReadableByteStreamController'; }
}
const kC = Symbol('controller');
const ctl = (o) => { if (!o || !o[kC]) throw T('not a ReadableStreamDefaultController'); return o[kC]; };
const desired = (c) => c.stream.state === 'errored' ? null : c.stream.state === 'closed' ? 0 : c.hwm - c.total;
const clearAlgorithms = (c) => { c.pull = c.cancel = undefined; c.size = undefined; };
function enqueue(c, chunk) {
  const s = c.stream;
  if (c.closeRequested || s.state !== 'readable') throw T('ReadableStreamDefaultController.enqueue: the stream is not readable');
  if (c.bytes) {
    const u8 = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    c.queue.push({ chunk: u8, size: u8.length });
    c.total += u8.length;
    serve(c);
    pullIfNeeded(c);
    return;
  }
  if (s.reader && s.reader.requests.length > 0) {
    s.reader.requests.shift().chunk(chunk);
  } else {
    let size;
    try { size = c.size(chunk); size = Number(size); if (!(size >= 0) || size === Infinity) throw new RangeError('invalid chunk size'); }
    catch (e) { controllerError(c, e); throw e; }
    c.queue.push({ chunk, size });
    c.total += size;
  }
  pullIfNeeded(c);
}
// A byte stream's pending reads from its queue: a default read takes a
// chunk, a BYOB read copies as many bytes as its view holds.
function serve(c) {
  const s = c.stream, r = s.reader;
  while (r && r.requests.length > 0 && c.queue.length > 0) {
    const q = r.requests.shift();
    if (!q.view) {
      const { chunk, size } = c.queue.shift();
      c.total -= size;
      q.chunk(chunk);
      continue;
    }
    const v = q.view, dst = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    let filled = 0;
    while (c.queue.length > 0 && filled < dst.length) {
      const e = c.queue[0].chunk, n = Math.min(e.length, dst.length - filled);
      dst.set(e.subarray(0, n), filled);
      filled += n; c.total -= n;
      if (n === e.length) c.queue.shift(); else c.queue[0] = { chunk: e.subarray(n), size: e.length - n };
    }
    q.chunk(new v.constructor(v.buffer, v.byteOffset, filled / (v.BYTES_PER_ELEMENT || 1)));
  }
  if (c.closeRequested && c.queue.length === 0 && s.state === 'readable') { clearAlgorithms(c); close(s); }
}
const emptyView = (v) => new v.constructor(v.buffer, v.byteOffset, 0);
function controllerError(c, e) {
  if (c.stream.state !== 'readable') return;
  c.queue = []; c.total = 0;
  clearAlgorithms(c);
  error(c.stream, e);
}
function pullIfNeeded(c) {
  const s = c.stream;
  if (!c.started || c.closeRequested || s.state !== 'readable') return;
  if (!((s.reader && s.reader.requests.length > 0) || desired(c) > 0)) return;
  if (c.pulling) { c.pullAgain = true; return; }
  c.pulling = true;
  let p;
  try { p = Promise.resolve(c.pull ? c.pull.call(c.source, c.api) : undefined); } catch (e) { p = Promise.reject(e); }
  p.then(() => { c.pulling = false; if (c.pullAgain) { c.pullAgain = false; pullIfNeeded(c); } },
         (e) => controllerError(c, e));
}
function close(s) {
  s.state = 'closed';
  const r = s.reader;
  if (!r) return;
  for (const q of r.requests.splice(0)) q.close(q.view ? emptyView(q.view) : undefined);
  r.closed.resolve();
}
function error(s, e) {
  s.state = 'errored'; s.error = e;
  const r = s.reader;
  if (!r) return;
  for (const q of r.requests.splice(0)) q.error(e);
  r.closed.reject(e);
}
function cancel(s, reason) {
  s.disturbed = true;
  if (s.state === 'closed') return Promise.resolve();
  if (s.state === 'errored') return Promise.reject(s.error);
  close(s);
  const c = s.controller;
  c.queue = []; c.total = 0;
  let p;
  try { p = Promise.resolve(c.cancel ? c.cancel.call(c.source, reason) : undefined); } catch (e) { p = Promise.reject(e); }
  clearAlgorithms(c);
  return p.then(() => undefined);
}
// Read requests are callbacks (chunk, close, error), as the standard's are:
// internal reads (body consumption, tee, pipes) never resolve a promise
// with a {value, done} object, which an Object.prototype.then could hijack.
function read(s, q) {
  s.disturbed = true;
  if (s.state === 'closed') return q.close(undefined);
  if (s.state === 'errored') return q.error(s.error);
  const c = s.controller;
  if (c.queue.length > 0) {
    const { chunk, size } = c.queue.shift();
    c.total -= size; if (c.queue.length === 0) c.total = 0;
    if (c.closeRequested && c.queue.length === 0) { clearAlgorithms(c); close(s); } else pullIfNeeded(c);
    return q.chunk(chunk);
  }
  s.reader.requests.push(q);
  pullIfNeeded(c);
}
function readInto(s, view, q) {
  s.disturbed = true;
  if (s.state === 'closed') return q.close(emptyView(view));
  if (s.state === 'errored') return q.error(s.error);
  q.view = view;
  s.reader.requests.push(q);
  serve(s.controller);
  pullIfNeeded(s.controller);
}
// A public read: a promise of {value, done}.
const readPromise = (f) => {
  const d = defer();
  f({ chunk: (value) => d.resolve({ value, done: false }), close: (value) => d.resolve({ value, done: true }), error: d.reject });
  return d.promise;
};

class ReadableStream {
  constructor(source = undefined, strategy = undefined) {
    if (source === null) throw T('ReadableStream: the underlying source cannot be null');
    const src = source === undefined ? {} : source;
    const bytes = src.type !== undefined;
    if (bytes && String(src.type) !== 'bytes') throw T(`ReadableStream: type must be 'bytes', not '${src.type}'`);
    if (bytes && strategy != null && strategy.size !== undefined) throw new RangeError('ReadableStream: a byte stream has no size()');
    const { hwm, size } = strategyOf(bytes ? { highWaterMark: strategy == null ? undefined : strategy.highWaterMark } : strategy, bytes ? 0 : 1);
    const s = { state: 'readable', reader: undefined, error: undefined, disturbed: false, controller: undefined };
    this[kS] = s;
    const start = method(src, 'start'), pull = method(src, 'pull'), cancelFn = method(src, 'cancel');
    const api = Object.create((bytes ? ReadableByteStreamController : ReadableStreamDefaultController).prototype);
    const c = { stream: s, source: src, api, queue: [], total: 0, hwm, size, bytes, started: false, closeRequested: false,
                pulling: false, pullAgain: false, pull, cancel: cancelFn };
    api[kC] = c;
    s.controller = c;
    const r = start ? start.call(src, api) : undefined;
    Promise.resolve(r).then(() => { c.started = true; pullIfNeeded(c); }, (e) => controllerError(c, e));
  }
  get locked() { return st(this, 'locked').reader !== undefined; }
  cancel(reason) {
    let s;
    try { s = st(this, 'cancel'); } catch (e) { return Promise.reject(e); }
    if (s.reader) return Promise.reject(T('ReadableStream.cancel: the stream is locked to a reader'));
    return cancel(s, reason);
  }
  getReader(options = undefined) {
    st(this, 'getReader');
    const mode = options == null ? undefined : options.mode;
    if (mode !== undefined) {
      if (String(mode) !== 'byob') throw T(`ReadableStream.getReader: mode '${mode}' is not 'byob'`);
      return new ReadableStreamBYOBReader(this);
    }
    return new ReadableStreamDefaultReader(this);
  }
  tee() { return tee(st(this, 'tee'), false); }
  pipeTo(dest, options = {}) {
    let s, w;
    try {
      s = st(this, 'pipeTo');
      if (!dest || !dest[kW]) throw T('ReadableStream.pipeTo: destination is not a WritableStream');
      w = dest[kW];
      if (s.reader) throw T('ReadableStream.pipeTo: the stream is locked');
      if (w.writer) throw T('ReadableStream.pipeTo: the destination is locked');
    } catch (e) { return Promise.reject(e); }
    return pipe(this, dest, options || {});
  }
  pipeThrough(pair, options = {}) {
    st(this, 'pipeThrough');
    const { writable, readable } = pair;
    if (!writable || !writable[kW]) throw T('ReadableStream.pipeThrough: writable is not a WritableStream');
    if (!readable || !readable[kS]) throw T('ReadableStream.pipeThrough: readable is not a ReadableStream');
    if (this.locked) throw T('ReadableStream.pipeThrough: the stream is locked');
    if (writable.locked) throw T('ReadableStream.pipeThrough: the writable is locked');
    handled(pipe(this, writable, options || {}));
    return readable;
  }
  values(options = undefined) {
    const reader = this.getReader();
    const preventCancel = !!(options && options.preventCancel);
    const it = Object.create(AsyncIteratorProto);
    it.next = () => reader[kR] ? reader.read().then((r) => { if (r.done) reader.releaseLock(); return r; }, (e) => { reader.releaseLock(); throw e; })
                               : Promise.resolve({ value: undefined, done: true });
    it.return = (value) => {
      if (!reader[kR]) return Promise.resolve({ value, done: true });
      if (preventCancel) { reader.releaseLock(); return Promise.resolve({ value, done: true }); }
      const p = reader.cancel(value); reader.releaseLock();
      return p.then(() => ({ value, done: true }));
    };
    return it;
  }
  [Symbol.asyncIterator](options) { return this.values(options); }
  get [Symbol.toStringTag]() { return 'ReadableStream'; }
}
const AsyncIteratorProto = Object.getPrototypeOf(Object.getPrototypeOf((async function* () {})()).constructor.prototype);

class ReadableStreamDefaultReader {
  constructor(stream) {
    const s = st(stream, 'getReader');
    if (s.reader) throw T('ReadableStreamDefaultReader: the stream is locked to a reader');
    const r = { stream: s, requests: [], closed: defer() };
    handled(r.closed.promise);
    if (s.state === 'closed') r.closed.resolve();
    else if (s.state === 'errored') r.closed.reject(s.error);
    s.reader = r;
    this[kR] = r;
  }
  get closed() { const r = this[kR] || this[kRel]; if (!r) return Promise.reject(T('not a ReadableStreamDefaultReader')); return r.closed.promise; }
  read() {
    const r = this[kR];
    if (!r) return Promise.reject(T('ReadableStreamDefaultReader.read: the reader is released'));
    return readPromise((q) => read(r.stream, q));
  }
  cancel(reason) {
    const r = this[kR];
    if (!r) return Promise.reject(T('ReadableStreamDefaultReader.cancel: the reader is released'));
    return cancel(r.stream, reason);
  }
  releaseLock() {
    const r = this[kR];
    if (!r) return;
    const e = T('ReadableStreamDefaultReader: the reader was released');
    for (const q of r.requests.splice(0)) q.error(e);
    if (r.stream.state === 'readable') r.closed.reject(e);
    else { r.closed = defer(); r.closed.reject(e); }
    handled(r.closed.promise);
    r.stream.reader = undefined;
    this[kR] = undefined;
    this[kRel] = r;
  }
  get [Symbol.toStringTag]() { return 'ReadableStreamDefaultReader'; }
}
const kRel = Symbol('released');
class ReadableStreamBYOBReader extends ReadableStreamDefaultReader {
  constructor(stream) {
    if (!st(stream, 'getReader').controller.bytes) throw T('ReadableStreamBYOBReader: not a byte stream');
    super(stream);
  }
  read(view) {
    const r = this[kR];
    if (!r) return Promise.reject(T('ReadableStreamBYOBReader.read: the reader is released'));
    if (!ArrayBuffer.isView(view)) return Promise.reject(T('ReadableStreamBYOBReader.read: view must be an ArrayBufferView'));
    if (view.byteLength === 0) return Promise.reject(T('ReadableStreamBYOBReader.read: view is empty'));
    return readPromise((q) => readInto(r.stream, view, q));
  }
  get [Symbol.toStringTag]() { return 'ReadableStreamBYOBReader'; }
}

// The Streams standard's ReadableStreamDefaultTee; clone2 structured-clones
// the chunks of the second branch (Response/Request clone()).
function tee(s, clone2) {
  const reader = new ReadableStreamDefaultReader(wrap(s));
  let reading = false, again = false, canceled1 = false, canceled2 = false, reason1, reason2, b1, b2;
  const cancelled = defer();
  const pull = () => {
    if (reading) { again = true; return Promise.resolve(); }
    reading = true;
    const src = reader[kR].stream;
    const got = (value, done) => {
      queueMicrotask(() => {
        again = false;
        if (done) {
          if (!canceled1) b1[kS].controller.api.close();
          if (!canceled2) b2[kS].controller.api.close();
          if (!canceled1 || !canceled2) cancelled.resolve();
          reading = false;
          return;
        }
        let v2 = value;
        if (clone2 && !canceled2) {
          try { v2 = structuredClone(value); }
          catch (e) { controllerError(b1[kS].controller, e); controllerError(b2[kS].controller, e); cancelled.resolve(cancel(s, e)); reading = false; return; }
        }
        if (!canceled1) enqueue(b1[kS].controller, value);
        if (!canceled2) enqueue(b2[kS].controller, v2);
        reading = false;
        if (again) pull();
      });
    };
    read(src, { chunk: (v) => got(v, false), close: () => got(undefined, true), error: () => { reading = false; } });
    return Promise.resolve();
  };
  const both = () => { const p = cancel(s, [reason1, reason2]); cancelled.resolve(p); };
  const type = s.controller.bytes ? 'bytes' : undefined;
  b1 = new ReadableStream({ type, pull, cancel(r) { canceled1 = true; reason1 = r; if (canceled2) both(); return cancelled.promise; } });
  b2 = new ReadableStream({ type, pull, cancel(r) { canceled2 = true; reason2 = r; if (canceled1) both(); return cancelled.promise; } });
  reader[kR].closed.promise.catch((e) => {
    controllerError(b1[kS].controller, e); controllerError(b2[kS].controller, e);
    if (!canceled1 || !canceled2) cancelled.resolve();
  });
  return [b1, b2];
}
const wrap = (s) => { const o = Object.create(ReadableStream.prototype); o[kS] = s; return o; };

// ---- WritableStream (default controller; enough for pipeTo)
class WritableStream {
  constructor(sink = undefined, strategy = undefined) {
    if (sink === null) throw T('WritableStream: the underlying sink cannot be null');
    const snk = sink === undefined ? {} : sink;
    if (snk.type !== undefined) throw new RangeError('WritableStream: invalid type');
    const { hwm, size } = strategyOf(strategy, 1);
    const start = method(snk, 'start'), write = method(snk, 'write'), closeFn = method(snk, 'close'), abort = method(snk, 'abort');
    const w = { state: 'writable', writer: undefined, error: undefined, queue: [], total: 0, hwm, size, sink: snk,
                write, close: closeFn, abort, started: false, writing: false, closing: false, closed: defer() };
    handled(w.closed.promise);
    const api = { error: (e) => { if (w.state === 'writable') werror(w, e); }, signal: undefined };
    w.api = api;
    this[kW] = w;
    Promise.resolve(start ? start.call(snk, api) : undefined).then(() => { w.started = true; advance(w); }, (e) => werror(w, e));
  }
  get locked() { return wst(this).writer !== undefined; }
  getWriter() { return new WritableStreamDefaultWriter(this); }
  abort(reason) {
    const w = wst(this);
    if (w.writer) return Promise.reject(T('WritableStream.abort: the stream is locked'));
    return wabort(w, reason);
  }
  close() {
    const w = wst(this);
    if (w.writer) return Promise.reject(T('WritableStream.close: the stream is locked'));
    return wclose(w);
  }
  get [Symbol.toStringTag]() { return 'WritableStream'; }
}
const wst = (o) => { if (!o || !o[kW]) throw T('not a WritableStream'); return o[kW]; };
function werror(w, e) {
  if (w.state === 'errored' || w.state === 'closed') return;
  w.state = 'errored'; w.error = e;
  for (const q of w.queue.splice(0)) if (q.done) q.done.reject(e);
  w.total = 0;
  w.closed.reject(e);
}
function advance(w) {
  if (!w.started || w.writing || w.state !== 'writable' || w.queue.length === 0) return;
  const q = w.queue[0];
  w.writing = true;
  let p;
  try {
    p = Promise.resolve(q.close ? (w.close ? w.close.call(w.sink) : undefined) : (w.write ? w.write.call(w.sink, q.chunk, w.api) : undefined));
  } catch (e) { p = Promise.reject(e); }
  p.then(() => {
    w.writing = false;
    w.queue.shift(); w.total -= q.size || 0;
    q.done.resolve();
    if (q.close) { w.state = 'closed'; w.closed.resolve(); return; }
    advance(w);
  }, (e) => { w.writing = false; werror(w, e); });
}
function wwrite(w, chunk) {
  if (w.state !== 'writable' || w.closing) return Promise.reject(w.state === 'errored' ? w.error : T('WritableStream: the stream is closing or closed'));
  let size = 1;
  try { size = w.size(chunk); } catch (e) { werror(w, e); return Promise.reject(e); }
  const done = defer();
  w.queue.push({ chunk, size, done }); w.total += size;
  advance(w);
  return done.promise;
}
function wclose(w) {
  if (w.state !== 'writable' || w.closing) return Promise.reject(T('WritableStream: the stream is closing or closed'));
  w.closing = true;
  const done = defer();
  w.queue.push({ close: true, size: 0, done });
  advance(w);
  return done.promise;
}
function wabort(w, reason) {
  if (w.state === 'closed' || w.state === 'errored') return Promise.resolve();
  werror(w, reason);
  let p;
  try { p = Promise.resolve(w.abort ? w.abort.call(w.sink, reason) : undefined); } catch (e) { p = Promise.reject(e); }
  return p.then(() => undefined);
}
class WritableStreamDefaultWriter {
  constructor(stream) {
    const w = wst(stream);
    if (w.writer) throw T('WritableStreamDefaultWriter: the stream is locked');
    w.writer = this;
    this[kWr] = w;
  }
  get closed() { const w = this[kWr]; return w ? w.closed.promise : Promise.reject(T('the writer is released')); }
  get ready() { return Promise.resolve(); }
  get desiredSize() { const w = this[kWr]; if (!w) throw T('the writer is released'); return w.state === 'errored' ? null : w.state === 'closed' ? 0 : w.hwm - w.total; }
  write(chunk) { const w = this[kWr]; return w ? wwrite(w, chunk) : Promise.reject(T('the writer is released')); }
  close() { const w = this[kWr]; return w ? wclose(w) : Promise.reject(T('the writer is released')); }
  abort(reason) { const w = this[kWr]; return w ? wabort(w, reason) : Promise.reject(T('the writer is released')); }
  releaseLock() { const w = this[kWr]; if (w) { w.writer = undefined; this[kWr] = undefined; } }
  get [Symbol.toStringTag]() { return 'WritableStreamDefaultWriter'; }
}

// ReadableStreamPipeTo, without backpressure beyond one write at a time.
function pipe(source, dest, { preventClose, preventAbort, preventCancel, signal }) {
  const reader = new ReadableStreamDefaultReader(source);
  const writer = new WritableStreamDefaultWriter(dest);
  const s = source[kS], w = dest[kW];
  s.disturbed = true;
  const result = defer();
  let finished = false;
  const finish = (ok, e) => {
    if (finished) return; finished = true;
    writer.releaseLock(); reader.releaseLock();
    if (ok) result.resolve(); else result.reject(e);
  };
  let shuttingDown = false;  // the first reason to stop wins
  const shutdown = (action, ok, e) => {
    if (shuttingDown) return;
    shuttingDown = true;
    Promise.resolve().then(action).then(() => finish(ok, e), (e2) => finish(false, e2));
  };
  if (signal) {
    const onAbort = () => {
      const e = signal.reason;
      shutdown(() => Promise.all([!preventAbort && w.state === 'writable' ? wabort(w, e) : undefined,
                                  !preventCancel && s.state === 'readable' ? cancel(s, e) : undefined]), false, e);
    };
    if (signal.aborted) { onAbort(); return result.promise; }
    signal.addEventListener('abort', onAbort, { once: true });
  }
  const step = () => {
    if (finished || shuttingDown) return;
    if (w.state === 'errored') { const e = w.error; shutdown(() => !preventCancel ? cancel(s, e) : undefined, false, e); return; }
    read(s, {
      chunk: (value) => { if (!finished) wwrite(w, value).then(step, (e) => shutdown(() => !preventCancel ? cancel(s, e) : undefined, false, e)); },
      close: () => { if (!finished) shutdown(() => !preventClose ? wclose(w) : undefined, true); },
      error: (e) => { if (!finished) shutdown(() => !preventAbort ? wabort(w, e) : undefined, false, e); },
    });
  };
  if (s.state === 'errored') shutdown(() => !preventAbort ? wabort(w, s.error) : undefined, false, s.error);
  else if (s.state === 'closed') shutdown(() => !preventClose ? wclose(w) : undefined, true);
  else step();
  return result.promise;
}

// ---- what body.cpp and fetch.cpp use
const isStream = (v) => !!(v && typeof v === 'object' && v[kS]);
const state = (v) => v[kS];
const fromBytes = (bytes, used) => {
  const stream = new ReadableStream({ type: 'bytes', start(c) { if (bytes && bytes.byteLength) c.enqueue(bytes); c.close(); } });
  if (used) { const r = stream.getReader(); handled(r.read()); }
  return stream;
};
// Reads every chunk (they must be Uint8Arrays; the stream stays locked),
// then done(bytes) or fail(error), without promises in between.
const readAll = (stream, fn, done, fail) => {
  const s = stream[kS];
  if (s.reader || s.disturbed) return fail(T(`${fn}: body already used`));
  new ReadableStreamDefaultReader(stream);
  const parts = [];
  let total = 0, sync = true, more = true;
  const q = {
    chunk(value) {
      if (!(value instanceof Uint8Array)) {
        const e = T(`${fn}: a body chunk is not a Uint8Array`);
        cancel(s, e).catch(() => {});
        return fail(e);
      }
      parts.push(value.slice()); total += value.byteLength;
      if (sync) more = true; else loop();
    },
    close() {
      const out = new Uint8Array(total);
      let at = 0;
      for (const p of parts) { out.set(p, at); at += p.byteLength; }
      done(out);
    },
    error: fail,
  };
  // Chunks already queued arrive synchronously: a loop, not recursion.
  const loop = () => { sync = true; do { more = false; read(s, q); } while (more); sync = false; };
  loop();
};
const consume = (stream, kind, type, fn) => new Promise((resolve, reject) => readAll(stream, fn, (u8) => {
  try {
    switch (kind) {
      case 0: case 1: {
        const text = new TextDecoder().decode(u8);
        return resolve(kind === 0 ? text : JSON.parse(text));
      }
      case 2: return resolve(u8.buffer);
      case 3: return resolve(u8);
      case 4: return resolve(new Blob([u8], { type }));
      default: return resolve(FormData[Symbol.for('mcujs.parse')](u8, type));
    }
  } catch (e) { reject(e); }
}, reject));
// fetch() of a request with a stream body: the body read, then sent as bytes.
const sendLater = (fetch, stream, request, init) => new Promise((resolve, reject) => readAll(stream, 'fetch',
  (body) => { try { resolve(fetch(request, Object.assign({}, init, { body, duplex: 'half' }))); } catch (e) { reject(e); } }, reject));
// The input's stream piped into a new one (new Request(request)): the input
// is disturbed and locked at once.
const proxy = (stream) => {
  const reader = new ReadableStreamDefaultReader(stream);
  const s = stream[kS];
  s.disturbed = true;
  return new ReadableStream({
    type: s.controller.bytes ? 'bytes' : undefined,
    pull(c) {
      return new Promise((resolve, reject) => read(s, {
        chunk: (v) => { c.enqueue(v); resolve(); }, close: () => { c.close(); resolve(); }, error: reject,
      }));
    },
    cancel(r) { return reader.cancel(r); },
  });
};
const hooks = {
  isStream, fromBytes, readAll, consume, proxy, sendLater,
  disturbed: (v) => state(v).disturbed,
  unusable: (v) => state(v).disturbed || state(v).reader !== undefined,
  tee: (v) => tee(state(v), true),
  ReadableStream, WritableStream,
};
return hooks;
})())JS";

JSClassID g_slot_id = 0;  // a class without instances: its per-context prototype slot holds the hooks

JSValue create_streams(JSContext* ctx) {
  JSRuntime* rt = JS_GetRuntime(ctx);
  if (g_slot_id == 0) JS_NewClassID(&g_slot_id);
  if (!JS_IsRegisteredClass(rt, g_slot_id)) {
    JSClassDef d{};
    d.class_name = "StreamHooks";
    if (JS_NewClass(rt, g_slot_id, &d) < 0) return JS_ThrowOutOfMemory(ctx);
  }
  JSValue have = JS_GetClassProto(ctx, g_slot_id);
  if (JS_IsObject(have)) return have;
  JS_FreeValue(ctx, have);
  JSValue hooks = JS_Eval(ctx, kStreams, sizeof kStreams - 1, "<streams>", JS_EVAL_TYPE_GLOBAL | JS_EVAL_FLAG_STRICT);
  if (JS_IsException(hooks)) return hooks;
  JS_SetClassProto(ctx, g_slot_id, JS_DupValue(ctx, hooks));
  return hooks;
}

JSValue hooks_member(JSContext* ctx, const char* name) {
  JSValue hooks = create_streams(ctx);
  if (JS_IsException(hooks)) return hooks;
  JSValue v = JS_GetPropertyStr(ctx, hooks, name);
  JS_FreeValue(ctx, hooks);
  return v;
}

JSValue create_readable_stream(JSContext* ctx) { return hooks_member(ctx, "ReadableStream"); }
JSValue create_writable_stream(JSContext* ctx) { return hooks_member(ctx, "WritableStream"); }

}  // namespace

bool streams_created(JSContext* ctx) {
  if (g_slot_id == 0 || !JS_IsRegisteredClass(JS_GetRuntime(ctx), g_slot_id)) return false;
  JSValue have = JS_GetClassProto(ctx, g_slot_id);
  bool r = JS_IsObject(have);
  JS_FreeValue(ctx, have);
  return r;
}

JSValue stream_call(JSContext* ctx, const char* hook, int argc, JSValueConst* argv) {
  JSValue hooks = create_streams(ctx);
  if (JS_IsException(hooks)) return hooks;
  JSValue f = JS_GetPropertyStr(ctx, hooks, hook);
  JSValue r = JS_IsException(f) ? f : JS_Call(ctx, f, hooks, argc, argv);
  JS_FreeValue(ctx, f);
  JS_FreeValue(ctx, hooks);
  return r;
}

int stream_test(JSContext* ctx, const char* hook, JSValueConst stream) {
  JSValue r = stream_call(ctx, hook, 1, &stream);
  if (JS_IsException(r)) return -1;
  int b = JS_ToBool(ctx, r);
  JS_FreeValue(ctx, r);
  return b;
}

bool is_stream(JSContext* ctx, JSValueConst v) {
  // No stream can exist before the class does: nothing to evaluate then.
  return JS_IsObject(v) && streams_created(ctx) && stream_test(ctx, "isStream", v) == 1;
}

bool install_streams(core::Runtime& rt) {
  JSContext* ctx = rt.ctx();
  return define_lazy_global(ctx, "ReadableStream", create_readable_stream) &&
         define_lazy_global(ctx, "WritableStream", create_writable_stream);
}

}  // namespace mcujs::bind
