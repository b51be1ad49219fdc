#!/usr/bin/env bash
# The command line and config file: --help, refusals with a clear message
# (exit 2 for a bad configuration, 1 for a file or port problem), the
# example config, flags overriding the file, a port already in use, SIGINT.
#   cli.sh RECEIVER
source "$(dirname "$0")/lib.sh"
r_init "$@"
EXAMPLE=$HERE/../receiver.example.json

# refuse WHAT STATUS TEXT ARGS...: runs the receiver, expects a quick exit.
refuse() {
  local what=$1 want=$2 text=$3; shift 3
  timeout 20 "$RECEIVER" "$@" >run.out 2>&1
  local rc=$?
  [ $rc = "$want" ] || { fail "$what: exit status $rc, want $want: $(head -3 run.out)"; return; }
  grep -qF -- "$text" run.out && note "ok: $what -> $rc: $(head -1 run.out | cut -c1-110)" ||
    fail "$what: no '$text' in: $(head -3 run.out)"
}

timeout 10 "$RECEIVER" --help >help.out 2>&1 || fail "--help failed"
for w in --config --listen --port-file --dashboard-token --smtp-url --alarm-min-period docs/receiver.md; do
  grep -qF -- "$w" help.out || fail "--help does not mention $w"
done
refuse "no arguments" 2 "--cert and --key are required"
refuse "unknown flag" 2 "unknown option --frobnicate" --frobnicate 1
refuse "missing value" 2 "needs a value" --db
refuse "bad --listen" 2 "bad port" --listen 127.0.0.1:99999
refuse "missing config file" 2 "cannot read config file" --config nope.json
echo '{ "listen": "127.0.0.1:0", ' >broken.json
refuse "broken JSON" 2 "not a JSON object" --config broken.json
echo '{ "cert": "a", "key": "b", "smtp-url": "smtp://x" }' >typo.json
refuse "unknown key" 2 "unknown key 'smtp-url'" --config typo.json
echo '{ "cert": "a", "key": "b" }' >nodev.json
refuse "no devices" 2 "no devices configured" --config nodev.json
refuse "short secret" 2 "secret shorter than 8" --config "$EXAMPLE" --listen 127.0.0.1:0 --cert x --key y \
  --db x.db --dashboard-token "$TOKEN" --config <(echo '{"devices":[{"coreid":"a","secret":"short"}]}')
refuse "mail without recipients" 2 "needs mail_from and mail_to" --config "$EXAMPLE" --mail-to "" --cert x --key y
refuse "missing certificate" 1 "cannot load certificate chain" --config "$EXAMPLE" \
  --cert "$WORK/none.pem" --key "$WORK/pki/server-ec.key" --db "$WORK/x.db" --listen 127.0.0.1:0
refuse "key of another certificate" 1 "does not match" --config "$EXAMPLE" \
  --cert "$WORK/pki/server-ec-fullchain.pem" --key "$WORK/pki/server-rsa.key" --db "$WORK/x.db" --listen 127.0.0.1:0
[ ! -e "$WORK/x.db" ] || fail "a database was created although TLS setup failed"

# The example config runs, with flags overriding its paths and port.
timeout 60 "$RECEIVER" --config "$EXAMPLE" --cert "$WORK/pki/server-rsa-fullchain.pem" --key "$WORK/pki/server-rsa.key" \
  --db "$WORK/example.db" --listen 127.0.0.1:0 --port-file "$WORK/example.port" --smtp-url smtp://127.0.0.1:9 \
  >example.log 2>&1 &
pid=$!
_pids+=("$pid")
wait_until 30 test -s example.port || die "the example config did not start: $(tail -5 example.log)"
PORT=$(cat example.port)
code=$("${CURL[@]}" -o out -w '%{http_code}' "https://localhost:$PORT/healthz")
expect "example config: /healthz over an RSA chain" 200 "$code"
code=$("${CURL[@]}" -o out -w '%{http_code}' -H "Secret: change-me-hub-1-5f2c9a" \
  --data-urlencode event=sensor-report --data-urlencode 'data={"t":1}' -d coreid=hub-1 -d id=1 "https://localhost:$PORT/events")
expect "example config: event from its device" 201 "$code"
# The port is taken: a second receiver on it fails (no SO_REUSEPORT sharing).
refuse "port in use" 1 "cannot listen" --config "$EXAMPLE" --cert "$WORK/pki/server-ec-fullchain.pem" \
  --key "$WORK/pki/server-ec.key" --db "$WORK/y.db" --listen "127.0.0.1:$PORT"
kill -INT "$pid"
wait_until 15 bash -c "! kill -0 $pid 2>/dev/null" || fail "no exit within 15 s of SIGINT"
wait "$pid"; rc=$?
expect "exit status after SIGINT" 0 "$rc"
grep -q "stopping (SIGINT)" example.log || fail "SIGINT not logged"
expect "row" 1 "$(sqlite3 example.db 'SELECT count(*) FROM events')"
finish
