#!/usr/bin/env bash
# QuickJS's own test suite (its Makefile's `make test`: closures, language,
# built-ins, loops, BigInt, std, workers, modules) on the pinned source WITH
# our patches applied (deps/patches/quickjs/, docs/time.md): a patch of ours
# must not change what QuickJS itself checks. Builds qjs with QuickJS's own
# Makefile in a scratch copy; nothing is written into third_party/.
#   own_tests.sh THIRD_PARTY_QUICKJS_DIR
set -euo pipefail
src=$1
[ -f "$src/quickjs.c" ] || { echo "own_tests: no QuickJS source in $src" >&2; exit 2; }
grep -q JS_SetDateNowFunc "$src/quickjs.h" || { echo "own_tests: $src lacks our patch (run tools/fetch-deps.sh)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -a "$src/." "$work/"
make -C "$work" -s -j2 qjs >"$work/build.log" 2>&1 || { tail -20 "$work/build.log"; echo "own_tests: qjs did not build" >&2; exit 1; }
make -C "$work" test
echo "QuickJS's own tests pass with our patches"
