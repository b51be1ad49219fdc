// @scenario fixtures/board/pins.json
// @stdout-has pin D7 -> HIGH (t=2.000 s)
// @stdout-has pin D7 -> LOW (t=2.000 s)
// @stdout-has pin DAC -> 2048 (t=2.000 s)
// @stdout-has board pins ok
// @stderr-has pin: D5 was written before photon.pin.mode(photon.pin.D5, 'OUTPUT'); the write is ignored
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
// The article's spelling: the numbers on photon.pin too (A6 is the DAC, A7 is WKP).
eq([pin.D0, pin.D1, pin.D2, pin.D3, pin.D4, pin.D5, pin.D6, pin.D7], [0, 1, 2, 3, 4, 5, 6, 7], 'pin.D0..D7');
eq([pin.A0, pin.A1, pin.A2, pin.A3, pin.A4, pin.A5, pin.A6, pin.A7, pin.DAC],
   [10, 11, 12, 13, 14, 15, 16, 17, 16], 'pin.A0..A7, pin.DAC');
throws(() => { pin.D7 = 3; }, TypeError, '', 'pin constants are read-only');
eq(pin.mode(photon.D7), null, 'no mode set yet');
eq([pin.mode.INPUT, pin.mode.OUTPUT, pin.mode.INPUT_PULLUP, pin.mode.INPUT_PULLDOWN],
   ['INPUT', 'OUTPUT', 'INPUT_PULLUP', 'INPUT_PULLDOWN'], 'mode names');
throws(() => { photon.D7 = 3; }, TypeError, '', 'constants are read-only');
eq(photon.D7, 7, 'D7 unchanged');

// Scripted inputs at t = 0, 1 s, 2 s (photon.delay costs no real time here).
eq([pin(photon.D0), pin(photon.A0), pin(photon.A1)], [false, 0, 4095], 't=0: D0, A0, A1 (clamped)');
const a2 = pin(photon.A2);
ok(Number.isInteger(a2) && a2 >= 1900 && a2 <= 2100, `A2 noisy around 2000: ${a2}`);
photon.delay(1000);
eq([pin(photon.D0), pin(photon.A0)], [true, 1000], 't=1 s');
photon.delay(1000);
eq([pin(photon.D0), pin(photon.A0)], [false, 2000], 't=2 s');

// Unscripted inputs read 0, or 1 with a pull-up.
eq([pin(photon.D4), pin(photon.A3)], [false, 0], 'unscripted inputs');
pin.mode(photon.D4, 'INPUT_PULLUP');
eq(pin(photon.D4), true, 'pulled up');
pin.mode(photon.D4, pin.mode.INPUT_PULLDOWN);
eq(pin(photon.D4), false, 'pulled down');
eq(pin.mode(photon.D4), 'INPUT_PULLDOWN', 'mode read back');

// A write to a pin whose mode was never set is ignored, as Device OS's
// digitalWrite does (the article writes D7 so), with one warning per pin.
eq(pin(photon.D5, true), undefined, 'write without a mode: no exception');
pin(photon.D5, 1);
eq(pin(photon.D5), false, 'write without a mode changed nothing');
throws(() => pin(photon.D5, 'x'), TypeError, 'value for D5 must be a boolean or a number', 'value checked anyway');

// Outputs: 0/1/true/false and the constants; an output reads back.
pin.mode(photon.D7, 'OUTPUT');
eq(pin(photon.D7), false, 'outputs start LOW');
eq(pin(photon.D7, photon.HIGH), undefined, 'write returns undefined');
eq(pin(photon.D7), true, 'read back HIGH');
pin(photon.D7, false);
eq(pin(photon.D7), false, 'false is LOW');
pin(photon.D7, 2);
eq(pin(photon.D7), true, 'any other number is HIGH');
pin(photon.D7, NaN);
eq(pin(photon.D7), false, 'NaN is LOW');
pin(photon.D7, -1);
eq(pin(photon.D7), true, '-1 is HIGH');
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
throws(() => pin(8), RangeError, 'pin: unknown pin 8 (D0..D7 are 0..7, A0..A5 are 10..15, DAC (A6) is 16, A7 is 17)',
       'pin 8');
throws(() => pin(9), RangeError, 'unknown pin 9', 'pin 9');
throws(() => pin(18), RangeError, 'unknown pin 18', 'pin 18');
throws(() => pin(-1), RangeError, 'unknown pin -1', 'pin -1');
pin.mode(photon.D6, 'INPUT');
pin.mode(photon.A0, 'INPUT');
throws(() => pin(photon.D6, 1), TypeError, "D6 is an input; call photon.pin.mode(photon.D6, 'OUTPUT')", 'write input');
throws(() => pin(photon.A0, 1), TypeError, 'A0 is an input', 'write analog input');
throws(() => pin(photon.D7, 'HIGH'), TypeError, 'value for D7 must be a boolean or a number', "'HIGH'");
throws(() => pin(photon.D7, undefined), TypeError, 'must be a boolean or a number', 'undefined value');
throws(() => pin(photon.D7, null), TypeError, 'must be a boolean or a number', 'null value');
throws(() => pin(photon.DAC, 4096), RangeError, 'value must be in 0..4095, got 4096', 'DAC 4096');
throws(() => pin(photon.DAC, -1), RangeError, 'value must be in 0..4095', 'DAC -1');
throws(() => pin(photon.DAC, 1.5), TypeError, 'value must be an integer', 'DAC 1.5');
throws(() => pin(photon.DAC, true), TypeError, 'value must be an integer', 'DAC true');
throws(() => pin.mode(), TypeError, 'pin.mode: expected at least 1 argument, got 0', 'mode()');
throws(() => pin.mode(photon.D7, 'OUTPUT', 1), TypeError, 'pin.mode: expected at most 2', 'mode 3 args');
throws(() => pin.mode(photon.D7, 'output'), RangeError,
       "pin.mode: mode must be 'INPUT', 'OUTPUT', 'INPUT_PULLUP' or 'INPUT_PULLDOWN', got 'output'", 'lower case');
throws(() => pin.mode(photon.D7, 1), TypeError, 'pin.mode: mode must be a string', 'numeric mode');
throws(() => pin.mode(9, 'INPUT'), RangeError, 'pin.mode: unknown pin 9', 'mode bad pin');
throws(() => pin.mode('D7', 'INPUT'), TypeError, 'pin.mode: pin must be an integer', 'mode pin name');
eq(pin(photon.D7), false, 'failed writes changed nothing');

// Back to an input: writing is refused again.
pin.mode(photon.D7, 'INPUT');
throws(() => pin(photon.D7, 1), TypeError, 'D7 is an input', 'write after INPUT');

// Timers follow the simulated clock: D3's spike is at 2.5..2.75 s.
setTimeout(() => {
  eq(pin(photon.D3), true, 'D3 inside its spike at 2.6 s');
  setTimeout(() => {
    eq(pin(photon.D3), false, 'D3 after its spike at 2.8 s');
    console.log('board pins ok');
  }, 200);
}, 600);
