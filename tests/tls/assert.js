// Assertion helpers for the TLS test scripts (tests/tls/*.js); the drivers
// copy this file next to the script and its generated env.js.
export function eq(actual, expected, what) {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}
export function ok(cond, what) {
  if (!cond) throw new Error(`${what}: expected true`);
}
// Settles like promise, or rejects after ms: a promise that never settles
// otherwise ends the program quietly once nothing else keeps the loop alive.
export function within(promise, ms, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}
// Hex strings compared without separators, case or leading zeros.
export function hexEq(actual, expected, what) {
  const norm = (s) => String(s).replace(/[^0-9a-fA-F]/g, '').toUpperCase().replace(/^0+/, '');
  if (norm(actual) !== norm(expected)) throw new Error(`${what}: expected ${expected}, got ${actual}`);
}
// The request of the origin article's client: a form-encoded POST with a
// shared secret in a header. The drivers build the same bytes to compare.
export function articleRequest(env) {
  const body = `event=${env.event}&data=${env.data}&coreid=${env.coreid}`;
  return `POST ${env.path} HTTP/1.1\r
Host: ${env.host}:${env.port}\r
Content-Type: application/x-www-form-urlencoded\r
Content-Length: ${body.length}\r
Secret: ${env.secret}\r
Connection: close\r
\r
${body}`;
}
