// fetch with the Web-standard classes against mcujs_http_test_server:
// AbortController/AbortSignal (before and during a request, timeout),
// URLSearchParams, typed array, Request and ReadableStream bodies,
// response.body streams.
import { eq, ok, rejects } from './assert.js';
import env from './env.js';

const base = `http://127.0.0.1:${env.httpPort}`;
const named = (name) => (e) => eq(e && e.name, name, `rejection name (${e && e.message})`);

// Aborted before the request: rejects with the signal's reason, sends nothing.
await rejects(fetch(`${base}/hello`, { signal: AbortSignal.abort() }), named('AbortError'), 'pre-aborted');
const custom = new Error('mine');
await rejects(fetch(`${base}/hello`, { signal: AbortSignal.abort(custom) }), (e) => ok(e === custom, 'the reason itself'), 'custom reason');
// Aborted while waiting for a slow response: settles at once.
const ac = new AbortController();
const t0 = Date.now();
const p = fetch(`${base}/delay?ms=3000`, { signal: ac.signal });
setTimeout(() => ac.abort(), 50);
await rejects(p, named('AbortError'), 'aborted in flight');
ok(Date.now() - t0 < 2000, `aborted promptly (${Date.now() - t0} ms)`);
await rejects(fetch(`${base}/delay?ms=3000`, { signal: AbortSignal.timeout(50) }), named('TimeoutError'), 'AbortSignal.timeout');
eq(fetch.stats().pending, 0, 'aborted fetches are gone');
// A signal that never fires does not get in the way.
eq(await (await fetch(`${base}/hello`, { signal: new AbortController().signal })).text(), 'hello world', 'idle signal');

// URLSearchParams as a body: form-encoded with its content type.
let echo = await (await fetch(`${base}/echo`, { method: 'POST', body: new URLSearchParams({ a: '1 2', b: 'x&y=z' }) })).json();
eq(echo.body, 'a=1+2&b=x%26y%3Dz', 'urlencoded body');
ok(echo.headers.some(([k, v]) => k === 'content-type' && v === 'application/x-www-form-urlencoded;charset=UTF-8'), 'urlencoded content-type');
// FormData: multipart/form-data on the wire.
const fd = new FormData();
fd.append('field', 'value');
fd.append('upload', new Blob(['\x00\x01bin']), 'b.bin');
echo = await (await fetch(`${base}/echo`, { method: 'POST', body: fd })).json();
const ct = echo.headers.find(([k]) => k === 'content-type')[1];
const boundary = ct.split('boundary=')[1];
ok(ct.startsWith('multipart/form-data; boundary=') && boundary.length > 20, `multipart content-type ${ct}`);
ok(echo.body.includes(`--${boundary}\r\nContent-Disposition: form-data; name="field"\r\n\r\nvalue\r\n`), 'field part');
ok(echo.body.includes('filename="b.bin"\r\nContent-Type: application/octet-stream\r\n\r\n\x00\x01bin\r\n'), 'file part');
ok(echo.body.endsWith(`--${boundary}--\r\n`), 'closing boundary');
// A Request as input, with its body and headers.
echo = await (await fetch(new Request(`${base}/echo`, { method: 'PATCH', body: new TextEncoder().encode('bytes'), headers: { 'X-R': '1' } }))).json();
eq([echo.method, echo.body], ['PATCH', 'bytes'], 'Request input');
ok(echo.headers.some(([k, v]) => k === 'x-r' && v === '1'), 'Request headers sent');
// init overrides the Request's members.
echo = await (await fetch(new Request(`${base}/echo`, { method: 'PUT', body: 'a' }), { method: 'POST', body: 'b' })).json();
eq([echo.method, echo.body], ['POST', 'b'], 'init overrides');
// A ReadableStream body (duplex 'half'): read to its end, then sent whole
// with a Content-Length; a bytes body whose stream was asked for still goes.
const chunks = ['str', 'eam', ' body'];
const upload = new ReadableStream({ pull(c) { if (chunks.length) c.enqueue(new TextEncoder().encode(chunks.shift())); else c.close(); } });
echo = await (await fetch(`${base}/echo`, { method: 'POST', body: upload, duplex: 'half', headers: { 'X-S': '1' } })).json();
eq([echo.method, echo.body], ['POST', 'stream body'], 'stream body sent');
ok(echo.headers.some(([k, v]) => k.toLowerCase() === 'content-length' && v === '11'), 'with its Content-Length');
ok(echo.headers.some(([k, v]) => k === 'x-s' && v === '1'), 'and the init headers');
const req = new Request(`${base}/echo`, { method: 'PUT', body: 'touched' });
ok(req.body instanceof ReadableStream, 'the body stream exists');
eq((await (await fetch(req)).json()).body, 'touched', 'a body behind a stream is sent');
await rejects(fetch(`${base}/echo`, { method: 'POST', body: new ReadableStream({ start(c) { c.enqueue('x'); c.close(); } }), duplex: 'half' }),
              (e) => ok(e instanceof TypeError && e.message.includes('Uint8Array'), 'a chunk that is not bytes'), 'bad stream body');

// response.body is a stream for a body, null for HEAD and 204.
const r = await fetch(`${base}/hello`);
const reader = r.body.getReader();
let text = '';
for (let c = await reader.read(); !c.done; c = await reader.read()) text += new TextDecoder().decode(c.value);
eq([text, r.bodyUsed], ['hello world', true], 'read through the stream');
eq((await fetch(`${base}/hello`, { method: 'HEAD' })).body, null, 'HEAD: null body');
const nc = await fetch(`${base}/status/204`);
eq([nc.status, nc.body, await nc.text(), nc.bodyUsed], [204, null, '', false], '204: null body, never used');
// clone() of a network response.
const orig = await fetch(`${base}/json`);
const copy = orig.clone();
eq([(await orig.json()).n, (await copy.json()).n, copy.url, copy.type], [42, 42, `${base}/json`, 'basic'], 'clone');
console.log('fetch web ok');
