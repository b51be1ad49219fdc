// localStorage on the Linux port: the Web Storage methods, String()
// conversion as in browsers, argument errors naming the function and the
// argument, the quota's QuotaExceededError, a reboot-safe record on disk.
import { eq, ok, throws } from '../../js/assert.js';

eq(typeof localStorage, 'object', 'a global object');
ok(localStorage === localStorage, 'one object');
localStorage.clear();
eq(localStorage.length, 0, 'empty length');
eq(localStorage.getItem('missing'), null, 'missing item');
eq(localStorage.key(0), null, 'key(0) of nothing');

localStorage.setItem('a', 'one');
localStorage.setItem('b', 2);             // String(2)
localStorage.setItem('c', { x: 1 });      // String({...})
localStorage.setItem(null, undefined);    // 'null' -> 'undefined'
localStorage.setItem('ünï', 'wert €');    // UTF-8
localStorage.setItem('', '');             // an empty key and value are items too
eq(localStorage.length, 6, 'length');
eq(localStorage.getItem('a'), 'one', 'a');
eq(localStorage.getItem('b'), '2', 'number coerced');
eq(localStorage.getItem('c'), '[object Object]', 'object coerced');
eq(localStorage.getItem('null'), 'undefined', 'null key, undefined value');
eq(localStorage.getItem(null), 'undefined', 'getItem(null) reads "null"');
eq(localStorage.getItem('ünï'), 'wert €', 'utf-8');
eq(localStorage.getItem(''), '', 'empty key');
eq([0, 1, 2, 3, 4, 5].map((i) => localStorage.key(i)), ['a', 'b', 'c', 'null', 'ünï', ''], 'keys in insertion order');
eq(localStorage.key(6), null, 'key past the end');
eq(localStorage.key(-1), null, 'key(-1) is key(4294967295)');
eq(localStorage.key('1'), 'b', 'index coerced');

localStorage.setItem('a', 'ONE');          // same size: stays in place
eq(localStorage.key(0), 'a', 'replace in place');
localStorage.setItem('a', 'longer value');
eq(localStorage.getItem('a'), 'longer value', 'replaced');
eq(localStorage.length, 6, 'a replace adds nothing');
localStorage.removeItem('b');
localStorage.removeItem('not there');
eq(localStorage.getItem('b'), null, 'removed');
eq(localStorage.length, 5, 'length after remove');

// Arguments.
throws(() => localStorage.getItem(), TypeError, 'localStorage.getItem: expected at least 1 argument', 'getItem()');
throws(() => localStorage.setItem('k'), TypeError, 'localStorage.setItem: expected at least 2 arguments', 'setItem(k)');
throws(() => localStorage.removeItem(), TypeError, 'localStorage.removeItem: expected', 'removeItem()');
throws(() => localStorage.key(), TypeError, 'localStorage.key: expected', 'key()');
throws(() => localStorage.setItem(Symbol('s'), 'v'), TypeError, 'localStorage.setItem: key must be a string', 'symbol key');
throws(() => localStorage.setItem('k', Symbol('s')), TypeError, 'localStorage.setItem: value must be a string', 'symbol value');
throws(() => localStorage.getItem({ toString() { throw new RangeError('nope'); } }), RangeError, 'nope', 'toString throws');

// The quota: 2048 bytes of keys, values and 4 bytes per item.
localStorage.clear();
eq(localStorage.length, 0, 'cleared');
let e = throws(() => localStorage.setItem('big', 'x'.repeat(2048)), Error, 'quota of 2048 bytes exceeded', 'too big');
eq(e.name, 'QuotaExceededError', 'error name');
eq(e.code, 22, 'legacy DOMException code');
localStorage.setItem('big', 'x'.repeat(2048 - 4 - 3));  // exactly the quota
eq(localStorage.getItem('big').length, 2041, 'a full quota');
throws(() => localStorage.setItem('k', ''), Error, 'quota', 'nothing left');
eq(localStorage.getItem('k'), null, 'a refused item is not stored');
eq(localStorage.getItem('big').length, 2041, 'a refusal keeps what was there');
localStorage.setItem('big', 'smaller');
localStorage.setItem('k', 'v');
eq(localStorage.length, 2, 'room again');

// What survives the run (local_storage_persist.js checks it in the next one).
localStorage.clear();
localStorage.setItem('boots', '1');
localStorage.setItem('greeting', 'hello from the first run');
console.log('localStorage api ok');
