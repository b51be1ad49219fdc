#!/usr/bin/env bash
# `make qemu`: the sensor hub (apps/sensor-hub as a bundle, `mcujs bundle`)
# on the runtime image under QEMU (the board BUILD_DIR was configured for:
# its MCUJS_PORT, mps2-an385 or mps2-an505; user-mode network, `mcujs
# qemu`) next to mcujs-receiver on the host, then the board's budget report.
#   fw_qemu.sh BUILD_DIR RECEIVER_BIN [ICOUNT(0|1)] [MCUJS_BIN]
# MCUJS_BIN: the host CLI (default: mcujs next to the receiver).
# The receiver runs with BUILD_DIR/provision/receiver.json (the port and the
# device secret of the bundle's provision/device.json) and keeps its database
# in BUILD_DIR/run/receiver.db. Each run starts from erased flash (the budget
# report of a run with QEMU_ICOUNT=1 is then reproducible).
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 BUILD_DIR RECEIVER_BIN [ICOUNT]" >&2; exit 2; }
build=$(cd "$1" && pwd) receiver=$(realpath -m "$2") icount=${3:-0}
mcujs=$(realpath -m "${4:-$(dirname "$receiver")/mcujs}")
root=$(cd "$(dirname "$0")/.." && pwd)
prov=$build/provision run=$build/run
board=$(sed -n 's/^MCUJS_PORT:STRING=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
case "$board" in mps2-*) ;; *) echo "fw_qemu: $build is no firmware build tree (MCUJS_PORT '$board')" >&2; exit 1 ;; esac
[ -x "$receiver" ] || { echo "fw_qemu: no receiver at $receiver (make build)" >&2; exit 1; }
[ -x "$mcujs" ] || { echo "fw_qemu: no mcujs at $mcujs (make build)" >&2; exit 1; }
mkdir -p "$run"
cd "$run"
sed -e "s|\"server.pem\"|\"$prov/server.pem\"|; s|\"server.key\"|\"$prov/server.key\"|" \
  "$prov/receiver.json" >receiver.json
rm -f receiver.port
"$receiver" --config receiver.json --port-file receiver.port 2>receiver.log &
rpid=$!
# The device's clock: chronyd on a loopback port (tests/firmware/ntp_server.py).
rm -f ntp.port
python3 "$root/tests/firmware/ntp_server.py" --dir "$run" --port-file ntp.port &
npid=$!
trap 'kill $rpid $npid 2>/dev/null; wait $rpid $npid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s receiver.port ] && break; sleep 0.1; done
[ -s receiver.port ] || { echo "fw_qemu: the receiver did not start:" >&2; cat receiver.log >&2; exit 1; }
for _ in $(seq 1 100); do [ -s ntp.port ] && break; sleep 0.1; done
[ -s ntp.port ] || { echo "fw_qemu: the NTP server (chronyd) did not start" >&2; exit 1; }
echo "fw_qemu: board $board, receiver on https://127.0.0.1:$(cat receiver.port) (the firmware sees 10.0.2.2), db $run/receiver.db"

# The device's configuration: the provisioned one with the device section
# its boot needs (the NTP server above; bundle/boot_settings.h).
python3 -c 'import json, sys
c = json.load(open(sys.argv[1])); c["device"] = {"ntp": "10.0.2.2:" + sys.argv[2]}
json.dump(c, open(sys.argv[3], "w"), indent=2)' "$prov/device.json" "$(cat ntp.port)" device.json
"$mcujs" bundle --board "$board" -o hub.bundle \
  --config device.json --ca "$prov/ca.pem" "$root/apps/sensor-hub/main.js"
icount_opt=()
[ "$icount" = 1 ] && icount_opt=(--icount)
status=0
"$mcujs" qemu --board "$board" --image "$build/mcujs-runtime.elf" --net user "${icount_opt[@]}" \
  hub.bundle | tee qemu.log || status=$?
[ "${PIPESTATUS[0]}" = 0 ] || status=${PIPESTATUS[0]}

echo
echo "Stored by the receiver (last 20 events):"
sqlite3 -header -column receiver.db \
  "SELECT event_id AS id, event, coreid, substr(data, 1, 70) AS data FROM events ORDER BY event_id DESC LIMIT 20" || true
echo "TLS versions logged: $(grep -o 'TLSv1\.[0-9]$' receiver.log | sort | uniq -c | tr '\n' ' ')"
echo
budget_args=(--map "$build/mcujs-runtime.map" --board "$board" --log qemu.log --bundle hub.bundle --json "$build/budget.json"
  --delivered "$(grep -c 'INFO 20[01] sensor-' receiver.log || true)" --headroom "$build/headroom.json")
[ "$icount" = 1 ] && budget_args+=(--icount)
python3 "$root/tools/fw_budget.py" "${budget_args[@]}"
exit "$status"
