// @scenario fixtures/board/real.json
// @stdout-has at 2500 ms: 4000
// @stdout-has board: scenario duration reached (t=3.
// @stderr-not still running
// @timeout 20
// "clock": "real": signals follow the host's time, and duration_s stops the
// run after that much real time even though an interval is still pending.
// The ramp starts at 2 s: the first read must come before it even when the
// start is slow (ASan on a loaded machine takes over a second).
const start = Date.now();
const first = photon.pin(photon.A0);
if (first !== 0) throw new Error(`A0 at start: ${first}`);
setTimeout(() => console.log('at 2500 ms:', photon.pin(photon.A0)), 2500);
setInterval(() => {
  if (Date.now() - start > 8000) console.error('still running');
}, 20);
