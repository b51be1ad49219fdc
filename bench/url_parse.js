// URL parsing speed, the same script under mcujs and Node.js (the peer, its
// parser is ada in C++): `mcujs run bench/url_parse.js` and `node bench/url_parse.js`.
// Bounded: a fixed count of URLs each, and at most ~2 s each.
const cases = [
  ['ascii', (i) => `https://user:pw@example.com:8443/a/b/../c?x=${i}#f`],
  ['ipv6', (i) => `http://[2001:db8::${(i % 65535).toString(16)}]/p`],
  ['idna', (i) => `https://bücher${i % 10}.example/`],
  ['relative', (i) => new URL(`../d/${i}?q`, 'http://h.test/a/b/c')],
];
for (const [name, make] of cases) {
  let n = 0, k = 0;
  const t0 = Date.now();
  while (n < 20000 && Date.now() - t0 < 2000) {
    for (let j = 0; j < 100; j++, n++) { const u = make(n); k += (typeof u === 'string' ? new URL(u) : u).href.length; }
  }
  const ms = Date.now() - t0;
  console.log(`${name}: ${Math.round(n / ms * 1000)} URL/s (${n} in ${ms} ms, ${k})`);
}
