// The js_text backend with the texts (builds with the JavaScript parser: the
// CLI, the host tests): the Web globals written in JavaScript, each an
// expression in parentheses evaluated on first use (web_js.cpp: AbortController
// and AbortSignal, URLSearchParams, structuredClone, FormData, URL;
// streams.cpp: ReadableStream, WritableStream and the hooks the Body mixin uses).
#include "modules/bindings/js_text.h"

namespace mcujs::bind {

namespace {

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
const kList = Symbol('list'), kUpdate = Symbol('update');
// A URL's searchParams: its query is kept in step (the update steps).
const update = (self) => { if (self[kUpdate]) self[kUpdate](self.toString()); };
const parseQuery = (s) => s.split('&').filter((p) => p !== '').map((p) => {
  const eq = p.indexOf('=');
  return [percentDecode(eq < 0 ? p : p.slice(0, eq)), percentDecode(eq < 0 ? '' : p.slice(eq + 1))];
});
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
      const s = usv(init);
      this[kList] = parseQuery(s[0] === '?' ? s.slice(1) : s);
    }
  }
  get size() { return list(this, 'size').length; }
  append(name, value) { need(arguments, 2, 'append'); list(this, 'append').push([usv(name), usv(value)]); update(this); }
  delete(name, value) {
    need(arguments, 1, 'delete');
    const n = usv(name), v = value === undefined ? undefined : usv(value);
    const l = list(this, 'delete');
    for (let i = l.length - 1; i >= 0; i--) if (l[i][0] === n && (v === undefined || l[i][1] === v)) l.splice(i, 1);
    update(this);
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
    if (i < 0) l.push([n, v]);
    else {
      l[i] = [n, v];
      for (let j = l.length - 1; j > i; j--) if (l[j][0] === n) l.splice(j, 1);
    }
    update(this);
  }
  sort() { const l = list(this, 'sort'); const s = l.map((e, i) => [e, i]); s.sort(([a, i], [b, j]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : i - j)); this[kList] = s.map(([e]) => e); update(this); }
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
// For URL (kUrl): link(params, onUpdate(query)) -> setQuery(query).
Object.defineProperty(URLSearchParams, Symbol.for('mcujs.searchParamsLink'), {
  value: (p, onUpdate) => { p[kUpdate] = onUpdate; return (q) => { p[kList] = parseQuery(q); }; },
});
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
  else if (typeof ArrayBuffer === 'function' && ArrayBuffer.isView(v)) {  // a device context may have no typed arrays
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
    for (const [k, v] of new URLSearchParams(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes))) fd.append(k, v);
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

// URL: the WHATWG URL standard's parser (every scheme, state overrides for
// the setters), host parser (IPv4, IPv6, opaque hosts) and IDNA ToASCII with
// Punycode; without UTS #46's mapping table (NFKC + lower case stand in).
// Links to its searchParams through URLSearchParams[Symbol.for('mcujs.searchParamsLink')].
const char kUrl[] = R"JS(((() => {
const T = (m) => new TypeError(m);
const kU = Symbol('url');
const SPECIAL = { __proto__: null, ftp: 21, file: -1, http: 80, https: 443, ws: 80, wss: 443 };
// Percent-encode sets beyond the C0 control one (c < 0x20 or c > 0x7E).
const E_FRAG = ' "<>`', E_QUERY = ' "#<>', E_SQUERY = E_QUERY + "'", E_PATH = E_QUERY + '?^`{}', E_USER = E_PATH + '/:;=@[\\]|';
const hex2 = (c) => '%' + (c < 16 ? '0' : '') + c.toString(16).toUpperCase();
const pct = (s, set) => {
  let o = '';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    o += c > 0x7e ? (c < 0x80 ? '%7F' : encodeURIComponent(ch)) : c < 0x20 || set.includes(ch) ? hex2(c) : ch;
  }
  return o;
};
const usv = (v) => String(v).toWellFormed();
const special = (u) => u.scheme in SPECIAL;
const opaque = (u) => typeof u.path === 'string';
// Regexp literals made once (one inside the parser's loop is a new object per character).
const ALPHA = /^[A-Za-z]$/, SCHEME_CH = /^[A-Za-z\d+\-.]$/, DIGIT = /^\d$/;
const isWDL = (s, norm) => s.length === 2 && ALPHA.test(s[0]) && (s[1] === ':' || (!norm && s[1] === '|'));
const startsWDL = (a, p) => isWDL(a[p] + a[p + 1]) && (a.length === p + 2 || '/\\?#'.includes(a[p + 2]));
const shorten = (u) => { if (!(u.scheme === 'file' && u.path.length === 1 && isWDL(u.path[0], true))) u.path.pop(); };
const SINGLE = /^(\.|%2e)$/i, DOUBLE = /^(\.|%2e){2}$/i;

// ---- hosts
// Percent-decode, then UTF-8 decode (bad bytes become U+FFFD).
const pdec = (s) => {
  const b = new TextEncoder().encode(s), o = [];
  for (let i = 0; i < b.length; i++) {
    const h = String.fromCharCode(b[i + 1], b[i + 2]);
    if (b[i] === 37 && /^[\da-f]{2}$/i.test(h)) { o.push(parseInt(h, 16)); i += 2; } else o.push(b[i]);
  }
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array(o));
};
const v4num = (s) => {
  let r = 10;
  if (s === '') return NaN;
  if (/^0x/i.test(s)) { s = s.slice(2); r = 16; } else if (s.length > 1 && s[0] === '0') { s = s.slice(1); r = 8; }
  if (s === '') return 0;
  return (r === 16 ? /^[\da-f]+$/i : r === 10 ? /^\d+$/ : /^[0-7]+$/).test(s) ? parseInt(s, r) : NaN;
};
const v4parts = (s) => { const p = s.split('.'); if (p.length > 1 && p[p.length - 1] === '') p.pop(); return p; };
const endsInNumber = (s) => { const l = v4parts(s).pop(); return /^\d+$/.test(l) || !isNaN(v4num(l)); };
function ipv4(s) {
  const n = v4parts(s).map(v4num), last = n.pop();
  if (n.length > 3 || isNaN(last) || n.some((x) => isNaN(x) || x > 255) || last >= 256 ** (4 - n.length)) return null;
  const v = n.reduce((a, x, i) => a + x * 256 ** (3 - i), last);
  return [v / 16777216 | 0, v >> 16 & 255, v >> 8 & 255, v & 255].join('.');
}
function ipv6(s) {
  const a = [0, 0, 0, 0, 0, 0, 0, 0], D = /\d/, H = /[\da-f]/i;
  let i = 0, comp = null, p = 0;
  if (s[0] === ':') { if (s[1] !== ':') return null; p = 2; comp = ++i; }
  while (p < s.length) {
    if (i === 8) return null;
    if (s[p] === ':') { if (comp !== null) return null; p++; comp = ++i; continue; }
    let v = 0, len = 0;
    while (len < 4 && H.test(s[p] || '')) { v = v * 16 + parseInt(s[p++], 16); len++; }
    if (s[p] === '.') {
      if (!len || i > 6) return null;
      p -= len;
      let seen = 0;
      while (p < s.length) {
        let n = null;
        if (seen) { if (s[p] === '.' && seen < 4) p++; else return null; }
        if (!D.test(s[p] || '')) return null;
        while (D.test(s[p] || '')) { if (n === 0) return null; n = (n || 0) * 10 + +s[p++]; if (n > 255) return null; }
        a[i] = a[i] * 256 + n;
        if (++seen % 2 === 0) i++;
      }
      if (seen !== 4) return null;
      break;
    }
    if (s[p] === ':') { if (++p === s.length) return null; } else if (p < s.length) return null;
    a[i++] = v;
  }
  if (comp !== null) {
    for (let n = i - comp, j = 7; j && n > 0; j--, n--) [a[j], a[comp + n - 1]] = [a[comp + n - 1], a[j]];
  } else if (i !== 8) return null;
  let best = -1, bl = 1, o = '';
  for (let k = 0, j; k < 8; k = Math.max(j, k + 1)) { for (j = k; a[j] === 0; j++); if (j - k > bl) { best = k; bl = j - k; } }
  for (let k = 0; k < 8; k++) {
    if (k === best) { o += k ? ':' : '::'; k += bl - 1; } else o += a[k].toString(16) + (k < 7 ? ':' : '');
  }
  return o;
}
// ---- IDNA (UTS #46 ToASCII, non-transitional), without its mapping table:
// NFKC + lower case stand in for the mapping, Unicode properties for the
// disallowed set; Punycode (RFC 3492) in full.
const digit = (d) => String.fromCharCode(d + (d < 26 ? 97 : 22));
const adapt = (d, n, first) => {
  d = first ? Math.floor(d / 700) : d >> 1;
  d += Math.floor(d / n);
  let k = 0;
  for (; d > 455; k += 36) d = Math.floor(d / 35);
  return k + Math.floor(36 * d / (d + 38));
};
const thr = (k, bias) => k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
function punyEncode(s) {
  const cps = [...s].map((c) => c.codePointAt(0));
  let o = cps.filter((c) => c < 128).map((c) => String.fromCharCode(c)).join('');
  const b = o.length;
  let h = b, n = 128, delta = 0, bias = 72;
  if (b) o += '-';
  while (h < cps.length) {
    const m = Math.min(...cps.filter((c) => c >= n));
    delta += (m - n) * (h + 1);
    n = m;
    for (const c of cps) {
      if (c < n) delta++;
      if (c !== n) continue;
      let q = delta;
      for (let k = 36; ; k += 36) {
        const t = thr(k, bias);
        if (q < t) break;
        o += digit(t + (q - t) % (36 - t));
        q = Math.floor((q - t) / (36 - t));
      }
      o += digit(q);
      bias = adapt(delta, h + 1, h === b);
      delta = 0;
      h++;
    }
    delta++;
    n++;
  }
  return o;
}
function punyDecode(s) {
  const b = Math.max(s.lastIndexOf('-'), 0), o = [...s.slice(0, b)].map((c) => c.charCodeAt(0));
  let n = 128, i = 0, bias = 72;
  for (let p = b ? b + 1 : 0; p < s.length;) {
    const old = i;
    for (let k = 36, w = 1; ; k += 36) {
      const c = s.charCodeAt(p++);
      const d = c > 47 && c < 58 ? c - 22 : c > 64 && c < 91 ? c - 65 : c > 96 && c < 123 ? c - 97 : 36;
      if (d > 35 || (i += d * w) > 0x7fffffff) return null;
      const t = thr(k, bias);
      if (d < t) break;
      w *= 36 - t;
    }
    bias = adapt(i - old, o.length + 1, !old);
    n += Math.floor(i / (o.length + 1));
    i %= o.length + 1;
    if (n > 0x10ffff) return null;
    o.splice(i++, 0, n);
  }
  return String.fromCodePoint(...o);
}
const IGNORED = /[\xad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b\u2060-\u2064\u206a-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]|\udb40[\udd00-\uddef]|\ud834[\udd73-\udd7a]/g;
const STOPS = /[\u3002\uff0e\uff61]/g;
const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u;
// The Unicode-property expressions, each compiled when first needed (a
// non-ASCII host; the Bidi ones for right-to-left text, the joiner one for
// ZWNJ/ZWJ): ~6 KB of heap each, ~35 KB of bytecode had they been literals.
const lazy = (src, f) => { let r; return () => r || (r = new RegExp(src, f || 'u')); };
const J = '[\\p{sc=Arabic}\\p{sc=Syriac}\\p{sc=Nko}\\p{sc=Mongolian}\\p{sc=Adlam}\\p{sc=Manichaean}\\p{sc=Phags_Pa}]';
const BAD = lazy('[\\p{Cn}\\p{Co}\\p{Cs}\\p{Cc}\\p{Zs}\\p{Zl}\\p{Zp}\\u2ff0-\\u2fff\\ufffd]|(?![\\u200c\\u200d])\\p{Cf}');
const MARK = lazy('^\\p{M}'), LETTER = lazy('\\p{L}'), RTLC = lazy('[\\p{L}\\p{N}\\p{P}]');
// ZWNJ between joining letters, ZWNJ/ZWJ after a virama: allowed.
const JOINER = lazy(`(?<=${J}\\p{Mn}*)\u200c(?=\\p{Mn}*${J})|(?<=[\u094d\u09cd\u0a4d\u0acd\u0b4d\u0bcd\u0c4d\u0ccd\u0d4d\u0dca\u0e3a\u1039\u17d2\u{115bf}])[\u200c\u200d]`, 'gu');
// Mapping: NFKC and lower case (Σ always to σ); a character that maps to a
// dot but is none of the four full stops is disallowed (U+2488 ⒈).
// The device images leave String.prototype.normalize out (its tables are
// ~18 KB of flash): there the input's own form stands in (hosts written in
// NFC and lower case, as nearly all are, map the same).
const nf = typeof ''.normalize === 'function' ? (s, f) => s.normalize(f) : (s) => s;
const map = (s) => nf(nf(s, 'NFKC').replace(/Σ/g, 'σ').toLowerCase(), 'NFKC');
// (An empty label is valid; and ''.normalize('NFC') trips UBSan in this QuickJS.)
const validLabel = (l) => !l || l === nf(l, 'NFC') && !MARK().test(l) && !BAD().test(l) &&
  !(/[\u200c\u200d]/.test(l) && /[\u200c\u200d]/.test(l.replace(JOINER(), '')));
// RFC 5893's Bidi rule, coarsely: in a domain with a right-to-left letter
// or digit, a label with one begins with one and has no left-to-right
// letter; any other label begins with a letter.
const rtl = (c) => RTL.test(c) && RTLC().test(c) && !/[\u06f0-\u06f9]/.test(c);
const bidiOk = (ls) => !ls.some((l) => [...l].some(rtl)) || ls.every((l) => {
  const cs = [...l];
  return !cs.length || (cs.some(rtl) ? rtl(cs[0]) && !cs.some((c) => LETTER().test(c) && !RTL.test(c)) : LETTER().test(cs[0]));
});
function toASCII(d) {
  if (/^[\0-\x7f]*$/.test(d)) return d.toLowerCase();
  d = d.replace(IGNORED, '');
  for (const c of d) if (c > '\x7f' && !'\u3002\uff0e\uff61'.includes(c) && map(c).replace(STOPS, '.').includes('.')) return null;
  const labels = map(d).replace(STOPS, '.').split('.'), uni = [];
  for (const l of labels) {
    let u = l;
    if (l.startsWith('xn--')) {
      u = /^[\0-\x7f]+$/.test(l) && !l.endsWith('-') ? punyDecode(l.slice(4)) : null;
      if (!u || u.startsWith('xn--') || !/[^\0-\x7f]/.test(u) || map(u) !== u) return null;
    }
    if (!validLabel(u)) return null;
    uni.push(u);
  }
  if (!bidiOk(uni)) return null;
  return labels.map((l, k) => /[^\0-\x7f]/.test(l) ? 'xn--' + punyEncode(uni[k]) : l).join('.');
}
function hostParse(s, isOpaque) {
  if (s[0] === '[') {
    if (s[s.length - 1] !== ']') return null;
    const a = ipv6(s.slice(1, -1));
    return a && '[' + a + ']';
  }
  if (isOpaque) return /[\0\t\n\r #/:<>?@[\\\]^|]/.test(s) ? null : pct(s, '');
  const a = toASCII(s.includes('%') ? pdec(s) : s);
  if (!a || /[\0-\x20#%/:<>?@[\\\]^|\x7f]/.test(a)) return null;
  return endsInNumber(a) ? ipv4(a) : a;
}

// ---- the basic URL parser (states as numbers; a setter passes its state)
const [SCHEME_START, SCHEME, NO_SCHEME, SPECIAL_REL_OR_AUTH, PATH_OR_AUTH, RELATIVE, REL_SLASH, SPECIAL_AUTH_SLASHES,
  SPECIAL_AUTH_IGNORE, AUTHORITY, HOST, HOSTNAME, PORT, FILE, FILE_SLASH, FILE_HOST, PATH_START, PATH, OPAQUE, QUERY_S,
  FRAGMENT] = Array.from({ length: 21 }, (_, i) => i + 1);
const blank = () => ({ scheme: '', user: '', pass: '', host: null, port: null, path: [], query: null, frag: null });
function parse(input, base, url, over) {
  if (!url) { url = blank(); input = input.replace(/^[\0- ]+|[\0- ]+$/g, ''); }
  const s = [...input.replace(/[\t\n\r]/g, '')];
  let state = over || SCHEME_START, buf = '', at = false, brackets = false, pwd = false;
  for (let p = 0; ; p++) {
    const c = s[p], eof = p >= s.length, sp = special(url);
    const end = eof || c === '/' || c === '?' || c === '#' || (sp && c === '\\');
    switch (state) {
      case SCHEME_START:
        if (ALPHA.test(c)) { buf += c.toLowerCase(); state = SCHEME; } else if (!over) { state = NO_SCHEME; p--; } else return null;
        break;
      case SCHEME:
        if (SCHEME_CH.test(c)) buf += c.toLowerCase();
        else if (c === ':') {
          if (over) {
            if (sp !== (buf in SPECIAL) || ((url.user || url.pass || url.port !== null) && buf === 'file') ||
                (url.scheme === 'file' && url.host === '')) return url;
          }
          url.scheme = buf;
          if (over) { if (url.port === SPECIAL[buf]) url.port = null; return url; }
          buf = '';
          if (url.scheme === 'file') state = FILE;
          else if (special(url) && base && base.scheme === url.scheme) state = SPECIAL_REL_OR_AUTH;
          else if (special(url)) state = SPECIAL_AUTH_SLASHES;
          else if (s[p + 1] === '/') { state = PATH_OR_AUTH; p++; } else { url.path = ''; state = OPAQUE; }
        } else if (!over) { buf = ''; state = NO_SCHEME; p = -1; } else return null;
        break;
      case NO_SCHEME:
        if (!base || (opaque(base) && c !== '#')) return null;
        if (opaque(base)) { Object.assign(url, { scheme: base.scheme, path: base.path, query: base.query, frag: '' }); state = FRAGMENT; } else { state = base.scheme === 'file' ? FILE : RELATIVE; p--; }
        break;
      case SPECIAL_REL_OR_AUTH:
        if (c === '/' && s[p + 1] === '/') { state = SPECIAL_AUTH_IGNORE; p++; } else { state = RELATIVE; p--; }
        break;
      case PATH_OR_AUTH:
        if (c === '/') state = AUTHORITY; else { state = PATH; p--; }
        break;
      case RELATIVE:
        url.scheme = base.scheme;
        if (c === '/' || (special(url) && c === '\\')) { state = REL_SLASH; break; }
        Object.assign(url, { user: base.user, pass: base.pass, host: base.host, port: base.port, path: [...base.path], query: base.query });
        if (c === '?') { url.query = ''; state = QUERY_S; } else if (c === '#') { url.frag = ''; state = FRAGMENT; } else if (!eof) { url.query = null; shorten(url); state = PATH; p--; }
        break;
      case REL_SLASH:
        if (sp && (c === '/' || c === '\\')) state = SPECIAL_AUTH_IGNORE;
        else if (c === '/') state = AUTHORITY;
        else { Object.assign(url, { user: base.user, pass: base.pass, host: base.host, port: base.port }); state = PATH; p--; }
        break;
      case SPECIAL_AUTH_SLASHES:
        state = SPECIAL_AUTH_IGNORE;
        if (c === '/' && s[p + 1] === '/') p++; else p--;
        break;
      case SPECIAL_AUTH_IGNORE:
        if (c !== '/' && c !== '\\') { state = AUTHORITY; p--; }
        break;
      case AUTHORITY:
        if (c === '@') {
          if (at) buf = '%40' + buf;
          at = true;
          for (const ch of buf) {
            if (ch === ':' && !pwd) { pwd = true; continue; }
            if (pwd) url.pass += pct(ch, E_USER); else url.user += pct(ch, E_USER);
          }
          buf = '';
        } else if (end) {
          if (at && buf === '') return null;
          p -= [...buf].length + 1;
          buf = '';
          state = HOST;
        } else buf += c;
        break;
      case HOST: case HOSTNAME:
        if (over && url.scheme === 'file') { p--; state = FILE_HOST; } else if (c === ':' && !brackets) {
          if (buf === '' || over === HOSTNAME) return null;
          const h = hostParse(buf, !sp);
          if (h === null) return null;
          url.host = h; buf = ''; state = PORT;
        } else if (end) {
          p--;
          if (sp && buf === '') return null;
          if (over && buf === '' && (url.user || url.pass || url.port !== null)) return url;
          const h = hostParse(buf, !sp);
          if (h === null) return null;
          url.host = h; buf = ''; state = PATH_START;
          if (over) return url;
        } else { if (c === '[') brackets = true; if (c === ']') brackets = false; buf += c; }
        break;
      case PORT:
        if (DIGIT.test(c)) buf += c;
        else if (end || over) {
          if (buf !== '') {
            const n = parseInt(buf, 10);
            if (n > 65535) return null;
            url.port = n === SPECIAL[url.scheme] ? null : n;
            buf = '';
          }
          if (over) return url;
          state = PATH_START; p--;
        } else return null;
        break;
      case FILE:
        url.scheme = 'file'; url.host = '';
        if (c === '/' || c === '\\') state = FILE_SLASH;
        else if (base && base.scheme === 'file') {
          Object.assign(url, { host: base.host, path: [...base.path], query: base.query });
          if (c === '?') { url.query = ''; state = QUERY_S; } else if (c === '#') { url.frag = ''; state = FRAGMENT; } else if (!eof) {
            url.query = null;
            if (!startsWDL(s, p)) shorten(url); else url.path = [];
            state = PATH; p--;
          }
        } else { state = PATH; p--; }
        break;
      case FILE_SLASH:
        if (c === '/' || c === '\\') state = FILE_HOST;
        else {
          if (base && base.scheme === 'file') {
            url.host = base.host;
            if (!startsWDL(s, p) && base.path.length && isWDL(base.path[0], true)) url.path.push(base.path[0]);
          }
          state = PATH; p--;
        }
        break;
      case FILE_HOST:
        if (eof || '/\\?#'.includes(c)) {
          p--;
          if (!over && isWDL(buf)) state = PATH;
          else if (buf === '') { url.host = ''; if (over) return url; state = PATH_START; } else {
            let h = hostParse(buf, !sp);
            if (h === null) return null;
            if (h === 'localhost') h = '';
            url.host = h;
            if (over) return url;
            buf = ''; state = PATH_START;
          }
        } else buf += c;
        break;
      case PATH_START:
        if (sp) { state = PATH; if (c !== '/' && c !== '\\') p--; } else if (!over && c === '?') { url.query = ''; state = QUERY_S; } else if (!over && c === '#') { url.frag = ''; state = FRAGMENT; } else if (!eof) { state = PATH; if (c !== '/') p--; } else if (over && url.host === null) url.path.push('');
        break;
      case PATH:
        if (end && !(over && (c === '?' || c === '#'))) {
          const slash = c === '/' || (sp && c === '\\');
          if (DOUBLE.test(buf)) { shorten(url); if (!slash) url.path.push(''); } else if (SINGLE.test(buf)) { if (!slash) url.path.push(''); } else {
            if (url.scheme === 'file' && !url.path.length && isWDL(buf)) buf = buf[0] + ':';
            url.path.push(buf);
          }
          buf = '';
          if (c === '?') { url.query = ''; state = QUERY_S; } else if (c === '#') { url.frag = ''; state = FRAGMENT; }
        } else buf += c > '~' || c < '!' || E_PATH.includes(c) ? pct(c, E_PATH) : c;
        break;
      case OPAQUE:
        if (c === '?') { url.query = ''; state = QUERY_S; } else if (c === '#') { url.frag = ''; state = FRAGMENT; } else if (c === ' ') url.path += s[p + 1] === '?' || s[p + 1] === '#' ? '%20' : ' ';
        else if (!eof) url.path += pct(c, '');
        break;
      case QUERY_S:
        if ((!over && c === '#') || eof) {
          url.query += pct(buf, sp ? E_SQUERY : E_QUERY);
          buf = '';
          if (c === '#') { url.frag = ''; state = FRAGMENT; }
        } else buf += c;
        break;
      case FRAGMENT:
        if (!eof) url.frag += c > '~' || c < '!' || E_FRAG.includes(c) ? pct(c, E_FRAG) : c;
        break;
    }
    if (p >= s.length) return url;
  }
}
const pathname = (u) => opaque(u) ? u.path : u.path.map((x) => '/' + x).join('');
const hostport = (u) => u.host + (u.port === null ? '' : ':' + u.port);
function href(u) {
  let o = u.scheme + ':';
  if (u.host !== null) o += '//' + (u.user || u.pass ? u.user + (u.pass ? ':' + u.pass : '') + '@' : '') + hostport(u);
  else if (!opaque(u) && u.path.length > 1 && u.path[0] === '') o += '/.';
  return o + pathname(u) + (u.query === null ? '' : '?' + u.query) + (u.frag === null ? '' : '#' + u.frag);
}
function origin(u) {
  if (u.scheme === 'blob') {
    const p = parse(pathname(u));
    return p && (p.scheme === 'http' || p.scheme === 'https') ? origin(p) : 'null';
  }
  return special(u) && u.scheme !== 'file' ? u.scheme + '://' + hostport(u) : 'null';
}
const link = Symbol.for('mcujs.searchParamsLink');
const st = (o, fn) => { if (!o || !o[kU]) throw T(`URL.${fn}: not a URL`); return o[kU]; };
const parseOrThrow = (s, base) => { const u = parse(s, base); if (!u) throw T(`URL: invalid URL '${s.slice(0, 200)}'`); return u; };
const noCreds = (u) => u.host === null || u.host === '' || u.scheme === 'file';
// A setter: the parser with a state override, on the URL itself (what it
// set before a failure stays, as the standard has it).
const set = (self, input, over) => { parse(input, null, self[kU], over); };
const sync = (self) => { const l = self[kLink]; if (l) l(self[kU].query || ''); };
const kLink = Symbol('link');
class URL {
  constructor(url, base) {
    if (!arguments.length) throw T('URL: expected at least 1 argument');
    this[kU] = parseOrThrow(usv(url), base === undefined ? null : parseOrThrow(usv(base)));
  }
  static canParse(url, base) {
    const b = base === undefined ? null : parse(usv(base));
    return (base === undefined || b !== null) && parse(usv(url), b) !== null;
  }
  static parse(url, base) { try { return new URL(url, base); } catch { return null; } }
  get href() { return href(st(this, 'href')); }
  set href(v) { st(this, 'href'); this[kU] = parseOrThrow(usv(v)); sync(this); }
  get origin() { return origin(st(this, 'origin')); }
  get protocol() { return st(this, 'protocol').scheme + ':'; }
  set protocol(v) { st(this, 'protocol'); set(this, usv(v) + ':', SCHEME_START); }
  get username() { return st(this, 'username').user; }
  set username(v) { const u = st(this, 'username'); if (!noCreds(u)) u.user = pct(usv(v), E_USER); }
  get password() { return st(this, 'password').pass; }
  set password(v) { const u = st(this, 'password'); if (!noCreds(u)) u.pass = pct(usv(v), E_USER); }
  get host() { const u = st(this, 'host'); return u.host === null ? '' : hostport(u); }
  set host(v) { if (!opaque(st(this, 'host'))) set(this, usv(v), HOST); }
  get hostname() { const u = st(this, 'hostname'); return u.host === null ? '' : u.host; }
  set hostname(v) { if (!opaque(st(this, 'hostname'))) set(this, usv(v), HOSTNAME); }
  get port() { const u = st(this, 'port'); return u.port === null ? '' : String(u.port); }
  set port(v) {
    const u = st(this, 'port'), s = usv(v);
    if (noCreds(u)) return;
    if (s === '') u.port = null; else set(this, s, PORT);
  }
  get pathname() { return pathname(st(this, 'pathname')); }
  set pathname(v) { const u = st(this, 'pathname'); if (!opaque(u)) { u.path = []; set(this, usv(v), PATH_START); } }
  get search() { const q = st(this, 'search').query; return q ? '?' + q : ''; }
  set search(v) {
    const u = st(this, 'search'), s = usv(v);
    u.query = s === '' ? null : '';
    if (s !== '') set(this, s[0] === '?' ? s.slice(1) : s, QUERY_S);
    sync(this);
  }
  get hash() { const f = st(this, 'hash').frag; return f ? '#' + f : ''; }
  set hash(v) {
    const u = st(this, 'hash'), s = usv(v);
    u.frag = s === '' ? null : '';
    if (s !== '') set(this, s[0] === '#' ? s.slice(1) : s, FRAGMENT);
  }
  get searchParams() {
    st(this, 'searchParams');
    if (!this[kLink]) {
      const p = new URLSearchParams();
      this[kLink] = URLSearchParams[link](p, (q) => { this[kU].query = q === '' ? null : q; });
      sync(this);
      this[kLink].params = p;
    }
    return this[kLink].params;
  }
  toString() { return href(st(this, 'toString')); }
  toJSON() { return href(st(this, 'toJSON')); }
  get [Symbol.toStringTag]() { return 'URL'; }
}
for (const k of Object.getOwnPropertyNames(URL.prototype)) {
  const d = Object.getOwnPropertyDescriptor(URL.prototype, k);
  if (k !== 'constructor') Object.defineProperty(URL.prototype, k, { ...d, enumerable: true });
}
// As a built-in prints itself (String(URL) is a valid relative URL, not 20 KB of source).
Object.defineProperty(URL, 'toString', { value: () => 'function URL() { [native code] }' });
return URL;
})()))JS";

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

struct Text {
  const char* src;
  size_t len;
};
constexpr Text kTexts[] = {
    {kAbort, sizeof kAbort - 1}, {kSearchParams, sizeof kSearchParams - 1}, {kClone, sizeof kClone - 1},
    {kFormData, sizeof kFormData - 1}, {kUrl, sizeof kUrl - 1}, {kStreams, sizeof kStreams - 1},
};
static_assert(sizeof kTexts / sizeof kTexts[0] == static_cast<size_t>(JsText::kCount), "one text per JsText");

}  // namespace

JSValue eval_js_text(JSContext* ctx, JsText which, const char* name) {
  const Text& t = kTexts[static_cast<size_t>(which)];
  return JS_Eval(ctx, t.src, t.len, name, JS_EVAL_TYPE_GLOBAL | JS_EVAL_FLAG_STRICT);
}

bool has_js_text(JSContext*, JsText) { return true; }

bool js_text_source(JsText which, const char** src, size_t* len) {
  if (which >= JsText::kCount) return false;
  *src = kTexts[static_cast<size_t>(which)].src;
  *len = kTexts[static_cast<size_t>(which)].len;
  return true;
}

}  // namespace mcujs::bind
