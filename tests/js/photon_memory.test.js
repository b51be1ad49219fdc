// @stdout-has photon memory ok
// photon.memory(): the JS heap's use, peak and limit; on Linux no "device"
// part (the firmware adds it: tests/firmware/hello.expected).
import { eq, ok, throws } from './assert.js';

const m = photon.memory();
ok(m.js.used > 0 && m.js.peak >= m.js.used, 'used <= peak');
ok(m.js.limit >= m.js.peak, 'peak within the limit');
eq(m.device, undefined, 'no device report on Linux');

// Allocating raises the peak; what is freed lowers use again.
let big = new Array(20000).fill(0).map((_, i) => ({ i }));
const during = photon.memory();
ok(during.js.used > m.js.used + 100000, 'an array of 20000 objects shows in used');
big = null;
// (no gc() in mcujs: the count goes down when QuickJS collects; the peak stays)
ok(photon.memory().js.peak >= during.js.used, 'the peak keeps the high-water mark');

throws(() => photon.memory(1), TypeError, 'at most 0', 'memory(1)');
console.log('photon memory ok');
