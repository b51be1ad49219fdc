// Web-standard globals small enough to be written in JavaScript and
// compiled into the runtime: AbortController/AbortSignal (with
// AbortSignal.timeout/abort/any, EventTarget's add/removeEventListener and
// onabort), URLSearchParams (WHATWG URL's application/x-www-form-urlencoded)
// and structuredClone for plain data. Each source is evaluated on first
// access of its global (define_lazy_global); FormData too, so unused ones cost no heap;
// queueMicrotask is C++ (one job).
#include <cstring>

#include "modules/bindings/install.h"
#include "modules/bindings/web_common.h"
#include "net/http/form.h"
#include "net/url.h"

namespace mcujs::bind {

namespace {

// Evaluates src (an expression in parentheses) and returns its value.
JSValue eval_source(JSContext* ctx, const char* name, const char* src, size_t len) {
  return JS_Eval(ctx, src, len, name, JS_EVAL_TYPE_GLOBAL | JS_EVAL_FLAG_STRICT);
}

const char kAbort[] = R"JS((() => {
const kState = Symbol('state');
const check = (s, fn) => { if (!s || !s[kState]) throw new TypeError(`${fn}: not an AbortSignal`); return s[kState]; };
const abortError = () => { const e = new Error('This operation was aborted'); e.name = 'AbortError'; e.code = 20; return e; };
const timeoutError = () => { const e = new Error('The operation timed out'); e.name = 'TimeoutError'; e.code = 23; return e; };
let creating = false;
class AbortSignal {
  constructor() {
    if (!creating) throw new TypeError('Illegal constructor');
    this[kState] = { aborted: false, reason: undefined, listeners: [], onabort: null };
  }
  get aborted() { return check(this, 'AbortSignal.aborted').aborted; }
  get reason() { return check(this, 'AbortSignal.reason').reason; }
  get onabort() { return check(this, 'AbortSignal.onabort').onabort; }
  set onabort(f) { check(this, 'AbortSignal.onabort').onabort = typeof f === 'function' ? f : null; }
  throwIfAborted() { const s = check(this, 'AbortSignal.throwIfAborted'); if (s.aborted) throw s.reason; }
  addEventListener(type, listener, options) {
    const s = check(this, 'AbortSignal.addEventListener');
    if (arguments.length < 2) throw new TypeError('AbortSignal.addEventListener: expected 2 arguments');
    if (listener == null || String(type) !== 'abort') return;
    const once = typeof options === 'object' && options !== null && !!options.once;
    if (!s.listeners.some((l) => l.listener === listener)) s.listeners.push({ listener, once });
  }
  removeEventListener(type, listener) {
    const s = check(this, 'AbortSignal.removeEventListener');
    if (String(type) === 'abort') s.listeners = s.listeners.filter((l) => l.listener !== listener);
  }
  dispatchEvent(event) { check(this, 'AbortSignal.dispatchEvent'); return dispatch(this, event); }
  static abort(reason) { const s = make(); signalAbort(s, reason === undefined ? abortError() : reason); return s; }
  static timeout(ms) {
    if (typeof ms !== 'number' || !(ms >= 0) || ms > Number.MAX_SAFE_INTEGER)
      throw new TypeError('AbortSignal.timeout: milliseconds must be a non-negative number');
    const s = make();
    setTimeout(() => signalAbort(s, timeoutError()), ms);
    return s;
  }
  static any(signals) {
    const s = make();
    for (const x of signals) check(x, 'AbortSignal.any');
    for (const x of signals) if (x.aborted) { signalAbort(s, x.reason); return s; }
    for (const x of signals) x.addEventListener('abort', () => signalAbort(s, x.reason), { once: true });
    return s;
  }
  get [Symbol.toStringTag]() { return 'AbortSignal'; }
}
const make = () => { creating = true; try { return new AbortSignal(); } finally { creating = false; } };
function dispatch(signal, event) {
  const s = signal[kState];
  const ev = event || { type: 'abort', target: signal, currentTarget: signal };
  if (typeof s.onabort === 'function') { try { s.onabort.call(signal, ev); } catch (e) { reportLater(e); } }
  for (const l of s.listeners.slice()) {
    if (l.once) s.listeners = s.listeners.filter((x) => x !== l);
    try {
      if (typeof l.listener === 'function') l.listener.call(signal, ev);
      else if (l.listener && typeof l.listener.handleEvent === 'function') l.listener.handleEvent(ev);
    } catch (e) { reportLater(e); }
  }
  return true;
}
const reportLater = (e) => { queueMicrotask(() => { throw e; }); };
function signalAbort(signal, reason) {
  const s = signal[kState];
  if (s.aborted) return;
  s.aborted = true;
  s.reason = reason;
  dispatch(signal);
}
class AbortController {
  #signal = make();
  get signal() { return this.#signal; }
  abort(reason) { signalAbort(this.#signal, reason === undefined ? abortError() : reason); }
  get [Symbol.toStringTag]() { return 'AbortController'; }
}
for (const C of [AbortSignal, AbortController])
  for (const k of Object.getOwnPropertyNames(C.prototype)) {
    if (k === 'constructor') continue;
    const d = Object.getOwnPropertyDescriptor(C.prototype, k);
    d.enumerable = true;
    Object.defineProperty(C.prototype, k, d);
  }
return { AbortController, AbortSignal };
})())JS";

// Called with the native form codec (net/http/form.h): escape(string) and
// unescape(string).
const char kSearchParams[] = R"JS(((serialize, percentDecode) => {
const usv = (v) => String(v).toWellFormed ? String(v).toWellFormed() : String(v);
const kList = Symbol('list');
const list = (self, fn) => { if (!self || !self[kList]) throw new TypeError(`URLSearchParams.${fn}: not a URLSearchParams`); return self[kList]; };
const need = (args, n, fn) => { if (args.length < n) throw new TypeError(`URLSearchParams.${fn}: expected ${n} argument(s)`); };
class URLSearchParams {
  constructor(init = '') {
    this[kList] = [];
    if (typeof init === 'object' && init !== null) {
      const it = init[Symbol.iterator];
      if (it !== undefined) {
        if (typeof it !== 'function') throw new TypeError('URLSearchParams: init[Symbol.iterator] is not a function');
        for (const pair of init) {
          if (typeof pair !== 'object' || pair === null) throw new TypeError('URLSearchParams: each pair must be a sequence');
          const p = [...pair];
          if (p.length !== 2) throw new TypeError('URLSearchParams: each pair must have exactly two items');
          this[kList].push([usv(p[0]), usv(p[1])]);
        }
      } else {
        for (const k of Reflect.ownKeys(init)) {
          const d = Reflect.getOwnPropertyDescriptor(init, k);
          if (!d || !d.enumerable) continue;
          if (typeof k === 'symbol') throw new TypeError('URLSearchParams: a key cannot be a symbol');
          this[kList].push([usv(k), usv(init[k])]);
        }
      }
    } else {
      let s = usv(init);
      if (s.startsWith('?')) s = s.slice(1);
      for (const part of s.split('&')) {
        if (part === '') continue;
        const eq = part.indexOf('=');
        const name = eq < 0 ? part : part.slice(0, eq), value = eq < 0 ? '' : part.slice(eq + 1);
        this[kList].push([percentDecode(name), percentDecode(value)]);
      }
    }
  }
  get size() { return list(this, 'size').length; }
  append(name, value) { need(arguments, 2, 'append'); list(this, 'append').push([usv(name), usv(value)]); }
  delete(name, value) {
    need(arguments, 1, 'delete');
    const n = usv(name), v = value === undefined ? undefined : usv(value);
    this[kList] = list(this, 'delete').filter(([k, x]) => !(k === n && (v === undefined || x === v)));
  }
  get(name) { need(arguments, 1, 'get'); const n = usv(name); const e = list(this, 'get').find(([k]) => k === n); return e ? e[1] : null; }
  getAll(name) { need(arguments, 1, 'getAll'); const n = usv(name); return list(this, 'getAll').filter(([k]) => k === n).map(([, v]) => v); }
  has(name, value) {
    need(arguments, 1, 'has');
    const n = usv(name), v = value === undefined ? undefined : usv(value);
    return list(this, 'has').some(([k, x]) => k === n && (v === undefined || x === v));
  }
  set(name, value) {
    need(arguments, 2, 'set');
    const l = list(this, 'set'), n = usv(name), v = usv(value);
    const i = l.findIndex(([k]) => k === n);
    if (i < 0) { l.push([n, v]); return; }
    l[i] = [n, v];
    this[kList] = l.filter(([k], j) => j <= i || k !== n);
  }
  sort() { const l = list(this, 'sort'); const s = l.map((e, i) => [e, i]); s.sort(([a, i], [b, j]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : i - j)); this[kList] = s.map(([e]) => e); }
  forEach(cb, thisArg) {
    if (typeof cb !== 'function') throw new TypeError('URLSearchParams.forEach: callback must be a function');
    for (let i = 0; i < list(this, 'forEach').length; i++) { const [k, v] = this[kList][i]; cb.call(thisArg, v, k, this); }
  }
  *entries() { for (let i = 0; i < list(this, 'entries').length; i++) yield [...this[kList][i]]; }
  *keys() { for (let i = 0; i < list(this, 'keys').length; i++) yield this[kList][i][0]; }
  *values() { for (let i = 0; i < list(this, 'values').length; i++) yield this[kList][i][1]; }
  toString() { return list(this, 'toString').map(([k, v]) => serialize(k) + '=' + serialize(v)).join('&'); }
  get [Symbol.toStringTag]() { return 'URLSearchParams'; }
}
URLSearchParams.prototype[Symbol.iterator] = URLSearchParams.prototype.entries;
return URLSearchParams;
}))JS";

const char kClone[] = R"JS((() => {
const dataCloneError = (what) => { const e = new Error(`structuredClone: ${what} could not be cloned`); e.name = 'DataCloneError'; e.code = 25; return e; };
function clone(v, seen) {
  if (typeof v === 'function' || typeof v === 'symbol') throw dataCloneError(typeof v === 'function' ? 'a function' : 'a symbol');
  if (typeof v !== 'object' || v === null) return v;
  if (seen.has(v)) return seen.get(v);
  let out;
  const tag = Object.prototype.toString.call(v);
  if (tag === '[object Date]') out = new Date(v.getTime());
  else if (tag === '[object RegExp]') out = new RegExp(v.source, v.flags);
  else if (tag === '[object Boolean]' || tag === '[object Number]' || tag === '[object String]') out = Object(v.valueOf());
  else if (tag === '[object ArrayBuffer]') out = v.slice(0);
  else if (ArrayBuffer.isView(v)) {
    const buf = clone(v.buffer, seen);
    out = v instanceof DataView ? new DataView(buf, v.byteOffset, v.byteLength) : new v.constructor(buf, v.byteOffset, v.length);
  } else if (tag === '[object Map]') { out = new Map(); seen.set(v, out); for (const [k, x] of v) out.set(clone(k, seen), clone(x, seen)); return out; }
  else if (tag === '[object Set]') { out = new Set(); seen.set(v, out); for (const x of v) out.add(clone(x, seen)); return out; }
  else if (tag === '[object Error]') {
    const C = { EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError }[v.name] || Error;
    out = new C(v.message);
    if ('stack' in v) out.stack = String(v.stack);
  } else if (Array.isArray(v)) {
    out = new Array(v.length); seen.set(v, out);
    for (const k of Object.keys(v)) out[k] = clone(v[k], seen);
    return out;
  } else if (tag === '[object Object]' || tag === '[object Arguments]') {
    out = {}; seen.set(v, out);
    for (const k of Object.keys(v)) out[k] = clone(v[k], seen);
    return out;
  } else throw dataCloneError(tag.slice(8, -1) || 'the value');
  seen.set(v, out);
  return out;
}
return function structuredClone(value, options) {
  if (arguments.length < 1) throw new TypeError('structuredClone: expected at least 1 argument');
  if (options !== undefined && options !== null && options.transfer && options.transfer.length)
    throw dataCloneError('a transfer list');
  return clone(value, new Map());
};
})())JS";

// FormData (XMLHttpRequest standard's entry list). Its multipart/form-data
// serialisation (HTML) is a Blob built from the parts, typed with the
// boundary; body_extract() asks for it through Symbol.for('mcujs.multipart').
const char kFormData[] = R"JS((() => {
const kList = Symbol('entries');
const list = (self, fn) => { if (!self || !self[kList]) throw new TypeError(`FormData.${fn}: not a FormData`); return self[kList]; };
const need = (args, n, fn) => { if (args.length < n) throw new TypeError(`FormData.${fn}: expected ${n} argument(s)`); };
const entry = (name, value, filename, fn) => {
  if (value instanceof Blob) {
    const file = filename !== undefined ? String(filename) : (typeof value.name === 'string' ? value.name : 'blob');
    return [String(name), value, file];
  }
  if (filename !== undefined) throw new TypeError(`FormData.${fn}: a filename needs a Blob value`);
  return [String(name), String(value)];
};
const escapeName = (s) => s.replace(/\r\n|\r|\n/g, '\r\n').replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22');
const hex = (n) => { let s = ''; for (let i = 0; i < n; i++) s += '0123456789abcdef'[(Math.random() * 16) | 0]; return s; };
class FormData {
  constructor(form) {
    if (form !== undefined) throw new TypeError('FormData: no HTML forms here (the argument must be undefined)');
    this[kList] = [];
  }
  append(name, value, filename) { need(arguments, 2, 'append'); list(this, 'append').push(entry(name, value, filename, 'append')); }
  set(name, value, filename) {
    need(arguments, 2, 'set');
    const l = list(this, 'set'), e = entry(name, value, filename, 'set');
    const i = l.findIndex(([k]) => k === e[0]);
    if (i < 0) { l.push(e); return; }
    this[kList] = l.filter(([k], j) => j <= i || k !== e[0]);
    this[kList][i] = e;
  }
  delete(name) { need(arguments, 1, 'delete'); const n = String(name); this[kList] = list(this, 'delete').filter(([k]) => k !== n); }
  get(name) { need(arguments, 1, 'get'); const n = String(name); const e = list(this, 'get').find(([k]) => k === n); return e ? e[1] : null; }
  getAll(name) { need(arguments, 1, 'getAll'); const n = String(name); return list(this, 'getAll').filter(([k]) => k === n).map((e) => e[1]); }
  has(name) { need(arguments, 1, 'has'); const n = String(name); return list(this, 'has').some(([k]) => k === n); }
  forEach(cb, thisArg) {
    if (typeof cb !== 'function') throw new TypeError('FormData.forEach: callback must be a function');
    for (let i = 0; i < list(this, 'forEach').length; i++) { const [k, v] = this[kList][i]; cb.call(thisArg, v, k, this); }
  }
  *entries() { for (let i = 0; i < list(this, 'entries').length; i++) yield [this[kList][i][0], this[kList][i][1]]; }
  *keys() { for (let i = 0; i < list(this, 'keys').length; i++) yield this[kList][i][0]; }
  *values() { for (let i = 0; i < list(this, 'values').length; i++) yield this[kList][i][1]; }
  [Symbol.for('mcujs.multipart')]() {
    const boundary = '----mcujsformboundary' + hex(24);
    const parts = [];
    for (const [name, value, file] of list(this, 'serialize')) {
      let head = `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(name)}"`;
      if (typeof value === 'string') {
        parts.push(head + '\r\n\r\n' + value.replace(/\r\n|\r|\n/g, '\r\n') + '\r\n');
      } else {
        head += `; filename="${escapeName(file)}"\r\nContent-Type: ${value.type || 'application/octet-stream'}\r\n\r\n`;
        parts.push(head, value, '\r\n');
      }
    }
    parts.push(`--${boundary}--\r\n`);
    return new Blob(parts, { type: `multipart/form-data; boundary=${boundary}` });
  }
  get [Symbol.toStringTag]() { return 'FormData'; }
}
FormData.prototype[Symbol.iterator] = FormData.prototype.entries;
// Body.formData(): parses bytes (a Uint8Array) by the Content-Type.
const ascii = (u8) => String.fromCharCode(...u8);
const indexOf = (hay, needle, from) => {
  outer: for (let i = from; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
};
FormData[Symbol.for('mcujs.parse')] = (bytes, type) => {
  const fd = new FormData();
  const mime = String(type || '').split(';')[0].trim().toLowerCase();
  if (mime === 'application/x-www-form-urlencoded') {
    for (const [k, v] of new URLSearchParams(new TextDecoder().decode(bytes))) fd.append(k, v);
    return fd;
  }
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(String(type || ''));
  if (mime !== 'multipart/form-data' || !m) throw new TypeError('formData: the body is neither multipart/form-data nor application/x-www-form-urlencoded');
  const delim = new TextEncoder().encode('--' + (m[1] || m[2]));
  let at = indexOf(bytes, delim, 0);
  if (at < 0) throw new TypeError('formData: no multipart boundary in the body');
  for (;;) {
    at += delim.length;
    if (bytes[at] === 45 && bytes[at + 1] === 45) return fd;  // "--": the end
    if (bytes[at] !== 13 || bytes[at + 1] !== 10) throw new TypeError('formData: malformed multipart body');
    const headEnd = indexOf(bytes, [13, 10, 13, 10], at + 2);
    if (headEnd < 0) throw new TypeError('formData: malformed multipart part');
    const head = ascii(bytes.subarray(at + 2, headEnd));
    const next = indexOf(bytes, [13, 10, ...delim], headEnd + 4);
    if (next < 0) throw new TypeError('formData: unterminated multipart part');
    const body = bytes.subarray(headEnd + 4, next);
    const disp = /content-disposition:\s*form-data(.*)/i.exec(head);
    const name = disp && /;\s*name="([^"]*)"/i.exec(disp[1]);
    if (!name) throw new TypeError('formData: a part without a name');
    const file = /;\s*filename="([^"]*)"/i.exec(disp[1]);
    const ctype = /content-type:\s*([^\r\n]*)/i.exec(head);
    if (file) fd.append(name[1], new Blob([body], { type: ctype ? ctype[1] : '' }), file[1]);
    else fd.append(name[1], new TextDecoder().decode(body));
    at = next + 2;
  }
};
return FormData;
})())JS";

// URL, for http: and https: URLs only (net/url.h's parser, called as
// parse(input, base) -> the serialised URL without its fragment, or null).
const char kUrl[] = R"JS(((parse) => {
const kState = Symbol('url');
const state = (u, fn) => { if (!u || !u[kState]) throw new TypeError(`URL.${fn}: not a URL`); return u[kState]; };
function split(href) {
  const m = /^(https?:)\/\/(\[[^\]]*\]|[^/:?#]*)(?::(\d+))?([^?#]*)(\?[^#]*)?$/.exec(href);
  return { protocol: m[1], hostname: m[2], port: m[3] || '', pathname: m[4] || '/', search: m[5] && m[5] !== '?' ? m[5] : '' };
}
function build(u) { return `${u.protocol}//${u.hostname}${u.port ? ':' + u.port : ''}${u.pathname}${u.search}`; }
function reparse(st, href) {
  const r = parse(href, undefined);
  if (r === null) throw new TypeError(`URL: invalid URL '${href}'`);
  Object.assign(st, split(r));
  if (st.params) st.params[kSync](st.search);
}
const kSync = Symbol('sync');
class URL {
  constructor(url, base) {
    if (arguments.length < 1) throw new TypeError('URL: expected at least 1 argument');
    let s = String(url), hash = '';
    const h = s.indexOf('#');
    if (h >= 0) { hash = s.slice(h); s = s.slice(0, h); }
    let b;
    if (base !== undefined) { b = String(base); const bh = b.indexOf('#'); if (bh >= 0) b = b.slice(0, bh); }
    const r = parse(s, b);
    if (r === null) throw new TypeError(`URL: invalid URL '${String(url).slice(0, 200)}'`);
    this[kState] = Object.assign(split(r), { hash: hash === '#' ? '' : hash, params: null });
  }
  static canParse(url, base) { try { new URL(url, base); return true; } catch { return false; } }
  get href() { const u = state(this, 'href'); return build(u) + u.hash; }
  set href(v) { const u = state(this, 'href'); const n = new URL(v); Object.assign(u, n[kState], { params: u.params }); if (u.params) u.params[kSync](u.search); }
  get origin() { const u = state(this, 'origin'); return `${u.protocol}//${u.hostname}${u.port ? ':' + u.port : ''}`; }
  get protocol() { return state(this, 'protocol').protocol; }
  get host() { const u = state(this, 'host'); return u.hostname + (u.port ? ':' + u.port : ''); }
  get hostname() { return state(this, 'hostname').hostname; }
  get port() { return state(this, 'port').port; }
  get pathname() { return state(this, 'pathname').pathname; }
  set pathname(v) { const u = state(this, 'pathname'); let p = String(v); if (!p.startsWith('/')) p = '/' + p; reparse(u, build({ ...u, pathname: p })); }
  get search() { return state(this, 'search').search; }
  set search(v) { const u = state(this, 'search'); let q = String(v); if (q.startsWith('?')) q = q.slice(1); reparse(u, build({ ...u, search: q ? '?' + q : '' })); }
  get hash() { return state(this, 'hash').hash; }
  set hash(v) { const u = state(this, 'hash'); let f = String(v); if (f.startsWith('#')) f = f.slice(1); u.hash = f ? '#' + encodeURI(f) : ''; }
  get username() { state(this, 'username'); return ''; }
  get password() { state(this, 'password'); return ''; }
  get searchParams() {
    const u = state(this, 'searchParams');
    if (!u.params) {
      const p = new URLSearchParams(u.search);
      let syncing = false;
      p[kSync] = (search) => { syncing = true; try { for (const k of [...p.keys()]) p.delete(k); for (const [k, v] of new URLSearchParams(search)) p.append(k, v); } finally { syncing = false; } };
      for (const m of ['append', 'delete', 'set', 'sort']) {
        const orig = p[m];
        p[m] = function (...a) { const r = orig.apply(this, a); if (!syncing) { const q = p.toString(); u.search = q ? '?' + q : ''; } return r; };
      }
      u.params = p;
    }
    return u.params;
  }
  toString() { return this.href; }
  toJSON() { return this.href; }
  get [Symbol.toStringTag]() { return 'URL'; }
}
for (const k of Object.getOwnPropertyNames(URL.prototype)) {
  if (k === 'constructor') continue;
  const d = Object.getOwnPropertyDescriptor(URL.prototype, k);
  d.enumerable = true;
  Object.defineProperty(URL.prototype, k, d);
}
return URL;
}))JS";

JSValue property_of(JSContext* ctx, const char* name, const char* src, size_t len, const char* key) {
  JSValue v = eval_source(ctx, name, src, len);
  if (JS_IsException(v) || !key) return v;
  JSValue r = JS_GetPropertyStr(ctx, v, key);
  JS_FreeValue(ctx, v);
  return r;
}

// AbortController and AbortSignal come from one evaluation; the first one
// asked for defines both globals.
JSValue abort_pair(JSContext* ctx, const char* want) {
  JSValue pair = eval_source(ctx, "<AbortController>", kAbort, sizeof kAbort - 1);
  if (JS_IsException(pair)) return pair;
  JSValue global = JS_GetGlobalObject(ctx);
  const char* other = strcmp(want, "AbortSignal") == 0 ? "AbortController" : "AbortSignal";
  JS_DefinePropertyValueStr(ctx, global, other, JS_GetPropertyStr(ctx, pair, other),
                            JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE);
  JS_FreeValue(ctx, global);
  JSValue r = JS_GetPropertyStr(ctx, pair, want);
  JS_FreeValue(ctx, pair);
  return r;
}
JSValue create_abort_controller(JSContext* ctx) { return abort_pair(ctx, "AbortController"); }
JSValue create_abort_signal(JSContext* ctx) { return abort_pair(ctx, "AbortSignal"); }
// escape(s): the form serialisation of s's UTF-8 bytes.
JSValue form_escape_js(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  uint8_t* d = nullptr;
  size_t n = 0;
  if (!utf8_of(ctx, argc ? argv[0] : JS_UNDEFINED, &d, &n)) return JS_EXCEPTION;
  size_t len = net::http::form_escape(d, n, nullptr, 0);
  auto* out = static_cast<char*>(js_malloc(ctx, len + 1));
  JSValue r = JS_EXCEPTION;
  if (out) {
    net::http::form_escape(d, n, out, len);
    r = JS_NewStringLen(ctx, out, len);
  }
  js_free(ctx, out);
  js_free(ctx, d);
  return r;
}

// unescape(s): percent-decoded, then UTF-8 decoded (U+FFFD for bad bytes).
JSValue form_unescape_js(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  uint8_t* d = nullptr;
  size_t n = 0;
  if (!utf8_of(ctx, argc ? argv[0] : JS_UNDEFINED, &d, &n)) return JS_EXCEPTION;
  auto* out = static_cast<uint8_t*>(js_malloc(ctx, n + 1));
  JSValue r = JS_EXCEPTION;
  if (out) r = decode_utf8(ctx, out, net::http::form_unescape(reinterpret_cast<const char*>(d), n, out), false, false, "URLSearchParams");
  js_free(ctx, out);
  js_free(ctx, d);
  return r;
}

JSValue create_search_params(JSContext* ctx) {
  JSValue make = eval_source(ctx, "<URLSearchParams>", kSearchParams, sizeof kSearchParams - 1);
  if (JS_IsException(make)) return make;
  JSValue fns[2] = {JS_NewCFunction(ctx, form_escape_js, "escape", 1), JS_NewCFunction(ctx, form_unescape_js, "unescape", 1)};
  JSValue r = JS_Call(ctx, make, JS_UNDEFINED, 2, fns);
  for (JSValue& f : fns) JS_FreeValue(ctx, f);
  JS_FreeValue(ctx, make);
  return r;
}
// parse(input, base?) -> the serialised http(s) URL (no fragment) or null.
JSValue url_parse_js(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  JsString in, base;
  if (argc < 1 || !in.from(ctx, argv[0])) return JS_EXCEPTION;
  bool has_base = argc > 1 && !JS_IsUndefined(argv[1]);
  if (has_base && !base.from(ctx, argv[1])) return JS_EXCEPTION;
  auto* u = static_cast<net::Url*>(js_malloc(ctx, 2 * sizeof(net::Url)));
  if (!u) return JS_EXCEPTION;
  net::UrlError ue = has_base ? net::parse_url(base.c_str(), base.size(), &u[1]) : net::UrlError::kOk;
  if (ue == net::UrlError::kOk)
    ue = has_base ? net::resolve_url(u[1], in.c_str(), in.size(), &u[0]) : net::parse_url(in.c_str(), in.size(), &u[0]);
  JSValue r = JS_NULL;
  if (ue == net::UrlError::kOk) {
    char href[net::Url::kMaxInput + 64];
    u[0].href(href, sizeof href);
    r = JS_NewString(ctx, href);
  }
  js_free(ctx, u);
  return r;
}

JSValue create_url(JSContext* ctx) {
  JSValue make = eval_source(ctx, "<URL>", kUrl, sizeof kUrl - 1);
  if (JS_IsException(make)) return make;
  JSValue parse = JS_NewCFunction(ctx, url_parse_js, "parse", 2);
  JSValue r = JS_Call(ctx, make, JS_UNDEFINED, 1, &parse);
  JS_FreeValue(ctx, parse);
  JS_FreeValue(ctx, make);
  return r;
}

JSValue create_form_data(JSContext* ctx) { return property_of(ctx, "<FormData>", kFormData, sizeof kFormData - 1, nullptr); }
JSValue create_structured_clone(JSContext* ctx) {
  return property_of(ctx, "<structuredClone>", kClone, sizeof kClone - 1, nullptr);
}

JSValue microtask_job(JSContext* ctx, int, JSValueConst* argv) {
  JSValue r = JS_Call(ctx, argv[0], JS_UNDEFINED, 0, nullptr);
  return r;  // an exception is reported like any job's
}

JSValue queue_microtask(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  Args a(ctx, "queueMicrotask", argc, argv);
  if (!a.count(1) || !a.function(0, "callback")) return JS_EXCEPTION;
  if (JS_EnqueueJob(ctx, microtask_job, 1, argv) < 0) return JS_EXCEPTION;
  return JS_UNDEFINED;
}
JSValue create_queue_microtask(JSContext* ctx) { return JS_NewCFunction(ctx, queue_microtask, "queueMicrotask", 1); }

}  // namespace

bool install_abort(core::Runtime& rt) {
  return define_lazy_global(rt.ctx(), "AbortController", create_abort_controller) &&
         define_lazy_global(rt.ctx(), "AbortSignal", create_abort_signal);
}

bool install_web_misc(core::Runtime& rt) {
  JSContext* ctx = rt.ctx();
  return define_lazy_global(ctx, "URLSearchParams", create_search_params) &&
         define_lazy_global(ctx, "FormData", create_form_data) && define_lazy_global(ctx, "URL", create_url) &&
         define_lazy_global(ctx, "structuredClone", create_structured_clone) &&
         define_lazy_global(ctx, "queueMicrotask", create_queue_microtask);
}

}  // namespace mcujs::bind
