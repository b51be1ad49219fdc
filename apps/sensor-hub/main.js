// The sensor hub (the origin article's app, on mcujs): samples the sensors
// every 500 ms, lights the LED on D7 while something is critical, sends a
// 'sensor-alarm' at most every 5 s while critical and a 'sensor-report'
// every 7 s. Events go through the outbox, which persists them and retries
// until the receiver has stored them: nothing is thrown away.
//
//   mcujs run --config hub.json [--scenario s.json] apps/sensor-hub/main.js
import { loadConfig } from './config.js';
import { createReader } from './readings.js';
import { criticalReasons } from './alarms.js';

const cfg = loadConfig(photon.config);
const read = createReader(cfg.pins);
photon.pin.mode(cfg.pins.led, 'OUTPUT');
photon.pin(cfg.pins.led, 0);

// Time is counted in samples, not read from Date.now(): timers follow the
// port's clock (simulated or not), so the behaviour is deterministic.
const alarmEvery = Math.max(1, Math.round(cfg.intervals.alarmMinMs / cfg.intervals.sampleMs));
let tick = 0;
let lastAlarmTick = -Infinity;
let led = 0;
let latest = read();

function send(event, data) {
  const id = photon.outbox.send(event, data);
  photon.log.trace(`queued ${event} #${id}: ${JSON.stringify(data)}`);
}

function sample() {
  latest = read();
  const reasons = criticalReasons(latest, cfg.thresholds);
  const critical = reasons.length > 0 ? 1 : 0;
  if (critical !== led) {
    led = critical;
    photon.pin(cfg.pins.led, led);
  }
  tick++;
  if (critical && tick - lastAlarmTick >= alarmEvery) {
    lastAlarmTick = tick;
    photon.log.warn(`ALARM (${reasons.join(', ')}): ${JSON.stringify(latest)}`);
    send('sensor-alarm', { ...latest, reasons });
  }
}

const sampler = setInterval(sample, cfg.intervals.sampleMs);
const reporter = setInterval(() => send('sensor-report', latest), cfg.intervals.reportMs);

if (cfg.runForS > 0) {
  setTimeout(() => {
    clearInterval(sampler);
    clearInterval(reporter);
    const s = photon.outbox.stats();
    photon.log.info(`sensor hub: ${tick} samples taken; ` +
                    `${s.queued} event(s) left to deliver`);
  }, cfg.runForS * 1000);
}
photon.log.info(`sensor hub: sampling every ${cfg.intervals.sampleMs} ms, ` +
                `reporting every ${cfg.intervals.reportMs} ms`);
