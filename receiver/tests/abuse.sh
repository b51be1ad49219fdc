#!/usr/bin/env bash
# Abuse while a device is served (abuse.py): 300 silent connections, 64
# trickling clients and a 30 MB header flood at once; the device's requests
# are all answered (201 within 2 s), the abusers are dropped by the head
# deadline / header limit, the receiver's memory stays bounded.
#   abuse.sh RECEIVER
source "$(dirname "$0")/lib.sh"
r_init "$@"
command -v python3 >/dev/null || die "python3 not found"
READ_TIMEOUT=3 r_config '"max_connections_per_client": 128'
r_start
pid=$(pgrep -P "$RECEIVER_PID" -x mcujs-receiver) || die "no receiver process under $RECEIVER_PID"
out=$(timeout 60 python3 "$HERE/abuse.py" "$PORT" "$WORK/pki/ca.pem" "$SECRET" "$pid" 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] || fail "abuse.py failed (above)"
alive || die "the receiver died under abuse"
summary=$(tail -1 <<<"$out")
# Bounded memory: 300 + 64 + 1 connections, at most 16 KB of head each
# (14 MB measured in December 2026, 30 MB before); ASan's redzones and quarantine triple it.
LIMIT_MB=64
# (grep reads all of ldd's output: with pipefail, grep -q could end the
# pipeline early, ldd die of SIGPIPE and the ASan limit go unnoticed.)
ldd "$RECEIVER" 2>/dev/null | grep libasan >/dev/null && LIMIT_MB=192
python3 - "$summary" "$LIMIT_MB" <<'PY' || fail "bounds not met: $summary"
import json, sys
s, limit = json.loads(sys.argv[1]), int(sys.argv[2])
assert s["rss_peak_kb"] - s["rss_before_kb"] < limit * 1024, f"RSS grew by more than {limit} MB"
assert s["flood_status"] and " 431 " in s["flood_status"] + " ", s["flood_status"]
assert s["trickle_started"] > 0
PY
# The per-client cap (128) held: of 150 silent connections per address, some were refused.
grep -q "connection limit reached" receiver.log && note "ok: per-client cap logged" || fail "no per-client refusal logged"
grep -q "request head not complete within the deadline" receiver.log && note "ok: tricklers dropped by the head deadline" ||
  fail "no trickler dropped by the deadline"
stored=$(sql "SELECT count(*) FROM events")
[ "$stored" -ge 10 ] && note "ok: $stored device events stored" || fail "only $stored events stored"
r_stop
finish
