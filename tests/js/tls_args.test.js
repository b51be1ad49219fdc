// @stdout-has tls args ok
// Bad input to tls.connect and to socket methods: clear errors, no crash.
import { eq, ok, throws, rejects } from './assert.js';

throws(() => tls.connect(), TypeError, 'expected 1 argument', 'connect()');
throws(() => tls.connect('localhost'), TypeError, 'options must be an object', 'string');
throws(() => tls.connect({}), TypeError, "option 'host' is required", 'no host');
throws(() => tls.connect({ host: 'localhost' }), TypeError, "option 'port' is required", 'no port');
throws(() => tls.connect({ host: 1, port: 443 }), TypeError, "option 'host' must be a string", 'numeric host');
throws(() => tls.connect({ host: 'localhost', port: 0 }), RangeError, "option 'port' must be in 1..65535", 'port 0');
throws(() => tls.connect({ host: 'localhost', port: 'x' }), TypeError, "option 'port' must be an integer", 'port x');
throws(() => tls.connect({ host: 'localhost', port: 443, timeout: -5 }), RangeError, "option 'timeout'", 'timeout');
throws(() => tls.connect({ host: 'localhost', port: 443, ca: 5 }), TypeError, "option 'ca' must be a string", 'ca');
throws(() => tls.connect({ host: 'localhost', port: 443, servername: {} }), TypeError, "option 'servername'", 'sn');

// A refused TCP connection rejects with a plain Error (not a TLSError).
const port = 40000 + (Date.now() % 1000);
const e = await rejects(tls.connect({ host: '127.0.0.1', port }), (err) => {
  eq(err.code, 'CONNECTION_REFUSED', 'refused: code');
  ok(!(err instanceof TLSError), 'refused is not a TLSError');
}, 'refused');
ok(e.message.includes(String(port)), 'message names the port');

// Invalid CA PEM rejects with a TLSError naming the failure.
await rejects(tls.connect({ host: '127.0.0.1', port, ca: 'not a pem' }), (err) => {
  ok(err instanceof TLSError, 'bad ca: TLSError');
  eq(err.code, 'BAD_INPUT', 'bad ca: code');
}, 'bad ca');

// TLSError is an Error subclass with code and errno.
const te = new TLSError('m', 'CERT_EXPIRED', -9984);
ok(te instanceof Error && te.name === 'TLSError' && te.code === 'CERT_EXPIRED' && te.errno === -9984, 'TLSError shape');
console.log('tls args ok');
