#!/usr/bin/env bash
# Device identity by client certificate (mutual TLS), with curl --cert:
# a certificate from the configured device CA is the coreid in its CN; a
# device with a pinned cert_sha256 is only that certificate; any other
# pairing is 401 and stores nothing; the Secret header still works for
# devices without a certificate; a bad fingerprint in the config is refused.
#   mtls.sh RECEIVER
source "$(dirname "$0")/lib.sh"
r_init "$@"
ossl() { openssl "$@" 2>/dev/null; }
mkdir -p dev && cd dev || die "no dev directory"
# ca NAME: a device CA; leaf NAME CN CA: a certificate for CN issued by CA.
ca() { ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" -out "$1.pem" -days 30 -subj "/CN=$1"; }
leaf() {
  ossl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" -out "$1.csr" -subj "/CN=$2"
  printf 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n' >ext.cnf
  ossl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" -CAcreateserial -out "$1.pem" -days 30 -extfile ext.cnf
}
ca devca; ca rogueca
leaf hub1 hub-1 devca; leaf hub2 hub-2 devca; leaf rogue1 hub-1 rogueca
ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout pin.key -out pin.pem -days 30 -subj "/CN=anything"
PIN=$(openssl x509 -in pin.pem -noout -fingerprint -sha256 | cut -d= -f2)
[ -s hub1.pem ] && [ -s pin.pem ] && [ -n "$PIN" ] || die "cannot make the device certificates"
cd "$WORK" || exit 1

r_config '"client_ca": "dev/devca.pem"'
# hub-2 pinned to pin.pem (its secret stays, for the Secret case).
sed -i "s|{ \"coreid\": \"hub-2\", \"secret\": \"$SECRET2\" }|{ \"coreid\": \"hub-2\", \"secret\": \"$SECRET2\", \"cert_sha256\": \"$PIN\" }|" receiver.json
grep -q cert_sha256 receiver.json || die "could not pin hub-2 in the config"
r_start

# cpost WHAT WANT COREID ID CERT [SECRET]: a POST with the device certificate CERT ("" none).
cpost() {
  local args=() code
  [ -n "$5" ] && args+=(--cert "dev/$5.pem" --key "dev/$5.key")
  [ -n "${6:-}" ] && args+=(-H "Secret: $6")
  code=$("${CURL[@]}" -o out -w '%{http_code}' "${args[@]+"${args[@]}"}" --data-urlencode "event=sensor-report" \
    --data-urlencode 'data={"t":1}' --data-urlencode "coreid=$3" --data-urlencode "id=$4" "$BASE/events")
  expect "$1" "$2" "$code"
}
cpost "CA-issued hub-1 certificate as hub-1, no Secret" 201 hub-1 1 hub1
cpost "a second connection with the same certificate" 201 hub-1 2 hub1
cpost "hub-1's certificate claiming hub-2" 401 hub-2 3 hub1
cpost "pinned certificate as hub-2, no Secret" 201 hub-2 4 pin
cpost "pinned certificate (not from the CA) claiming hub-1" 401 hub-1 5 pin
cpost "CN=hub-1 from another CA" 401 hub-1 6 rogue1
cpost "CA-issued hub-2 certificate, but hub-2 is pinned to another" 401 hub-2 7 hub2
cpost "a certificate wins over a right Secret: hub-1's cert claiming hub-2" 401 hub-2 8 hub1 "$SECRET2"
cpost "no certificate, right Secret" 201 hub-1 9 "" "$SECRET"
cpost "no certificate, no Secret" 401 hub-1 10 ""
# The runtime's own client certificate (fetch's cert/key, docs/fetch.md),
# when the CLI is built next to the receiver (the root build).
MCUJS_BIN="$(dirname "$RECEIVER")/mcujs"
stored="1,2,4,9"
if [ -x "$MCUJS_BIN" ]; then
  cat >device.js <<JS
// A device posting with its client certificate through fetch: as hub-1 (201),
// then claiming hub-2 with hub-1's certificate (401).
const cert = \`$(cat dev/hub1.pem)\`;
const key = \`$(cat dev/hub1.key)\`;
async function post(coreid, id) {
  const body = new URLSearchParams({ event: 'sensor-report', data: '{"t":1}', coreid, id: String(id) });
  const r = await fetch('$BASE/events', { method: 'POST', body, cert, key });
  await r.text();
  return r.status;
}
const a = await post('hub-1', 11);
const b = await post('hub-2', 12);
console.log('mcujs statuses', a, b);
if (a !== 201 || b !== 401) throw new Error('expected 201 then 401, got ' + a + ' ' + b);
JS
  out=$(timeout 30 "$MCUJS_BIN" run --ca "$WORK/pki/ca.pem" device.js 2>&1); rc=$?
  expect "mcujs fetch with a client certificate (exit status)" 0 "$rc"
  grep -q "mcujs statuses 201 401" <<<"$out" && note "ok: $out" || fail "mcujs: $out"
  stored="1,2,4,9,11"
else
  note "no mcujs next to the receiver: the runtime's client certificate case is not run"
fi
expect "stored" "$stored" "$(sql 'SELECT group_concat(event_id) FROM (SELECT event_id FROM events ORDER BY event_id)')"
grep -q "201 sensor-report from hub-1 (id 1), client certificate" receiver.log && note "ok: log names the certificate" ||
  fail "no 'client certificate' in the log line"
r_stop

# A malformed fingerprint is a configuration error (exit 2, the field named).
sed -i "s|\"cert_sha256\": \"$PIN\"|\"cert_sha256\": \"12:34\"|" receiver.json
out=$(timeout 20 "$RECEIVER" --config receiver.json 2>&1); rc=$?
expect "bad cert_sha256 exit status" 2 "$rc"
grep -q "cert_sha256 must be 64 hex digits" <<<"$out" && note "ok: $out" || fail "message: $out"
finish
