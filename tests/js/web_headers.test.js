// @stdout-has web headers ok
// Headers as the WHATWG Fetch standard and Web IDL define it: ByteString
// names and values, normalisation, live iteration, HeadersInit forms.
import { eq, ok, throws } from './assert.js';

// Values: HTTP whitespace trimmed; NUL, CR, LF refused; \f and other bytes allowed.
const h = new Headers();
h.append('A', ' \t v \t');
eq(h.get('a'), 'v', 'trimmed');
h.append('ff', 'x\fy');
eq(h.get('FF'), 'x\fy', '\\f inside a value is allowed');
h.set('latin', 'caf\u00e9\u00ff');
eq(h.get('latin'), 'caf\u00e9\u00ff', 'U+00E9 and U+00FF round-trip as bytes');
throws(() => h.set('x', '\u0100'), TypeError, 'above U+00FF', 'U+0100 in a value');
throws(() => h.set('x', '\u2713'), TypeError, 'above U+00FF', 'U+2713 in a value');
throws(() => h.set('\u00e9', 'v'), TypeError, 'invalid header name', 'non-token name');
for (const bad of ['a\0b', 'a\rb', 'a\nb', 'a\r\nX-Injected: 1'])
  throws(() => h.append('x', bad), TypeError, 'invalid value', JSON.stringify(bad));
throws(() => h.get('bad name'), TypeError, 'invalid header name', 'get validates the name');
throws(() => Headers.prototype.get.call({}, 'a'), TypeError, 'not a Headers', 'brand check');

// set keeps the first position; delete removes all; get combines.
const o = new Headers([['b', '1'], ['a', '2'], ['B', '3']]);
eq(o.get('b'), '1, 3', 'combined');
o.set('b', '4');
eq([...o], [['a', '2'], ['b', '4']], 'sorted, set replaced both');
o.delete('B');
eq([...o.keys()], ['a'], 'delete');

// Iteration sees changes made while it runs (index-based, as the standard's).
const live = new Headers({ a: '1', c: '3' });
const seen = [];
for (const [k] of live) {
  seen.push(k);
  if (k === 'a') live.append('b', '2');
}
eq(seen, ['a', 'b', 'c'], 'an appended header is visited');
const it = new Headers({ x: '1' }).entries();
const proto = Object.getPrototypeOf(it);
ok(Object.getOwnPropertyDescriptor(proto, 'next').enumerable, 'iterator next is enumerable');
eq(Object.prototype.toString.call(it), '[object Headers Iterator]', 'iterator tag');
ok(Object.getPrototypeOf(proto) === Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())), 'inherits %IteratorPrototype%');
eq(it.next(), { value: ['x', '1'], done: false }, 'next');
eq(it.next(), { done: true }, 'done');  // value undefined is dropped by JSON
const visited = [];
const fe = new Headers({ a: '1' });
fe.forEach((v, k, self) => {
  visited.push(k);
  ok(self === fe, 'forEach third argument');
  if (k === 'a') fe.append('z', '9');
});
eq(visited, ['a', 'z'], 'forEach is live too');
for (const m of ['append', 'delete', 'get', 'has', 'set', 'entries', 'forEach'])
  ok(Object.getOwnPropertyDescriptor(Headers.prototype, m).enumerable, `${m} is enumerable (Web IDL)`);
eq(Object.prototype.toString.call(new Headers()), '[object Headers]', 'class tag');

// HeadersInit: a custom Symbol.iterator is honoured, records read each key's
// descriptor then value in order, symbol keys throw.
const custom = { a: 'ignored', [Symbol.iterator]: function* () { yield ['from', 'iterator']; } };
eq([...new Headers(custom)], [['from', 'iterator']], 'custom Symbol.iterator');
// An undefined iterator makes it a record, whose enumerable symbol key throws.
throws(() => new Headers({ [Symbol.iterator]: undefined, k: 'v' }), TypeError, 'symbol', 'record with a symbol key');
throws(() => new Headers({ [Symbol('s')]: 'v' }), TypeError, 'symbol', 'symbol key');
new Headers(Object.defineProperty({}, Symbol('hidden'), { value: 'v', enumerable: false }));  // non-enumerable: skipped
const log = [];
const rec = new Proxy({ a: '1', b: '2' }, {
  ownKeys: (t) => { log.push('keys'); return Reflect.ownKeys(t); },
  getOwnPropertyDescriptor: (t, k) => { log.push(`desc ${k}`); return Reflect.getOwnPropertyDescriptor(t, k); },
  get: (t, k) => { log.push(`get ${String(k)}`); return Reflect.get(t, k); },
});
new Headers(rec);
eq(log, ['get Symbol(Symbol.iterator)', 'keys', 'desc a', 'get a', 'desc b', 'get b'], 'record order');
throws(() => new Headers([['a', 'b', 'c']]), TypeError, '[name, value] pair', 'pair of three');
throws(() => new Headers([['a']]), TypeError, '[name, value] pair', 'pair of one');
throws(() => new Headers(['ab']), TypeError, '[name, value] pair', 'a string is not a pair (not an object)');
eq([...new Headers(new Map([['m', 'v']]))], [['m', 'v']], 'Map');
throws(() => new Headers(5), TypeError, 'headers must be', 'number');
throws(() => { const x = new Headers(); for (let i = 0; i < 100; i++) x.append('h' + i, 'v'); }, RangeError, 'too many headers', 'bounded');

// A record: each key is converted to a ByteString before its value is read
// (Web IDL's record conversion), so a bad key stops before its getter runs.
{
  const seen = [];
  const rec = { a: 'b', get '\u0100'() { seen.push('got'); return 'x'; } };
  throws(() => new Headers(rec), TypeError, 'above U+00FF', 'a key above U+00FF');
  eq(seen, [], "the bad key's value was never read");
}
console.log('web headers ok');
