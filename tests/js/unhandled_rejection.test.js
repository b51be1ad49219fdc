// @exit 1
// @stderr-has Unhandled promise rejection: Error: nobody catches this
// @stderr-has unhandled_rejection.test.js:6
// A rejection nobody handles is reported (never dropped) and is fatal.
async function fails() {
  throw new Error('nobody catches this');
}
fails();
