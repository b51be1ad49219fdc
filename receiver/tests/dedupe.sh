#!/usr/bin/env bash
# De-duplication: the same (coreid, id) twice is stored once and the second
# answer says duplicate (the device retries after a lost 2xx); the same id
# from another device is a different event; without an id (old clients)
# nothing is de-duplicated. Also survives a restart.
#   dedupe.sh RECEIVER
source "$(dirname "$0")/lib.sh"
r_init "$@"
r_config
r_start

D='{"temperature":20,"humidity":50,"gas":600}'
expect "first (hub-1, 7)" 201 "$(post sensor-report hub-1 7 "$D")"
expect "answer" '{"stored":true}' "$(cat out)"
expect "again (hub-1, 7)" 200 "$(post sensor-report hub-1 7 "$D")"
expect "answer" '{"stored":false,"duplicate":true}' "$(cat out)"
# A retransmission is the same event even if its data differ: the first wins.
expect "again, other data" 200 "$(post sensor-report hub-1 7 '{"temperature":99}')"
expect "rows for (hub-1, 7)" "1|20" "$(sql "SELECT count(*), json_extract(data,'\$.temperature') FROM events WHERE coreid='hub-1' AND event_id=7")"
expect "(hub-2, 7)" 201 "$(SECRET_HDR=$SECRET2 post sensor-report hub-2 7 "$D")"
expect "no id, first" 201 "$(post sensor-report hub-1 "" "$D")"
expect "no id, second" 201 "$(post sensor-report hub-1 "" "$D")"
expect "rows" 4 "$(sql 'SELECT count(*) FROM events')"
expect "rows without id" 2 "$(sql 'SELECT count(*) FROM events WHERE event_id IS NULL')"

# Concurrent requests (httplib's thread pool): the same id from 8 clients at
# once is stored once, exactly one of them gets 201; 16 distinct ids: 16 rows.
codes=()
for i in $(seq 8); do
  ( post sensor-report hub-1 500 "$D" >"same.$i" ) &
  codes+=($!)
done
for p in "${codes[@]}"; do wait "$p"; done
expect "concurrent same id: answers" "1 201, 7 200" \
  "$(grep -lx 201 same.* | wc -l) 201, $(grep -lx 200 same.* | wc -l) 200"
expect "concurrent same id: rows" 1 "$(sql 'SELECT count(*) FROM events WHERE event_id=500')"
codes=()
for i in $(seq 16); do
  ( post sensor-report hub-1 $((600 + i)) "$D" >"many.$i" ) &
  codes+=($!)
done
for p in "${codes[@]}"; do wait "$p"; done
expect "concurrent distinct ids: 201s" 16 "$(grep -lx 201 many.* | wc -l)"
expect "concurrent distinct ids: rows" 16 "$(sql 'SELECT count(*) FROM events WHERE event_id > 600')"

r_stop
r_start
expect "(hub-1, 7) after a restart" 200 "$(post sensor-report hub-1 7 "$D")"
expect "(hub-1, 8) after a restart" 201 "$(post sensor-report hub-1 8 "$D")"
expect "rows" 22 "$(sql 'SELECT count(*) FROM events')"
expect "distinct (coreid, id)" 20 "$(sql 'SELECT count(*) FROM (SELECT DISTINCT coreid, event_id FROM events WHERE event_id IS NOT NULL)')"
r_stop
finish
