#!/usr/bin/env bash
# The demo (until the sensor hub lands): a local CA and server certificate,
# openssl s_server on loopback, and the article's request sent by mcujs over
# verified TLS 1.3, then fetched with fetch(), then a refused connection.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mcujs="$root/build/host/mcujs"
work=$(mktemp -d)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT INT TERM

cd "$work"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -subj "/CN=mcujs demo CA" -keyout ca.key -out ca.pem \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
  -keyout server.key -out server.csr 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > ext.cnf
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
  -extfile ext.cnf -out server.pem 2>/dev/null
echo '<html><body>hello from openssl s_server over TLS 1.3</body></html>' > index.html

port=""
for _ in $(seq 1 20); do
  p=$((20000 + RANDOM % 30000))
  openssl s_server -quiet -accept "127.0.0.1:$p" -cert server.pem -key server.key \
    -tls1_3 -WWW >server.log 2>&1 &
  server_pid=$!
  for _ in $(seq 1 50); do
    ss -ltn 2>/dev/null | grep -q ":$p " && { port=$p; break; }
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$port" ] && break
  kill "$server_pid" 2>/dev/null || true; server_pid=""
done
[ -n "$port" ] || { echo "demo: could not start openssl s_server" >&2; exit 1; }

ca=$(awk '{printf "%s\\n", $0}' ca.pem)
printf 'export default { host: "localhost", port: %s, secret: "demo-secret", ca: "%s" };\n' "$port" "$ca" > env.js
cp "$root/apps/demo/article-post.js" .
echo "demo: openssl s_server (TLS 1.3 only) on 127.0.0.1:$port; running mcujs"
"$mcujs" run article-post.js
