// URLSearchParams without URL, for the mps2-an385: URL's parser (the WHATWG
// standard's, in JavaScript) takes ~38 KB of JS heap at first use, more
// than the 80 KB heap has left after boot (docs/fetch.md "On the device");
// url.js runs both, with a fetch, on boards with a larger heap.
const p = new URLSearchParams('k=1&k=2&m=%E2%82%AC');
p.append('q', 'a b&c');
p.sort();
console.log(`webjs: params ${p.getAll('k').join('+')} ${p.get('m')} ${p.size} ${p}`);
