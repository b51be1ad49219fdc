// The article's client pattern, photon.TLSTCPClient: connect, write the
// request, stop() without reading the answer, env.visits times. A TLS 1.3
// server sends its session tickets after the handshake; stop() must keep one
// (waiting for it, bounded, when it is still in flight) so that the next
// connect resumes. Behind tests/tls/delay_proxy.py the tickets arrive well
// after stop() is called. env.mode:
//  'www'    s_server -www: a last visit with tls.connect reads its status
//           page, which must say "Reused" and count env.visits session cache
//           hits (every visit but the first, and the last one).
//  'late'   the second connection (resumed) gets its ticket long after
//           stop()'s bound: stop() gives up, but the server, which issues
//           tickets, is not taken for one that sends none: the third
//           stop() waits for its ticket again.
//  'silent' a TLS 1.3 server that sends no tickets and never closes: the
//           first stop() waits its bound (about 500 ms, never much more),
//           later ones do not wait for that server again.
import env from './env.js';
import { eq, ok, within } from './assert.js';

const stops = [];
for (let i = 0; i < env.visits; i++) {
  const client = photon.TLSTCPClient();
  if (!client.connect(env.host, env.port)) throw new Error(`visit ${i + 1}: connect failed: ${client.lastError}`);
  const request = env.mode === 'www' ? 'GET / HTTP/1.0\r\n\r\n' : `visit ${i + 1}\n`;
  eq(client.write(request), request.length, 'write');
  const t0 = Date.now();
  client.stop();
  stops.push(Date.now() - t0);
  eq(client.connected(), false, 'connected() after stop()');
}
console.log(`stop() took ${stops.join(', ')} ms`);

if (env.mode === 'www') {
  const sock = await within(tls.connect({ host: env.host, port: env.port, timeout: 10000 }), 15000, 'tls.connect');
  eq(sock.resumed, true, 'the last visit resumed from the last stop()ped client\'s ticket');
  await within(sock.write('GET / HTTP/1.0\r\n\r\n'), 10000, 'write');
  let page = '';
  for (;;) {
    const chunk = await within(sock.read(), 10000, 'read');
    if (chunk === null) break;
    page += String.fromCharCode(...chunk);
  }
  sock.close();
  ok(page.includes('\nReused, TLSv1.3'), `the server says the session was reused (${page.slice(0, 120)})`);
  const stat = (name) => Number((page.match(new RegExp(`(\\d+) ${name}`)) || [])[1]);
  console.log(`server: ${stat('server accepts that finished')} handshakes, ${stat('session cache hits')} resumed`);
  eq(stat('server accepts that finished'), env.visits + 1, 'handshakes the server finished');
  eq(stat('session cache hits'), env.visits, 'resumed handshakes the server counted');
} else if (env.mode === 'late') {
  // Whether stop() waited, not how fast: the second gave up at its bound,
  // the third waited for its ticket (300 ms behind the proxy) again; had the
  // late ticket marked the server ticketless, it would return at once.
  ok(stops[1] >= 450 && stops[1] < 3000, `stop() 2 waited for the late ticket, bounded (${stops[1]} ms)`);
  ok(stops[2] >= 150, `stop() 3 waited for its ticket again (${stops[2]} ms)`);
} else {
  // Bounds, not speed: the first stop() really waited for a ticket and gave
  // up at its bound; the others did not wait for this server again.
  ok(stops[0] >= 450 && stops[0] < 3000, `the first stop() waited for a ticket, bounded (${stops[0]} ms)`);
  for (let i = 1; i < stops.length; i++) ok(stops[i] < 450, `stop() ${i + 1} did not wait again (${stops[i]} ms)`);
}
console.log('photon_resume ok');
