// Imported by main.js: checks that a module loaded from bytecode before the
// main module satisfies its import.
export const greeting = 'imported from lib.js';
export function later(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
