// FormData and structuredClone without the network, for boards whose JS
// heap cannot hold them and a fetch at once (tests/firmware/web_js_test.py;
// form.js sends the FormData).
const form = new FormData();
form.append('device', 'photon-1');
form.append('device', 'photon-2');
form.set('mode', 'auto');
console.log(`webjs: form ${form.getAll('device').join('+')} ${form.get('mode')} ${form.has('x')} ${[...form.keys()].length}`);
const src = { a: [1, { b: 'c' }], bytes: new Uint8Array([7, 8]) };
src.self = src;
const c = structuredClone(src);
console.log(`webjs: clone ${c !== src && c.self === c} ${c.a[1].b} ${c.a !== src.a} ${c.bytes[1]} ${c.bytes !== src.bytes}`);
