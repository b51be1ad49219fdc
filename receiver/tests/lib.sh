# Helpers for the receiver tests (sourced): a fresh test PKI, the receiver
# on a kernel-chosen port (--port-file), curl over TLS, sqlite3 checks and
# Postfix's smtp-sink as the SMTP server. Every wait is bounded; the EXIT
# trap kills what we started; each run has its own directory.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FAILED=0
_pids=()
RECEIVER_PID=""

note() { echo "[$(date +%H:%M:%S)] $*"; }
fail() { echo "FAIL: $*" >&2; FAILED=1; }
die() {
  echo "FAIL: $*" >&2
  [ -s "$WORK/receiver.log" ] && { echo "--- receiver.log (tail)" >&2; tail -40 "$WORK/receiver.log" >&2; }
  exit 1
}
finish() {
  if [ "$FAILED" -ne 0 ] && [ -s "$WORK/receiver.log" ]; then
    echo "--- receiver.log (tail)" >&2; tail -40 "$WORK/receiver.log" >&2
  fi
  [ "$FAILED" -eq 0 ] && note "PASS" || note "FAILED"
  exit "$FAILED"
}
_cleanup() {
  local p
  for p in "${_pids[@]+"${_pids[@]}"}"; do kill "$p" 2>/dev/null; done
  for _ in $(seq 30); do
    local alive=0
    for p in "${_pids[@]+"${_pids[@]}"}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for p in "${_pids[@]+"${_pids[@]}"}"; do kill -9 "$p" 2>/dev/null; done
  wait 2>/dev/null
  if [ "${MCUJS_RECEIVER_KEEP:-0}" = 1 ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}

# wait_until SECONDS CMD...: polls CMD every 0.1 s; false after SECONDS.
wait_until() {
  local limit=$(( $1 * 10 )) i; shift
  for ((i = 0; i < limit; i++)); do "$@" && return 0; sleep 0.1; done
  return 1
}

# r_init RECEIVER: work directory, PKI, secrets.
r_init() {
  RECEIVER=$(readlink -f "$1")
  [ -x "$RECEIVER" ] || { echo "FAIL: no receiver at $1" >&2; exit 1; }
  for tool in curl openssl sqlite3 timeout; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool not found (tools/setup.sh installs it)" >&2; exit 1; }
  done
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/mcujs-receiver.XXXXXX")
  trap _cleanup EXIT
  trap 'exit 130' INT TERM
  cd "$WORK" || exit 1
  bash "$HERE/../../tests/pki/make-pki.sh" "$WORK/pki" >/dev/null || die "make-pki.sh failed"
  SECRET=$(openssl rand -hex 12)
  SECRET2=$(openssl rand -hex 12)
  TOKEN=$(openssl rand -hex 16)
  CURL=(curl -sS --max-time 20 --cacert "$WORK/pki/ca.pem")
}

# r_config [EXTRA_JSON_MEMBERS]: receiver.json with devices hub-1 and hub-2.
r_config() {
  cat >receiver.json <<JSON
{
  "listen": "127.0.0.1:0",
  "cert": "pki/server-ec-fullchain.pem", "key": "pki/server-ec.key",
  "db": "receiver.db", "path": "/events",
  "dashboard_token": "$TOKEN",
  "read_timeout_s": ${READ_TIMEOUT:-3},
  ${1:+$1,}
  "devices": [{ "coreid": "hub-1", "secret": "$SECRET", "name": "Test hub" },
              { "coreid": "hub-2", "secret": "$SECRET2" }]
}
JSON
}

# r_start [ARGS...]: starts the receiver, waits for its port file (PORT, BASE).
r_start() {
  rm -f receiver.port
  timeout 300 "$RECEIVER" --config receiver.json --port-file receiver.port "$@" >>receiver.log 2>&1 &
  RECEIVER_PID=$!
  _pids+=("$RECEIVER_PID")
  wait_until 30 test -s receiver.port || die "the receiver wrote no port file within 30 s"
  PORT=$(cat receiver.port)
  BASE=https://localhost:$PORT
}
# r_stop: SIGTERM, a clean exit (status 0) within 15 s.
r_stop() {
  kill -TERM "$RECEIVER_PID" 2>/dev/null
  wait_until 15 bash -c "! kill -0 $RECEIVER_PID 2>/dev/null" || { kill -9 "$RECEIVER_PID"; fail "no exit within 15 s of SIGTERM"; }
  wait "$RECEIVER_PID"
  local rc=$?
  [ $rc -eq 0 ] || fail "the receiver exited with status $rc after SIGTERM"
  RECEIVER_PID=""
}
alive() { [ -n "$RECEIVER_PID" ] && kill -0 "$RECEIVER_PID" 2>/dev/null; }

# post EVENT COREID ID DATA [curl args...]: prints the HTTP status; the body
# lands in $WORK/out. ID "" sends no id field.
post() {
  local event=$1 coreid=$2 id=$3 data=$4; shift 4
  local args=(--data-urlencode "event=$event" --data-urlencode "data=$data" --data-urlencode "coreid=$coreid")
  [ -n "$id" ] && args+=(--data-urlencode "id=$id")
  "${CURL[@]}" -o "$WORK/out" -w '%{http_code}' -H "Secret: ${SECRET_HDR:-$SECRET}" "${args[@]}" "$@" "$BASE/events" ||
    echo " (curl failed)"
}
# expect WHAT WANT GOT
expect() {
  if [ "$2" = "$3" ]; then note "ok: $1 -> $3"; else fail "$1: got '$3', want '$2' ($(head -c 200 "$WORK/out" 2>/dev/null))"; fi
}

sql() { sqlite3 -batch -noheader receiver.db "$@"; }
# jget FILE PATH: a value from a JSON file (SQLite's json_extract).
jget() { sqlite3 -batch -noheader :memory: "SELECT json_extract(readfile('$1'), '$2')"; }

# api PATH: GET with the bearer token into $WORK/api.json; prints the status.
api() { "${CURL[@]}" -o "$WORK/api.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$BASE$1"; }

# smtp_start [PORT]: smtp-sink on loopback, one file per message in mail/.
smtp_start() {
  mkdir -p mail
  local p i pid
  for i in $(seq 20); do
    p=${1:-$((20000 + RANDOM % 30000))}
    timeout 300 /usr/sbin/smtp-sink -u "$(id -un)" -d "$WORK/mail/%M." "127.0.0.1:$p" 10 >>smtp.log 2>&1 &
    pid=$!
    # Listening once a TCP connect succeeds (bash's /dev/tcp: plain TCP).
    if wait_until 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$p" 2>/dev/null && kill -0 "$pid" 2>/dev/null; then
      SMTP_PORT=$p; SMTP_PID=$pid; _pids+=("$pid"); return 0
    fi
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    sleep 0.5
  done
  die "cannot start smtp-sink"
}
smtp_stop() { kill "$SMTP_PID" 2>/dev/null; wait "$SMTP_PID" 2>/dev/null; }
mail_count() { find mail -type f 2>/dev/null | wc -l; }

# raw_tls SECONDS [s_client args]: runs openssl s_client to the receiver with stdin as the
# raw HTTP bytes; its output (the response) goes to stdout.
raw_tls() {
  local t=$1; shift
  timeout "$t" openssl s_client -connect "127.0.0.1:$PORT" -servername localhost -quiet \
    -CAfile "$WORK/pki/ca.pem" -verify_return_error "$@" 2>/dev/null
}
jlen() { sqlite3 -batch -noheader :memory: "SELECT json_array_length(readfile('$1'))"; }
