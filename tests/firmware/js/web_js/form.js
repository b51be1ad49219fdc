// FormData as a fetch body (multipart/form-data: a field and a file, which
// the test's server parses) and structuredClone on a board
// (tests/firmware/web_js_test.py; see url.js).
const form = new FormData();
form.append('device', 'photon-1');
form.append('log', new Blob(['line one\n'], { type: 'text/plain' }), 'boot.txt');
const f = await fetch(`http://10.0.2.2:${photon.config.port}/form`, { method: 'POST', body: form });
console.log(`webjs: form ${f.status} ${await f.text()}`);

const src = { a: [1, { b: 'c' }], bytes: new Uint8Array([7, 8]) };
src.self = src;
const c = structuredClone(src);
console.log(`webjs: clone ${c !== src && c.self === c} ${c.a[1].b} ${c.a !== src.a} ${c.bytes[1]} ${c.bytes !== src.bytes}`);
