// @stdout-has timers ok
// Timers: ordering, arguments, intervals, clearing, argument handling, and
// their interleaving with promise jobs.
import { eq, ok, throws } from './assert.js';

const log = [];
const t0 = Date.now();

setTimeout((a, b) => log.push(`args:${a}:${b}`), 0, 'x', 2);
// NaN, negative and non-numeric delays mean 0. (Registered before the 10 ms
// timer: a slow start, e.g. under ASan on a loaded machine, must not make
// the 10 ms timer due before them.)
setTimeout(() => log.push('nan'), NaN);
setTimeout(() => log.push('neg'), -50);
setTimeout(() => log.push('t30'), 30);
setTimeout(() => log.push('t10'), 10);
const cancelled = setTimeout(() => log.push('cancelled'), 5);
clearTimeout(cancelled);
clearTimeout(123456);          // unknown id: ignored
clearTimeout(undefined);       // ignored
clearTimeout('nonsense');      // ignored

ok(Number.isInteger(cancelled) && cancelled > 0, 'timer ids are positive integers');
throws(() => setTimeout('code', 1), TypeError, 'callback must be a function', 'string callback');
throws(() => setTimeout(), TypeError, 'expected at least 1 argument', 'no arguments');
throws(() => setInterval({}, 1), TypeError, 'callback must be a function', 'object callback');

let n = 0;
const iv = setInterval(() => {
  n++;
  if (n === 3) clearInterval(iv);   // cleared from inside its own callback
}, 5);

Promise.resolve().then(() => log.push('job'));

setTimeout(() => {
  eq(n, 3, 'interval ran exactly three times');
  eq(log, ['job', 'args:x:2', 'nan', 'neg', 't10', 't30'], 'order of callbacks');
  ok(Date.now() - t0 >= 30, 'a 30 ms timer waited at least 30 ms');
  console.log('timers ok');
}, 80);
