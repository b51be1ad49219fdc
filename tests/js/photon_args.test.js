// @stdout-has photon args ok
// Bad input to every photon entry point gives a clear JS error; nothing crashes.
import { eq, ok, throws } from './assert.js';

const { TCPClient, TLSTCPClient, TCPServer } = photon;
const c = TCPClient();

throws(() => c.connect(), TypeError, 'expected 2 arguments', 'connect()');
throws(() => c.connect('localhost'), TypeError, 'expected 2 arguments', 'connect(host)');
throws(() => c.connect(80, 'localhost'), TypeError, 'host must be a string', 'swapped');
throws(() => c.connect('localhost', '80'), TypeError, 'port must be an integer', 'string port');
throws(() => c.connect('localhost', 0), RangeError, 'port must be in 1..65535', 'port 0');
throws(() => c.connect('localhost', 65536), RangeError, 'port must be in 1..65535', 'port 65536');
throws(() => c.connect('localhost', 1.5), TypeError, 'port must be an integer', 'fractional port');
throws(() => c.connect('', 80), RangeError, 'host must be 1..127', 'empty host');
throws(() => c.connect('a'.repeat(300), 80), RangeError, 'host must be 1..127', 'long host');
throws(() => c.connect('localhost', 80, 'extra'), TypeError, 'at most 2', 'too many');

// Use before connect / after stop.
let e = throws(() => c.write('x'), Error, 'not connected', 'write before connect');
eq(e.code, 'NOT_CONNECTED', 'write before connect: code');
throws(() => c.read(), Error, 'not connected', 'read before connect');
eq(c.available(), 0, 'available() before connect');
throws(() => c.write(), TypeError, 'expected 1 argument', 'write()');
throws(() => c.write(42), TypeError, 'data must be a string, ArrayBuffer or Uint8Array', 'write(42)');
throws(() => c.read('all'), TypeError, 'max must be an integer', 'read("all")');
throws(() => c.read(0), RangeError, 'max must be in', 'read(0)');
c.stop(); c.stop();  // idempotent
throws(() => c.write('x'), Error, 'not connected', 'write after stop');

// Methods called on the wrong object.
throws(() => c.connect.call({}, 'localhost', 80), TypeError, 'not a TCPClient', 'wrong this');

// A refused connection answers false and keeps the reason.
const port = 1 + (Date.now() % 1000) + 40000;  // nothing listens here
eq(c.connect('127.0.0.1', port), false, 'refused connect returns false');
ok(c.lastError instanceof Error, 'lastError is an Error');
eq(c.lastError.code, 'CONNECTION_REFUSED', 'lastError.code');
ok(c.lastError.message.includes(`127.0.0.1:${port}`), 'message names the address');
eq(c.connected(), false, 'not connected after a failure');

// A name that does not resolve.
eq(c.connect('no-such-host.invalid', 80), false, 'unresolvable host');
eq(c.lastError.code, 'HOST_NOT_FOUND', 'unresolvable host: code');

// addCertificates: the article's messages, the store unchanged on failure.
throws(() => TLSTCPClient.addCertificates(), TypeError, 'Expected certificate as string', 'no PEM');
throws(() => TLSTCPClient.addCertificates(42), TypeError, 'Expected certificate as string', 'number');
throws(() => TLSTCPClient.addCertificates('a', 'b'), TypeError, 'Expected certificate as string', 'two arguments');
// The article's binding threw TypeError('Failed to parse certificate'); we add why.
throws(() => TLSTCPClient.addCertificates('-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n'),
       TypeError, 'Failed to parse certificate: certificate 1: invalid base64', 'bad PEM');
throws(() => TLSTCPClient.addCertificates('hello'), TypeError, 'Failed to parse certificate', 'no PEM block');

// The article calls the constructors without new.
ok(TLSTCPClient() instanceof TLSTCPClient, 'TLSTCPClient() without new');
eq(TLSTCPClient().secure, true, 'TLSTCPClient() is secure');
ok(new TLSTCPClient().connect, 'with new too');
e = throws(() => photon.dfu(), Error, 'dfu: this board has no DFU bootloader', 'photon.dfu');
eq(e.code, 'NOT_SUPPORTED', 'photon.dfu code');
for (const f of ['trace', 'info', 'warn', 'error']) eq(typeof photon.log[f], 'function', `photon.log.${f}`);

// TCPServer.
throws(() => TCPServer(), TypeError, 'expected 1 argument', 'TCPServer()');
throws(() => TCPServer(70000), RangeError, 'port must be in 1..65535', 'TCPServer(70000)');

// photon.delay / process.
throws(() => photon.delay(), TypeError, 'expected 1 argument', 'delay()');
throws(() => photon.delay(-1), RangeError, 'ms must be in', 'delay(-1)');
throws(() => photon.delay('10'), TypeError, 'ms must be an integer', 'delay("10")');
throws(() => photon.process(1), TypeError, 'at most 0', 'process(1)');
const t0 = Date.now();
photon.delay(40);
ok(Date.now() - t0 >= 40, 'delay waits');
photon.process();

// photon.log levels exist.
for (const l of ['trace', 'info', 'warn', 'error']) ok(typeof photon.log[l] === 'function', `photon.log.${l}`);
photon.log.info('photon args ok');
