// @stdout-has web url ok
// URL and URLSearchParams against the WHATWG URL standard: each case is a
// rule of the standard's parser, host parser, serializer or setters
// (written from the standard, not copied from its web platform tests).
import { eq, ok, throws } from './assert.js';

const parts = (u) => [u.href, u.protocol, u.username, u.password, u.host, u.hostname, u.port, u.pathname, u.search, u.hash];
const href = (s, base) => new URL(s, base).href;
const bad = (s, base) => throws(() => new URL(s, base), TypeError, 'nvalid URL', `invalid: ${s}`);

// ------------------------------------------------------------ special schemes
eq(parts(new URL('HTTPS://Us%65r:p@ss@Example.COM:443/a/./b/../c?q=1 2#f g')),
   ['https://Us%65r:p%40ss@example.com/a/c?q=1%202#f%20g', 'https:', 'Us%65r', 'p%40ss', 'example.com', 'example.com', '',
    '/a/c', '?q=1%202', '#f%20g'], 'credentials, default port dropped, dot segments, encode sets');
eq(href('ws://h:80/'), 'ws://h/', 'ws default port');
eq(href('ftp://h:21/x'), 'ftp://h/x', 'ftp default port');
eq(href('http://h:0080/'), 'http://h/', 'leading zeros of a port');
bad('http://h:65536/');
bad('http://h:8a/');
eq(href('http:\\\\h\\a\\b'), 'http://h/a/b', 'a backslash is a slash in special URLs');
eq(href("http://h/?a'b"), 'http://h/?a%27b', "' in a special query");
eq(href("x://h/?a'b"), "x://h/?a'b", "' kept in a non-special query");
eq(href('http://h/a/%2e%2E/b'), 'http://h/b', '%2e%2e is a double-dot segment');
eq(href('http://h/{}^`|'), 'http://h/%7B%7D%5E%60|', 'path encode set');
eq(href('  http://h/\t\na\r  '), 'http://h/a', 'C0/space trimmed, tab and newlines removed');
bad('http://');
bad('http://user@/x');
eq(href('http:/h'), 'http://h/', 'missing slashes');
// ------------------------------------------------------------ relative references
const base = 'http://u:p@h.test:8080/a/b/c?q#f';
eq(href('../d', base), 'http://u:p@h.test:8080/a/d', 'dot-dot');
eq(href('?x', base), 'http://u:p@h.test:8080/a/b/c?x', 'query only');
eq(href('#y', base), 'http://u:p@h.test:8080/a/b/c?q#y', 'fragment only');
eq(href('//o.test', base), 'http://o.test/', 'scheme-relative');
eq(href('', base), 'http://u:p@h.test:8080/a/b/c?q', 'empty');
eq(href('https:x', base), 'https://x/', 'other special scheme');
bad('x', 'mailto:a@b');
eq(href('#z', 'mailto:a@b'), 'mailto:a@b#z', 'a fragment against an opaque path');
// ------------------------------------------------------------ hosts
eq(href('http://0x7F.1/'), 'http://127.0.0.1/', 'IPv4 hex and short forms');
eq(href('http://0300.0250.1.1/'), 'http://192.168.1.1/', 'IPv4 octal');
eq(href('http://4294967295/'), 'http://255.255.255.255/', 'IPv4 one number');
bad('http://4294967296/');
bad('http://1.2.3.256/');
bad('http://a.0x/');
eq(href('http://[0:0:0:0:0:0:0:1]/'), 'http://[::1]/', 'IPv6 compression');
eq(href('http://[1:0:0:2:0:0:0:3]/'), 'http://[1:0:0:2::3]/', 'IPv6: the longest zero run');
eq(href('http://[::ffff:192.168.0.1]/'), 'http://[::ffff:c0a8:1]/', 'IPv6 with an IPv4 tail');
bad('http://[1::2::3]/');
bad('http://[::1/');
eq(href('http://a%41.com/'), 'http://aa.com/', 'percent-decoded, lower-cased');
bad('http://a%00b/');
bad('http://a<b/');
eq(href('x://a b/'.replace(' ', '%20')), 'x://a%20b/', 'an opaque host keeps its escapes');
bad('x://a b/');
eq(href('file://localhost/etc'), 'file:///etc', 'file: localhost is the empty host');
eq(href('file:c:\\x'), 'file:///c:/x', 'Windows drive letter');
eq(href('..', 'file:///C:/'), 'file:///C:/', 'a drive letter is not popped');
// ------------------------------------------------------------ IDNA (Punycode ToASCII)
eq(new URL('http://Bücher.example/').host, 'xn--bcher-kva.example', 'Punycode, lower case');
eq(new URL('http://ÄÖÜ.de/').host, 'xn--4ca0bs.de', 'upper case mapped first');
eq(new URL('http://ｅｘａｍｐｌｅ．ｃｏｍ/').host, 'example.com', 'full-width letters and full stop (NFKC)');
eq(new URL('http://faß.de/').host, 'xn--fa-hia.de', 'ß kept (non-transitional)');
eq(new URL('http://a\u00adb.com/').host, 'ab.com', 'a soft hyphen is ignored');
eq(new URL('http://☕.example/').host, 'xn--53h.example', 'a symbol');
eq(new URL('http://xn--53h.example/').host, 'xn--53h.example', 'an ASCII label as it is');
eq(new URL('http://a..ü./').host, 'a..xn--tda.', 'empty labels next to a non-ASCII one');
bad('http://\ufffd.com/');
bad('http://a\u2488com/');
bad('http://\u0301a.com/');
bad('http://xn--tešla.com/');
bad('http://يa.com/');
// ------------------------------------------------------------ opaque paths and other schemes
eq(parts(new URL('mailto:Joe@Example.COM?subject=hi')),
   ['mailto:Joe@Example.COM?subject=hi', 'mailto:', '', '', '', '', '', 'Joe@Example.COM', '?subject=hi', ''], 'opaque path');
eq(new URL('data:text/plain,a b ?x').pathname, 'text/plain,a b%20', 'a space before ? is escaped');
eq(href('web+x:/a/../b'), 'web+x:/b', 'non-special hierarchical path');
eq(href('sc:/.//p'), 'sc:/.//p', 'a leading empty segment is kept behind /.');
// ------------------------------------------------------------ origin
eq(new URL('https://h:8443/p').origin, 'https://h:8443', 'tuple origin');
eq(new URL('blob:https://h/uuid').origin, 'https://h', 'blob: origin');
eq([new URL('file:///x').origin, new URL('data:,x').origin, new URL('x://h/').origin], ['null', 'null', 'null'], 'opaque origins');
// ------------------------------------------------------------ setters
let u = new URL('http://h/p?q#f');
u.protocol = 'https'; eq(u.href, 'https://h/p?q#f', 'protocol');
u.protocol = 'x'; eq(u.protocol, 'https:', 'special to non-special is refused');
u.username = 'a b'; u.password = 'c:d'; eq(u.href, 'https://a%20b:c%3Ad@h/p?q#f', 'credentials encoded');
u.host = 'o.test:8443'; eq(u.host, 'o.test:8443', 'host with port');
u.hostname = 'n.test'; eq(u.host, 'n.test:8443', 'hostname keeps the port');
u.port = '443'; eq(u.port, '', 'the default port becomes null');
u.port = '99999'; eq(u.port, '', 'an out-of-range port is ignored');
u.port = '81x'; eq(u.port, '81', 'port: digits up to the first other');
u.pathname = 'a/../b c'; eq(u.pathname, '/b%20c', 'pathname parsed');
u.search = 'k=v w'; eq([u.search, u.searchParams.get('k')], ['?k=v%20w', 'v w'], 'search and its params');
u.hash = '#x y'; eq(u.hash, '#x%20y', 'hash');
u.hash = ''; u.search = ''; eq(u.href, 'https://a%20b:c%3Ad@n.test:81/b%20c', 'cleared');
const f = new URL('file:///x');
f.username = 'u'; f.port = '1'; f.host = 'h'; eq(f.href, 'file://h/x', 'file: has no credentials or port');
const m = new URL('mailto:x');
m.pathname = 'y'; m.host = 'h'; eq(m.href, 'mailto:x', 'an opaque path ignores pathname and host');
u.href = 'ws://w/'; eq([u.protocol, u.searchParams.size], ['ws:', 0], 'href replaces everything');
throws(() => { u.href = 'nope'; }, TypeError, 'invalid URL', 'a bad href throws');
// ------------------------------------------------------------ statics, string forms
eq([URL.canParse('x:'), URL.canParse('a', 'https://b/'), URL.canParse('a'), URL.canParse('a', 'bad')], [true, true, false, false], 'canParse');
eq([URL.parse('nope'), URL.parse('/p', 'http://h').href], [null, 'http://h/p'], 'URL.parse');
ok(URL.parse('http://h/') !== URL.parse('http://h/'), 'URL.parse: a new object each time');
eq([String(new URL('http://h')), JSON.stringify(new URL('http://h'))], ['http://h/', '"http://h/"'], 'toString, toJSON');
eq(Object.prototype.toString.call(new URL('http://h')), '[object URL]', 'toStringTag');
ok(Object.keys(URL.prototype).includes('href'), 'attributes are enumerable');
throws(() => URL.prototype.href, TypeError, 'not a URL', 'brand check');
// ------------------------------------------------------------ URLSearchParams
const sp = new URLSearchParams('b=2&a=1&b=1&c');
eq(sp.size, 4, 'size');
ok(sp.has('b', '1') && !sp.has('b', '3'), 'has(name, value)');
sp.delete('b', '2'); eq(sp.toString(), 'a=1&b=1&c=', 'delete(name, value)');
sp.append('a', '0'); sp.sort(); eq(sp.toString(), 'a=1&a=0&b=1&c=', 'sort is stable, by code units');
const s2 = new URLSearchParams('\uD83C\uDF08=1&\uFB03=2'); s2.sort(); eq([...s2.keys()], ['\uD83C\uDF08', '\uFB03'], 'sort compares code units');
eq(new URLSearchParams('a=%zz&b=%41%2').toString(), 'a=%25zz&b=A%252', 'bad escapes kept as they are');
eq(new URLSearchParams({ ' +': '&=' }).toString(), '+%2B=%26%3D', 'form encoding');
const v = new URL('http://h/?a=1&b=2');
const live = v.searchParams;
live.delete('a'); eq(v.search, '?b=2', 'a URL follows its params');
live.delete('b'); eq(v.href, 'http://h/', 'empty params: no ?');
v.search = '?z=1'; eq([live.get('z'), live === v.searchParams], ['1', true], 'params follow the URL');
const o = new URL('data:x  ?y');
o.searchParams.delete('y'); eq(o.href, 'data:x %20', 'the query of an opaque path');
console.log('web url ok');
