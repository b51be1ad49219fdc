// Reading past the server's close alone (end.js), for boards whose JS heap
// does not hold the full API app (the mps2-an385): tests/firmware/api_test.py
// --entry past_end.js.
import { pastEnd } from './end.js';

await pastEnd(photon.config.port, (what, v) => console.log(`api: ${what} ${v}`));
