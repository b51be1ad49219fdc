// A response's body read as a ReadableStream with a reader, on a board
// whose JS heap holds the streams (tests/firmware/web_js_test.py; see
// url.js). The server's body: 4000 bytes, byte i = i % 251.
const r = await fetch(`http://10.0.2.2:${photon.config.port}/bytes`);
const reader = r.body.getReader();
let n = 0, sum = 0, bad = 0, chunks = 0;
for (;;) {
  const { done, value } = await reader.read();
  if (done) break;
  chunks++;
  for (let i = 0; i < value.length; i++, n++) {
    if (value[i] !== n % 251) bad++;
    sum = (sum + value[i]) % 65521;
  }
}
console.log(`webjs: body ${r.status} ${n} ${sum} bad=${bad} chunks>0=${chunks > 0} used=${r.bodyUsed}`);
