// @stdout-has modules ok
// ES modules: relative imports resolved against the importing file, named
// and default exports, nested imports, import.meta.
import * as sensors from './fixtures/sensors.js';
import fixture from './fixtures/sensors.js';
import { scale } from './fixtures/../fixtures/lib/./scale.js';
import { eq, ok } from './assert.js';

eq(sensors.name, 'sensors', 'named export');
eq(sensors.read(4095), 3300, 'function from a nested import');
eq(fixture.kind, 'fixture', 'default export');
eq(scale(0), 0, 'path with . and .. segments');
ok(import.meta.url.endsWith('modules.test.js'), 'import.meta.url names this file');
eq(import.meta.main, true, 'import.meta.main');

// Dynamic import, also relative to this file.
const lib = await import('./fixtures/lib/scale.js');
eq(lib.scale(4095), 3300, 'dynamic import');
console.log('modules ok');
