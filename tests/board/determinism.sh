#!/usr/bin/env bash
# The simulated clock is fast and deterministic:
#   determinism.sh MCUJS hour   one simulated hour of 500 ms samples runs in a
#                               few seconds, twice, with identical traces that
#                               equal led_hour.jsonl exactly
#   determinism.sh MCUJS day    a simulated day (172800 samples) runs in
#                               seconds and ends at duration_s
set -u
mcujs=$1 what=$2
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; for f in "$dir"/*.log; do echo "--- $f"; tail -n 20 "$f"; done; exit 1; }

# run NAME SCENARIO MAX_S: runs blink.js, fails if it takes longer than MAX_S.
run() {
  local start end ms
  start=$(date +%s%N)
  timeout -k 5 120 "$mcujs" run --scenario "$here/$2" --trace "$dir/$1.jsonl" "$here/blink.js" \
    >"$dir/$1.log" 2>&1 || fail "$1: exit status $?"
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  echo "$1: ${ms} ms of real time"
  [ "$ms" -le $(($3 * 1000)) ] || fail "$1 took ${ms} ms, more than $3 s"
}

case "$what" in
  hour)
    run first hour.json 20
    run second hour.json 20
    cmp "$dir/first.jsonl" "$dir/second.jsonl" || fail "two runs gave different traces"
    diff -u "$here/led_hour.jsonl" "$dir/first.jsonl" || fail "the LED trace differs from led_hour.jsonl"
    grep -qF 'samples: 7199' "$dir/first.log" || fail "expected 7199 samples before the end"
    grep -qF 'INFO  pin D7 -> HIGH (t=3006.000 s)' "$dir/first.log" || fail "LED change not logged"
    grep -qF 'board: scenario duration reached (t=3600.000 s), stopping' "$dir/first.log" ||
      fail "the run did not end at duration_s"
    cmp <(grep -v 'real time' "$dir/first.log") <(grep -v 'real time' "$dir/second.log") ||
      fail "two runs logged differently"
    ;;
  day)
    run day day.json 60
    # The hour's changes happen on the first day too, and then nothing.
    diff -u "$here/led_hour.jsonl" "$dir/day.jsonl" || fail "the day's LED trace differs"
    grep -qF 'board: scenario duration reached (t=86400.000 s), stopping' "$dir/day.log" ||
      fail "the run did not end at duration_s"
    ;;
  *) echo "usage: determinism.sh MCUJS hour|day"; exit 2 ;;
esac
echo "ok"
