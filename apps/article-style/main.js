// A sensor hub written the way the origin article's example app is written:
// the article's API only (photon.pin, dht11, photon.TLSTCPClient, photon.log,
// setInterval), one synchronous TLS connection per event, no outbox. Our own
// code; tests/article/article.sh runs it against mcujs-receiver, after making
// the edits the article asks its readers to make (the CA, the URL, the core
// id and the secret: marked EDIT here and in sensors.js).
//
//   mcujs run [--scenario s.json] apps/article-style/main.js
import * as sensors from './sensors.js';

// EDIT: the certificate of the CA that signed the server's certificate (PEM).
photon.TLSTCPClient.addCertificates(
    'PUT THE CA CERTIFICATE HERE'
);

// EDIT: where the events go (the port is given separately, as in the article).
sensors.startReports('https://localhost/events', 443);
