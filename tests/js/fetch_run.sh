#!/usr/bin/env bash
# Runs the fetch JavaScript tests (tests/js/fetch_*.js) against local servers:
#   mcujs_http_test_server  plain HTTP with canned routes (fetch_server.cpp)
#   openssl s_server -WWW   HTTPS: a valid certificate from a test CA, an
#                           expired one, one for another host, a self-signed one
# Each test is copied into a temporary directory next to assert.js and a
# generated env.js (export default {httpPort, httpsPort, ..., ca}) and run as
#   mcujs run --ca ca.pem <test>
# Usage: fetch_run.sh MCUJS SERVER [TEST...]   (default: every fetch_*.js)
set -u
abs() { case "$1" in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
mcujs=$(abs "$1")
server=$(abs "$2")
shift 2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() { echo "fetch_run: $*" >&2; exit 1; }

# ---------------------------------------------------------------- plain HTTP
"$server" "$work/http.port" 300 >"$work/http.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$work/http.port" ] && break; sleep 0.05; done
[ -s "$work/http.port" ] || die "the test server did not start: $(cat "$work/http.log")"
http_port=$(cat "$work/http.port")

# ---------------------------------------------------------------- PKI
cd "$work" || die "no work directory"
ossl() { openssl "$@" >>"$work/openssl.log" 2>&1 || die "openssl $1 failed: $(tail -5 "$work/openssl.log")"; }
ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=mcujs fetch test CA" \
  -keyout ca.key -out ca.pem -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
# leaf NAME SAN [STARTDATE ENDDATE]: a certificate signed by the CA.
leaf() {
  ossl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$1" -keyout "$1.key" -out "$1.csr"
  printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$2" >"$1.ext"
  if [ $# -ge 4 ]; then  # fixed validity (expired): 'openssl ca' can set dates
    mkdir -p ca.db && : >ca.db/index.txt && echo 1000 >ca.db/serial
    printf '[ca]\ndefault_ca=d\n[d]\ndatabase=ca.db/index.txt\nserial=ca.db/serial\nnew_certs_dir=ca.db\ndefault_md=sha256\npolicy=p\ncopy_extensions=copy\n[p]\ncommonName=supplied\n' >ca.cnf
    ossl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in "$1.csr" -out "$1.pem" \
      -startdate "$3" -enddate "$4" -extfile "$1.ext" -notext
  else
    ossl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile "$1.ext" -out "$1.pem"
  fi
}
leaf localhost "DNS:localhost,IP:127.0.0.1"
leaf expired "DNS:localhost,IP:127.0.0.1" 20200101000000Z 20200201000000Z
leaf wronghost "DNS:wrong.example"
ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=localhost" \
  -addext subjectAltName=DNS:localhost -keyout selfsigned.key -out selfsigned.pem
mkdir -p www && echo '<html><body>hello over TLS</body></html>' >www/index.html

# s_server NAME: serves www/ with NAME.pem (started here, not in a $(...)
# subshell, so that the trap knows its pid); port_of NAME waits for its port.
s_server() {
  # timeout: bounded even if this script is killed without running its trap.
  (cd www && exec timeout -k 5 300 openssl s_server -accept 127.0.0.1:0 -cert "../$1.pem" -key "../$1.key" \
    -WWW >"../$1.log" 2>&1) &
  pids+=($!)
}
# raw_server: with -HTTP, s_server sends each file as a complete response
# (status line and headers included): HTTPS redirects to plain HTTP.
raw_server() {
  mkdir -p raw
  printf 'HTTP/1.0 302 Found\r\nLocation: http://127.0.0.1:%s/echo\r\n\r\n' "$http_port" >raw/to-http
  printf 'HTTP/1.0 302 Found\r\nLocation: /index.html\r\n\r\n' >raw/to-https
  printf 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nraw over TLS' >raw/index.html
  (cd raw && exec timeout -k 5 300 openssl s_server -accept 127.0.0.1:0 -cert ../localhost.pem -key ../localhost.key \
    -HTTP >../raw.log 2>&1) &
  pids+=($!)
}
port_of() {
  local port=""
  for _ in $(seq 1 100); do
    port=$(sed -n 's/^ACCEPT .*:\([0-9][0-9]*\)$/\1/p' "$1.log" 2>/dev/null | head -1)
    [ -n "$port" ] && break
    sleep 0.05
  done
  [ -n "$port" ] || die "openssl s_server ($1) did not start: $(cat "$1.log" 2>/dev/null)"
  echo "$port"
}
for name in localhost expired wronghost selfsigned; do s_server "$name"; done
raw_server
https_port=$(port_of localhost) || exit 1
expired_port=$(port_of expired) || exit 1
wronghost_port=$(port_of wronghost) || exit 1
untrusted_port=$(port_of selfsigned) || exit 1
raw_port=$(port_of raw) || exit 1

ca_js=$(awk '{printf "%s\\n", $0}' ca.pem)
printf 'export default { httpPort: %s, httpsPort: %s, expiredPort: %s, wrongHostPort: %s, untrustedPort: %s, rawHttpsPort: %s, ca: "%s" };\n' \
  "$http_port" "$https_port" "$expired_port" "$wronghost_port" "$untrusted_port" "$raw_port" "$ca_js" >env.js
cp "$here/assert.js" .

# ---------------------------------------------------------------- tests
tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=("$here"/fetch_*.js)
fail=0
for t in "${tests[@]}"; do
  name=$(basename "$t")
  cp "$t" "$work/$name"
  timeout -k 5 120 "$mcujs" run --ca "$work/ca.pem" "$work/$name" >"$work/$name.out" 2>"$work/$name.err"
  status=$?
  # A test ends by logging "<what> ok": exit 0 without it means the loop ran
  # dry with the module still waiting on a promise that never settled.
  if [ $status -eq 0 ] && ! grep -q ' ok$' "$work/$name.out"; then
    echo "fetch_run: $name exited 0 without finishing"
    status=99
  fi
  if [ $status -eq 0 ]; then
    echo "PASS $name"
  else
    echo "FAIL $name (exit $status)"
    echo "--- stdout"; tail -c 3000 "$work/$name.out"
    echo "--- stderr"; tail -c 3000 "$work/$name.err"
    fail=1
  fi
done
exit $fail
