// fetch() over HTTPS from openssl s_server -WWW: the body of the file it
// serves arrives intact, verified against the test CA given with --ca.
import env from './env.js';
import { eq, within } from './assert.js';

const r = await within(fetch(`https://${env.host}:${env.port}/${env.file}`), 15000, 'fetch');
eq(r.status, 200, 'status');
eq(await within(r.text(), 10000, 'text()'), env.body, 'body');
console.log(`fetch: ${r.status}, ${env.body.length} bytes`);
console.log('fetch get ok');
