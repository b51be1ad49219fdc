#!/usr/bin/env bash
# The article-style app (apps/article-style, the origin article's API and
# wire format, one synchronous TLSTCPClient connection per event) after the
# edits the article asks of its readers (CA, URL, core id, secret), on the
# simulated board (scenario.json: the sensor hub's e2e signals) -> TLS ->
# mcujs-receiver -> SQLite. Same signals as tests/hub/e2e.sh, so the same
# events: 10 reports and 7 alarms, whose data are the article's (booleans for
# the digital sensors).
#   article.sh MCUJS RECEIVER
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../hub/lib.sh"
hub_init "$@"
receiver_start

# The reader's edits, on a copy of the app.
python3 "$HERE/edit_app.py" app --ca ca.pem --url https://localhost/events --port "$RECEIVER_PORT" \
  --coreid hub-1 --secret "$SECRET" || die "cannot edit the app"
grep -q "$SECRET" app/sensors.js && grep -q "BEGIN CERTIFICATE" app/main.js || die "the edits did not apply"

timeout 120 "$MCUJS" run --scenario "$HERE/scenario.json" --trace trace.jsonl app/main.js \
  >hub.log 2>&1
rc=$?
[ $rc -eq 0 ] && note "the app ran to the scenario's end" || fail "mcujs exited with status $rc"

reports=$(sql "SELECT count(*) FROM events WHERE event='sensor-report'")
alarms=$(sql "SELECT count(*) FROM events WHERE event='sensor-alarm'")
[ "$reports" = 10 ] && note "10 reports stored" || fail "expected 10 reports, got $reports"
[ "$alarms" = 7 ] && note "7 alarms stored" || fail "expected 7 alarms, got $alarms"
tls13=$(grep -c "INFO 201 sensor-.* from hub-1 .* TLSv1\.3$" receiver.log)
[ "$tls13" = 17 ] && note "17 deliveries over TLS 1.3" || fail "deliveries over TLS 1.3: $tls13 of 17"

# The alarms' causes, from the stored readings, in order.
causes=$(sql "SELECT group_concat(c, ' ') FROM (SELECT CASE
                WHEN json_extract(data, '\$.movement') THEN 'movement'
                WHEN json_extract(data, '\$.flame') THEN 'flame'
                WHEN json_extract(data, '\$.gas') > 1000 THEN 'gas'
                WHEN json_extract(data, '\$.temperature') > 40 THEN 'temperature' ELSE '?' END AS c
              FROM events WHERE event='sensor-alarm' ORDER BY id)")
want="gas movement flame flame flame temperature temperature"
[ "$causes" = "$want" ] && note "alarm causes: $causes" || fail "alarm causes: '$causes', want '$want'"

# The stored data are the article's: booleans for movement and flame,
# numbers for gas, temperature and humidity.
bad=$(sql "SELECT count(*) FROM events WHERE json_type(data, '\$.movement') NOT IN ('true', 'false')
           OR json_type(data, '\$.flame') NOT IN ('true', 'false') OR json_type(data, '\$.gas') != 'integer'
           OR json_type(data, '\$.temperature') != 'integer' OR json_type(data, '\$.humidity') != 'integer'")
[ "$bad" = 0 ] && note "every event's data typed as the article's (booleans, integers)" ||
  fail "$bad event(s) with data not typed as the article's"
sql "SELECT data FROM events WHERE event='sensor-alarm' ORDER BY id LIMIT 1" | grep -q '"movement":false,"flame":false' &&
  note "first alarm: $(sql "SELECT data FROM events WHERE event='sensor-alarm' ORDER BY id LIMIT 1")" ||
  fail "first alarm data: $(sql "SELECT data FROM events WHERE event='sensor-alarm' ORDER BY id LIMIT 1")"

# D7 is written without a mode, as in the article: ignored with one warning
# (Device OS ignores it too), so the LED never changes.
n=$(grep -c "pin: D7 was written before photon.pin.mode" hub.log)
[ "$n" = 1 ] && note "one warning for the unset D7" || fail "warnings for D7: $n, want 1"
! grep -q '"D7"' trace.jsonl && note "D7 never driven" || fail "D7 changed: $(grep '"D7"' trace.jsonl | head -2)"
# The DHT11's error window (35.25..36.25 s) is logged, as the article's catch does.
grep -q "DHT read error" hub.log && note "DHT11 errors logged" || fail "no DHT read error in the log"
finish
