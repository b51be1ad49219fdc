// @stdout-has top-level await ok
// No import/export: only the top-level await makes this a module (it does
// not parse as a script), and it runs as one.
const v = await new Promise((resolve) => setTimeout(() => resolve(42), 5));
if (v !== 42) throw new Error(`awaited ${v}`);
if (typeof import.meta.url !== 'string') throw new Error('import.meta missing');
console.log('top-level await ok');
