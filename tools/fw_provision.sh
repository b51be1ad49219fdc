#!/usr/bin/env bash
# Provisions the emulated device and its receiver (docs/firmware.md): a CA,
# the receiver's certificate for 10.0.2.2 (QEMU's user-mode gateway, i.e. the
# host's loopback), a device secret, the firmware's configuration (linked
# into flash with the CA) and the matching receiver configuration.
#
#   fw_provision.sh OUTDIR PORT APP_JSON
#
# APP_JSON: the "app" section (a JSON file). Writes OUTDIR/{ca.pem, ca.key,
# server.pem, server.key, device.json, receiver.json}. Idempotent: an
# existing CA, key and secret are kept, so rebuilding the image does not
# invalidate a running receiver's database or the device's identity.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 OUTDIR PORT APP_JSON" >&2; exit 2; }
out=$1 port=$2 app=$3
mkdir -p "$out"
cd "$out"

if [ ! -s ca.pem ] || [ ! -s server.pem ]; then
  # ECDSA P-256 and a chain of one (root -> leaf): the device verifies one
  # signature per full handshake (about 23 M instructions each on the M3).
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
    -subj "/CN=mcujs device CA" -keyout ca.key -out ca.pem \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=mcujs receiver" \
    -keyout server.key -out server.csr 2>/dev/null
  printf 'subjectAltName=IP:10.0.2.2,IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature\n' >server.ext
  # Valid from a day ago: the device's wall clock comes from the host.
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 \
    -extfile server.ext -out server.pem 2>/dev/null
  rm -f server.csr
fi
[ -s secret ] || openssl rand -hex 16 >secret
[ -s dashboard-token ] || openssl rand -hex 16 >dashboard-token
secret=$(cat secret) token=$(cat dashboard-token)

# The connection is kept between deliveries (docs/firmware.md, "Levers"):
# the device closes it after 30 s without a delivery (keep_alive_ms, more
# than the app's report period), the receiver after 60 s (idle_timeout_s,
# longer than the device's, so that the device normally closes first and a
# delivery never races the server's close; if it does, the HTTP client
# sends it again on a fresh, resumed connection).
# Written only when the content changes, so that the build does not relink
# the image for nothing.
write_if_changed() {  # write_if_changed FILE (content on stdin)
  local tmp; tmp=$(mktemp "$1.XXXXXX")
  cat >"$tmp"
  if cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv "$tmp" "$1"; fi
}
write_if_changed device.json <<JSON
{
  "cloud": {
    "url": "https://10.0.2.2:$port/events",
    "ca": "ca.pem",
    "secret": "$secret",
    "coreid": "photon-1",
    "keep_alive_ms": 30000,
    "queue": { "max_events": 32, "max_dead": 4, "drain_timeout_ms": 10000, "critical_events": ["sensor-alarm"] }
  },
  "app": $(cat "$app")
}
JSON
write_if_changed receiver.json <<JSON
{
  "listen": "127.0.0.1:$port",
  "cert": "server.pem",
  "key": "server.key",
  "db": "receiver.db",
  "path": "/events",
  "dashboard_token": "$token",
  "alarm_min_period_s": 3600,
  "idle_timeout_s": 60,
  "devices": [{ "coreid": "photon-1", "secret": "$secret", "name": "Photon (QEMU mps2-an385)" }]
}
JSON
