# Helpers for the sensor hub end-to-end tests (sourced): a demo-style PKI,
# the real receiver on an ephemeral port, Postfix's smtp-sink as the SMTP
# peer, and mcujs running apps/sensor-hub. Every wait is bounded; every
# process is killed by the EXIT trap; each run has its own directory.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FAILED=0
_pids=()

note() { echo "[$(date +%H:%M:%S)] $*"; }
fail() { echo "FAIL: $*" >&2; FAILED=1; }
die() {
  echo "FAIL: $*" >&2
  for f in "$WORK"/*.log; do [ -f "$f" ] && { echo "--- $f" >&2; tail -30 "$f" >&2; }; done
  exit 1
}
finish() {
  [ "$FAILED" -eq 0 ] && note "PASS" || note "FAILED"
  exit "$FAILED"
}
_cleanup() {
  local p
  for p in "${_pids[@]+"${_pids[@]}"}"; do kill "$p" 2>/dev/null; done
  sleep 0.2
  for p in "${_pids[@]+"${_pids[@]}"}"; do kill -9 "$p" 2>/dev/null; done
  wait 2>/dev/null
  if [ "${MCUJS_HUB_KEEP:-0}" = 1 ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}

# hub_init MCUJS RECEIVER
hub_init() {
  MCUJS=$1
  RECEIVER=$2
  [ -x "$MCUJS" ] || { echo "FAIL: no mcujs at $MCUJS" >&2; exit 1; }
  [ -x "$RECEIVER" ] || { echo "FAIL: no receiver at $RECEIVER" >&2; exit 1; }
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/mcujs-hub.XXXXXX")
  trap _cleanup EXIT
  trap 'exit 130' INT TERM
  SECRET=$(openssl rand -hex 12)
  TOKEN=$(openssl rand -hex 12)
  cd "$WORK" || exit 1
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/CN=mcujs test CA" -keyout ca.key -out ca.pem \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null &&
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
    -keyout server.key -out server.csr 2>/dev/null &&
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >ext.cnf &&
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
    -extfile ext.cnf -out server.pem 2>/dev/null || die "cannot make certificates"
}

# wait_until SECONDS CMD...: polls CMD every 0.1 s; false after SECONDS.
wait_until() {
  local limit=$(( $1 * 10 )) i; shift
  for ((i = 0; i < limit; i++)); do "$@" && return 0; sleep 0.1; done
  return 1
}

# smtp_start: smtp-sink on a free loopback port, one file per message in mail/.
smtp_start() {
  mkdir -p mail
  local p i
  for i in 1 2 3 4 5 6 7 8 9 10; do
    p=$((20000 + RANDOM % 30000))
    timeout 300 /usr/sbin/smtp-sink -u "$(id -un)" -d "$WORK/mail/%M." "127.0.0.1:$p" 10 >smtp.log 2>&1 &
    local pid=$!
    sleep 0.3
    if kill -0 "$pid" 2>/dev/null; then SMTP_PORT=$p; _pids+=("$pid"); return 0; fi
  done
  die "cannot start smtp-sink"
}
mail_count() { find mail -type f 2>/dev/null | wc -l; }
mails_at_least() { [ "$(mail_count)" -ge "$1" ]; }

# receiver_start [EXTRA_JSON]: the receiver on an ephemeral port, DB in $WORK.
receiver_start() {
  local smtp=""
  [ -n "${SMTP_PORT:-}" ] && smtp="\"smtp_url\": \"smtp://127.0.0.1:$SMTP_PORT\", \"mail_from\": \"hub@localhost\", \"mail_to\": \"ops@localhost\","
  cat >receiver.json <<JSON
{
  "listen": "127.0.0.1:${RECEIVER_PORT:-0}",
  "cert": "server.pem", "key": "server.key", "db": "receiver.db", "path": "/events",
  "dashboard_token": "$TOKEN", $smtp
  "alarm_min_period_s": ${ALARM_PERIOD:-3600},
  "devices": [{ "coreid": "hub-1", "secret": "$SECRET", "name": "test hub" }]
}
JSON
  rm -f receiver.port
  "$RECEIVER" --config receiver.json --port-file receiver.port >>receiver.log 2>&1 &
  RECEIVER_PID=$!
  _pids+=("$RECEIVER_PID")
  wait_until 20 test -s receiver.port || die "the receiver did not start"
  RECEIVER_PORT=$(cat receiver.port)
}
receiver_stop() {
  kill -TERM "$RECEIVER_PID" 2>/dev/null
  wait_until 10 bash -c "! kill -0 $RECEIVER_PID 2>/dev/null" || kill -9 "$RECEIVER_PID"
  wait "$RECEIVER_PID" 2>/dev/null
}

# hub_config PORT RUN_FOR_S [INTERVALS_JSON] [QUEUE_JSON]
hub_config() {
  cat >hub.json <<JSON
{
  "cloud": { "url": "https://localhost:$1/events", "ca": "ca.pem", "secret": "$SECRET", "coreid": "hub-1",
             "queue": ${4:-{\}} },
  "app": { "runForS": $2 ${3:+, \"intervals\": $3} }
}
JSON
}

# hub_run SCENARIO [mcujs args...]: runs the app in the background (HUB_PID).
hub_run() {
  local scenario=$1; shift
  "$MCUJS" run --config hub.json --scenario "$scenario" --trace trace.jsonl --state-dir state \
    --log-level info "$@" "$ROOT/apps/sensor-hub/main.js" >>hub.log 2>&1 &
  HUB_PID=$!
  _pids+=("$HUB_PID")
}
hub_wait() {  # hub_wait SECONDS: the app ends by itself, status 0
  wait_until "$1" bash -c "! kill -0 $HUB_PID 2>/dev/null" || die "the hub did not finish within $1 s"
  wait "$HUB_PID"
  local rc=$?
  [ $rc -eq 0 ] || fail "the hub exited with status $rc"
}

sql() { sqlite3 -batch -noheader receiver.db "$@"; }
# stored_at_least N: the receiver has stored N events or more (for wait_until,
# which re-runs it on every poll).
stored_at_least() { [ "$(sql 'SELECT count(*) FROM events' 2>/dev/null || echo 0)" -ge "$1" ]; }
# outbox_left: events still in the hub's outbox (state/ob.e.<id> files).
outbox_left() { find state -name 'ob.e.*' 2>/dev/null | wc -l; }
