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
console.log('done');
