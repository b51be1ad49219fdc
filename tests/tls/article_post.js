// The origin article's photon.TLSTCPClient client: trust the test CA with
// addCertificates, connect (synchronously), POST a form with a secret
// header, read the reply if one comes, stop. Run by interop.sh, which checks
// on the server side that the exact request bytes arrived.
import env from './env.js';
import { eq, ok, articleRequest } from './assert.js';

photon.TLSTCPClient.addCertificates(env.ca);
const client = photon.TLSTCPClient();
ok(client instanceof photon.TLSTCPClient, 'a TLSTCPClient');

const request = articleRequest(env);
if (!client.connect(env.host, env.port)) {
  const e = client.lastError;
  throw new Error(`connect failed: ${e && e.code} (${e && e.errno}): ${e && e.message}`);
}
photon.log.info(`connected to ${env.host}:${env.port}`);
eq(client.lastError, null, 'lastError after a successful connect');
eq(client.connected(), true, 'connected()');

eq(client.write(request), request.length, 'write() returns the bytes written');

// The reply (env.reply, possibly empty): poll available() as on the device.
let reply = '';
const deadline = Date.now() + 10000;
while (reply.length < env.reply.length && Date.now() < deadline) {
  if (client.available() > 0) reply += client.read();
  else photon.delay(20);
}
eq(reply, env.reply, 'reply');
client.stop();
eq(client.connected(), false, 'connected() after stop()');
console.log(`article post: ${request.length} bytes sent, ${reply.length} bytes received`);
console.log('article post ok');
