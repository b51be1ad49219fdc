#!/usr/bin/env bash
# Restart: the hub is killed (SIGKILL) with events queued, then restarted:
# nothing lost, nothing stored twice. Twice over: once while the receiver is
# down (events only in the outbox), once while deliveries are in flight.
#   restart.sh MCUJS RECEIVER
source "$(dirname "$0")/lib.sh"
hub_init "$@"
cat >scenario.json <<'JSON'
{ "clock": "real",
  "pins": { "A0": { "constant": 200 }, "D1": { "constant": 1 } },
  "dht11": { "D2": { "temperature": { "constant": 21 }, "humidity": { "constant": 40 } } } }
JSON
receiver_start          # only to learn a free port, then down
receiver_stop
intervals='{"sampleMs": 100, "reportMs": 100, "alarmMinMs": 500}'
queue='{"backoff_initial_ms": 100, "backoff_max_ms": 500}'

# 1. Receiver down: events pile up in the outbox; kill -9.
hub_config "$RECEIVER_PORT" 0 "$intervals" "$queue"
hub_run scenario.json
sleep 2
kill -9 "$HUB_PID"; wait "$HUB_PID" 2>/dev/null
queued=$(outbox_left)
note "killed with $queued event(s) in the outbox"
[ "$queued" -ge 5 ] || fail "expected queued events in state/, found $queued"

# 2. Receiver up: restart the hub, kill it again mid-delivery.
receiver_start
hub_run scenario.json
wait_until 20 stored_at_least 3 ||
  die "nothing delivered after the restart"
kill -9 "$HUB_PID"; wait "$HUB_PID" 2>/dev/null
note "killed again after $(sql 'SELECT count(*) FROM events') delivered"

# 3. Restart for good, run 1 s more, let it drain and end.
hub_config "$RECEIVER_PORT" 1 "$intervals" "$queue"
hub_run scenario.json
hub_wait 60

n=$(sql "SELECT max(event_id) FROM events")
rows=$(sql "SELECT count(*) FROM events")
distinct=$(sql "SELECT count(DISTINCT event_id) FROM events")
[ "$rows" = "$n" ] && [ "$distinct" = "$n" ] && note "ids 1..$n each stored once" ||
  fail "rows $rows, distinct ids $distinct, max id $n: something lost or doubled"
[ "${n:-0}" -ge 25 ] || fail "only ${n:-0} events in all (want >= 25)"
finish
