// The full JavaScript API on a board (tests/firmware/api_test.py): Date,
// RegExp, Map/Set, typed arrays, fetch over HTTPS with the connection kept
// alive between two requests, tls.connect and photon.TLSTCPClient (also
// reading past the server's close), against the test's HTTPS
// server on the host (10.0.2.2 from QEMU's user network). Each line
// "api: <what> <result>" is checked by the driver; a failure throws, which
// ends the run with status 1.
import { pastEnd } from './end.js';

const port = photon.config.port;
const say = (what, v) => console.log(`api: ${what} ${v}`);

const d = new Date(Date.UTC(2026, 11, 6, 12, 30, 5));
say('date', `${d.toISOString()} ${Date.now() > Date.UTC(2026, 0, 1)}`);

const m = /(\d+)-(\d+)/.exec('span 17-42');
say('regexp', `${Number(m[1]) + Number(m[2])} ${'a,b;c'.split(new RegExp('[,;]')).join('')}`);

const seen = new Set([1, 2, 2, 3]);
const map = new Map([['a', 1]]);
map.set('b', seen.size);
say('mapset', `${seen.size} ${map.get('b')} ${[...map.keys()].join('')}`);

const bytes = new Uint8Array([1, 2, 3, 250]);
const view = new DataView(bytes.buffer);
say('typed', `${bytes.reduce((a, b) => a + b, 0)} ${view.getUint16(2, false)} ${new Float64Array(2).length}`);

// Strings by code point: the string iterator (for-of, spread, Array.from).
// It once never advanced on the Cortex-M images (cmake/quickjs.cmake,
// -fno-strict-aliasing): for-of looped on the first character.
const text = 'a\u00f1\u{1F600}b';
let walked = '';
for (const ch of text) walked += ch.codePointAt(0).toString(16) + ' ';
say('strings', `${[...text].length} ${Array.from('xyz').join('-')} ${walked.trim()}`);

// Two requests to one origin: the second reuses the first's connection.
const base = `https://10.0.2.2:${port}`;
const r1 = await fetch(`${base}/keepalive`);
const t1 = await r1.text();
const r2 = await fetch(`${base}/keepalive`);
const t2 = await r2.text();
const st = fetch.stats();
say('fetch', `${r1.status} ${t1} ${r2.status} ${t2} reused=${r2._reused} connections=${st.connections}`);

// tls.connect (a raw HTTP/1.1 request on a socket of its own) and
// photon.TLSTCPClient, each read past the server's close (end.js).
const raw = await pastEnd(port, say);
say('tls', `${raw.sock.protocol} ${raw.reply.split('\r\n')[0]} ${raw.reply.endsWith('raw ok') ? 'body ok' : 'body missing'}`);
