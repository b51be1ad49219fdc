// A multi-module app for the bundle round trip (tests/firmware/bundle_test.py):
// classes across modules, Map, RegExp, Date, top-level await and its
// configuration from the bundle (mcujs bundle --config).
import { Square, Circle } from './lib/shapes.js';
import { words } from './lib/text.js';

console.log('app: start');
const shapes = [new Square(2), new Circle(1)];
const areas = new Map(shapes.map((s) => [s.name, s.area().toFixed(2)]));
console.log(`areas: ${JSON.stringify([...areas])} ${shapes[1] instanceof Circle}`);
console.log(`words: ${words('mcujs runs bundles, from flash!').join('|')}`);
const m = /^(\d{4})-(\d{2})$/.exec(photon.config.month);
console.log(`month: ${m[1]}/${m[2]}`);
console.log(`date: ${new Date(Date.UTC(2024, 1, 29, 12)).toISOString()} now is a ${typeof Date.now()}`);
const waited = await new Promise((resolve) => setTimeout(() => resolve('after a timer'), 20));
console.log(`await: ${waited}`);
if (photon.config.fail) throw new Error(photon.config.fail);
console.log('app: end');
