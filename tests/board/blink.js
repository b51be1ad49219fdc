// The board determinism tests' app: samples the sensors every 500 ms and
// drives the alarm LED on D7 (written every sample; traced only on change):
// on while gas (A0) > 1000 or the DHT11 on D2 reads above 40 °C. A failed
// DHT11 read counts as "not hot".
photon.pin.mode(photon.D7, 'OUTPUT');
photon.pin(photon.D7, photon.LOW);
photon.pin.mode(photon.A0, 'INPUT');
let samples = 0;
setInterval(() => {
  samples++;
  let hot = false;
  try {
    hot = dht11.read(photon.D2).temperature > 40;
  } catch (e) {
    if (e.message !== 'DHT read error') throw e;
  }
  photon.pin(photon.D7, photon.pin(photon.A0) > 1000 || hot ? 1 : 0);
}, 500);
setTimeout(() => console.log(`samples: ${samples}`), 3599900);
