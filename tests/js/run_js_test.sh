#!/usr/bin/env bash
# Runs one JavaScript test under mcujs and checks its outcome against the
# directives in the test's leading comment lines:
#   // @args ARGS          extra mcujs options (before the script)
#   // @exit N             expected exit status (default 0)
#   // @stdout-has TEXT    stdout must contain TEXT (repeatable)
#   // @stderr-has TEXT    stderr must contain TEXT (repeatable)
#   // @stderr-not TEXT    stderr must not contain TEXT (repeatable)
#   // @timeout S          kill after S seconds (default 30)
#   // @scenario FILE      --scenario FILE, FILE relative to the test's directory
set -u
mcujs=$1
test=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

args=() ; scenario=() ; exit_want=0 ; timeout_s=30
has_out=() ; has_err=() ; not_err=()
while IFS= read -r line; do
  case "$line" in
    "// @args "*) read -r -a args <<<"${line#// @args }" ;;
    "// @exit "*) exit_want=${line#// @exit } ;;
    "// @stdout-has "*) has_out+=("${line#// @stdout-has }") ;;
    "// @stderr-has "*) has_err+=("${line#// @stderr-has }") ;;
    "// @stderr-not "*) not_err+=("${line#// @stderr-not }") ;;
    "// @timeout "*) timeout_s=${line#// @timeout } ;;
    "// @scenario "*) scenario=(--scenario "$(dirname "$test")/${line#// @scenario }") ;;
    "//"*|"") ;;
    *) break ;;
  esac
done <"$test"

timeout -k 5 "$timeout_s" "$mcujs" run "${args[@]}" "${scenario[@]+"${scenario[@]}"}" "$test" >"$dir/out" 2>"$dir/err"
status=$?
fail=0
if [ "$status" != "$exit_want" ]; then
  echo "FAIL: exit status $status, expected $exit_want"; fail=1
fi
for t in "${has_out[@]+"${has_out[@]}"}"; do
  grep -qF -- "$t" "$dir/out" || { echo "FAIL: stdout lacks: $t"; fail=1; }
done
for t in "${has_err[@]+"${has_err[@]}"}"; do
  grep -qF -- "$t" "$dir/err" || { echo "FAIL: stderr lacks: $t"; fail=1; }
done
for t in "${not_err[@]+"${not_err[@]}"}"; do
  grep -qF -- "$t" "$dir/err" && { echo "FAIL: stderr has: $t"; fail=1; }
done
if [ $fail -ne 0 ]; then
  echo "--- stdout"; head -c 4000 "$dir/out"
  echo "--- stderr"; head -c 4000 "$dir/err"
fi
exit $fail
