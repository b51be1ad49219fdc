// @stdout-has board without scenario ok
// Without --scenario: every input reads 0 (1 with a pull-up), no DHT sensor
// answers, outputs work, on the real clock.
import { eq, throws } from './assert.js';

eq([photon.pin(photon.D0), photon.pin(photon.A0)], [false, 0], 'inputs read false (digital) and 0 (analog)');
photon.pin.mode(photon.A0, 'INPUT_PULLUP');
eq(photon.pin(photon.A0), 4095, 'a pulled-up analog input reads full scale');
const e = throws(() => dht11.read(photon.D2), Error, 'DHT read error', 'no sensor');
eq(e.code, 'TIMEOUT', 'code');
photon.pin.mode(photon.D7, 'OUTPUT');
photon.pin(photon.D7, 1);
eq(photon.pin(photon.D7), true, 'output');
console.log('board without scenario ok');
