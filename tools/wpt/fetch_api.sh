#!/usr/bin/env bash
# The Fetch API conformance run of docs/fetch.md: every .any.js file of a WPT
# checkout's fetch/api/{headers,request,response,body} (cloned-any.js too)
# but those tools/wpt/skip.txt lists (browser or WPT server needed), under
# mcujs and Node.js (tools/wpt/run.sh), then passed/total per directory.
# Usage: tools/wpt/fetch_api.sh MCUJS WPT_DIR [LOG]   (LOG keeps run.sh's output)
set -u
mcujs=$1 wpt=$2 log=${3:-$(mktemp)}
here=$(cd "$(dirname "$0")" && pwd)
files=$(cd "$wpt" && ls fetch/api/{headers,request,response,body}/*.js | grep -E '(\.|-)any\.js$' |
        grep -vxF -f <(grep -v '^#' "$here/skip.txt" | cut -f1))
"$here/run.sh" "$mcujs" "$wpt" $files >"$log" 2>&1
awk '
  /^== /{f=$2; d=f; sub(/\/[^\/]*$/, "", d); dirs[d]=1; next}
  /^-- mcujs/{rt="mcujs"; next}
  /^-- node/{rt="node"; next}
  /^WPT [0-9]+\/[0-9]+$/{split($2, a, "/"); p[rt, d]+=a[1]; t[rt, d]+=a[2]; p[rt]+=a[1]; t[rt]+=a[2]; seen[rt, f]=1; next}
  END {
    printf "%-22s %12s %12s\n", "directory", "mcujs", "node";
    for (d in dirs) printf "%-22s %5d/%-6d %5d/%-6d\n", d, p["mcujs", d], t["mcujs", d], p["node", d], t["node", d];
    printf "%-22s %5d/%-6d %5d/%-6d\n", "total", p["mcujs"], t["mcujs"], p["node"], t["node"];
  }' "$log"
# A file whose run printed no "WPT n/m" line (a crash) counts as 0/0: name it.
awk '/^== /{f=$2} /^-- /{rt=$2} /^WPT [0-9]/{ok[f, rt]=1} /^== /{files[$2]=1}
     END {for (f in files) { if (!ok[f, "mcujs"]) print "no result (mcujs): " f; if (!ok[f, "node"]) print "no result (node): " f } }' "$log"
