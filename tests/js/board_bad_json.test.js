// @scenario fixtures/board/bad_json.json
// @exit 2
// @stderr-has fixtures/board/bad_json.json: (file): not valid JSON
// A scenario that is not JSON: mcujs says so and exits 2.
console.error('should not run');
