// The origin article's sensor-hub request, unchanged in style: a TLS client,
// the CA certificate added at run time, and a template-literal HTTP POST with
// the shared secret in a header. Then the same through fetch().
import env from './env.js';

photon.TLSTCPClient.addCertificates(env.ca);

const client = new photon.TLSTCPClient();
if (!client.connect(env.host, env.port)) {
  photon.log.error(`connect failed: ${client.lastError.code}: ${client.lastError.message}`);
  throw client.lastError;
}
photon.log.info(`connected to ${env.host}:${env.port} over TLS`);

const data = JSON.stringify({ temperature: 22, humidity: 41, gas: 310 });
const body = `event=sensor-report&data=${encodeURIComponent(data)}&coreid=demo-hub`;
const request =
`POST /index.html HTTP/1.1
Host: ${env.host}
Content-Type: application/x-www-form-urlencoded
Content-Length: ${body.length}
Secret: ${env.secret}

${body}`.replace(/\n/g, '\r\n');

photon.log.info(`wrote ${client.write(request)} bytes`);
let reply = '';
for (let i = 0; i < 300 && client.connected(); i++) {
  if (client.available()) reply += client.read(); else photon.delay(10);
}
photon.log.info(`server answered: ${reply.split('\r\n')[0]}`);
client.stop();

// The modern API: fetch over the same verified TLS.
const res = await fetch(`https://${env.host}:${env.port}/index.html`);
console.log(`fetch: ${res.status} ${res.headers.get('content-type')}: ${(await res.text()).trim()}`);

// And a refusal: the same server under a name its certificate does not carry.
const bad = new photon.TLSTCPClient();
if (!bad.connect('127.0.0.2', env.port)) {
  console.log(`refused as expected for 127.0.0.2: ${bad.lastError.code}`);
}
