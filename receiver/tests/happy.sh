#!/usr/bin/env bash
# Happy path: events posted over TLS 1.3 and TLS 1.2 (curl, verified against
# the test CA) are stored (checked with sqlite3), the API returns them, older
# protocols are refused, and SIGTERM ends the service cleanly.
#   happy.sh RECEIVER
source "$(dirname "$0")/lib.sh"
r_init "$@"
r_config
r_start
note "receiver on port $PORT"

code=$("${CURL[@]}" -o out -w '%{http_code}' "$BASE/healthz")
expect "GET /healthz" 200 "$code"

# TLS 1.3; curl -v names the protocol it negotiated.
code=$(post sensor-report hub-1 1 '{"temperature":21.5,"humidity":40,"gas":640,"movement":false,"flame":false}' \
  --tlsv1.3 -v 2>tls13.err)
expect "report over TLS 1.3" 201 "$code"
expect "answer" '{"stored":true}' "$(cat out)"
grep -q "SSL connection using TLSv1.3" tls13.err && note "ok: negotiated TLS 1.3" || fail "TLS 1.3 not negotiated"

code=$(post sensor-alarm hub-1 2 '{"temperature":47.5,"gas":3900,"reasons":["gas","temperature"]}' \
  --tlsv1.2 --tls-max 1.2 -v 2>tls12.err)
expect "alarm over TLS 1.2" 201 "$code"
grep -q "SSL connection using TLSv1.2" tls12.err && note "ok: negotiated TLS 1.2" || fail "TLS 1.2 not negotiated"

# The rows, exactly as sent.
expect "rows" 2 "$(sql 'SELECT count(*) FROM events')"
expect "row 1" "hub-1|1|sensor-report|21.5|640" \
  "$(sql "SELECT coreid, event_id, event, json_extract(data,'\$.temperature'), json_extract(data,'\$.gas') FROM events WHERE event_id=1")"
expect "row 2" "hub-1|2|sensor-alarm|gas" \
  "$(sql "SELECT coreid, event_id, event, json_extract(data,'\$.reasons[0]') FROM events WHERE event_id=2")"
now=$(date +%s%3N)
t=$(sql 'SELECT received_at_ms FROM events WHERE event_id=1')
[ "$t" -le "$now" ] && [ "$t" -ge $((now - 120000)) ] && note "ok: received_at_ms is now" || fail "received_at_ms $t, now $now"
expect "journal mode" wal "$(sql 'PRAGMA journal_mode')"

# The API.
expect "GET /api/devices" 200 "$(api /api/devices)"
expect "devices" 1 "$(jlen api.json)"
expect "device coreid" hub-1 "$(jget api.json '$[0].coreid')"
expect "device name" "Test hub" "$(jget api.json '$[0].name')"
expect "device last_event" sensor-alarm "$(jget api.json '$[0].last_event')"
expect "device readings" 47.5 "$(jget api.json '$[0].readings.temperature')"
[ "$(jget api.json '$[0].last_seen_ms')" -ge "$t" ] && note "ok: last_seen_ms" || fail "last_seen_ms"
expect "GET /api/readings" 200 "$(api '/api/readings?coreid=hub-1&hours=24')"
expect "readings" "sensor-report 21.5 sensor-alarm 47.5" \
  "$(jget api.json '$[0].event') $(jget api.json '$[0].data.temperature') $(jget api.json '$[1].event') $(jget api.json '$[1].data.temperature')"
expect "reading t_ms" "$t" "$(jget api.json '$[0].t_ms')"
expect "GET /api/alarms" 200 "$(api '/api/alarms?limit=50')"
expect "alarm" "hub-1 gas 0" "$(jget api.json '$[0].coreid') $(jget api.json '$[0].data.reasons[0]') $(jget api.json '$[0].mailed')"
expect "GET /api/readings without coreid" 400 "$(api '/api/readings')"
expect "GET /api/alarms?limit=0" 400 "$(api '/api/alarms?limit=0')"
code=$("${CURL[@]}" -o out -w '%{http_code}' "$BASE/api/devices")
expect "GET /api/devices without a token" 401 "$code"
code=$("${CURL[@]}" -o out -w '%{http_code}' -H "Authorization: Bearer x$TOKEN" "$BASE/api/devices")
expect "GET /api/devices with a wrong token" 401 "$code"
code=$("${CURL[@]}" -o out -w '%{http_code}' -b "mcujs_session=$TOKEN" "$BASE/api/alarms")
expect "GET /api/alarms with the session cookie" 200 "$code"

# Dashboard routes: the login page, the token link, the cookie, the page.
code=$("${CURL[@]}" -o out -w '%{http_code}' "$BASE/")
expect "GET / without a session" 200 "$code"
grep -q 'name="token"' out && note "ok: login form" || fail "no login form at /"
code=$("${CURL[@]}" -o out -D headers -w '%{http_code}' "$BASE/?token=$TOKEN")
expect "GET /?token=..." 303 "$code"
grep -qi "^set-cookie: mcujs_session=$TOKEN; HttpOnly; Secure; SameSite=Strict; Path=/" headers &&
  note "ok: session cookie" || fail "no session cookie: $(grep -i set-cookie headers)"
grep -qi '^location: /' headers || fail "no redirect to /"
code=$("${CURL[@]}" -o out -w '%{http_code}' "$BASE/?token=wrong$TOKEN")
expect "GET /?token=<wrong>" 401 "$code"
code=$("${CURL[@]}" -o out -D headers -w '%{http_code}' --data-urlencode "token=$TOKEN" "$BASE/login")
expect "POST /login" 303 "$code"
grep -qi "^set-cookie: mcujs_session=" headers || fail "POST /login set no cookie"
code=$("${CURL[@]}" -o out -w '%{http_code}' --data-urlencode "token=nope" "$BASE/login")
expect "POST /login with a wrong token" 401 "$code"
grep -q 'name="token"' out || fail "a failed login does not show the form again"
code=$("${CURL[@]}" -o out -w '%{http_code}' -b "mcujs_session=$TOKEN" "$BASE/")
expect "GET / with the session" 200 "$code"
cmp -s out "$HERE/../dashboard/index.html" && note "ok: index.html served" || fail "/ is not index.html"
for f in app.js style.css; do
  code=$("${CURL[@]}" -o out -w '%{http_code}' "$BASE/$f")
  expect "GET /$f" 200 "$code"
  cmp -s out "$HERE/../dashboard/$f" || fail "/$f differs from receiver/dashboard/$f"
done

# Only TLS 1.2 and 1.3: TLS 1.1 and 1.0 are refused by the server (the client
# is allowed everything with SECLEVEL=0; the same call with -tls1_2 works).
for v in tls1_1 tls1; do
  if echo | timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -"$v" -cipher 'DEFAULT:@SECLEVEL=0' \
       >"$v.out" 2>&1; then
    fail "the server accepted $v"
  else
    note "ok: $v refused"
  fi
done
echo | timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -tls1_2 -cipher 'DEFAULT:@SECLEVEL=0' \
  >tls12.out 2>&1 || fail "control: the same s_client call with -tls1_2 failed"

r_stop
grep -q "INFO 201 sensor-report from hub-1 (id 1) [0-9]* ms" receiver.log && note "ok: log line" ||
  fail "no '201 sensor-report from hub-1 (id 1) N ms' log line"
grep -q "INFO stopped" receiver.log || fail "no clean stop logged"
[ ! -e receiver.port ] || fail "the port file is left behind"
expect "integrity" ok "$(sql 'PRAGMA integrity_check')"
finish
