// URL and URLSearchParams without the network, for boards whose JS heap
// cannot hold them and a fetch at once (the mps2-an385's 80 KB;
// tests/firmware/web_js_test.py, docs/fetch.md "Memory"; url.js fetches).
const u = new URL('../c/d?x=1#top', 'http://10.0.2.2:8080/a/b/');
u.searchParams.append('q', 'a b&c');
u.searchParams.set('x', '2');
const p = new URLSearchParams('k=1&k=2&m=%E2%82%AC');
console.log(`webjs: url ${u.href} ${u.host} ${u.pathname} ${u.hash} ${[...u.searchParams.keys()].join(',')}`);
console.log(`webjs: params ${p.getAll('k').join('+')} ${p.get('m')} ${p}`);
