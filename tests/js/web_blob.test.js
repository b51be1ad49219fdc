// @stdout-has web blob ok
// Blob as the W3C File API defines it, FormData as the XHR standard does,
// both as bodies (multipart/form-data as HTML serialises it).
import { eq, ok, throws } from './assert.js';

const b = new Blob(['h\u00e9', new Uint8Array([0x21]), new Blob(['!']).slice(0), new Uint16Array([0x4241]).buffer], { type: 'Text/Plain' });
eq([b.size, b.type], [7, 'text/plain'], 'size and lowercased type');
eq(await b.text(), 'h\u00e9!!AB', 'text');
eq([...new Uint8Array(await b.arrayBuffer())], [0x68, 0xC3, 0xA9, 0x21, 0x21, 0x41, 0x42], 'arrayBuffer');
eq([...(await b.bytes())].length, 7, 'bytes');
eq(new Blob([], { type: 'a\u00e9' }).type, '', 'a type outside U+0020..U+007E is dropped');
eq(new Blob().size, 0, 'empty');
eq(new Blob(['\uD800']).size, 3, 'a lone surrogate becomes U+FFFD');
eq(await new Blob([1, { toString: () => 'x' }]).text(), '1x', 'other values as strings');
// slice: relative positions, clamped, with an optional type.
const s = new Blob(['0123456789']);
eq(await s.slice(2, 5).text(), '234', 'slice');
eq(await s.slice(-3).text(), '789', 'negative start');
eq(await s.slice(-100, -8).text(), '01', 'clamped');
eq(await s.slice(5, 2).text(), '', 'end before start');
eq(s.slice(0, 1, 'X/Y').type, 'x/y', 'slice type');
throws(() => new Blob('abc'), TypeError, 'sequence', 'a string is not a sequence');
throws(() => Blob.prototype.size, TypeError, 'not a Blob', 'brand check');
eq(Object.prototype.toString.call(b), '[object Blob]', 'tag');

// As a body: its bytes and type.
const r = new Response(new Blob(['{"a":1}'], { type: 'application/json' }));
eq(r.headers.get('content-type'), 'application/json', 'content-type from the Blob');
const back = await r.blob();
ok(back instanceof Blob, 'blob() gives a Blob');
eq([back.type, await back.text()], ['application/json', '{"a":1}'], 'blob() type and bytes');
eq(new Response(new Blob(['x'])).headers.get('content-type'), null, 'an untyped Blob sets none');
const req = new Request('http://example.test/', { method: 'POST', body: new Blob(['abc'], { type: 'text/x' }) });
eq([req.headers.get('content-type'), await req.text()], ['text/x', 'abc'], 'Request body');

// FormData: the entry list.
const fd = new FormData();
fd.append('a', 1);
fd.append('a', '2');
fd.append('file', new Blob(['content'], { type: 'text/x' }), 'name.txt');
fd.set('b', 'x');
eq([fd.get('a'), fd.getAll('a'), fd.has('b'), fd.get('zz')], ['1', ['1', '2'], true, null], 'get/getAll/has');
ok(fd.get('file') instanceof Blob, 'a Blob entry');
fd.set('a', 'only');
eq([...fd.keys()], ['a', 'file', 'b'], 'set replaces in place');
fd.delete('b');
eq([...fd].map(([k]) => k), ['a', 'file'], 'iterable');
throws(() => fd.append('x', 'v', 'name'), TypeError, 'needs a Blob', 'a filename on a string');
throws(() => new FormData({}), TypeError, 'no HTML forms', 'form argument');
// multipart/form-data body.
const body = new Response(fd);
const type = body.headers.get('content-type');
const m = /^multipart\/form-data; boundary=(\S+)$/.exec(type);
ok(m, `multipart content-type: ${type}`);
const text = await body.text();
const bnd = m[1];
eq(text, `--${bnd}\r\nContent-Disposition: form-data; name="a"\r\n\r\nonly\r\n` +
  `--${bnd}\r\nContent-Disposition: form-data; name="file"; filename="name.txt"\r\nContent-Type: text/x\r\n\r\ncontent\r\n` +
  `--${bnd}--\r\n`, 'multipart body');
const esc = new FormData();
esc.append('q"\n', 'l1\nl2');
ok((await new Response(esc).text()).includes('name="q%22%0D%0A"\r\n\r\nl1\r\nl2\r\n'), 'names escaped, newlines CRLF');
// formData(): multipart and urlencoded bodies parsed back.
const parsed = await new Response(fd).formData();
eq([...parsed.keys()], ['a', 'file'], 'multipart parsed');
eq(parsed.get('a'), 'only', 'multipart field');
const pf = parsed.get('file');
eq([pf instanceof Blob, pf.type, await pf.text()], [true, 'text/x', 'content'], 'multipart file part');
const ue = await new Response(new URLSearchParams('x=1&y=%C3%A9')).formData();
eq([ue.get('x'), ue.get('y')], ['1', '\u00e9'], 'urlencoded parsed');
let fe = null;
try { await new Response('x').formData(); } catch (e) { fe = e; }
ok(fe instanceof TypeError && fe.message.includes('neither multipart'), 'other types refused');
console.log('web blob ok');
