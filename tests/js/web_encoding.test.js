// @stdout-has web encoding ok
// TextDecoder and TextEncoder against the WHATWG Encoding standard (UTF-8,
// UTF-16): streaming, the BOM, fatal mode, U+FFFD per maximal subpart,
// encodeInto.
import { eq, ok, throws } from './assert.js';

const b = (...x) => new Uint8Array(x);
const dec = (bytes, opts) => new TextDecoder('utf-8', opts).decode(b(...bytes));
// ------------------------------------------------------------ one-shot decode
eq(dec([0xEF, 0xBB, 0xBF, 0x61]), 'a', 'the BOM is dropped');
eq(dec([0xEF, 0xBB, 0xBF, 0x61], { ignoreBOM: true }), '\uFEFFa', 'ignoreBOM keeps it');
eq(dec([0x61, 0xEF, 0xBB, 0xBF]), 'a\uFEFF', 'only a leading BOM is one');
eq(dec([0xF0, 0x9F, 0x41]), '\uFFFDA', 'one U+FFFD for a maximal subpart');
eq(dec([0xF0, 0x8F, 0x92]), '\uFFFD\uFFFD\uFFFD', 'a bad second byte: each byte its own');
eq(dec([0xED, 0xA0, 0x80]), '\uFFFD\uFFFD\uFFFD', 'surrogates are not UTF-8');
eq(dec([0xC0, 0x80, 0xF5]), '\uFFFD\uFFFD\uFFFD', 'overlong and out-of-range leads');
eq(dec([0xE2, 0x82]), '\uFFFD', 'truncated at the end');
throws(() => dec([0x61, 0xFF], { fatal: true }), TypeError, 'invalid UTF-8', 'fatal');
const fatal = new TextDecoder('utf-8', { fatal: true });
throws(() => fatal.decode(b(0xE2, 0x82)), TypeError, 'invalid UTF-8', 'fatal: truncated');
eq(fatal.decode(b(0xE2, 0x82, 0xAC)), '\u20AC', 'an error does not poison the next decode');
eq([fatal.fatal, fatal.ignoreBOM, fatal.encoding], [true, false, 'utf-8'], 'attributes');
eq(new TextDecoder(' UTF8\n').encoding, 'utf-8', 'labels: trimmed, case-insensitive');
throws(() => new TextDecoder('windows-1252'), RangeError, 'not supported', 'no legacy encodings');
// ------------------------------------------------------------ UTF-16
const u16 = (label, bytes, opts) => new TextDecoder(label, opts).decode(b(...bytes));
eq([new TextDecoder('utf-16').encoding, new TextDecoder('UnicodeFFFE').encoding], ['utf-16le', 'utf-16be'], 'UTF-16 labels');
eq(u16('utf-16le', [0xFF, 0xFE, 0x41, 0, 0x3D, 0xD8, 0xA9, 0xDC]), 'A\u{1F4A9}', 'LE: BOM dropped, a surrogate pair');
eq(u16('utf-16be', [0xFE, 0xFF, 0, 0x41, 0xD8, 0x3D, 0xDC, 0xA9]), 'A\u{1F4A9}', 'BE: BOM dropped, a surrogate pair');
eq(u16('utf-16be', [0xFF, 0xFE, 0, 0x41]), '\uFFFEA', 'the other BOM is a character');
eq(u16('utf-16le', [0, 0xDC, 0x41, 0, 0x42]), '\uFFFDA\uFFFD', 'a lone trail surrogate, an odd last byte');
eq(u16('utf-16le', [0x3D, 0xD8, 0x41, 0]), '\uFFFDA', 'a lead surrogate without its trail');
throws(() => u16('utf-16le', [0x3D, 0xD8], { fatal: true }), TypeError, 'invalid UTF-16', 'UTF-16 fatal');
const s16 = new TextDecoder('utf-16le');
eq([s16.decode(b(0x3D), { stream: true }), s16.decode(b(0xD8, 0xA9), { stream: true }), s16.decode(b(0xDC))],
   ['', '', '\u{1F4A9}'], 'UTF-16 stream: odd bytes and a cut pair wait');
eq(new TextDecoder().decode(new DataView(b(0x68, 0x69).buffer)), 'hi', 'a DataView');
eq(new TextDecoder().decode(b(0x68, 0x69).buffer), 'hi', 'an ArrayBuffer');
// ------------------------------------------------------------ streaming
const euro = [0xE2, 0x82, 0xAC], pile = [0xF0, 0x9F, 0x92, 0xA9];
for (const size of [1, 2, 3]) {
  const all = [0xEF, 0xBB, 0xBF, ...euro, 0x41, ...pile, 0xC3, 0xA9];
  const d = new TextDecoder();
  let out = '';
  for (let i = 0; i < all.length; i += size) out += d.decode(b(...all.slice(i, i + size)), { stream: true });
  out += d.decode();
  eq(out, '\u20ACA\u{1F4A9}\u00E9', `stream in chunks of ${size}: BOM dropped, sequences joined`);
}
const s = new TextDecoder();
eq(s.decode(b(0xF0, 0x9F, 0x92), { stream: true }), '', 'a cut sequence waits');
eq(s.decode(b(0xA9)), '\u{1F4A9}', 'and completes');
eq(s.decode(b(0xEF, 0xBB, 0xBF, 0x78)), 'x', 'a new stream drops its BOM again');
eq(s.decode(b(0xF0, 0x41), { stream: true }), '\uFFFDA', 'an error inside a chunk is not kept');
eq(s.decode(b(0xE2), { stream: true }) + s.decode(), '\uFFFD', 'flush: a cut sequence at the end is U+FFFD');
eq(s.decode(b(0xEF, 0xBB), { stream: true }) + s.decode(b(0xBF, 0x40)), '@', 'a BOM cut in two');
const fs = new TextDecoder('utf-8', { fatal: true });
eq(fs.decode(b(0xE2, 0x82), { stream: true }), '', 'fatal stream: a cut sequence is no error yet');
throws(() => fs.decode(), TypeError, 'invalid UTF-8', 'but is at the end');
eq(fs.decode(b(0x41)), 'A', 'the error ended the stream');
throws(() => s.decode(b(1), 1), TypeError, 'options', 'options must be an object');
// ------------------------------------------------------------ TextEncoder
const te = new TextEncoder();
eq([...te.encode('\uDC00\uD800')], [0xEF, 0xBF, 0xBD, 0xEF, 0xBF, 0xBD], 'lone surrogates become U+FFFD');
const dst = new Uint8Array(5);
eq(te.encodeInto('a\u20AC\u{1F4A9}', dst), { read: 2, written: 4 }, 'encodeInto: whole code points only');
eq([...dst], [0x61, 0xE2, 0x82, 0xAC, 0], 'encodeInto: the bytes');
eq(te.encodeInto('\uD800x', new Uint8Array(8)), { read: 2, written: 4 }, 'encodeInto: a lone surrogate counts one unit');
const big = new Uint8Array(10);
eq(te.encodeInto('xy', big.subarray(4, 6)), { read: 2, written: 2 }, 'encodeInto into a view at an offset');
eq([big[3], big[4], big[5], big[6]], [0, 0x78, 0x79, 0], 'only inside the view');
for (const T of [Int8Array, Uint16Array, Uint8ClampedArray, DataView])
  throws(() => te.encodeInto('', new T(new ArrayBuffer(2))), TypeError, 'Uint8Array', `encodeInto rejects ${T.name}`);
throws(() => te.encodeInto('', new ArrayBuffer(2)), TypeError, 'Uint8Array', 'encodeInto rejects an ArrayBuffer');
ok(te.encode().length === 0, 'encode() is empty');
console.log('web encoding ok');
