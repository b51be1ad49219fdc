// @scenario fixtures/board/real.json
// @stdout-has at 250 ms: 4000
// @stdout-has board: scenario duration reached (t=0.
// @stderr-not still running
// @timeout 20
// "clock": "real": signals follow the host's time, and duration_s stops the
// run after that much real time even though an interval is still pending.
const start = Date.now();
const first = photon.pin(photon.A0);
if (first !== 0) throw new Error(`A0 at start: ${first}`);
setTimeout(() => console.log('at 250 ms:', photon.pin(photon.A0)), 250);
setInterval(() => {
  if (Date.now() - start > 5000) console.error('still running');
}, 20);
