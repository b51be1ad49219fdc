#!/usr/bin/env bash
# localStorage on the Linux port, in the state directory: the API test, then
# two more runs on the same directory (a reboot each), then a damaged record
# (a clear error; clear() starts afresh). Usage: local_storage.sh MCUJS
set -u
mcujs=$1
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
state=$dir/state   # does not exist yet: made on the first write
fail() { echo "FAIL: $*"; for f in "$dir"/out*; do echo "--- $f"; head -c 3000 "$f"; done; exit 1; }

timeout -k 5 30 "$mcujs" run --state-dir "$state" "$here/js/local_storage_api.js" >"$dir/out1" 2>&1 || fail "api test"
grep -q 'localStorage api ok' "$dir/out1" || fail "api test did not finish"
[ -f "$state/localStorage" ] || fail "no $state/localStorage"
for n in 2 3; do
  timeout -k 5 30 "$mcujs" run --state-dir "$state" "$here/js/local_storage_persist.js" >"$dir/out$n" 2>&1 || fail "run $n"
  grep -q "localStorage persist ok boots=$n" "$dir/out$n" || fail "run $n did not see the earlier runs"
done
printf 'garbage' >"$state/localStorage"
cat >"$dir/damaged.js" <<'JS'
try { localStorage.getItem('x'); console.log('no error'); } catch (e) { console.log('error: ' + e.message); }
localStorage.clear();
localStorage.setItem('x', 'fresh');
console.log('after clear: ' + localStorage.getItem('x'));
JS
timeout -k 5 30 "$mcujs" run --state-dir "$state" "$dir/damaged.js" >"$dir/out4" 2>&1 || fail "damaged run"
grep -q 'error: localStorage.getItem: the stored items are damaged' "$dir/out4" || fail "no clear error for a damaged record"
grep -q 'after clear: fresh' "$dir/out4" || fail "clear() did not start afresh"
echo "PASS: localStorage API, kept across 3 runs, damaged record reported"
