#!/usr/bin/env bash
# The Linux board simulator reads tests/firmware/sim_scenario.json exactly as
# the firmware does: its output (sim_samples.js) must equal the "INFO  "
# lines of tests/firmware/sim.expected, which the firmware test image
# (firmware.sim, under QEMU) must print too.
#   firmware_parity.sh MCUJS
set -u
mcujs=$1
fw=$(cd "$(dirname "$0")/../firmware" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
timeout -k 5 60 "$mcujs" run --scenario "$fw/sim_scenario.json" "$fw/sim_samples.js" >"$dir/out" 2>&1 ||
  { echo "FAIL: exit status $?"; cat "$dir/out"; exit 1; }
grep '^INFO  ' "$fw/sim.expected" >"$dir/want"
[ -s "$dir/want" ] || { echo "FAIL: no INFO lines in sim.expected"; exit 1; }
if ! diff -u "$dir/want" "$dir/out"; then
  echo "FAIL: the Linux simulator's readings differ from tests/firmware/sim.expected"
  exit 1
fi
echo "ok: $(wc -l <"$dir/want") lines, as the firmware prints them"
