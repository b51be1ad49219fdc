// bench/tls_resumption.sh's client: env.n HTTPS POSTs, one after the other,
// in one of three modes (env.mode):
//   full       a new connection per request (Connection: close), full handshake
//              (run with --no-tls-resumption)
//   keepalive  one connection for all (fetch's keep-alive pool)
//   resumed    a new connection per request, resumed from the session cache
// Checks that the mode really happened (Response._reused / _resumed) and
// prints one JSON line with the counts.
import env from './env.js';

if (env.mode !== 'keepalive') fetch.configure({ poolSize: 0 });  // sends Connection: close
let reused = 0, resumed = 0;
for (let i = 0; i < env.n; i++) {
  const body = `event=temperature&data=${20 + (i % 10)}.5&seq=${i}`;
  const r = await fetch(env.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body,
  });
  const text = await r.text();
  if (r.status !== 200 || text !== 'accepted\n') throw new Error(`request ${i}: ${r.status} ${text}`);
  if (r._reused) reused++;
  if (r._resumed) resumed++;
}
const expect = {
  full: { reused: 0, resumed: 0 },
  keepalive: { reused: Math.max(env.n - 1, 0), resumed: 0 },
  resumed: { reused: 0, resumed: Math.max(env.n - 1, 0) },
}[env.mode];
if (reused !== expect.reused || resumed !== expect.resumed)
  throw new Error(`mode ${env.mode}: reused ${reused}, resumed ${resumed}; expected ${JSON.stringify(expect)}`);
console.log(JSON.stringify({ mode: env.mode, n: env.n, reused, resumed }));
