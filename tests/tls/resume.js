// Session resumption seen from JavaScript: env.visits lists connections to
// make one after the other, each {servername, resumed} (what socket.resumed
// must say); with env.mode 'fetch' they are fetch() calls instead
// (Response._resumed) against a server that closes after each response.
// For tls.connect against s_server -www, its status page also tells whether
// it resumed (env.reusedMark / env.newMark); gnutls-serv logs it instead
// (checked by the driver). A visit with retry: true retries a failed connect
// (for up to 15 s) while the driver restarts the server.
import env from './env.js';
import { eq, ok, within } from './assert.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function connect(v) {
  const options = { host: env.host, port: env.port, timeout: 10000 };
  if (v.servername) options.servername = v.servername;
  for (let attempt = 1; ; attempt++) {
    try {
      return await within(tls.connect(options), 15000, 'tls.connect');
    } catch (e) {
      if (!v.retry || attempt >= 60) throw e;
      console.log(`connect attempt ${attempt}: ${e.code} (the server is restarting)`);
      await sleep(250);
    }
  }
}

async function viaSocket(v) {
  const sock = await connect(v);
  eq(typeof sock.resumed, 'boolean', 'socket.resumed is a boolean');
  const resumed = sock.resumed;
  await within(sock.write('GET / HTTP/1.0\r\n\r\n'), 10000, 'write');
  let page = '';
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline) {
    const chunk = await within(sock.read(), 10000, 'read');
    if (chunk === null) break;
    page += String.fromCharCode(...chunk);
  }
  sock.close();
  if (!env.reusedMark) return { protocol: sock.protocol, resumed, serverSaysReused: null };
  const serverSaysReused = page.includes(env.reusedMark);
  ok(serverSaysReused || page.includes(env.newMark), `the status page names the session (${page.slice(0, 200)})`);
  return { protocol: sock.protocol, resumed, serverSaysReused };
}

async function viaFetch(v) {
  const r = await within(fetch(`https://${env.host}:${env.port}/${env.file}`), 15000, 'fetch');
  eq(r.status, 200, 'status');
  await within(r.text(), 10000, 'text()');
  eq(r._reused, false, 'the server closes after each response: no keep-alive');
  return { protocol: '', resumed: r._resumed, serverSaysReused: r._resumed };
}

const visits = JSON.parse(env.visits);
for (let i = 0; i < visits.length; i++) {
  const v = visits[i];
  const got = env.mode === 'fetch' ? await viaFetch(v) : await viaSocket(v);
  console.log(`visit ${i + 1} ${v.servername || env.host}: ${got.protocol} resumed=${got.resumed} ` +
              `server says ${got.serverSaysReused === null ? '(see its log)' : got.serverSaysReused ? 'reused' : 'new'}`);
  eq(got.resumed, v.resumed, `visit ${i + 1}: resumed`);
  if (got.serverSaysReused !== null) eq(got.serverSaysReused, v.resumed, `visit ${i + 1}: the server's view`);
}
console.log('resume ok');
