// @scenario fixtures/board/hour.json
// @stdout-has ticks 7199
// @stdout-has board: scenario duration reached (t=3600.000 s), stopping
// @stderr-not too late
// @timeout 20
// duration_s ends the run on the simulated clock: an hour of 500 ms timers
// runs in a moment, and a timer due exactly at the end does not run.
let ticks = 0;
setInterval(() => { ticks++; }, 500);
setTimeout(() => console.log('ticks', ticks), 3599600);
setTimeout(() => console.error('too late'), 3600000);
