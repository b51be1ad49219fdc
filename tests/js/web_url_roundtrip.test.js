// @stdout-has url round trip ok
// A property of the URL standard's parser: a URL's serialization parses
// back to the same URL (href, and each component). Checked on random inputs
// from an alphabet of the characters each parser state treats specially,
// with a fixed seed; bounded in count (3000) and time (5 s).
import { eq, ok } from './assert.js';

let seed = 12345;
const rnd = (n) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
const pieces = ['http:', 'https:', 'file:', 'ws:', 'ftp:', 'x:', 'data:', 'blob:', '//', '/', '\\', '.', '..', '%2e', '%2E.',
  '?', '#', '@', ':', ':80', ':0', '[', ']', '::1', '1.2.3.4', '0x7f', '[::ffff:1.2.3.4]', 'a', 'Z', 'é', 'ü', 'xn--a',
  ' ', '\t', '%', '%41', '%zz', '|', 'C|', 'c:', '^', '{', '\'', '"', '<', '\u2028', '\ud800', '\u{1F600}', '&', '=', '+'];
const bases = [undefined, 'http://h/a/b?q#f', 'file:///C:/d/e', 'x:/p/q', 'mailto:m'];
const t0 = Date.now();
let parsed = 0, n = 0;
for (; n < 3000 && Date.now() - t0 < 5000; n++) {
  let s = '';
  for (let k = 1 + rnd(8); k > 0; k--) s += pieces[rnd(pieces.length)];
  const base = bases[rnd(bases.length)];
  let u;
  try { u = new URL(s, base); } catch (e) { ok(e instanceof TypeError, `only a TypeError: ${JSON.stringify(s)}`); continue; }
  parsed++;
  const again = new URL(u.href);
  const parts = (x) => [x.href, x.protocol, x.username, x.password, x.host, x.port, x.pathname, x.search, x.hash, x.origin];
  eq(parts(again), parts(u), `round trip of ${JSON.stringify(s)} against ${base}`);
  ok(URL.canParse(u.href), 'canParse agrees');
}
ok(parsed > 300, `enough inputs parsed (${parsed} of ${n})`);
console.log(`url round trip ok (${parsed} of ${n} parsed)`);
