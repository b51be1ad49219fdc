#!/usr/bin/env bash
# The receiver's dashboard in a real browser: starts mcujs-receiver over TLS
# with a fresh test PKI and database, posts reports and an alarm for two
# devices with curl, then loads the dashboard in Debian's headless Chromium
# and checks the rendered DOM (device ids, a posted temperature, the alarm
# row, an SVG chart with a path), that the page without the token is the
# login page, and takes a screenshot kept in the build directory.
#
# Chromium trusts exactly our test server key (--ignore-certificate-errors-
# spki-list pins its SPKI hash; every other certificate error still fails,
# which the test checks too).
#
# Usage: dashboard_test.sh RECEIVER [ARTIFACT_DIR]
#   MCUJS_DASHBOARD_KEEP=1 keeps the temporary directory.
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 RECEIVER [ARTIFACT_DIR]" >&2; exit 2; }
RECEIVER=$(readlink -f "$1")
ARTIFACTS=$(readlink -f "${2:-$PWD}")
HERE=$(cd "$(dirname "$0")" && pwd)
PKI_SCRIPT=$HERE/../../tests/pki/make-pki.sh
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

for tool in curl openssl timeout "$CHROMIUM"; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool not found (tools/setup.sh installs it)" >&2; exit 1; }
done
[ -x "$RECEIVER" ] || { echo "FAIL: $RECEIVER is not executable" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mcujs-dashboard.XXXXXX")
RECEIVER_PID=""
FAILED=0

note() { echo "[$(date +%H:%M:%S)] $*"; }
fail() { echo "FAIL: $*" >&2; FAILED=1; }
# Runs under set -e: nothing here may fail the exit status of a passed run.
cleanup() {
  if [ -n "$RECEIVER_PID" ] && kill -0 "$RECEIVER_PID" 2>/dev/null; then
    kill "$RECEIVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$RECEIVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$RECEIVER_PID" 2>/dev/null || true
  fi
  wait 2>/dev/null || true
  if [ "${MCUJS_DASHBOARD_KEEP:-0}" = 1 ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
die() {
  echo "FAIL: $*" >&2
  [ -s "$WORK/receiver.log" ] && { echo "--- receiver log (tail)" >&2; tail -30 "$WORK/receiver.log" >&2; }
  exit 1
}

# ------------------------------------------------------------ PKI, receiver
note "making the test PKI"
bash "$PKI_SCRIPT" "$WORK/pki" >/dev/null || die "make-pki.sh failed"
PKI=$WORK/pki
SPKI=$(openssl pkey -in "$PKI/server-ec.key" -pubout -outform der |
       openssl dgst -sha256 -binary | openssl base64 -A)

DEV_A=e00fce68a1b2c3d4e5f6a7b8   # listed, with its own secret and a name
DEV_B=garage-hub-42              # not listed: the shared secret, no name
SECRET_A=$(openssl rand -hex 12)
SECRET=$(openssl rand -hex 12)
TOKEN=$(openssl rand -hex 16)
cat >"$WORK/receiver.json" <<EOF
{
  "listen": "127.0.0.1",
  "port": 0,
  "cert": "$PKI/server-ec-fullchain.pem",
  "key": "$PKI/server-ec.key",
  "db": "$WORK/events.db",
  "devices": [{"coreid": "$DEV_A", "secret": "$SECRET_A", "name": "Kitchen hub"}],
  "secret": "$SECRET",
  "dashboard_token": "$TOKEN"
}
EOF

note "starting the receiver"
# Outlives nothing: bounded by timeout, and killed by the EXIT trap.
timeout 170 "$RECEIVER" --config "$WORK/receiver.json" --port-file "$WORK/port" \
  >"$WORK/receiver.log" 2>&1 &
RECEIVER_PID=$!
PORT=""
for _ in $(seq 300); do  # at most 30 s
  if [ -s "$WORK/port" ]; then PORT=$(tr -dc 0-9 <"$WORK/port"); [ -n "$PORT" ] && break; fi
  kill -0 "$RECEIVER_PID" 2>/dev/null || die "the receiver exited before listening"
  sleep 0.1
done
[ -n "$PORT" ] || die "the receiver wrote no port file within 30 s"
BASE=https://127.0.0.1:$PORT
note "receiver on port $PORT"

CURL=(curl -sS --max-time 20 --cacert "$PKI/ca.pem")

# post EVENT COREID ID JSON: one device event, as the hub's outbox sends it.
post() {
  local code secret=$SECRET
  [ "$2" = "$DEV_A" ] && secret=$SECRET_A
  code=$("${CURL[@]}" -o "$WORK/post.out" -w '%{http_code}' -X POST "$BASE/events" \
           -H "Secret: $secret" \
           --data-urlencode "event=$1" --data-urlencode "data=$4" \
           --data-urlencode "coreid=$2" --data-urlencode "id=$3") || die "POST /events failed"
  case "$code" in 2??) ;; *) die "POST /events ($1 from $2) answered HTTP $code: $(head -c 300 "$WORK/post.out")" ;; esac
}

note "posting events for $DEV_A and $DEV_B"
post sensor-report $DEV_A 1 '{"temperature":21.5,"humidity":40,"gas":640,"movement":false,"flame":false}'
post sensor-report $DEV_A 2 '{"temperature":22.0,"humidity":42,"gas":655,"movement":false,"flame":false}'
post sensor-report $DEV_A 3 '{"temperature":23.4,"humidity":44,"gas":702,"movement":false,"flame":false}'
post sensor-report $DEV_B 1 '{"temperature":18.25,"humidity":61,"gas":1210,"movement":false,"flame":false}'
post sensor-report $DEV_B 2 '{"temperature":19.5,"humidity":63,"gas":1405,"movement":false,"flame":false}'
post sensor-alarm  $DEV_B 3 '{"temperature":47.5,"humidity":35,"gas":3900,"movement":true,"flame":true,"reasons":["movement","flame","gas","temperature"]}'

# ----------------------------------------------------------- API without auth
code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$BASE/api/devices") || die "GET /api/devices failed"
[ "$code" = 401 ] || fail "GET /api/devices without a session answered $code, not 401"
code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$BASE/api/devices") ||
  die "GET /api/devices with the token failed"
[ "$code" = 200 ] || fail "GET /api/devices with the bearer token answered $code, not 200"

# --------------------------------------------------------------- Chromium
# chrome RUN_NAME [extra flags...] URL: one headless run with its own
# profile, no background traffic, bounded in time. stdout -> $WORK/RUN_NAME.out
chrome() {
  local name=$1; shift
  local rc=0
  timeout 120 "$CHROMIUM" --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --user-data-dir="$WORK/profile-$name" --no-first-run --no-default-browser-check \
    --disable-extensions --disable-background-networking --disable-component-update \
    --disable-sync --disable-domain-reliability --no-pings --metrics-recording-only \
    --window-size=1280,900 "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || rc=$?
  [ $rc -eq 0 ] || { tail -20 "$WORK/$name.err" >&2; die "chromium ($name) exited with $rc"; }
}
PIN=--ignore-certificate-errors-spki-list=$SPKI

# has FILE TEXT WHAT / lacks FILE TEXT WHAT: fixed-string checks on a DOM dump.
has() { grep -qF -- "$2" "$1" || fail "$3: '$2' not in $(basename "$1")"; }
lacks() { ! grep -qF -- "$2" "$1" || fail "$3: '$2' found in $(basename "$1")"; }

note "chromium: the certificate is checked (no pin: no page)"
chrome nopin --virtual-time-budget=3000 --dump-dom "$BASE/?token=$TOKEN"
lacks "$WORK/nopin.out" "$DEV_A" "without the pinned key the page must not load"
lacks "$WORK/nopin.out" "<main" "without the pinned key the page must not load"

note "chromium: without the token the page is the login page"
chrome login "$PIN" --virtual-time-budget=5000 --dump-dom "$BASE/"
grep -qiE '<(form|input)|log ?in|sign ?in|token' "$WORK/login.out" ||
  fail "the page without the token does not look like a login page"
lacks "$WORK/login.out" "$DEV_A" "login page"
lacks "$WORK/login.out" 'id="devices"' "login page"

note "chromium: the dashboard with the token"
chrome dash "$PIN" --virtual-time-budget=10000 --dump-dom "$BASE/?token=$TOKEN"
DOM=$WORK/dash.out
cp "$DOM" "$ARTIFACTS/receiver_dashboard.html"
has "$DOM" 'id="devices"' "dashboard page"
has "$DOM" "$DEV_A" "device A"
has "$DOM" "Kitchen hub" "device A's configured name"
has "$DOM" "$DEV_B" "device B"
has "$DOM" "23.4 °C" "device A's latest temperature"
grep -qE "aria-label=\"Last 24 hours of [^\"]*$DEV_B: Temperature 18\.[23] °C to 47\.5 °C, latest 47\.5 °C" "$DOM" ||
  fail "device B's chart does not summarise its temperatures (18.25 .. 47.5 °C)"
has "$DOM" "<svg" "chart"
grep -qE '<path d="M[0-9.]+,[0-9.]+L' "$DOM" || fail "no chart line (<path d=\"M..L..\">) in the DOM"
grep -qE '<svg[^>]*aria-label="Last 24 hours of [^"]*Temperature' "$DOM" || fail "no chart aria-label"
has "$DOM" "47.5 °C" "the alarm's temperature"
has "$DOM" '<table class="alarms">' "alarm table"
# The alarm row: its time heads the row, the device and readings follow.
tr -d '\n' <"$DOM" | sed 's#</tr>#&\n#g' | grep -F '<th scope="row">' >"$WORK/rows.txt" || true
grep -F "$DEV_B" "$WORK/rows.txt" | grep -F '47.5 °C' | grep -qE 'data-label="Mailed">(yes|no)</td>' ||
  fail "no alarm row with device $DEV_B, 47.5 °C and a mailed cell"
lacks "$DOM" "Cannot load data" "error banner"

note "chromium: screenshot"
SHOT=$ARTIFACTS/receiver_dashboard.png
rm -f "$SHOT"
chrome shot "$PIN" --virtual-time-budget=10000 --hide-scrollbars --screenshot="$SHOT" "$BASE/?token=$TOKEN"
if [ ! -s "$SHOT" ]; then
  fail "no screenshot written"
else
  size=$(stat -c %s "$SHOT")
  magic=$(head -c 8 "$SHOT" | od -An -tx1 | tr -d ' \n')
  [ "$magic" = 89504e470d0a1a0a ] || fail "the screenshot is not a PNG"
  [ "$size" -gt 30000 ] || fail "the screenshot is only $size bytes: a blank page?"
  echo "screenshot: $SHOT ($size bytes); DOM: $ARTIFACTS/receiver_dashboard.html"
fi

kill -0 "$RECEIVER_PID" 2>/dev/null || fail "the receiver died during the test"
if [ $FAILED -ne 0 ]; then
  echo "--- receiver log (tail)" >&2; tail -30 "$WORK/receiver.log" >&2
  exit 1
fi
echo "receiver_dashboard ok"
