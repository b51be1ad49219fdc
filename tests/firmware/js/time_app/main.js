// The device's clock (tests/firmware/time_test.py): prints Date.now() and
// what a TLS connection to the test's server says (connected, or the error
// code: CLOCK_NOT_SET while the clock is unknown).
console.log(`now: ${Date.now()}`);
try {
  // The test PKI's server certificate names localhost (QEMU's host is 10.0.2.2).
  const s = await tls.connect({ host: '10.0.2.2', servername: 'localhost', port: photon.config.tlsPort, timeout: 20000 });
  console.log('tls: connected');
  s.close();
} catch (e) {
  console.log(`tls: ${e.code}`);
}
