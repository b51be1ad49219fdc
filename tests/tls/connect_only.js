// tls.connect awaited with nothing else pending (no timer keeps the loop
// alive, unlike the other drivers' within()): the program must not end
// before the promise settles, also when the connection is complete inside
// tls.connect itself (loopback; a fast server) and the listener hears of it
// only at the loop's next poll.
import env from './env.js';

const sock = await tls.connect({ host: env.host, port: env.port });
console.log(`connected ${sock.protocol}: settled ok`);
sock.close();
