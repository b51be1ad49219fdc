// Samples the sensors every 500 ms; while a reading is critical, lights the
// LED on D7 and sends a 'sensor-alarm' at most every 5 s; sends a
// 'sensor-report' every 7 s. Each event is one HTTPS POST, form-encoded
// (event, data, coreid) with the device's secret in a header: the article's
// wire format. A failed delivery is logged and the event dropped, as there.

// EDIT: this device's id and secret, as registered with the receiver.
const coreid = 'PUT THE CORE ID HERE';
const secret = 'PUT THE SECRET HERE';

const reportEveryMs = 7000;
const sampleEveryMs = 500;
const alarmGapMs = 5000;
const limits = { gas: 1000, temperature: 40 };

const pins = {
    movement: photon.pin.D0,   // PIR sensor
    flame: photon.pin.D1,      // flame sensor, active low
    climate: photon.pin.D2,    // DHT11
    gas: photon.pin.A0         // MQ-2, 12-bit ADC
};

let server = { host: 'localhost', path: '/', port: 443 };
let last = {};
let sinceAlarmMs = 0;
const timers = [];

for (const name in pins) {
    photon.pin.mode(pins[name], 'INPUT');
}
photon.pin.mode(pins.climate, 'INPUT_PULLDOWN');

function sample() {
    const climate = dht11.read(pins.climate);   // throws 'DHT read error'
    return {
        movement: photon.pin(pins.movement),
        flame: !photon.pin(pins.flame),
        humidity: climate.humidity,
        temperature: climate.temperature,
        gas: photon.pin(pins.gas)
    };
}

function critical(r) {
    return r.movement || r.flame || r.gas > limits.gas || r.temperature > limits.temperature;
}

function formEncode(fields) {
    return Object.keys(fields)
        .map(k => encodeURIComponent(k) + '=' + encodeURIComponent(fields[k]))
        .join('&');
}

function post(body) {
    return `POST ${server.path} HTTP/1.1\r\n` +
           `Host: ${server.host}\r\n` +
           'Content-Type: application/x-www-form-urlencoded\r\n' +
           `Content-Length: ${body.length}\r\n` +
           `Secret: ${secret}\r\n` +
           'Connection: close\r\n\r\n' + body;
}

function deliver(body) {
    const client = photon.TLSTCPClient();
    client.connect(server.host, server.port);
    if (!client.connected()) {
        photon.log.error(`cannot reach ${server.host}:${server.port}; event dropped`);
        return;
    }
    client.write(post(body));
    client.stop();
}

function send(event, data) {
    const json = JSON.stringify(data);
    photon.log.trace(`sending ${event}: ${json}`);
    try {
        deliver(formEncode({ event: event, data: json, coreid: coreid }));
    } catch (e) {
        photon.log.error(`sending ${event} failed: ${e.toString()}`);
    }
}

// 'https://host/path' -> host and path (the port comes separately).
function parseUrl(url) {
    const start = url.indexOf('//');
    const rest = start === -1 ? url : url.substring(start + 2);
    const slash = rest.indexOf('/');
    server.host = slash === -1 ? rest : rest.substring(0, slash);
    server.path = slash === -1 ? '/' : rest.substring(slash);
}

export function startReports(url, port) {
    if (url) parseUrl(url);
    if (port) server.port = port;

    timers.push(setInterval(() => {
        sinceAlarmMs += sampleEveryMs;
        try {
            last = sample();
            if (critical(last)) {
                photon.pin(photon.pin.D7, true);   // as the article: D7's mode is never set
                if (sinceAlarmMs >= alarmGapMs) {
                    send('sensor-alarm', last);
                    sinceAlarmMs = 0;
                }
            } else {
                photon.pin(photon.pin.D7, false);
            }
        } catch (e) {
            photon.log.error(e.toString());
        }
    }, sampleEveryMs));

    timers.push(setInterval(() => send('sensor-report', last), reportEveryMs));
}

export function stopReports() {
    timers.forEach(clearInterval);
}

export function lastReading() {
    return { data: last, sinceAlarmMs: sinceAlarmMs };
}
