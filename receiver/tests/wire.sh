#!/usr/bin/env bash
# The article's wire format, from the shared vectors (tests/vectors/
# article_wire.data, also read by the outbox's unit tests): each body as a
# device sends it gets the vector's status, and a stored event has exactly
# the vector's event, data and id.
#   wire.sh RECEIVER
source "$(dirname "$0")/lib.sh"
r_init "$@"
VECTORS=$HERE/../../tests/vectors/article_wire.data
[ -s "$VECTORS" ] || die "no $VECTORS"
r_config
r_start
n=0
while IFS=$'\t' read -r status event data coreid id body; do
  case "$status" in ''|'#'*) continue ;; esac
  n=$((n + 1))
  code=$("${CURL[@]}" -o out -w '%{http_code}' -H "Secret: $SECRET" -H "Content-Type: application/x-www-form-urlencoded" \
    --data-binary "$body" "$BASE/events")
  expect "vector $n ($event, id $id)" "$status" "$code"
  if [ "$status" = 201 ]; then
    expect "vector $n stored as sent" "$event|$data|$coreid" \
      "$(sql "SELECT event || '|' || data || '|' || coreid FROM events WHERE event_id = $id")"
  fi
done <"$VECTORS"
[ "$n" -ge 5 ] || fail "only $n vectors read"

# A device that reconnects resumes its TLS session (1.3 ticket, 1.2 ticket/cache).
req() { printf 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'; sleep 1; }
tls_hello() {  # tls_hello VERSION SESSION-ARGS...: "New" or "Reused"
  local v=$1; shift
  req | timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -servername localhost -CAfile "$WORK/pki/ca.pem" \
    "-tls${v/./_}" "$@" 2>/dev/null | grep -E '^(New|Reused),' | cut -d, -f1
}
for v in 1.3 1.2; do
  expect "TLS $v first connection" New "$(tls_hello $v -sess_out "sess$v")"
  expect "TLS $v reconnect resumed" Reused "$(tls_hello $v -sess_in "sess$v")"
done
r_stop
finish
