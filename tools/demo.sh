#!/usr/bin/env bash
# The demo: the article's sensor hub on the Linux port, delivering to our
# receiver over verified TLS 1.3, with the dashboard to watch it.
#   1. a local CA and a server certificate for localhost / 127.0.0.1,
#   2. mcujs-receiver (HTTPS, SQLite, dashboard) on 127.0.0.1,
#   3. the sensor hub (apps/sensor-hub) with a scenario containing alarms,
#   4. prints the dashboard's address; Ctrl-C stops everything cleanly.
# DEMO_SECONDS=N stops after N seconds (for unattended runs).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${MCUJS_BUILD:-$root/build/host}
mcujs="$build/mcujs"
receiver="$build/mcujs-receiver"
work=${DEMO_DIR:-$(mktemp -d /tmp/mcujs-demo.XXXXXX)}
mkdir -p "$work"
pids=()
stop() {
  trap - EXIT INT TERM
  echo
  echo "demo: stopping"
  # The hub first (it delivers what is queued while the receiver is still
  # up), then the receiver; each gets 5 s before SIGKILL.
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -INT "${pids[$i]}" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "${pids[$i]}" 2>/dev/null || break; sleep 0.1; done
    kill -9 "${pids[$i]}" 2>/dev/null || true
  done
  echo "demo: data kept in $work (receiver.db, hub-state/, logs)"
}
trap stop EXIT INT TERM

cd "$work"
# --- 1. certificates -------------------------------------------------------
if [ ! -f server.pem ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
    -subj "/CN=mcujs demo CA" -keyout ca.key -out ca.pem \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
    -keyout server.key -out server.csr 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >ext.cnf
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
    -extfile ext.cnf -out server.pem 2>/dev/null
fi
secret=$(openssl rand -hex 16)
token=$(openssl rand -hex 16)

# --- 2. the receiver ---------------------------------------------------------
cat >receiver.json <<JSON
{
  "listen": "127.0.0.1:0",
  "cert": "server.pem",
  "key": "server.key",
  "db": "receiver.db",
  "path": "/events",
  "dashboard_token": "$token",
  "alarm_min_period_s": 300,
  "devices": [{ "coreid": "hub-1", "secret": "$secret", "name": "Sensor hub (simulated)" }]
}
JSON
rm -f receiver.port
"$receiver" --config receiver.json --port-file receiver.port 2>receiver.log &
pids+=($!)
for _ in $(seq 1 100); do [ -s receiver.port ] && break; sleep 0.1; done
[ -s receiver.port ] || { echo "demo: the receiver did not start:" >&2; cat receiver.log >&2; exit 1; }
port=$(cat receiver.port)

# --- 3. the sensor hub -------------------------------------------------------
cat >hub.json <<JSON
{
  "cloud": { "url": "https://localhost:$port/events", "ca": "ca.pem", "secret": "$secret", "coreid": "hub-1",
             "queue": { "critical_events": ["sensor-alarm"] } },
  "app": {}
}
JSON
echo "demo: receiver on https://localhost:$port (TLS 1.3), data in $work/receiver.db"
echo "demo: dashboard: https://localhost:$port/?token=$token"
echo "demo:   (the certificate is from the demo CA $work/ca.pem; import it or accept the warning)"
echo "demo: running the sensor hub; Ctrl-C to stop"
"$mcujs" run --config hub.json --scenario "$root/apps/sensor-hub/scenarios/demo.json" \
  --trace hub-trace.jsonl --state-dir hub-state "$root/apps/sensor-hub/main.js" &
pids+=($!)
hub=$!
if [ -n "${DEMO_SECONDS:-}" ]; then
  for _ in $(seq 1 "$DEMO_SECONDS"); do kill -0 "$hub" 2>/dev/null || break; sleep 1; done
  curl -s --cacert ca.pem -H "Authorization: Bearer $token" "https://localhost:$port/api/devices" || true
  echo
else
  wait "$hub" || true
fi
