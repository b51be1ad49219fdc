// The full JavaScript API on a board (tests/firmware/api_test.py): Date,
// RegExp, Map/Set, typed arrays, fetch over HTTPS with the connection kept
// alive between two requests, tls.connect and photon.TLSTCPClient (also
// reading past the server's close), against the test's HTTPS
// server on the host (10.0.2.2 from QEMU's user network). Each line
// "api: <what> <result>" is checked by the driver; a failure throws, which
// ends the run with status 1.
const port = photon.config.port;
const say = (what, v) => console.log(`api: ${what} ${v}`);

const d = new Date(Date.UTC(2026, 11, 6, 12, 30, 5));
say('date', `${d.toISOString()} ${Date.now() > Date.UTC(2026, 0, 1)}`);

const m = /(\d+)-(\d+)/.exec('span 17-42');
say('regexp', `${Number(m[1]) + Number(m[2])} ${'a,b;c'.split(new RegExp('[,;]')).join('')}`);

const seen = new Set([1, 2, 2, 3]);
const map = new Map([['a', 1]]);
map.set('b', seen.size);
say('mapset', `${seen.size} ${map.get('b')} ${[...map.keys()].join('')}`);

const bytes = new Uint8Array([1, 2, 3, 250]);
const view = new DataView(bytes.buffer);
say('typed', `${bytes.reduce((a, b) => a + b, 0)} ${view.getUint16(2, false)} ${new Float64Array(2).length}`);

// Two requests to one origin: the second reuses the first's connection.
const base = `https://10.0.2.2:${port}`;
const r1 = await fetch(`${base}/keepalive`);
const t1 = await r1.text();
const r2 = await fetch(`${base}/keepalive`);
const t2 = await r2.text();
const st = fetch.stats();
say('fetch', `${r1.status} ${t1} ${r2.status} ${t2} reused=${r2._reused} connections=${st.connections}`);

// tls.connect: a raw HTTP/1.1 request on a socket of its own, read until
// the whole (6-byte) body is in, then past the server's close. /raw ends
// the TCP stream without close_notify: read() rejects with a TLSError
// TRUNCATED (docs/tls.md "Reading past the end"); /bye sends close_notify:
// read() resolves null, and null again.
const request = (path) => `GET ${path} HTTP/1.1\r\nHost: 10.0.2.2\r\nConnection: close\r\n\r\n`;
// A TLSError by its code; anything else also by its message.
const describe = (e) => (e instanceof TLSError ? `TLSError ${e.code}` : `${e && e.name} ${e && e.code} (${e && e.message})`);
async function tlsGet(path) {
  const sock = await tls.connect({ host: '10.0.2.2', port, timeout: 20000 });
  await sock.write(request(path));
  let reply = '';
  let end = 'open';
  for (let i = 0; i < 50; i++) {
    let chunk;
    try {
      chunk = await sock.read();
    } catch (e) {
      end = describe(e);
      break;
    }
    if (chunk === null) {
      end = `null ${await sock.read()}`;  // and null again
      break;
    }
    for (const b of chunk) reply += String.fromCharCode(b);
  }
  sock.close();
  return { sock, reply, end };
}
const raw = await tlsGet('/raw');
say('tls', `${raw.sock.protocol} ${raw.reply.split('\r\n')[0]} ${raw.reply.endsWith('raw ok') ? 'body ok' : 'body missing'}`);
const bye = await tlsGet('/bye');
say('tls-end', `${raw.end} / ${bye.reply.endsWith('bye ok') ? 'body ok' : 'body missing'} ${bye.end}`);

// The same past the end on the article's photon.TLSTCPClient (synchronous):
// without close_notify, once the data before it has been read, read() throws
// the TLSError (also in lastError) and the client is stopped: read() then
// throws NOT_CONNECTED; after close_notify read() returns "" and
// connected() is false.
function photonGet(path) {
  const c = photon.TLSTCPClient();
  if (!c.connect('10.0.2.2', port)) throw new Error(`photon connect: ${describe(c.lastError)}`);
  c.write(request(path));
  let reply = '';
  let end = 'open';
  const failed = (e) => `${describe(e)} ${describe(c.lastError)}`;
  for (let i = 0; i < 400; i++) {  // 20 s at most
    try {
      reply += c.read();
    } catch (e) {
      end = failed(e);  // the failure comes after the data received before it
      break;
    }
    if (!c.connected()) {
      try {
        end = `closed "${c.read()}"`;
      } catch (e) {
        end = failed(e);
      }
      break;
    }
    photon.delay(50);
  }
  let again;
  try {
    again = `"${c.read()}"`;
  } catch (e) {
    again = describe(e);
  }
  return `${reply.endsWith(path.slice(1) + ' ok') ? 'body ok' : 'body missing'} ${end} ${c.connected()} ${again}`;
}
say('photon-end', `${photonGet('/raw')} / ${photonGet('/bye')}`);
