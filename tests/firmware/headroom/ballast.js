// Live JS heap for the headroom probe: JS_KB strings of 1000 characters
// (about 1 KB of heap each), kept until the end of the run.
import { JS_KB } from './size.js';

const kept = [];
for (let i = 0; i < JS_KB; i++) kept.push(String.fromCharCode(65 + (i % 26)).repeat(999) + (i % 10));
console.log(`headroom: holding ${kept.length} KB of JS heap`);
export { kept };
