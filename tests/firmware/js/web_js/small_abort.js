// AbortController and AbortSignal.timeout without the network, for boards
// whose JS heap cannot hold them and a fetch at once
// (tests/firmware/web_js_test.py; abort.js aborts fetches).
const ac = new AbortController();
let heard = 0;
ac.signal.addEventListener('abort', () => heard++);
ac.abort();
ac.abort();
const t0 = Date.now();
const late = await new Promise((resolve) => {
  AbortSignal.timeout(300).onabort = function () { resolve(`${this.reason.name} ${Date.now() - t0 >= 250}`); };
});
console.log(`webjs: abort ${ac.signal.reason.name} ${ac.signal.aborted} ${heard}`);
console.log(`webjs: timeout ${late}`);
// A use the bundle's scan cannot see finds no compiled text: a TypeError
// naming the global (here a Body's stream, behind a computed name).
const hidden = ['bo', 'dy'].join('');
const missing = (() => { try { return typeof new Response('x')[hidden]; } catch (e) { return `${e.name}: ${e.message}`; } })();
console.log(`webjs: missing ${missing}`);
