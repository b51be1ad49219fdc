// Reads the hub's sensors once: movement (PIR, D0), flame (active low, D1),
// temperature and humidity (DHT11, D2) and gas (MQ-2 on A0, 0..4095).
// A failed DHT11 read keeps the last good values (the sensor is flaky by
// nature) and is logged, as on the article's board.

export function createReader(pins) {
  photon.pin.mode(pins.movement, 'INPUT');
  photon.pin.mode(pins.flame, 'INPUT_PULLUP');
  photon.pin.mode(pins.gas, 'INPUT');
  let climate = { temperature: null, humidity: null };

  return function read() {
    try {
      climate = dht11.read(pins.dht);
    } catch (e) {
      photon.log.warn(`DHT11 on pin ${pins.dht}: ${e.message}; keeping the last values`);
    }
    return {
      movement: photon.pin(pins.movement),  // digital pins read booleans
      flame: !photon.pin(pins.flame),  // active low
      temperature: climate.temperature,
      humidity: climate.humidity,
      gas: photon.pin(pins.gas),
    };
  };
}
