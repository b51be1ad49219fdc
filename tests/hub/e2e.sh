#!/usr/bin/env bash
# End to end: simulated sensors (apps/sensor-hub/scenarios/e2e.json, on the
# simulated clock) -> the sensor hub app -> TLS 1.3 -> mcujs-receiver ->
# SQLite, and the alarm e-mail -> smtp-sink. The scenario is built so that
# the exact events are known: 10 reports (every 7 s for 73 s) and 7 alarms
# (gas at 15.5 s; movement at 30.5 s; flame at 45.5, 50.5, 55.5 s;
# temperature at 60.5, 65.5 s).
#   e2e.sh MCUJS RECEIVER
source "$(dirname "$0")/lib.sh"
hub_init "$@"
smtp_start
ALARM_PERIOD=3600 receiver_start
hub_config "$RECEIVER_PORT" 73
hub_run "$ROOT/apps/sensor-hub/scenarios/e2e.json"
hub_wait 120

reports=$(sql "SELECT count(*) FROM events WHERE event='sensor-report'")
alarms=$(sql "SELECT count(*) FROM events WHERE event='sensor-alarm'")
[ "$reports" = 10 ] && note "10 reports stored" || fail "expected 10 reports, got $reports"
[ "$alarms" = 7 ] && note "7 alarms stored" || fail "expected 7 alarms, got $alarms"
ids=$(sql "SELECT group_concat(event_id, ',') FROM (SELECT event_id FROM events ORDER BY event_id)")
[ "$ids" = "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17" ] && note "event ids 1..17, each once" ||
  fail "event ids: $ids"

# Every delivery went over TLS 1.3 (the receiver logs the version).
tls13=$(grep -c "INFO 201 sensor-.* from hub-1 .* TLSv1\.3$" receiver.log)
[ "$tls13" = 17 ] && note "17 deliveries over TLS 1.3" || fail "deliveries logged over TLS 1.3: $tls13 of 17"

# The alarms' causes, in order, and the readings that caused them.
reasons=$(sql "SELECT group_concat(r, ' ') FROM (SELECT json_extract(data, '\$.reasons[0]') AS r
               FROM events WHERE event='sensor-alarm' ORDER BY event_id)")
want="gas movement flame flame flame temperature temperature"
[ "$reasons" = "$want" ] && note "alarm causes: $reasons" || fail "alarm causes: '$reasons', want '$want'"
gas=$(sql "SELECT json_extract(data, '\$.gas') FROM events WHERE event='sensor-alarm' ORDER BY event_id LIMIT 1")
[ "$gas" = 1500 ] && note "first alarm: gas 1500" || fail "first alarm gas: $gas"
temp=$(sql "SELECT json_extract(data, '\$.temperature') FROM events WHERE event='sensor-alarm' ORDER BY event_id DESC LIMIT 1")
[ "$temp" = 45 ] && note "last alarm: 45 °C" || fail "last alarm temperature: $temp"
bad=$(sql "SELECT count(*) FROM events WHERE json_extract(data, '\$.gas') IS NULL
           OR json_extract(data, '\$.humidity') IS NULL")
[ "$bad" = 0 ] || fail "$bad event(s) without gas/humidity readings"

# The LED on D7 followed the critical periods (simulated ms; a timer may
# fire a few ms late while a delivery is in flight, when time runs real).
expect_led() {  # expect_led INDEX T_MS VALUE
  local line t v
  line=$(grep '"D7"' trace.jsonl | sed -n "$1p")
  t=$(sed -n 's/.*"t_ms": *\([0-9]*\).*/\1/p' <<<"$line")
  v=$(sed -n 's/.*"value": *\([0-9]*\).*/\1/p' <<<"$line")
  if [ -n "$t" ] && [ "$v" = "$3" ] && [ "$t" -ge "$2" ] && [ "$t" -le $(($2 + 250)) ]; then
    return 0
  fi
  fail "LED change $1: got '$line', want value $3 at $2 ms"
}
expect_led 1 15500 1; expect_led 2 16500 0
expect_led 3 30500 1; expect_led 4 31500 0
expect_led 5 45500 1; expect_led 6 56500 0
expect_led 7 60500 1; expect_led 8 68000 0
[ "$(grep -c '"D7"' trace.jsonl)" = 8 ] && note "LED: 8 changes, as expected" ||
  fail "LED changes: $(grep -c '"D7"' trace.jsonl), want 8"

# One e-mail for the 7 alarms (minimum period 1 h), with the readings.
wait_until 20 mails_at_least 1 || fail "no alarm e-mail reached smtp-sink"
sleep 1
n=$(mail_count)
[ "$n" = 1 ] && note "one alarm e-mail" || fail "expected 1 e-mail, got $n"
grep -rqs "1500" mail && note "the e-mail carries the readings" || fail "the e-mail lacks the gas reading"
finish
