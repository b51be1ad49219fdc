#!/usr/bin/env bash
# Outage: the receiver goes down while the hub is running and comes back
# later on the same port. Every event is delivered exactly once, none lost:
# the stored ids are exactly 1..N, each once, and the hub's outbox is empty
# when it ends. Real clock, short intervals.
#   outage.sh MCUJS RECEIVER
source "$(dirname "$0")/lib.sh"
hub_init "$@"
cat >scenario.json <<'JSON'
{ "clock": "real",
  "pins": { "A0": { "constant": 200, "spikes": [{ "at_s": 1.05, "duration_s": 0.3, "value": 3000 }] },
            "D1": { "constant": 1 } },
  "dht11": { "D2": { "temperature": { "constant": 21 }, "humidity": { "constant": 40 } } } }
JSON
receiver_start
hub_config "$RECEIVER_PORT" 6 '{"sampleMs": 100, "reportMs": 300, "alarmMinMs": 500}' \
  '{"backoff_initial_ms": 100, "backoff_max_ms": 800}'
hub_run scenario.json
wait_until 10 stored_at_least 3 ||
  die "no events arrived before the outage"
receiver_stop
note "receiver down after $(sql 'SELECT count(*) FROM events') event(s)"
sleep 2.5
receiver_start
note "receiver back on port $RECEIVER_PORT"
hub_wait 60

n=$(sql "SELECT max(event_id) FROM events")
rows=$(sql "SELECT count(*) FROM events")
distinct=$(sql "SELECT count(DISTINCT event_id) FROM events")
[ "${n:-0}" -ge 18 ] && note "$n events delivered" || fail "only ${n:-0} events delivered (want >= 18)"
[ "$rows" = "$n" ] && [ "$distinct" = "$n" ] && note "ids 1..$n each stored once" ||
  fail "rows $rows, distinct ids $distinct, max id $n: something lost or doubled"
alarms=$(sql "SELECT count(*) FROM events WHERE event='sensor-alarm'")
[ "$alarms" = 1 ] || fail "expected 1 alarm, got $alarms"
grep -qiE "retry|retrying|backoff" hub.log && note "the hub retried during the outage" ||
  fail "no retry logged by the hub"
left=$(outbox_left)
[ "$left" = 0 ] && note "outbox empty at the end" || fail "$left event(s) left in the outbox"
finish
