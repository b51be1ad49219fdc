// @args --keep-running
// @exit 1
// @stderr-has Uncaught Error: first failure
// @stdout-has still running after the error
// With --keep-running an uncaught error is logged and the loop goes on; the
// exit status still says an error happened.
setTimeout(() => { throw new Error('first failure'); }, 1);
setTimeout(() => console.log('still running after the error'), 30);
