// Reading past the server's close alone (end.js), for boards whose JS heap
// does not hold the full API app (the mps2-an385): tests/firmware/api_test.py
// --entry past_end.js.
import { pastEnd } from './end.js';

// The string iterator on this board too (main.js, 'strings').
const text = 'a\u00f1\u{1F600}b';
let walked = '';
for (const ch of text) walked += ch.codePointAt(0).toString(16) + ' ';
console.log(`api: strings ${[...text].length} ${Array.from('xyz').join('-')} ${walked.trim()}`);

await pastEnd(photon.config.port, (what, v) => console.log(`api: ${what} ${v}`));
