// Bring-up program for the firmware (the sensor hub app comes later): shows
// that console, timers and promises work from bytecode in flash.
console.log('hello from mcujs on a Cortex-M3');

let ticks = 0;
const done = new Promise((resolve) => {
  const iv = setInterval(() => {
    ticks++;
    console.log(`tick ${ticks}`);
    if (ticks === 3) {
      clearInterval(iv);
      resolve(ticks);
    }
  }, 10);
});

setTimeout(() => console.log('timeout after 25 ms'), 25);

const n = await done;
const obj = { ticks: n, list: [1, 2, 3].map((x) => x * 2), ok: true };
console.log(`promise resolved: ${JSON.stringify(obj)}`);
// On demand: the JS heap and, on the board, the device's RAM (photon.memory()).
const mem = photon.memory();
console.log(`memory: RAM ${mem.device.ram} bytes, stack peak below its size: ${mem.device.stackPeak < mem.device.stackSize}, JS heap within its limit: ${mem.js.peak <= mem.js.limit}`);
// Recursion runs on the board's main stack (docs/firmware.md, "Memory map"):
// from a timer, at least one nested call per 450 bytes of it above the 4 KB
// kept for C, then a catchable stack overflow, never a crash.
const deep = (n) => (n ? 1 + deep(n - 1) : 0);
const [depth, error] = await new Promise((resolve) => setTimeout(() => {
  let n = 0;
  for (; n < 1000; n++) try { deep(n + 1); } catch (e) { return resolve([n, String(e)]); }
  resolve([n, 'no error']);
}, 0));
const wanted = Math.floor((mem.device.stackSize - 4096) / 450);
console.log(`recursion: ${depth >= wanted ? 'at least' : 'only'} one call per 450 bytes of stack, then ${error}`);
console.log('done');
