#!/usr/bin/env bash
# Bad input: each rejected request gets its status code and stores nothing;
# slow, stalled and vanishing clients do not disturb the service (a good
# request right after each one works); the database stays intact.
#   bad_input.sh RECEIVER
source "$(dirname "$0")/lib.sh"
r_init "$@"
READ_TIMEOUT=3 r_config '"max_body": 1024'
r_start

GOOD_ID=100
D='{"temperature":20,"humidity":50,"gas":600}'
# good: a valid request after each bad one must still be stored.
good() {
  GOOD_ID=$((GOOD_ID + 1))
  local code
  code=$(post sensor-report hub-1 $GOOD_ID "$D")
  [ "$code" = 201 ] || fail "the good request after '$1' got $code"
  alive || die "the receiver died after '$1'"
}
# rawpost WHAT WANT BODY [curl args]: a hand-made body.
rawpost() {
  local code secret=(-H "Secret: ${RAW_SECRET-$SECRET}")
  [ -n "${RAW_SECRET-$SECRET}" ] || secret=()  # RAW_SECRET= : no Secret header
  code=$("${CURL[@]}" -o out -w '%{http_code}' "${secret[@]+"${secret[@]}"}" --data-binary "$3" "${@:4}" "$BASE/events")
  expect "$1" "$2" "$code"
  good "$1"
}

expect "wrong secret" 401 "$(SECRET_HDR=wrong-$SECRET post sensor-report hub-1 1 "$D")"; good "wrong secret"
expect "secret of another device" 401 "$(SECRET_HDR=$SECRET2 post sensor-report hub-1 1 "$D")"; good "other secret"
expect "unknown coreid" 401 "$(post sensor-report hub-9 1 "$D")"; good "unknown coreid"
RAW_SECRET= rawpost "no Secret header" 401 "event=e&data=%7B%7D&coreid=hub-1&id=1"
rawpost "missing event" 400 "data=%7B%7D&coreid=hub-1&id=1"
rawpost "missing data" 400 "event=sensor-report&coreid=hub-1&id=1"
rawpost "missing coreid" 400 "event=sensor-report&data=%7B%7D&id=1"
rawpost "invalid JSON data" 400 "event=sensor-report&data=%7B%22t%22%3A&coreid=hub-1&id=1"
rawpost "data not an object" 400 "event=sensor-report&data=%5B1%2C2%5D&coreid=hub-1&id=1"
rawpost "empty event name" 400 "event=&data=%7B%7D&coreid=hub-1&id=1"
rawpost "64-character event name" 400 "event=$(printf 'e%.0s' $(seq 64))&data=%7B%7D&coreid=hub-1&id=1"
rawpost "event name with a space" 400 "event=a+b&data=%7B%7D&coreid=hub-1&id=1"
rawpost "bad %-escape" 400 "event=sensor-report&data=%7B%7Z&coreid=hub-1&id=1"
rawpost "field without =" 400 "event=sensor-report&data=%7B%7D&coreid=hub-1&id"
rawpost "field twice" 400 "event=sensor-report&data=%7B%7D&coreid=hub-1&coreid=hub-1&id=1"
rawpost "id not a number" 400 "event=sensor-report&data=%7B%7D&coreid=hub-1&id=12x"
rawpost "wrong content type (JSON)" 415 "event=sensor-report&data=%7B%7D&coreid=hub-1&id=1" -H "Content-Type: application/json"
rawpost "no content type" 415 "event=sensor-report&data=%7B%7D&coreid=hub-1&id=1" -H "Content-Type:"
big="event=sensor-report&coreid=hub-1&id=1&data=%7B%22x%22%3A%22$(head -c 2000 /dev/zero | tr '\0' a)%22%7D"
rawpost "oversized body" 413 "$big"
rawpost "oversized chunked body" 413 "$big" -H "Transfer-Encoding: chunked"
# The 63-character limit is inclusive.
rawpost "63-character event name" 201 "event=$(printf 'e%.0s' $(seq 63))&data=%7B%7D&coreid=hub-1&id=2"

# A slow client: the body in pieces, all of it within the body deadline
# (read_timeout_s, 3 s, for the whole body).
body="event=sensor-report&data=%7B%22slow%22%3Atrue%7D&coreid=hub-1&id=50"
{
  printf 'POST /events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nSecret: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n' "$SECRET" ${#body}
  for part in "${body:0:20}" "${body:20:20}" "${body:40}"; do sleep 0.6; printf '%s' "$part"; done
  sleep 2  # keep stdin open until the answer came
} | raw_tls 20 >slow.out
head -1 slow.out | grep -q "^HTTP/1.1 201" && note "ok: slow client -> 201" || fail "slow client: $(head -1 slow.out)"
good "slow client"

# A stalled client: half the body, then silence: dropped after the timeout.
stalled() {
  printf 'POST /events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nSecret: %s\r\nContent-Length: %d\r\n\r\n%s' "$SECRET" ${#body} "${body:0:30}"
  sleep 13
}
start=$(date +%s)
raw_tls 16 < <(stalled) >stalled.out
took=$(( $(date +%s) - start ))
[ "$took" -le 10 ] && note "ok: stalled client dropped after ${took} s" || fail "stalled client kept for $took s"
good "stalled client"

# A client that disconnects in the middle of the body.
{
  printf 'POST /events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nSecret: %s\r\nContent-Length: %d\r\n\r\n%s' "$SECRET" ${#body} "${body:0:30}"
  sleep 0.5
} | raw_tls 12 -no_ign_eof >cut.out
[ ! -s cut.out ] || fail "the receiver answered a request whose body never came: $(head -1 cut.out)"
good "disconnect mid-body"
# Plain TCP garbage on the TLS port.
(exec 3<>/dev/tcp/127.0.0.1/$PORT && printf 'GET / HTTP/1.0\r\n\r\n' >&3 && timeout 5 cat <&3 >/dev/null) 2>/dev/null
good "plain HTTP on the TLS port"

# Only the good requests (and the 63-character one) were stored.
want=$((GOOD_ID - 100 + 2))
expect "rows" "$want" "$(sql 'SELECT count(*) FROM events')"
expect "rows not from the good requests" 2 "$(sql 'SELECT count(*) FROM events WHERE event_id < 101')"
expect "slow event stored" 1 "$(sql 'SELECT count(*) FROM events WHERE event_id = 50')"
expect "integrity_check" ok "$(sql 'PRAGMA integrity_check')"
r_stop
expect "integrity_check after stop" ok "$(sql 'PRAGMA integrity_check')"
finish
