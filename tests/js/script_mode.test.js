// @stdout-has script ok 3
// A plain script (no import/export): globals are shared, scriptArgs is set.
var total = 1 + 2;
if (!Array.isArray(scriptArgs) || !scriptArgs[0].endsWith('script_mode.test.js')) throw new Error('scriptArgs');
console.log('script ok', total);
