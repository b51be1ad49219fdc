// The app's settings come from the configuration file (mcujs run --config),
// not from code: photon.config.app, with these defaults for what is left out.
// The endpoint, CA, secret and core id live in photon.config.cloud and are
// used by the outbox (see docs/outbox.md).

const defaults = {
  pins: { movement: 'D0', flame: 'D1', dht: 'D2', gas: 'A0', led: 'D7' },
  thresholds: { gas: 1000, temperature: 40 },
  intervals: { sampleMs: 500, reportMs: 7000, alarmMinMs: 5000 },
  // Stop sampling after this many seconds (0 = run forever); queued events
  // are still delivered before the program ends.
  runForS: 0,
};

function pinNumber(name) {
  const n = typeof name === 'number' ? name : photon[name];
  if (!Number.isInteger(n)) throw new TypeError(`config: unknown pin '${name}'`);
  return n;
}

function positive(v, what) {
  if (typeof v !== 'number' || !(v > 0)) throw new RangeError(`config: ${what} must be a positive number`);
  return v;
}

export function loadConfig(config) {
  const app = (config && config.app) || {};
  const pins = { ...defaults.pins, ...(app.pins || {}) };
  const thresholds = { ...defaults.thresholds, ...(app.thresholds || {}) };
  const intervals = { ...defaults.intervals, ...(app.intervals || {}) };
  const out = { pins: {}, thresholds, intervals, runForS: app.runForS ?? defaults.runForS };
  for (const k of Object.keys(pins)) out.pins[k] = pinNumber(pins[k]);
  positive(thresholds.gas, 'app.thresholds.gas');
  positive(thresholds.temperature, 'app.thresholds.temperature');
  for (const k of Object.keys(intervals)) positive(intervals[k], `app.intervals.${k}`);
  if (typeof out.runForS !== 'number' || out.runForS < 0) throw new RangeError('config: app.runForS must be >= 0');
  return out;
}
