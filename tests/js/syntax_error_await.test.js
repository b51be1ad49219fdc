// @exit 1
// @stderr-has SyntaxError
// @stderr-has syntax_error_await.test.js:7
// Parses neither as a script nor as a module: the script's syntax error is
// reported (not the module's), nothing runs.
console.log('never printed');
const x = await (;
