// @stdout-has handled ok
// @stderr-not Unhandled
// A rejection that gets its handler in the same turn is not reported.
const p = Promise.reject(new Error('caught later'));
Promise.resolve().then(() => {
  p.catch((e) => console.log('handled', e.message === 'caught later' ? 'ok' : 'BAD'));
});
