// The Linux side of the firmware's scenario test: reads the board at the
// times sim_main.cpp reads it and prints the same lines (sim.expected).
// mcujs run --scenario tests/firmware/sim_scenario.json tests/firmware/sim_samples.js
// The sample times in ms: the same list as kTimes in sim_main.cpp (the t=
// values in sim.expected keep the two in step).
const kTimes = [0, 1, 499, 500, 501, 1499, 1500, 7249, 7250, 12345, 33333, 45249, 45250, 56249, 56250,
                100199, 100200, 101199, 101200, 1800000, 3004999, 3005000, 3005999, 3006000, 3009999,
                3010000, 3599999, 3600000, 86400000];

photon.pin.mode(photon.D3, 'INPUT_PULLUP');  // nothing connected: reads 1
photon.pin.mode(photon.A3, 'INPUT_PULLUP');  // nothing connected: reads 4095
photon.pin.mode(photon.D7, 'OUTPUT');
photon.pin(photon.D7, 1);                    // an output reads back

const pins = [['D0', photon.D0], ['D1', photon.D1], ['D3', photon.D3], ['D7', photon.D7], ['A0', photon.A0],
              ['A1', photon.A1], ['A2', photon.A2], ['A3', photon.A3], ['A4', photon.A4], ['DAC', photon.DAC]];

function dht(pin) {
  try {
    const { temperature, humidity } = dht11.read(pin);
    return `${temperature},${humidity}`;
  } catch (e) {
    return e.code;
  }
}

let now = 0;
for (const t of kTimes) {
  photon.delay(t - now);  // a simulated clock: jumps exactly
  now = t;
  let line = `SIM t=${t}`;
  for (const [name, pin] of pins) line += ` ${name}=${Number(photon.pin(pin))}`;  // digital: booleans
  console.log(`${line} DHT2=${dht(photon.D2)} DHT4=${dht(photon.D4)}`);
}
