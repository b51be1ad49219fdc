#!/usr/bin/env bash
# The article's wire format, from the shared vectors (tests/vectors/
# article_wire.data, also read by the outbox's unit tests): each body as a
# device sends it gets the vector's status, and a stored event has exactly
# the vector's event, data and id.
#   wire.sh RECEIVER
source "$(dirname "$0")/lib.sh"
r_init "$@"
VECTORS=$HERE/../vectors/article_wire.data
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
r_stop
finish
