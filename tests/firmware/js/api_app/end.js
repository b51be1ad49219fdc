// Reading past the server's close (docs/tls.md "Reading past the end"), on a
// tls.connect socket and on the article's photon.TLSTCPClient, against the
// test's HTTPS server (tests/firmware/api_test.py): /raw ends the TCP stream
// without close_notify, /bye sends close_notify. Imported by main.js (the
// full API, boards that hold it) and past_end.js (this part alone, for the
// mps2-an385's 80 KB JS heap).
const request = (path) => `GET ${path} HTTP/1.1\r\nHost: 10.0.2.2\r\nConnection: close\r\n\r\n`;
// A TLSError by its code; anything else also by its message.
const describe = (e) => (e instanceof TLSError ? `TLSError ${e.code}` : `${e && e.name} ${e && e.code} (${e && e.message})`);

// tls.connect: the request on a socket of its own, read until the end:
// without close_notify read() rejects with a TLSError TRUNCATED; after it,
// read() resolves null, and null again.
export async function tlsGet(port, path) {
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

// photon.TLSTCPClient (synchronous): without close_notify, once the data
// before it has been read, read() throws the TLSError (also in lastError)
// and the client is stopped: read() then throws NOT_CONNECTED; after
// close_notify read() returns "" and connected() is false.
export function photonGet(port, path) {
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

// The two "api:" lines past the end; returns the /raw socket's result.
export async function pastEnd(port, say) {
  const raw = await tlsGet(port, '/raw');
  const bye = await tlsGet(port, '/bye');
  say('tls-end', `${raw.end} / ${bye.reply.endsWith('bye ok') ? 'body ok' : 'body missing'} ${bye.end}`);
  say('photon-end', `${photonGet(port, '/raw')} / ${photonGet(port, '/bye')}`);
  return raw;
}
