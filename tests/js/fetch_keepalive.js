// Keep-alive connection reuse against mcujs_http_test_server: the pool, its
// bounds and idle timeout, servers that close, concurrency. The server's
// /keepalive answers "conn=<its connection number> req=<requests on it>".
import { eq, ok, rejects } from './assert.js';
import env from './env.js';

const base = `http://127.0.0.1:${env.httpPort}`;
const conn = async (init) => {
  const r = await fetch(`${base}/keepalive`, init);
  const [c, n] = (await r.text()).match(/conn=(\d+) req=(\d+)/).slice(1).map(Number);
  return { c, n, reused: r._reused };
};
const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

// Sequential requests to one origin share one connection.
const s0 = fetch.stats();
const a = await conn();
const b = await conn();
const c = await conn();
eq(a.reused, false, 'first request opens a connection');
eq([b.c, c.c], [a.c, a.c], 'same server-side connection');
eq([a.n, b.n, c.n], [1, 2, 3], 'requests counted on it');
eq([b.reused, c.reused], [true, true], 'Response._reused');
let s = fetch.stats();
eq(s.connections - s0.connections, 1, 'one connection opened');
eq(s.reused - s0.reused, 2, 'two reuses');
eq(s.idle, 1, 'one idle connection pooled');

// A body that is not read does not block reuse (it was read in full).
await fetch(`${base}/big?n=50000`);
const d = await conn();
eq([d.c, d.reused], [a.c, true], 'reused after an unread body');

// Another origin (localhost vs 127.0.0.1) gets its own connection.
const other = await fetch(`http://localhost:${env.httpPort}/keepalive`);
eq(other._reused, false, 'different host: new connection');
await other.text();

// Connection: close from the server, and HTTP/1.0, end reuse.
let r = await fetch(`${base}/close`);
eq(await r.text(), 'closing', 'close response');
const e = await conn();
ok(e.c !== a.c && !e.reused, 'a closed connection is not reused');
r = await fetch(`${base}/http10`);
await r.text();

// A server that closes right after answering (without saying so): the next
// request either notices while idle or retries once on a fresh connection.
for (let i = 0; i < 5; i++) {
  const x = await fetch(`${base}/idle-close`);
  eq(await x.text(), 'bye later', `idle-close ${i}`);
  if (i % 2) await sleep(30);  // sometimes let the loop notice the close first
  const y = await conn();
  ok(y.n >= 1, `request after a server close ${i}`);
}

// Concurrent requests: several connections, then all pooled up to the bound.
const many = await Promise.all([1, 2, 3, 4, 5, 6].map(() => conn()));
eq(new Set(many.map((m) => m.c)).size >= 2, true, 'concurrent requests use several connections');
s = fetch.stats();
ok(s.idle <= 4, `idle connections bounded by the default pool size (${s.idle})`);
eq(s.pending, 0, 'nothing pending');

// poolSize 0: no keep-alive at all ("Connection: close" is sent).
fetch.configure({ poolSize: 0 });
eq(fetch.stats().idle, 0, 'pool emptied');
const n0 = await conn();
const n1 = await conn();
ok(n0.c !== n1.c && !n1.reused, 'no reuse with poolSize 0');
const echo = await (await fetch(`${base}/echo`)).json();
ok(echo.headers.some(([k, v]) => k.toLowerCase() === 'connection' && v === 'close'), 'Connection: close sent');

// A short idle timeout closes pooled connections.
fetch.configure({ poolSize: 2, idleTimeout: 150 });
const i0 = await conn();
const i1 = await conn();
eq(i1.c, i0.c, 'reused within the idle timeout');
await sleep(400);
eq(fetch.stats().idle, 0, 'idle connection expired');
const i2 = await conn();
ok(i2.c !== i0.c && !i2.reused, 'new connection after the idle timeout');

// Pool bound: three concurrent, at most two kept.
await Promise.all([conn(), conn(), conn()]);
ok(fetch.stats().idle <= 2, 'pool bound respected');

// Configuration is validated.
let threw = false;
try { fetch.configure({ poolSize: 100 }); } catch (err) { threw = err instanceof RangeError; }
ok(threw, 'poolSize range');
threw = false;
try { fetch.configure(); } catch (err) { threw = err instanceof TypeError; }
ok(threw, 'configure needs options');

// Defaults from configure apply to later requests.
fetch.configure({ timeout: 200, idleTimeout: 15000 });
await rejects(fetch(`${base}/slow`), (err) => eq(err.code, 'TIMEOUT', 'default timeout'), 'configured timeout');
fetch.configure({ timeout: 30000, maxBodySize: 10 });
await rejects(fetch(`${base}/big?n=11`), (err) => eq(err.code, 'BODY_TOO_LARGE', 'configured limit'), 'configured limit');
eq(await (await fetch(`${base}/big?n=11`, { maxBodySize: 11 })).text(), 'abcdefghijk', 'per-request limit wins');
fetch.configure({ maxBodySize: 1 << 20 });

// Server-side view: far fewer connections than requests.
const total = Number(await (await fetch(`${base}/conns`)).text());
ok(total < 40, `server saw ${total} connections`);
console.log('fetch keepalive ok');
