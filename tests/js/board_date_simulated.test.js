// @scenario fixtures/board/hour.json
// @stdout-has date follows the simulated clock
// @timeout 20
// Date.now() and new Date() follow the simulated board clock (docs/time.md):
// an hour of simulated time passes in a moment of real time, and Date moves
// by that hour, not by the moment.
const t0 = Date.now();
const d0 = new Date().getTime();
setTimeout(() => {
  const dt = Date.now() - t0;
  const dd = new Date().getTime() - d0;
  if (dt < 1800000 || dt > 1800000 + 1000) throw new Error(`Date.now() moved ${dt} ms, expected 1800000`);
  if (dd < 1800000 || dd > 1800000 + 1000) throw new Error(`new Date() moved ${dd} ms, expected 1800000`);
  if (Math.abs(Date.now() - new Date().getTime()) > 5) throw new Error('Date.now() and new Date() disagree');
  console.log('date follows the simulated clock', dt, dd);
}, 1800000);
