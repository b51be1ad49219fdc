#!/usr/bin/env bash
# Side-by-side load benchmark: mcujs-receiver against the article's Webtask
# as an Express 4 app (bench/express-webtask), in the same run on the same
# machine, the article's request (form body, Secret) posted by wrk
# (receiver_post.lua, a fresh event id per request). Keep-alive and a new
# connection per request, 1/8/32 clients: req/s, p50, p99, RSS. Then 10,000
# idle TLS connections held open (idle_tls.py) while 8 devices post, with
# the receiver's RSS. Prints a Markdown table; raw wrk output in OUTDIR.
# FSYNC_DELAY_US (env): the receiver's database on tmpfs (/dev/shm), every
# fsync/fdatasync a sleep of that many microseconds (receiver_fsync_delay.c):
# 0 shows what the receiver does when the disk costs nothing, the bound the
# rest of its work sets.
#   bench/receiver_load.sh RECEIVER OUTDIR [SECONDS_PER_RUN] [IDLE_CONNECTIONS]
set -uo pipefail
RECEIVER=$(readlink -f "$1"); OUT=$(mkdir -p "$2" && cd "$2" && pwd); DUR=${3:-5}; IDLE=${4:-10000}
HERE=$(cd "$(dirname "$0")" && pwd)
for t in wrk node npm python3 openssl sqlite3; do command -v $t >/dev/null || { echo "$t not found (tools/setup.sh)"; exit 1; }; done
ulimit -n "$(ulimit -Hn)" || true
[ "$(ulimit -n)" -ge $((IDLE + 1000)) ] || echo "warning: ulimit -n $(ulimit -n) is below $IDLE idle connections" >&2
[ -d "$HERE/express-webtask/node_modules" ] || (cd "$HERE/express-webtask" && npm ci --no-audit --no-fund >/dev/null) ||
  { echo "npm ci failed"; exit 1; }

if [ -n "${FSYNC_DELAY_US:-}" ]; then W=$(mktemp -d -p /dev/shm); else W=$(mktemp -d); fi; PIDS=()
trap 'for p in "${PIDS[@]}"; do kill $p 2>/dev/null; done; wait 2>/dev/null; rm -rf "$W"' EXIT
cd "$W"
bash "$HERE/../tests/pki/make-pki.sh" "$W/pki" >/dev/null
SECRET=$(openssl rand -hex 12)
PRELOAD=
if [ -n "${FSYNC_DELAY_US:-}" ]; then
  cc -O2 -shared -fPIC -o fsync_delay.so "$HERE/receiver_fsync_delay.c" || exit 1
  PRELOAD=$W/fsync_delay.so; echo "fsync: a sleep of $FSYNC_DELAY_US us, the database on tmpfs"
fi
cat >receiver.json <<JSON
{ "listen": "127.0.0.1:0", "cert": "pki/server-ec-fullchain.pem", "key": "pki/server-ec.key", "db": "bench.db",
  "idle_timeout_s": 600, "max_connections": $((IDLE + 1000)), "max_connections_per_client": $((IDLE + 1000)),
  "devices": [{ "coreid": "hub-1", "secret": "$SECRET" }] }
JSON
LD_PRELOAD=$PRELOAD "$RECEIVER" --config receiver.json --port-file receiver.port 2>receiver.log & RPID=$!; PIDS+=($RPID)
node "$HERE/express-webtask/server.js" pki/server-ec-fullchain.pem pki/server-ec.key express.port "$SECRET" hub-1 \
  2>express.log & EPID=$!; PIDS+=($EPID)
for _ in $(seq 100); do [ -s receiver.port ] && [ -s express.port ] && break; sleep 0.1; done
RPORT=$(cat receiver.port); EPORT=$(cat express.port)

RUN=0
rss_mb() { awk '/^VmRSS/ {printf "%.1f", $2/1024}' /proc/$1/status; }
hwm_mb() { awk '/^VmHWM/ {printf "%.1f", $2/1024}' /proc/$1/status; }
# run NAME PORT PID CLIENTS CLOSE: one wrk run; prints a table row.
run() {
  local name=$1 port=$2 pid=$3 c=$4 close=$5 f
  f="$OUT/wrk-$name-c$c-$([ "$close" = 1 ] && echo new || echo keepalive).txt"
  RUN=$((RUN + 1))
  ID_BASE=$((RUN * 10000000000)) SECRET=$SECRET COREID=hub-1 CLOSE=$close timeout $((DUR + 30)) wrk -t $((c < 2 ? 1 : 2)) -c "$c" -d "${DUR}s" \
    --latency -s "$HERE/receiver_post.lua" "https://127.0.0.1:$port/events" >"$f" 2>&1
  local rps p50 p99 n non2xx
  rps=$(awk '/^Requests\/sec/ {print $2}' "$f"); p50=$(awk '$1=="50%" {print $2}' "$f"); p99=$(awk '$1=="99%" {print $2}' "$f")
  n=$(awk '/requests in/ {print $1}' "$f"); non2xx=$(awk '/Non-2xx/ {print $NF}' "$f")
  printf '| %s | %s | %d | %s | %s | %s | %s | %s |\n' "$name" "$([ "$close" = 1 ] && echo new conn. || echo keep-alive)" \
    "$c" "$rps" "$p50" "$p99" "${non2xx:-0}" "$(rss_mb "$pid")"
  echo "$n" >"$f.count"
}

# The disk's fdatasync rate bounds the receiver (synchronous=FULL): with C
# devices on kept-alive connections at most C events per fsync.
python3 -c "
import os, time
fd = os.open('fsync.probe', os.O_WRONLY | os.O_CREAT); t = time.time(); n = 0
while time.time() - t < 1: os.write(fd, b'x' * 4096); os.fdatasync(fd); n += 1
print(f'disk: {n} fdatasync/s ({1000 / n:.2f} ms each) in this directory')"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
echo "| server | connection | clients | req/s | p50 | p99 | non-2xx | RSS MB |"
echo "|---|---|---|---|---|---|---|---|"
for close in 0 1; do
  for c in 1 8 32; do
    run receiver "$RPORT" "$RPID" "$c" "$close"
    run express "$EPORT" "$EPID" "$c" "$close"
  done
done
stored=$(sqlite3 bench.db "SELECT count(*) FROM events")
dups=$(sqlite3 bench.db "SELECT count(*) - count(DISTINCT event_id) FROM events")
sent=$(cat "$OUT"/wrk-receiver-c*.count | paste -sd+ | bc)
echo
echo "receiver: $stored events stored, $dups duplicates, wrk counted $sent answered requests (stored >= answered: in-flight requests at the end of a run are stored too)"
echo "peak RSS: receiver $(hwm_mb $RPID) MB, express $(hwm_mb $EPID) MB"

# Idle TLS connections held while 8 devices post.
if [ "$IDLE" -gt 0 ]; then
  before=$(rss_mb $RPID)
  timeout 300 python3 "$HERE/idle_tls.py" "$IDLE" "$RPORT" pki/ca.pem idle.ready $((DUR + 20)) >idle.out 2>&1 & PIDS+=($!)
  for _ in $(seq 1200); do [ -s idle.ready ] && break; sleep 0.1; done
  read -r opened failed <idle.ready
  held=$(rss_mb $RPID)
  echo
  echo "idle TLS connections: $opened open ($failed failed); receiver RSS $before MB before, $held MB with them open" \
    "($(awk -v b="$before" -v h="$held" -v n="$opened" 'BEGIN {if (n > 0) printf "%.1f", (h - b) * 1024 / n}') KB each)"
  echo "| server | connection | clients | req/s | p50 | p99 | non-2xx | RSS MB |"
  echo "|---|---|---|---|---|---|---|---|"
  run "receiver + $opened idle" "$RPORT" "$RPID" 8 0
fi

# Where the receiver's time went: its group-commit counters, logged at stop.
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
kill -TERM $RPID 2>/dev/null; wait $RPID 2>/dev/null
grep -o 'group commit: .*' receiver.log
