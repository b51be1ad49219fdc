#!/usr/bin/env bash
# One bounded libFuzzer run for ctest fuzz.<n>:
#   run_fuzzer.sh FUZZER SEED_DIR ARTIFACT_DIR SECONDS
# The seeds are read, never written: new inputs go to a scratch directory.
# Fails (non-zero) on a crash, a leak, a UBSan report or a timeout, leaving
# the input in ARTIFACT_DIR.
set -u
fuzzer=$1 seeds=$2 artifacts=$3 seconds=$4
[ -d "$seeds" ] && [ -n "$(ls -A "$seeds")" ] || { echo "FAIL: no seed corpus in $seeds" >&2; exit 1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$artifacts"
name=$(basename "$fuzzer")
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# -max_total_time bounds the time, -runs the count; -rss_limit_mb the memory.
timeout $((seconds + 60)) "$fuzzer" -max_total_time="$seconds" -timeout=5 -runs=5000000 -rss_limit_mb=1024 \
  -print_final_stats=1 -artifact_prefix="$artifacts/$name-" "$scratch" "$seeds" 2>&1 | tail -40
rc=${PIPESTATUS[0]}
[ "$rc" -eq 0 ] || echo "FAIL: $name exited with $rc; reproduce with: $fuzzer $artifacts/$name-*" >&2
exit "$rc"
