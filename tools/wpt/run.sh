#!/usr/bin/env bash
# Runs web platform tests (.any.js files read from a WPT checkout, never
# committed here) under mcujs and under Node.js with tools/wpt/testharness_shim.js.
# Usage: tools/wpt/run.sh MCUJS WPT_DIR FILE... (FILE relative to WPT_DIR)
# Prints per file and runtime "WPT passed/total" and the failures.
set -u
mcujs=$1 wpt=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for f in "$@"; do
  script="$work/$(basename "$f").js"
  { cat "$here/testharness_shim.js"
    # META: script=... dependencies, relative to the test.
    sed -n 's|^// META: script=\(.*\)$|\1|p' "$wpt/$f" | while read -r dep; do
      case "$dep" in /*) cat "$wpt$dep" ;; *) cat "$(dirname "$wpt/$f")/$dep" ;; esac
    done
    # With WPT_JSON=1 (tools/wpt/url_encoding.sh): JSON resources fetched by a
    # relative URL ("resources/x.json"), answered from memory by the shim's
    # fetch (no WPT server here).
    [ -n "${WPT_JSON:-}" ] && grep -oE 'fetch(_json)?\("[^"]+\.json"\)' "$wpt/$f" | sed -E 's/.*\("(.*)"\)/\1/' | sort -u | while read -r res; do
      node -e 'const [p, u] = process.argv.slice(1); console.log(`__wpt_file(${JSON.stringify(u)}, ${JSON.stringify(require("fs").readFileSync(p, "utf8"))});`)' \
        "$(dirname "$wpt/$f")/$res" "$res"
    done
    cat "$wpt/$f"
    echo; echo '__wpt_finish();'
  } >"$script"
  cp "$script" "$work/node.cjs"
  echo "== $f"
  echo "-- mcujs"; timeout 60 "$mcujs" run "$script" 2>&1 | sed 's/^INFO  //'
  echo "-- node $(node --version)"; timeout 60 node "$work/node.cjs" 2>&1
done
