#!/usr/bin/env bash
# What keep-alive and TLS session resumption save, in deterministic CPU
# instructions (valgrind --tool=callgrind), for a client sending N small
# HTTPS POSTs to a local server (bench/https_server.py, Python's ssl on the
# system OpenSSL; its CPU is not measured). Modes:
#   full       a new connection and a full handshake per request, Connection: close
#              (the origin article's client)
#   keepalive  one connection, one handshake, N requests
#   resumed    a new connection per request, resumed from a session ticket
# The peer in the same run is curl, measured the same way: one invocation
# with N URLs, with 'Connection: close' and --no-sessionid (full), plain
# (keep-alive), 'Connection: close' with its session cache (resumed).
# Instructions per request = (total - startup baseline) / N, the baseline
# being the same program doing no request (mcujs: the script with N=0;
# curl: a file:///dev/null transfer, which also skips its TLS start-up).
#
# Usage: bench/tls_resumption.sh MCUJS OUTDIR [N] [tls1.3|tls1.2]
# Prints a table and writes OUTDIR/tls_resumption-<version>.json. Not a test;
# numbers are recorded in docs/bench.md.
set -u
[ $# -ge 2 ] || { echo "usage: $0 MCUJS OUTDIR [N] [tls1.3|tls1.2]" >&2; exit 2; }
abs() { case "$1" in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
MCUJS=$(abs "$1")
OUT=$(abs "$2")
N=${3:-20}
VERSION=${4:-tls1.3}
HERE=$(cd "$(dirname "$0")" && pwd)
for t in valgrind curl python3 openssl; do
  command -v "$t" >/dev/null || { echo "'$t' is not installed" >&2; exit 1; }
done
[ -x "$MCUJS" ] || { echo "no mcujs at $MCUJS" >&2; exit 1; }
mkdir -p "$OUT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mcujs-bench.XXXXXX")
SERVER_PID=
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
die() { echo "bench: $*" >&2; exit 1; }

bash "$HERE/../tests/pki/make-pki.sh" "$WORK/pki" >"$WORK/pki.log" 2>&1 || die "make-pki.sh failed"
PKI=$WORK/pki
timeout 3600 python3 "$HERE/https_server.py" "$PKI/server-ec-fullchain.pem" "$PKI/server-ec.key" \
  "$WORK/port" "$VERSION" 2>"$WORK/server.err" &
SERVER_PID=$!
for _ in $(seq 1 200); do [ -s "$WORK/port" ] && break; sleep 0.05; done
[ -s "$WORK/port" ] || die "the server did not start: $(cat "$WORK/server.err")"
URL="https://localhost:$(cat "$WORK/port")/v1/devices/events"
cp "$HERE/post.js" "$WORK/post.js"

# server_saw EXPECTED_CONNECTIONS EXPECTED_RESUMED WHO: checks (and resets)
# the server's counts of TLS connections and resumed ones since the last call.
server_saw() {
  local st
  st=$(curl -s --cacert "$PKI/ca.pem" "${URL%/v1/*}/stats") || die "no stats from the server"
  # the stats request itself is one more (full) connection
  local want="{\"connections\": $(($1 + 1)), \"resumed\": $2}"
  [ "$st" = "$want" ] || die "$3: the server saw $st, expected $want (stats request included)"
  echo "$3: server saw $1 connections, $2 resumed" >&2
}

# ir FILE: total instructions of a callgrind output file.
ir() { sed -n 's/^\(summary\|totals\): *\([0-9]*\).*/\2/p' "$1" | head -1; }

# mcujs_ir MODE N [OPTIONS]: instructions of `mcujs run post.js` (checked).
mcujs_ir() {
  local mode=$1 n=$2; shift 2
  printf 'export default { url: "%s", n: %d, mode: "%s" };\n' "$URL" "$n" "$mode" >"$WORK/env.js"
  valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.out" \
    "$MCUJS" run --ca "$PKI/ca.pem" "$@" "$WORK/post.js" >"$WORK/run.out" 2>"$WORK/run.err" ||
    die "mcujs $mode failed: $(tail -n 5 "$WORK/run.out" "$WORK/run.err")"
  grep -q "\"mode\":\"$mode\"" "$WORK/run.out" || die "mcujs $mode: no result line: $(cat "$WORK/run.out")"
  local conns=$n resumed=0
  [ "$mode" = keepalive ] && conns=$((n > 0 ? 1 : 0))
  [ "$mode" = resumed ] && resumed=$((n - 1))
  server_saw "$conns" "$resumed" "mcujs $mode" || exit 1
  ir "$WORK/cg.out"
}

BODY='event=temperature&data=21.5&seq=0'
# curl_ir MODE: instructions of one curl invocation doing N POSTs.
curl_ir() {
  local args=() urls=() i
  for ((i = 0; i < N; i++)); do urls+=("$URL"); done
  case $1 in
    full) args=(-H 'Connection: close' --no-sessionid) ;;
    keepalive) args=() ;;
    resumed) args=(-H 'Connection: close') ;;
  esac
  valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.out" \
    curl -s --cacert "$PKI/ca.pem" -H 'Content-Type: application/x-www-form-urlencoded' -d "$BODY" \
    "${args[@]}" -o /dev/null "${urls[@]}" >/dev/null 2>"$WORK/curl-vg.err" || die "curl $1 under valgrind failed"
  local conns=$N resumed=0
  [ "$1" = keepalive ] && conns=1
  # what the server saw is the truth; curl's resumption is reported, not required
  local st
  st=$(curl -s --cacert "$PKI/ca.pem" "${URL%/v1/*}/stats")
  echo "curl $1: the server saw $st (the stats request included)" >&2
  echo "$st" >"$WORK/curl-$1.stats"
  ir "$WORK/cg.out"
}

echo "bench: $N POSTs per mode, $VERSION, server $URL" >&2
curl -s --cacert "$PKI/ca.pem" "${URL%/v1/*}/stats" >/dev/null || die "the server does not answer"
m_base=$(mcujs_ir keepalive 0) || exit 1
m_full=$(mcujs_ir full "$N" --no-tls-resumption) || exit 1
m_keep=$(mcujs_ir keepalive "$N") || exit 1
m_res=$(mcujs_ir resumed "$N") || exit 1
valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.out" curl -s -o /dev/null file:///dev/null 2>/dev/null ||
  die "curl baseline failed"
c_base=$(ir "$WORK/cg.out")
c_full=$(curl_ir full) || exit 1
c_keep=$(curl_ir keepalive) || exit 1
c_res=$(curl_ir resumed) || exit 1

per() { echo $(( ($1 - $2) / N )); }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
mf=$(per "$m_full" "$m_base"); mk=$(per "$m_keep" "$m_base"); mr=$(per "$m_res" "$m_base")
cf=$(per "$c_full" "$c_base"); ck=$(per "$c_keep" "$c_base"); cr=$(per "$c_res" "$c_base")

printf '\n%-8s %-28s %16s %10s\n' client mode "instr/request" "vs full"
printf '%-8s %-28s %16s %10s\n' mcujs "full handshake each" "$mf" 1.000
printf '%-8s %-28s %16s %10s\n' mcujs "keep-alive" "$mk" "$(ratio "$mk" "$mf")"
printf '%-8s %-28s %16s %10s\n' mcujs "resumed each" "$mr" "$(ratio "$mr" "$mf")"
printf '%-8s %-28s %16s %10s\n' curl "full handshake each" "$cf" 1.000
printf '%-8s %-28s %16s %10s\n' curl "keep-alive" "$ck" "$(ratio "$ck" "$cf")"
printf '%-8s %-28s %16s %10s\n' curl "resumed each" "$cr" "$(ratio "$cr" "$cf")"
printf 'curl as the server saw it: full %s, keep-alive %s, resumed %s\n' "$(cat "$WORK/curl-full.stats")" \
  "$(cat "$WORK/curl-keepalive.stats")" "$(cat "$WORK/curl-resumed.stats")"
printf 'startup baselines (not in the per-request figures): mcujs %s, curl %s\n' "$m_base" "$c_base"

json=$OUT/tls_resumption-$VERSION.json
cat >"$json" <<JSON
{
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "machine": "$(uname -m) $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //')",
  "n": $N,
  "tls": "$VERSION",
  "tools": "$(valgrind --version); $(curl --version | head -1 | cut -d' ' -f1-2,5)",
  "unit": "instructions per request (callgrind Ir, startup baseline subtracted)",
  "mcujs": {"baseline": $m_base, "full": $mf, "keepalive": $mk, "resumed": $mr,
            "keepalive_vs_full": $(ratio "$mk" "$mf"), "resumed_vs_full": $(ratio "$mr" "$mf")},
  "curl_server_view": {"full": $(cat "$WORK/curl-full.stats"), "keepalive": $(cat "$WORK/curl-keepalive.stats"),
                       "resumed": $(cat "$WORK/curl-resumed.stats")},
  "curl": {"baseline": $c_base, "full": $cf, "keepalive": $ck, "resumed": $cr,
           "keepalive_vs_full": $(ratio "$ck" "$cf"), "resumed_vs_full": $(ratio "$cr" "$cf")}
}
JSON
echo "wrote $json" >&2
