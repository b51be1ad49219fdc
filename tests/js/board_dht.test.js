// @scenario fixtures/board/dht.json
// @stdout-has board dht ok
// @timeout 20
// dht11.read on the simulated board: values over simulated time (whole
// numbers, as a DHT11 gives), the scripted error window, a pin without a
// sensor, and argument errors.
import { eq, ok, throws } from './assert.js';

eq(dht11.read(photon.D2), { temperature: 21, humidity: 40 }, 't=0');
photon.delay(2500);
eq(dht11.read(photon.D2), { temperature: 21, humidity: 43 }, 't=2.5 s: 42.5 rounds up');
photon.delay(2500);
let e = throws(() => dht11.read(photon.D2), Error, 'DHT read error', 'error window start');
eq(e.message, 'DHT read error', 'the article\'s message');
eq(e.code, 'IO_ERROR', 'error code');
photon.delay(999);
throws(() => dht11.read(photon.D2), Error, 'DHT read error', 'error window end');
photon.delay(1);
eq(dht11.read(photon.D2), { temperature: 21, humidity: 46 }, 't=6 s: readable again');
photon.delay(4000);
const r = dht11.read(photon.D2);
eq(r, { temperature: 36, humidity: 50 }, 't=10 s');
ok(Number.isInteger(r.temperature) && Number.isInteger(r.humidity), 'integers');

e = throws(() => dht11.read(photon.D3), Error, 'DHT read error', 'no sensor on D3');
eq(e.code, 'TIMEOUT', 'no sensor: no answer');

throws(() => dht11.read(), TypeError, 'dht11.read: expected 1 argument, got 0', 'read()');
throws(() => dht11.read(photon.D2, 1), TypeError, 'dht11.read: expected at most 1 argument', 'two args');
throws(() => dht11.read('D2'), TypeError, 'dht11.read: pin must be an integer', 'pin name');
throws(() => dht11.read(9), RangeError, 'dht11.read: unknown pin 9', 'pin 9');
console.log('board dht ok');
