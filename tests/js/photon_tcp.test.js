// @stdout-has photon tcp ok
// photon.TCPServer and photon.TCPClient over the kernel's loopback: the
// synchronous client calls keep the runtime servicing the network.
import { eq, ok } from './assert.js';

// Find a free port: try a few high ports until listening works.
let server, port;
for (let i = 0; i < 20 && !server; i++) {
  port = 20000 + Math.floor(Math.random() * 30000);
  const s = photon.TCPServer(port);
  try { s.begin(); server = s; } catch (e) { if (e.code !== 'ADDRESS_IN_USE') throw e; }
}
ok(server, 'a listening server');

const client = new photon.TCPClient();          // with new
const client2 = photon.TCPClient();             // and without
ok(client2 instanceof photon.TCPClient, 'instanceof without new');
eq(client.connected(), false, 'not connected before connect()');
eq(client.connect('127.0.0.1', port), true, 'connect to our own server');
eq(client.connected(), true, 'connected()');
eq(client.lastError, null, 'no lastError after success');

let peer = null;
for (let i = 0; i < 100 && !peer; i++) { peer = server.available(); if (!peer) photon.delay(10); }
ok(peer, 'server accepted the connection');

const text = 'héllo wörld ✓';
eq(client.write(text), 17, 'write returns the UTF-8 byte count');
let got = '';
for (let i = 0; i < 100 && got.length < text.length; i++) {
  if (peer.available()) got += peer.read(); else photon.delay(5);
}
eq(got, text, 'server received the text intact');

eq(peer.write(new Uint8Array([79, 75])), 2, 'write bytes');
let reply = '';
for (let i = 0; i < 100 && reply.length < 2; i++) {
  if (client.available()) reply += client.read(); else photon.delay(5);
}
eq(reply, 'OK', 'client read the reply');

// A large write is delivered whole (partial writes handled inside).
let received = 0;
eq(client.write('x'.repeat(65536)), 65536, '64 KiB write');
for (let i = 0; i < 500 && received < 65536; i++) {
  const n = peer.available();
  if (n) received += peer.read().length; else photon.delay(2);
}
eq(received, 65536, 'peer received all 64 KiB');

peer.stop();
// The client sees the end of stream: connected() turns false once drained.
for (let i = 0; i < 100 && client.connected(); i++) { client.available(); photon.delay(5); }
eq(client.connected(), false, 'peer close is noticed');
client.stop();
server.stop();
console.log('photon tcp ok');
