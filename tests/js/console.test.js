// @stdout-has text 42 {"a":[1,2]} true null undefined
// @stderr-has WARN  careful
// @stderr-has ERROR bad
// @stderr-has Error: with stack
// console.* formats values and routes levels through the port's log sink.
console.log('text', 42, { a: [1, 2] }, true, null, undefined);
console.warn('careful');
console.error('bad');
console.error(new Error('with stack'));
const cyclic = {}; cyclic.self = cyclic;
console.log(cyclic);   // must not throw
console.debug('hidden at the default level');
