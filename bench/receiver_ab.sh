#!/usr/bin/env bash
# A/B load benchmark of two mcujs-receiver binaries (e.g. the last commit's
# and a change), for a machine shared with other work: both run side by
# side, wrk posts the article's request (receiver_post.lua) to A, then B,
# then A ... (ROUNDS rounds, A and B swapping who goes first every round),
# kept-alive connections, for each client count. Prints every run and the
# median req/s, p99 and the B/A ratio of the medians; each binary's
# group-commit counters at the end. Absolute numbers depend on the load of
# the moment; the ratios of one run are what to compare.
# FSYNC_DELAY_US (env): the databases on tmpfs (/dev/shm) with every
# fsync/fdatasync a sleep of that many microseconds (receiver_fsync_delay.c),
# a steady "disk" instead of one shared with other jobs' builds.
# AB_NICE (env): run both servers and wrk at this niceness (e.g. -5, as
# root) so that other jobs' compilers disturb them less.
# A_CONFIG / B_CONFIG (env): extra keys for that side's configuration file,
# e.g. B_CONFIG='"threads": 1,' to compare settings of one binary.
#   bench/receiver_ab.sh A_BINARY B_BINARY OUTDIR [ROUNDS] [SECONDS] [CLIENTS...]
set -uo pipefail
A=$(readlink -f "$1"); B=$(readlink -f "$2"); OUT=$(mkdir -p "$3" && cd "$3" && pwd)
ROUNDS=${4:-5}; DUR=${5:-3}; shift 5 2>/dev/null || shift $#
CLIENTS=("$@"); [ ${#CLIENTS[@]} -gt 0 ] || CLIENTS=(8 32)
HERE=$(cd "$(dirname "$0")" && pwd)
for t in wrk python3 openssl; do command -v $t >/dev/null || { echo "$t not found (tools/setup.sh)"; exit 1; }; done

if [ -n "${FSYNC_DELAY_US:-}" ]; then W=$(mktemp -d -p /dev/shm); else W=$(mktemp -d); fi; PIDS=()
trap 'for p in "${PIDS[@]}"; do kill $p 2>/dev/null; done; wait 2>/dev/null; rm -rf "$W"' EXIT
cd "$W"
bash "$HERE/../tests/pki/make-pki.sh" "$W/pki" >/dev/null
SECRET=$(openssl rand -hex 12)
PRELOAD=
if [ -n "${FSYNC_DELAY_US:-}" ]; then
  cc -O2 -shared -fPIC -o fsync_delay.so "$HERE/receiver_fsync_delay.c" || exit 1
  PRELOAD=$W/fsync_delay.so; echo "fsync: a sleep of $FSYNC_DELAY_US us, databases on tmpfs"
fi
declare -A PORT PID
for x in A B; do
  extra=A_CONFIG; [ $x = B ] && extra=B_CONFIG
  cat >$x.json <<JSON
{ ${!extra:-} "listen": "127.0.0.1:0", "cert": "pki/server-ec-fullchain.pem", "key": "pki/server-ec.key", "db": "$x.db",
  "idle_timeout_s": 600, "devices": [{ "coreid": "hub-1", "secret": "$SECRET" }] }
JSON
  bin=$A; [ $x = B ] && bin=$B
  LD_PRELOAD=$PRELOAD nice -n "${AB_NICE:-0}" "$bin" --config $x.json --port-file $x.port 2>$x.log & PID[$x]=$!; PIDS+=($!)
done
for _ in $(seq 100); do [ -s A.port ] && [ -s B.port ] && break; sleep 0.1; done
PORT[A]=$(cat A.port); PORT[B]=$(cat B.port)
echo "A: $A ${A_CONFIG:-}"; echo "B: $B ${B_CONFIG:-}"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
RUN=0
# one X C ROUND: one wrk run; appends "rps p99_ms" to $OUT/X-cC.txt
one() {
  local x=$1 c=$2 f="$OUT/wrk-$1-c$2-r$3.txt"
  RUN=$((RUN + 1))
  local cpu0 cs0; cpu0=$(cpu_ticks $x); cs0=$(ctx_switches $x)
  ID_BASE=$((RUN * 10000000000)) SECRET=$SECRET COREID=hub-1 CLOSE=0 nice -n "${AB_NICE:-0}" timeout $((DUR + 30)) wrk -t 2 -c "$c" -d "${DUR}s" \
    --latency -s "$HERE/receiver_post.lua" "https://127.0.0.1:${PORT[$x]}/events" >"$f" 2>&1
  awk '/^Requests\/sec/ {r=$2} $1=="99%" {p=$2; if (p ~ /us$/) p=(p+0)/1000; else if (p ~ /ms$/) p=p+0; else if (p ~ /s$/) p=(p+0)*1000}
       /Non-2xx/ {bad=$NF} /requests in/ {n=$1} END {printf "%s %.2f %d %d", r, p, bad+0, n}' "$f" >>"$OUT/$x-c$c.txt"
  echo " $(( $(cpu_ticks $x) - cpu0 )) $(( $(ctx_switches $x) - cs0 ))" >>"$OUT/$x-c$c.txt"
}
# CPU time (clock ticks, user + system, all threads) and context switches
# (voluntary + involuntary, all threads) of server X so far.
cpu_ticks() { awk '{print $14 + $15}' /proc/${PID[$1]}/stat; }
ctx_switches() { cat /proc/${PID[$1]}/task/*/status | awk '/ctxt_switches/ {n += $2} END {print n}'; }
med() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
for c in "${CLIENTS[@]}"; do rm -f "$OUT/A-c$c.txt" "$OUT/B-c$c.txt"; done
for r in $(seq "$ROUNDS"); do
  for c in "${CLIENTS[@]}"; do
    if [ $((r % 2)) = 1 ]; then one A "$c" "$r"; one B "$c" "$r"; else one B "$c" "$r"; one A "$c" "$r"; fi
  done
done
echo "| clients | A req/s (runs) | B req/s (runs) | A p99 ms | B p99 ms | B/A req/s (median) | non-2xx | CPU us/req A, B | ctx sw./req A, B |"
echo "|---|---|---|---|---|---|---|---|---|"
TICK_US=$((1000000 / $(getconf CLK_TCK)))
per_req() { awk -v col=$2 -v k=$3 '{n += $4; v += $col} END {printf "%.1f", n ? v * k / n : 0}' "$1"; }
for c in "${CLIENTS[@]}"; do
  ar=$(cut -d' ' -f1 "$OUT/A-c$c.txt" | med); br=$(cut -d' ' -f1 "$OUT/B-c$c.txt" | med)
  ap=$(cut -d' ' -f2 "$OUT/A-c$c.txt" | med); bp=$(cut -d' ' -f2 "$OUT/B-c$c.txt" | med)
  bad=$(cut -d' ' -f3 "$OUT/A-c$c.txt" "$OUT/B-c$c.txt" | paste -sd+ | bc)
  printf '| %s | %s (%s) | %s (%s) | %s | %s | %.2f | %s | %s, %s | %s, %s |\n' "$c" "$ar" "$(cut -d' ' -f1 "$OUT/A-c$c.txt" | paste -sd' ')" \
    "$br" "$(cut -d' ' -f1 "$OUT/B-c$c.txt" | paste -sd' ')" "$ap" "$bp" "$(echo "$br / $ar" | bc -l)" "$bad" \
    "$(per_req "$OUT/A-c$c.txt" 5 $TICK_US)" "$(per_req "$OUT/B-c$c.txt" 5 $TICK_US)" \
    "$(per_req "$OUT/A-c$c.txt" 6 1)" "$(per_req "$OUT/B-c$c.txt" 6 1)"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
for x in A B; do kill -TERM ${PID[$x]} 2>/dev/null; wait ${PID[$x]} 2>/dev/null
  echo "$x: $(grep -o 'group commit: .*' $x.log)"; done
