#!/usr/bin/env bash
# The firmware's budget, RUNS times (default 3): flash by component, RAM in
# use, and the instructions of a full and of a resumed TLS 1.3 handshake
# counted under QEMU -icount shift=0 (deterministic counts, not time).
#   bench/firmware_budget.sh OUTDIR [RUNS]
# Needs `make firmware` and `make build` first (the receiver). Writes
# OUTDIR/firmware_budget-<i>.json (tools/fw_budget.py's report) and prints
# one line per run, so the spread between runs is visible.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 OUTDIR [RUNS]" >&2; exit 2; }
out=$1 runs=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
fw=$root/build/mps2-an385
mkdir -p "$out"
for i in $(seq 1 "$runs"); do
  rm -rf "$fw/run"  # a fresh outbox and database: every run delivers the same 17 events
  bash "$root/tools/fw_qemu.sh" "$fw" "$root/build/host/mcujs-receiver" 1 >"$out/firmware_budget-$i.log" 2>&1 ||
    { tail -30 "$out/firmware_budget-$i.log" >&2; exit 1; }
  cp "$fw/budget.json" "$out/firmware_budget-$i.json"
  python3 - "$out/firmware_budget-$i.json" "$i" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
h = r.get('tls_handshakes', {})
print('run %s: flash %d B, RAM in use %d B, full handshake %s instr (x%d), resumed %s instr (x%d)' % (
    sys.argv[2], r['flash']['total'], r['ram'].get('in_use', 0),
    '{:,}'.format(h.get('full', {}).get('each', 0)), h.get('full', {}).get('count', 0),
    '{:,}'.format(h.get('resumed', {}).get('each', 0)), h.get('resumed', {}).get('count', 0)))
PY
done
