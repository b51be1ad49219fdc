// @scenario fixtures/board/bad_ramp.json
// @exit 2
// @stderr-has fixtures/board/bad_ramp.json: pins.A0.ramp.end_s: must not be before start_s
// @stderr-not should not run
// A scenario with a bad field: mcujs names the file and field and exits 2.
console.error('should not run');
