// The headroom probe (headroom_test.py, docs/firmware.md "Budget"): the
// sensor hub (main.js and its modules, copied next to this file by the test)
// with extra app JavaScript beside it. size.js (written by the test for each
// run) says how much: JS_KB kilobytes of live JS heap held for the whole run
// (ballast.js) and FUNCTIONS generated functions of app code (extra.js, its
// bytecode in flash, its function objects and atoms on the heap), each called
// once. Modules run in import order: the extras first, then the hub.
import './ballast.js';
import './extra.js';
import './main.js';
