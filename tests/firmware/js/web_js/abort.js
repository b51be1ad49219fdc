// AbortController and AbortSignal.timeout on a board (tests/firmware/
// web_js_test.py; see url.js): a fetch aborted before it starts never
// reaches the server; one to a server that answers after 3 s rejects with
// a TimeoutError after the signal's 500 ms.
const base = `http://10.0.2.2:${photon.config.port}`;
const ac = new AbortController();
ac.abort();
const early = await fetch(`${base}/never`, { signal: ac.signal }).then(() => 'not aborted', (e) => e.name);
console.log(`webjs: abort ${early} ${ac.signal.aborted}`);
const t0 = Date.now();
const late = await fetch(`${base}/slow`, { signal: AbortSignal.timeout(500) })
  .then(() => 'not aborted', (e) => `${e.name} (${e.message})`);
console.log(`webjs: timeout ${late} ${(Date.now()) - t0 < 2500}`);
// A use the bundle's scan cannot see finds no compiled text: a TypeError
// naming the global (here a Body's stream, behind a computed name).
const hidden = ['bo', 'dy'].join('');
const missing = (() => { try { return typeof new Response('x')[hidden]; } catch (e) { return `${e.name}: ${e.message}`; } })();
console.log(`webjs: missing ${missing}`);
