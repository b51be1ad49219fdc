// @scenario fixtures/board/pins.json
// @stdout-has pin D7 -> HIGH (t=2.000 s)
// @stdout-has pin D7 -> LOW (t=2.000 s)
// @stdout-has pin DAC -> 2048 (t=2.000 s)
// @stdout-has board pins ok
// @timeout 20
// photon.pin / photon.pin.mode on the simulated board (scripted inputs on the
// simulated clock, outputs, the constants) and every argument error.
import { eq, ok, throws } from './assert.js';

const { pin } = photon;

// Constants, as on the Photon.
eq([photon.D0, photon.D1, photon.D2, photon.D3, photon.D4, photon.D5, photon.D6, photon.D7],
   [0, 1, 2, 3, 4, 5, 6, 7], 'D0..D7');
eq([photon.A0, photon.A1, photon.A2, photon.A3, photon.A4, photon.A5, photon.DAC],
   [10, 11, 12, 13, 14, 15, 16], 'A0..A5, DAC');
eq([photon.HIGH, photon.LOW], [1, 0], 'HIGH/LOW');
eq([pin.mode.INPUT, pin.mode.OUTPUT, pin.mode.INPUT_PULLUP, pin.mode.INPUT_PULLDOWN],
   ['INPUT', 'OUTPUT', 'INPUT_PULLUP', 'INPUT_PULLDOWN'], 'mode names');
throws(() => { photon.D7 = 3; }, TypeError, '', 'constants are read-only');
eq(photon.D7, 7, 'D7 unchanged');

// Scripted inputs at t = 0, 1 s, 2 s (photon.delay costs no real time here).
eq([pin(photon.D0), pin(photon.A0), pin(photon.A1)], [0, 0, 4095], 't=0: D0, A0, A1 (clamped)');
const a2 = pin(photon.A2);
ok(Number.isInteger(a2) && a2 >= 1900 && a2 <= 2100, `A2 noisy around 2000: ${a2}`);
photon.delay(1000);
eq([pin(photon.D0), pin(photon.A0)], [1, 1000], 't=1 s');
photon.delay(1000);
eq([pin(photon.D0), pin(photon.A0)], [0, 2000], 't=2 s');

// Unscripted inputs read 0, or 1 with a pull-up.
eq([pin(photon.D4), pin(photon.A3)], [0, 0], 'unscripted inputs');
pin.mode(photon.D4, 'INPUT_PULLUP');
eq(pin(photon.D4), 1, 'pulled up');
pin.mode(photon.D4, pin.mode.INPUT_PULLDOWN);
eq(pin(photon.D4), 0, 'pulled down');

// Outputs: 0/1/true/false and the constants; an output reads back.
pin.mode(photon.D7, 'OUTPUT');
eq(pin(photon.D7), 0, 'outputs start LOW');
eq(pin(photon.D7, photon.HIGH), undefined, 'write returns undefined');
eq(pin(photon.D7), 1, 'read back HIGH');
pin(photon.D7, false);
eq(pin(photon.D7), 0, 'false is LOW');
pin(photon.D7, true);
pin(photon.D7, 0);
pin.mode(photon.DAC, 'OUTPUT');
pin(photon.DAC, 2048);
eq(pin(photon.DAC), 2048, 'DAC reads back');
pin(photon.DAC, 0);
pin(photon.DAC, 4095);

// Argument errors.
throws(() => pin(), TypeError, 'pin: expected at least 1 argument, got 0', 'pin()');
throws(() => pin(1, 2, 3), TypeError, 'pin: expected at most 2 arguments', 'too many');
throws(() => pin('D7'), TypeError, 'pin: pin must be an integer', 'pin name string');
throws(() => pin(1.5), TypeError, 'pin must be an integer', 'fractional pin');
throws(() => pin(NaN), TypeError, 'pin must be an integer', 'NaN pin');
throws(() => pin(null), TypeError, 'pin must be an integer', 'null pin');
throws(() => pin(8), RangeError, 'pin: unknown pin 8 (D0..D7 are 0..7, A0..A5 are 10..15, DAC is 16)', 'pin 8');
throws(() => pin(9), RangeError, 'unknown pin 9', 'pin 9');
throws(() => pin(17), RangeError, 'unknown pin 17', 'pin 17');
throws(() => pin(-1), RangeError, 'unknown pin -1', 'pin -1');
throws(() => pin(photon.D6, 1), TypeError, "D6 is an input; call photon.pin.mode(photon.D6, 'OUTPUT')", 'write input');
throws(() => pin(photon.A0, 1), TypeError, 'A0 is an input', 'write analog input');
throws(() => pin(photon.D7, 2), RangeError, 'value for D7 must be 0, 1, true or false, got 2', 'value 2');
throws(() => pin(photon.D7, -1), RangeError, 'got -1', 'value -1');
throws(() => pin(photon.D7, 0.5), RangeError, 'got 0.5', 'value 0.5');
throws(() => pin(photon.D7, 'HIGH'), TypeError, 'value for D7 must be 0, 1, true or false', "'HIGH'");
throws(() => pin(photon.D7, undefined), TypeError, 'must be 0, 1, true or false', 'undefined value');
throws(() => pin(photon.D7, null), TypeError, 'must be 0, 1, true or false', 'null value');
throws(() => pin(photon.DAC, 4096), RangeError, 'value must be in 0..4095, got 4096', 'DAC 4096');
throws(() => pin(photon.DAC, -1), RangeError, 'value must be in 0..4095', 'DAC -1');
throws(() => pin(photon.DAC, 1.5), TypeError, 'value must be an integer', 'DAC 1.5');
throws(() => pin(photon.DAC, true), TypeError, 'value must be an integer', 'DAC true');
throws(() => pin.mode(photon.D7), TypeError, 'pin.mode: expected 2 arguments, got 1', 'mode(pin)');
throws(() => pin.mode(photon.D7, 'OUTPUT', 1), TypeError, 'pin.mode: expected at most 2', 'mode 3 args');
throws(() => pin.mode(photon.D7, 'output'), RangeError,
       "pin.mode: mode must be 'INPUT', 'OUTPUT', 'INPUT_PULLUP' or 'INPUT_PULLDOWN', got 'output'", 'lower case');
throws(() => pin.mode(photon.D7, 1), TypeError, 'pin.mode: mode must be a string', 'numeric mode');
throws(() => pin.mode(9, 'INPUT'), RangeError, 'pin.mode: unknown pin 9', 'mode bad pin');
throws(() => pin.mode('D7', 'INPUT'), TypeError, 'pin.mode: pin must be an integer', 'mode pin name');
eq(pin(photon.D7), 0, 'failed writes changed nothing');

// Back to an input: writing is refused again.
pin.mode(photon.D7, 'INPUT');
throws(() => pin(photon.D7, 1), TypeError, 'D7 is an input', 'write after INPUT');

// Timers follow the simulated clock: D3's spike is at 2.5..2.75 s.
setTimeout(() => {
  eq(pin(photon.D3), 1, 'D3 inside its spike at 2.6 s');
  setTimeout(() => {
    eq(pin(photon.D3), 0, 'D3 after its spike at 2.8 s');
    console.log('board pins ok');
  }, 200);
}, 600);
