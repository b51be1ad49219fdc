// Tiny assertion helpers for the JavaScript tests (no dependencies).
export function eq(actual, expected, what) {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}
export function ok(cond, what) {
  if (!cond) throw new Error(`${what}: expected true`);
}
// Calls fn and checks it throws ctor with a message containing text.
export function throws(fn, ctor, text, what) {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof ctor)) throw new Error(`${what}: expected ${ctor.name}, got ${e && e.name}: ${e && e.message}`);
    if (text && !String(e.message).includes(text))
      throw new Error(`${what}: message '${e.message}' lacks '${text}'`);
    return e;
  }
  throw new Error(`${what}: did not throw`);
}
export async function rejects(promise, check, what) {
  try {
    await promise;
  } catch (e) {
    check(e);
    return e;
  }
  throw new Error(`${what}: did not reject`);
}
