#!/usr/bin/env bash
# Strict HTTP/1.1 framing (RFC 9112): every request smuggling shape gets 400
# (413/431 for the limits) and the connection is closed, the bytes after it
# never answered; only the good framing cases are stored (smuggling.py).
#   smuggling.sh RECEIVER
source "$(dirname "$0")/lib.sh"
r_init "$@"
command -v python3 >/dev/null || die "python3 not found"
r_config
r_start
timeout 120 python3 "$HERE/smuggling.py" "$PORT" "$WORK/pki/ca.pem" "$SECRET" || fail "a framing case failed (above)"
alive || die "the receiver died"
expect "stored: only the well-framed requests (ids 2..5)" "2,3,4,5" \
  "$(sql "SELECT group_concat(event_id) FROM (SELECT event_id FROM events ORDER BY event_id)")"
expect "no control characters in the log" 0 "$(grep -c '[[:cntrl:]]' receiver.log)"
expect "no forged log line" 0 "$(grep -c '^FAKE' receiver.log)"
r_stop
finish
