// The article's Webtask as an Express 4 app, the peer in bench/receiver_load.sh:
// checks the Secret header and the coreid, sends an alarm mail for
// sensor-alarm events (through a stub that only counts, like a mail API call
// that is not awaited) and answers 200. HTTPS with the same certificate as
// the receiver. Usage: node server.js CERT KEY PORT_FILE SECRET COREID
'use strict';
const fs = require('fs');
const https = require('https');
const express = require('express');

const [cert, key, portFile, secret, coreid] = process.argv.slice(2);
if (!coreid) {
  console.error('usage: node server.js CERT KEY PORT_FILE SECRET COREID');
  process.exit(2);
}

let mails = 0;
const sendMail = (subject, text) => { mails++; return Promise.resolve({ subject, text }); };

const app = express();
app.use(express.urlencoded({ extended: false, limit: '4kb' }));
app.post('/events', (req, res) => {
  if (req.get('Secret') !== secret || req.body.coreid !== coreid) return res.status(401).send('unauthorized');
  if (req.body.event === 'sensor-alarm') sendMail(`alarm: ${req.body.coreid}`, req.body.data);
  res.status(200).send('ok');
});
app.get('/stats', (req, res) => res.json({ mails }));

const server = https.createServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key) }, app);
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => {
  fs.writeFileSync(portFile + '.tmp', `${server.address().port}\n`);
  fs.renameSync(portFile + '.tmp', portFile);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
