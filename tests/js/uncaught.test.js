// @exit 1
// @stderr-has Uncaught RangeError: boom from fixture
// @stderr-has fixtures/throws.js:2
// @stderr-not never printed
// An exception thrown in a timer callback is logged with message, stack and
// file:line, and ends the program with status 1 (the default).
import { boom } from './fixtures/throws.js';
setTimeout(() => boom(), 1);
setTimeout(() => console.error('never printed'), 50);
