// An uncaught error after an import and a timer: the firmware must report it
// (message and stack with file:line) and end the run with status 1.
import { greeting, later } from './lib.js';

console.log(greeting);
await later(5);
console.log('before the error');
setTimeout(() => {
  throw new Error('boom from a timer');
}, 5);
