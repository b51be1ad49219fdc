// A small stand-in for WPT's testharness.js, enough for the .any.js tests of
// fetch/api, encoding and url: test(), promise_test(), async_test() and the
// common assert_* functions. Runs in mcujs and in Node.js alike (the
// calibration). tools/wpt/run.sh puts it in front of a test file; at the end
// it prints "WPT <passed>/<total>" and one line per failure. Sloppy mode, as
// in a browser page (the tests assign to read-only attributes).

globalThis.location ??= { href: 'http://web-platform.test:8000/wpt/test.any.js' };
// Node.js's fetch (undici) takes its base URL from this symbol, not from
// `location`: the same base for both runtimes, so that `new Request('')`
// means the same thing in the calibration.
if (typeof process === 'object') globalThis[Symbol.for('undici.globalOrigin.1')] = new URL(location.href);
const __wpt = { tests: [], queue: [] };
globalThis.self ??= globalThis;
function __fmt(v) { try { return typeof v === 'string' ? JSON.stringify(v) : String(v); } catch { return '?'; } }
class AssertionError extends Error {}
function assert(cond, msg) { if (!cond) throw new AssertionError(msg); }
function assert_true(v, d) { assert(v === true, `assert_true: ${d || ''} got ${__fmt(v)}`); }
function assert_false(v, d) { assert(v === false, `assert_false: ${d || ''} got ${__fmt(v)}`); }
function assert_equals(a, e, d) { assert(Object.is(a, e), `assert_equals: ${d || ''} expected ${__fmt(e)} got ${__fmt(a)}`); }
function assert_not_equals(a, e, d) { assert(!Object.is(a, e), `assert_not_equals: ${d || ''} got ${__fmt(a)}`); }
function assert_in_array(a, arr, d) { assert(arr.includes(a), `assert_in_array: ${d || ''} ${__fmt(a)}`); }
function assert_array_equals(a, e, d) {
  assert(a && a.length === e.length, `assert_array_equals: ${d || ''} lengths ${a && a.length} vs ${e.length}`);
  for (let i = 0; i < e.length; i++) assert(Object.is(a[i], e[i]), `assert_array_equals: ${d || ''} [${i}] ${__fmt(a[i])} vs ${__fmt(e[i])}`);
}
function assert_object_equals(a, e, d) { assert(JSON.stringify(a) === JSON.stringify(e), `assert_object_equals: ${d || ''}`); }
function assert_class_string(o, c, d) { assert_equals(Object.prototype.toString.call(o), `[object ${c}]`, d); }
function assert_own_property(o, p, d) { assert(Object.prototype.hasOwnProperty.call(o, p), `assert_own_property: ${d || ''} ${p}`); }
function assert_idl_attribute(o, p, d) { assert(p in o, `assert_idl_attribute: ${d || ''} ${p}`); }
function assert_greater_than(a, b, d) { assert(a > b, `assert_greater_than: ${d || ''}`); }
function assert_less_than(a, b, d) { assert(a < b, `assert_less_than: ${d || ''}`); }
function assert_unreached(d) { throw new AssertionError(`assert_unreached: ${d || ''}`); }
function assert_throws_js(C, fn, d) {
  try { fn(); } catch (e) {
    assert(e instanceof C || (e && e.constructor && e.constructor.name === C.name), `assert_throws_js: ${d || ''} expected ${C.name} got ${e && e.name}: ${e && e.message}`);
    return;
  }
  throw new AssertionError(`assert_throws_js: ${d || ''} did not throw`);
}
function assert_throws_dom(name, fn, d) {
  try { fn(); } catch (e) { assert(e && e.name === name, `assert_throws_dom: ${d || ''} expected ${name} got ${e && e.name}`); return; }
  throw new AssertionError(`assert_throws_dom: ${d || ''} did not throw`);
}
function assert_throws_exactly(v, fn, d) {
  try { fn(); } catch (e) { assert(Object.is(e, v), `assert_throws_exactly: ${d || ''}`); return; }
  throw new AssertionError(`assert_throws_exactly: ${d || ''} did not throw`);
}
async function promise_rejects_js(t, C, p, d) {
  try { await p; } catch (e) { assert(e instanceof C, `promise_rejects_js: ${d || ''} got ${e && e.name}`); return; }
  throw new AssertionError(`promise_rejects_js: ${d || ''} did not reject`);
}
async function promise_rejects_exactly(t, v, p, d) {
  try { await p; } catch (e) { assert(Object.is(e, v), `promise_rejects_exactly: ${d || ''}`); return; }
  throw new AssertionError(`promise_rejects_exactly: ${d || ''} did not reject`);
}
const __completion = [];
function add_completion_callback(f) { __completion.push(f); }
const __t = (name) => {
  const cleanups = [];
  return {
    name,
    cleanups,
    step: (f, ...a) => f(...a),
    step_func: (f) => (...a) => f(...a),
    step_func_done: (f) => (...a) => { if (f) f(...a); },
    step_timeout: (f, ms) => setTimeout(f, ms),
    unreached_func: (d) => () => assert_unreached(d),
    add_cleanup: (f) => { cleanups.push(f); },
    done: () => {},
  };
};
// A test's cleanups run after it, pass or fail; one that throws fails it.
async function __cleanup(t, err) {
  for (const f of t.cleanups.splice(0)) { try { await f(); } catch (e) { err = err || e; } }
  return err;
}
function test(fn, name) {
  const t = __t(name || `test ${__wpt.tests.length + 1}`);
  let err = null;
  try { fn.call(t, t); } catch (e) { err = e; }
  for (const f of t.cleanups.splice(0)) { try { f(); } catch (e) { err = err || e; } }
  __wpt.tests.push([t.name, err]);
}
function promise_test(fn, name) { __wpt.queue.push([name || `promise_test ${__wpt.queue.length + 1}`, fn]); }
function async_test(fn, name) {
  if (typeof fn === 'string') { name = fn; fn = null; }
  __wpt.queue.push([name, (t) => new Promise((res, rej) => {
    t.done = res;
    t.step_func_done = (f) => (...a) => { try { if (f) f(...a); res(); } catch (e) { rej(e); } };
    t.step_func = (f) => (...a) => { try { return f(...a); } catch (e) { rej(e); } };
    if (fn) try { fn.call(t, t); } catch (e) { rej(e); }
    setTimeout(() => rej(new Error('async_test timed out')), 2000);
  })]);
}
function setup(f) { if (typeof f === "function") f(); }
// Older and helper parts of testharness.js that the url/encoding/atob tests use.
function assert_throws(C, fn, d) { assert_throws_js(C.constructor, fn, d); }
function format_value(v) { return typeof v === 'string' ? JSON.stringify(v) : Object.is(v, -0) ? '-0' : String(v); }
function generate_tests(fn, cases) { for (const [name, ...args] of cases) test(() => fn(...args), name); }
globalThis.GLOBAL ??= { isWindow: () => false, isWorker: () => false, isShadowRealm: () => false };
// JSON resources a test fetches by a relative URL, put in by run.sh: fetch()
// answers them from memory (no WPT server here), fetch_json() too.
const __wpt_files = {};
function __wpt_file(url, data) {
  if (!Object.keys(__wpt_files).length) {
    const real = globalThis.fetch;
    globalThis.fetch = (u, ...a) => u in __wpt_files ? Promise.resolve({ ok: true, json: async () => JSON.parse(__wpt_files[u]) }) : real(u, ...a);
  }
  __wpt_files[url] = data;
}
function fetch_json(u) { return fetch(u).then((r) => r.json()); }
function done() {}
globalThis.__wpt_finish = async () => {
  for (const [name, fn] of __wpt.queue) {
    const t = __t(name);
    let err = null;
    try { await fn.call(t, t); } catch (e) { err = e; }
    __wpt.tests.push([name, await __cleanup(t, err)]);
  }
  for (const f of __completion) { try { f(); } catch {} }
  const failed = __wpt.tests.filter(([, e]) => e);
  console.log(`WPT ${__wpt.tests.length - failed.length}/${__wpt.tests.length}`);
  for (const [n, e] of failed) console.log(`  FAIL ${n}: ${String(e && e.message).slice(0, 160)}`);
};
