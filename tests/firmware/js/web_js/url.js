// URL and its live URLSearchParams on a board (tests/firmware/web_js_test.py,
// which runs each app of js/web_js/ against its HTTP server on the host,
// 10.0.2.2 from QEMU's user network, and checks every "webjs:" line; a
// failure throws: status 1). On the device these globals come compiled in
// the bundle (modules/bindings/js_text.h). The server parses the query.
const base = `http://10.0.2.2:${photon.config.port}`;
const u = new URL('/echo?x=1', base);
u.searchParams.append('q', 'a b&c');
u.searchParams.set('x', '2');
console.log(`webjs: url ${u.href} ${u.host} ${u.pathname} ${[...u.searchParams.keys()].join(',')}`);
const q = await fetch(u);
console.log(`webjs: query ${q.status} ${await q.text()}`);
// A non-ASCII host (IDNA: the image has no String.prototype.normalize) from
// 20 calls deep (the board's JS stack: a URL parse needs ~10 calls' worth).
const nest = (n) => (n ? nest(n - 1) : new URL('http://B\u00fccher.example/p').host);
console.log(`webjs: idna ${nest(20)}`);
// The boards' response head buffer is 2 KB (MCUJS_FETCH_MAX_HEAD): a larger
// head fails with a code, and fetch.configure raises the limit.
const big = await fetch(`${base}/bighead`).then(() => 'fetched', (e) => e.code);
fetch.configure({ maxHeaderSize: 4096 });
const padded = await fetch(`${base}/bighead`);
console.log(`webjs: head ${big} ${padded.status} ${padded.headers.get('x-pad').length}`);
