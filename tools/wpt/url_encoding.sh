#!/usr/bin/env bash
# The URL / Encoding / atob conformance run of docs/fetch.md: the .any.js files
# of a WPT checkout's url/ (URL, URLSearchParams, IDNA), encoding/ (TextEncoder,
# TextDecoder) and html/webappapis/atob/, under mcujs and Node.js
# (tools/wpt/run.sh), then passed/total per file, side by side.
# Usage: tools/wpt/url_encoding.sh MCUJS WPT_DIR [LOG]   (LOG keeps run.sh's output)
# WPT_DIR needs WPT's layout: url/ with url/resources/*.json, encoding/ with
# encoding/resources/encodings.js, common/sab.js, common/subset-tests-by-key.js,
# html/webappapis/atob/base64.any.js and fetch/data-urls/resources/base64.json.
set -u
mcujs=$1 wpt=$2 log=${3:-$(mktemp)}
here=$(cd "$(dirname "$0")" && pwd)
files=$(cd "$wpt" && ls url/*.any.js encoding/*.any.js html/webappapis/atob/*.any.js 2>/dev/null |
        grep -vxF -f <(grep -v '^#' "$here/skip.txt" | cut -f1))
WPT_JSON=1 "$here/run.sh" "$mcujs" "$wpt" $files >"$log" 2>&1
awk '
  /^== /{f=$2; order[++n]=f; next}
  /^-- mcujs/{rt="mcujs"; next}
  /^-- node/{rt="node"; next}
  /^WPT [0-9]+\/[0-9]+$/{split($2, a, "/"); p[rt, f]=a[1]; t[rt, f]=a[2]; P[rt]+=a[1]; T[rt]+=a[2]; next}
  END {
    printf "%-48s %12s %12s\n", "file", "mcujs", "node";
    for (i = 1; i <= n; i++) { f = order[i]; printf "%-48s %5d/%-6d %5d/%-6d\n", f, p["mcujs", f], t["mcujs", f], p["node", f], t["node", f] }
    printf "%-48s %5d/%-6d %5d/%-6d\n", "total", P["mcujs"], T["mcujs"], P["node"], T["node"];
  }' "$log"
# A file whose run printed no "WPT n/m" line (a crash) counts as 0/0: name it.
awk '/^== /{f=$2; files[f]=1} /^-- /{rt=$2} /^WPT [0-9]/{ok[f, rt]=1}
     END {for (f in files) { if (!ok[f, "mcujs"]) print "no result (mcujs): " f; if (!ok[f, "node"]) print "no result (node): " f } }' "$log"
