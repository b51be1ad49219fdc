# Helpers for the TLS test drivers (interop.sh, refusal.sh); sourced, not run.
#
# A driver calls tls_init, then starts one server (openssl_server,
# gnutls_server, bad_peer or no_server), writes env.js (write_env), runs a
# JavaScript test (run_js) and checks what the server saw (captured,
# not_captured...). Every wait is bounded in count and time, every server
# runs under `timeout` and is killed by the EXIT trap, and each driver run
# has its own temporary directory and kernel-chosen or freshly probed ports,
# so tests are independent and may run in parallel (ctest -j).
#
# Globals set by tls_init: MCUJS (absolute path), TLS_DIR (this directory),
# WORK (temporary directory, removed on exit unless MCUJS_TLS_KEEP=1),
# PKI ($WORK/pki after make_pki). After starting a server: PORT.

# Longest any server may live; a driver run is bounded well below this by
# ctest's TIMEOUT, this only guards against a harness killed with SIGKILL.
SERVER_LIFETIME=${SERVER_LIFETIME:-90}

_pids=()
_fds=()
FAILED=0

note() { echo "[$(date +%H:%M:%S)] $*"; }
die() {
  echo "FAIL: $*" >&2
  dump_logs >&2
  exit 1
}
# fail TEXT: records a failed check; the driver goes on and exits 1 at the end.
fail() {
  echo "FAIL: $*" >&2
  FAILED=1
}

_abs() { case "$1" in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }

_cleanup() {
  local p
  for p in "${_pids[@]+"${_pids[@]}"}"; do kill "$p" 2>/dev/null; done
  # Give them a moment, then make sure.
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    local alive=0
    for p in "${_pids[@]+"${_pids[@]}"}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive -eq 0 ] && break
    sleep 0.05
  done
  for p in "${_pids[@]+"${_pids[@]}"}"; do kill -9 "$p" 2>/dev/null; done
  wait 2>/dev/null
  if [ -n "${WORK:-}" ] && [ -d "$WORK" ]; then
    if [ "${MCUJS_TLS_KEEP:-0}" = 1 ]; then
      echo "kept $WORK" >&2
    else
      rm -rf "$WORK"
    fi
  fi
}

# tls_init MCUJS: checks the tools and creates $WORK.
tls_init() {
  [ $# -ge 1 ] || { echo "usage: $0 MCUJS ..." >&2; exit 2; }
  MCUJS=$(_abs "$1")
  TLS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  [ -x "$MCUJS" ] || { echo "FAIL: no mcujs binary at $MCUJS" >&2; exit 1; }
  local t
  for t in openssl timeout ss mktemp mkfifo; do
    command -v "$t" >/dev/null || { echo "FAIL: '$t' is not installed (see tools/setup.sh)" >&2; exit 1; }
  done
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/mcujs-tls.XXXXXX") || { echo "FAIL: mktemp" >&2; exit 1; }
  trap _cleanup EXIT
  # server arguments are built as words: no blanks in the paths
  case $WORK in *[[:space:]]*) die "TMPDIR must not contain blanks: $WORK" ;; esac
  trap 'exit 130' INT TERM
}

# make_pki: the test PKI in $PKI (tests/pki/make-pki.sh; about 1 s).
# The start of a case driver (refusal.sh, options.sh): `--list` prints
# $CASES; otherwise MCUJS BAD_PEER CASE sets helper, case_name, the PKI and
# a random secret.
case_driver_init() {
  if [ "${1:-}" = --list ]; then echo $CASES; exit 0; fi
  [ $# -eq 3 ] || { echo "usage: $0 MCUJS BAD_PEER CASE  (or: $0 --list)" >&2; exit 2; }
  tls_init "$1"
  helper=$(_abs "$2")
  case_name=$3
  make_pki
  secret=$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')
}

make_pki() {
  PKI=$WORK/pki
  bash "$TLS_DIR/../pki/make-pki.sh" "$PKI" >"$WORK/make-pki.out" 2>&1 ||
    die "make-pki.sh failed: $(tail -20 "$WORK/make-pki.out")"
}

# _port_in_use PORT: true if anything uses the local TCP port.
_port_in_use() {
  ss -Htan "( sport = :$1 )" 2>/dev/null | grep -q .
}

# free_port: prints a TCP port that nothing uses right now (random, 20000..59999).
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    _port_in_use "$p" || { echo "$p"; return 0; }
  done
  echo "free_port: no free port found" >&2
  return 1
}

# _listening PORT: true if a socket listens on PORT.
_listening() {
  ss -Hltn "( sport = :$1 )" 2>/dev/null | grep -q .
}

# openssl_server NAME [--reply FILE] [S_SERVER ARGS...]
# Starts `openssl s_server -accept 127.0.0.1:0 ARGS` in $WORK with stdout in
# $WORK/NAME.out (the application data it receives, plus session details)
# and stderr in $WORK/NAME.err, waits until it listens and sets PORT.
# Its stdin is a FIFO that we keep open, so it never sees end of input (which
# would make it drop the connection). With --reply FILE, FILE's bytes are
# written to that FIFO (so sent to the client) once a complete request has
# arrived: once $WORK/NAME.out contains the text in $WORK/NAME.until (set
# with reply_after before calling openssl_server).
openssl_server() {
  local name=$1; shift
  local reply=""
  if [ "${1:-}" = --reply ]; then reply=$2; shift 2; fi
  local out=$WORK/$name.out err=$WORK/$name.err in=$WORK/$name.in
  mkfifo "$in"
  local fd
  exec {fd}<>"$in"   # read-write: does not block, and holds the FIFO open
  _fds+=("$fd")
  (cd "$WORK" && exec timeout -k 2 "$SERVER_LIFETIME" openssl s_server -accept 127.0.0.1:0 "$@" \
      <"$in" >"$out" 2>"$err") &
  _pids+=($!)
  local spid=$!
  PORT=""
  for _ in $(seq 1 200); do
    PORT=$(sed -n 's/^ACCEPT 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$out" 2>/dev/null | head -1)
    [ -n "$PORT" ] && break
    kill -0 "$spid" 2>/dev/null || break
    sleep 0.05
  done
  [ -n "$PORT" ] || die "openssl s_server ($name) did not start"
  note "openssl s_server $name on port $PORT: $*"
  if [ -n "$reply" ]; then
    local until_file=$WORK/$name.until
    [ -s "$until_file" ] || die "openssl_server --reply needs reply_after $name TEXT first"
    (
      for _ in $(seq 1 600); do   # at most 30 s
        if grep -qF -f "$until_file" "$out" 2>/dev/null; then
          cat "$reply" >&"$fd"
          exit 0
        fi
        sleep 0.05
      done
    ) &
    _pids+=($!)
  fi
}

# reply_after NAME TEXT: the line of the request after which the server replies.
reply_after() { printf '%s\n' "$2" >"$WORK/$1.until"; }

# gnutls_server NAME ARGS...: starts `gnutls-serv -p PORT ARGS` (a free port,
# retried if taken meanwhile) with stdout in $WORK/NAME.out and stderr (where
# --echo logs what it receives) in $WORK/NAME.err; sets PORT. gnutls-serv
# listens on all addresses (it has no bind option).
gnutls_server() {
  local name=$1; shift
  command -v gnutls-serv >/dev/null || die "gnutls-serv is not installed (package gnutls-bin)"
  local out=$WORK/$name.out err=$WORK/$name.err
  local attempt spid
  for attempt in 1 2 3 4 5; do
    PORT=$(free_port) || die "no free port"
    (cd "$WORK" && exec timeout -k 2 "$SERVER_LIFETIME" gnutls-serv -p "$PORT" "$@" \
        </dev/null >"$out" 2>"$err") &
    spid=$!
    _pids+=($spid)
    for _ in $(seq 1 200); do   # at most 10 s
      if ! kill -0 "$spid" 2>/dev/null; then break; fi
      # Started when it says so and the port listens (it may also say
      # "done" and fail later for IPv6: wait for both lines, or for IPv4's).
      if grep -q 'listening on IPv4.*done' "$err" "$out" 2>/dev/null && _listening "$PORT"; then
        note "gnutls-serv $name on port $PORT: $*"
        return 0
      fi
      sleep 0.05
    done
    kill "$spid" 2>/dev/null
    note "gnutls-serv did not start on port $PORT (attempt $attempt): $(tail -3 "$err")"
  done
  die "gnutls-serv ($name) did not start"
}

# bad_peer NAME HELPER silent|rst: starts the misbehaving listener
# (tests/tls/bad_peer.c) with its capture in $WORK/NAME.out; sets PORT.
bad_peer() {
  local name=$1 helper=$2 mode=$3
  [ -x "$helper" ] || die "no helper binary at $helper"
  (exec timeout -k 2 "$SERVER_LIFETIME" "$helper" "$mode" "$WORK/$name.port" "$WORK/$name.out" \
      "$SERVER_LIFETIME" </dev/null >/dev/null 2>"$WORK/$name.err") &
  _pids+=($!)
  local spid=$!
  for _ in $(seq 1 200); do
    [ -s "$WORK/$name.port" ] && break
    kill -0 "$spid" 2>/dev/null || break
    sleep 0.05
  done
  [ -s "$WORK/$name.port" ] || die "bad_peer ($mode) did not start: $(cat "$WORK/$name.err")"
  PORT=$(cat "$WORK/$name.port")
  note "bad_peer $mode on port $PORT"
}

# no_server NAME: a port where nothing listens (for CONNECTION_REFUSED); sets PORT.
no_server() {
  PORT=$(free_port) || die "no free port"
  : >"$WORK/$1.out"
  : >"$WORK/$1.err"
  note "no server on port $PORT"
}

# js_string TEXT: TEXT as a double-quoted JavaScript string literal.
js_string() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\r'/\\r}
  s=${s//$'\n'/\\n}
  s=${s//$'\t'/\\t}
  printf '"%s"' "$s"
}

# write_env KEY=VALUE...: writes $WORK/env.js, `export default {...}`, with
# each VALUE as a string, except KEY:=VALUE (VALUE is a JavaScript literal:
# a number, true, false, null) and KEY@=FILE (FILE's content, byte for byte,
# as a string).
write_env() {
  local kv k v
  {
    echo "// Generated by tests/tls/lib.sh for one test run."
    echo "export default {"
    for kv in "$@"; do
      if [[ $kv =~ ^[A-Za-z_][A-Za-z0-9_]*:= ]]; then
        k=${kv%%:=*}; v=${kv#*:=}
        printf '  %s: %s,\n' "$k" "$v"
      elif [[ $kv =~ ^[A-Za-z_][A-Za-z0-9_]*@= ]]; then
        k=${kv%%@=*}
        v=$(cat "${kv#*@=}"; echo .)
        printf '  %s: %s,\n' "$k" "$(js_string "${v%.}")"
      else
        k=${kv%%=*}; v=${kv#*=}
        printf '  %s: %s,\n' "$k" "$(js_string "$v")"
      fi
    done
    echo "};"
  } >"$WORK/env.js"
}

# run_js TEST.js TIMEOUT_S [MCUJS OPTIONS...]: copies TEST.js and assert.js
# into $WORK and runs `mcujs run OPTIONS $WORK/TEST.js` with stdout in
# $WORK/js.out and stderr in $WORK/js.err. Checks the exit status is 0 and
# that stdout's last line is "<name> ok" (a module waiting on a promise that
# never settles also exits 0). Returns 0 if both hold.
run_js() {
  local test=$1 secs=$2; shift 2
  local name
  name=$(basename "$test")
  cp "$TLS_DIR/$test" "$WORK/$name"
  cp "$TLS_DIR/assert.js" "$WORK/assert.js"
  note "mcujs run $* $name"
  timeout -k 5 "$secs" "$MCUJS" run ${MCUJS_TLS_ARGS:-} "$@" "$WORK/$name" >"$WORK/js.out" 2>"$WORK/js.err"
  local status=$?
  sed 's/^/  js| /' "$WORK/js.out"
  if [ $status -ne 0 ]; then
    fail "mcujs exited with status $status"
    return 1
  fi
  if ! tail -1 "$WORK/js.out" | grep -q ' ok$'; then
    fail "the test script did not finish (no final '... ok' line)"
    return 1
  fi
  return 0
}

# captured NAME FILE: the server's output NAME.out contains FILE's bytes exactly.
captured() {
  local name=$1 file=$2 hay needle
  hay=$(cat "$WORK/$name.out" "$WORK/$name.err" 2>/dev/null; echo .)
  needle=$(cat "$file"; echo .)
  needle=${needle%.}
  [[ $hay == *"$needle"* ]]
}

# not_captured NAME TEXT: no TEXT anywhere in what the server wrote (binary safe).
not_captured() {
  ! cat "$WORK/$1.out" "$WORK/$1.err" 2>/dev/null | grep -aqF -- "$2"
}

# session_field NAME FIELD: a field ('Protocol', 'Cipher') of the TLS session
# openssl s_server NAME printed (decoded with openssl sess_id).
session_field() {
  sed -n '/-----BEGIN SSL SESSION PARAMETERS-----/,/-----END SSL SESSION PARAMETERS-----/p' "$WORK/$1.out" |
    openssl sess_id -noout -text 2>/dev/null | sed -n "s/^ *$2 *: *//p" | head -1
}

# wait_for NAME TEXT SECONDS: waits until the server's output has TEXT.
wait_for() {
  local i n=$(( $3 * 20 ))
  for ((i = 0; i < n; i++)); do
    cat "$WORK/$1.out" "$WORK/$1.err" 2>/dev/null | grep -aqF -- "$2" && return 0
    sleep 0.05
  done
  return 1
}

# dump_logs: what a failing run leaves behind, for the test log.
dump_logs() {
  [ -n "${WORK:-}" ] && [ -d "$WORK" ] || return 0
  local f
  for f in "$WORK"/*.out "$WORK"/*.err "$WORK"/env.js; do
    [ -f "$f" ] || continue
    echo "--- $(basename "$f")"
    # binary captures (ClientHello bytes) are shown as printable text
    head -c 6000 "$f" | tr -c '[:print:]\n\r\t' '.'
    echo
  done
}

# finish: exit status of the driver (dumps the logs if anything failed).
finish() {
  if [ "$FAILED" -ne 0 ]; then
    dump_logs
    echo "RESULT: FAIL"
    exit 1
  fi
  echo "RESULT: PASS"
  exit 0
}
