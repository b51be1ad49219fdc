// @stdout-has web lazy ok
// The Web-standard globals are created on first use (class_def.h's lazy
// globals): nothing exists before, a lookup creates it once, an assignment
// before any lookup simply wins, and `in`/typeof see them.
import { eq, ok } from './assert.js';

const used = () => photon.memory().js.used;
const own = (n) => Object.getOwnPropertyDescriptor(globalThis, n);
ok(own('TextDecoder') === undefined, 'not created at start-up');
ok('TextDecoder' in globalThis, '`in` sees a lazy global');
ok(own('TextDecoder') !== undefined, '... and that lookup created it');
const before = used();
eq(typeof URLSearchParams, 'function', 'typeof creates it');
ok(used() > before, `creating URLSearchParams costs heap only now (${used() - before} bytes)`);
const d = own('URLSearchParams');
eq([d.writable, d.enumerable, d.configurable], [true, false, true], 'a data property like other globals');
ok(URLSearchParams === globalThis.URLSearchParams, 'one value');
globalThis.structuredClone = 'mine';  // assignment before any read
eq(structuredClone, 'mine', 'an assignment wins');
globalThis.Headers = undefined;
eq(typeof Headers, 'undefined', 'a global can be removed');
ok(typeof Response === 'function' && new Response('x').headers.constructor.name === 'Headers', 'classes still work without the global');
console.log('web lazy ok');
