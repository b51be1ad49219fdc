#!/usr/bin/env bash
# TLS interoperability: mcujs, as a client, against real servers on loopback
# (openssl s_server, gnutls-serv) with the test PKI of tests/pki.
#
# Usage: interop.sh MCUJS CASE     (interop.sh --list: the cases)
#
# The article cases run article_post.js (photon.TLSTCPClient, as in the
# origin article) and check on the server side that the exact request bytes
# arrived and which protocol and group were negotiated. tls_connect_* run the
# same request through tls.connect (tls_connect_post.js) and also check the
# socket's protocol, cipher and peer certificate; fetch_get fetches a file
# from openssl s_server -WWW; add_certificates checks that
# photon.TLSTCPClient.addCertificates refuses bad input without changing the
# trust store.
set -u
# shellcheck source=tests/tls/lib.sh
. "$(dirname "$0")/lib.sh"

CASES="openssl_tls13_x25519_ecdsa openssl_tls13_p256_rsa openssl_tls12_x25519_rsa
openssl_tls12_p256_ecdsa openssl_tls13_p384_ecdsa384 openssl_tls13_chacha20 openssl_tls12_chacha20
openssl_cn_only openssl_ip_san gnutls_tls13 gnutls_tls12 tls_connect_tls13 tls_connect_tls12 fetch_get
add_certificates insecure_skip_verify"
if [ "${1:-}" = --list ]; then echo $CASES; exit 0; fi
[ $# -eq 2 ] || { echo "usage: $0 MCUJS CASE  (or: $0 --list)" >&2; exit 2; }
tls_init "$1"
case_name=$2
make_pki

# ------------------------------------------------------------ the request
# Fresh values per run, so that a capture can never match a previous run's.
secret=$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')
event=temperature
data=$((RANDOM % 40)).$((RANDOM % 10))
coreid=$(od -An -tx1 -N6 /dev/urandom | tr -d ' \n')
path=/v1/devices/events
body="event=$event&data=$data&coreid=$coreid"

host=localhost   # the name the client connects to (and sends as Host)

# request_file PORT: writes $WORK/request.txt, the bytes articleRequest()
# (assert.js) builds for these values.
request_file() {
  printf 'POST %s HTTP/1.1\r\nHost: %s:%s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\nSecret: %s\r\nConnection: close\r\n\r\n%s' \
    "$path" "$host" "$1" "${#body}" "$secret" "$body" >"$WORK/request.txt"
}
printf 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 9\r\nConnection: close\r\n\r\naccepted\n' \
  >"$WORK/reply.txt"

# env_for PORT REPLYFILE [KEY=VALUE...]: env.js for the article request.
env_for() {
  local port=$1 reply=$2; shift 2
  write_env host="$host" port:="$port" ca@="$PKI/ca.pem" path="$path" \
    secret="$secret" event="$event" data="$data" coreid="$coreid" \
    reply@="$reply" "$@"
}

# ------------------------------------------------------------ checks
# check_openssl NAME PROTOCOL GROUP: the s_server NAME received the request
# exactly, negotiated PROTOCOL, and shared only GROUP with the client.
check_openssl() {
  wait_for "$1" "CONNECTION CLOSED" 5 || fail "s_server did not see the connection close"
  if captured "$1" "$WORK/request.txt"; then
    note "server received the exact request ($(wc -c <"$WORK/request.txt") bytes)"
  else
    fail "the server did not receive the exact request"
  fi
  local proto
  proto=$(session_field "$1" Protocol)
  [ "$proto" = "$2" ] && note "negotiated $proto ($(session_field "$1" Cipher))" ||
    fail "negotiated protocol '$proto', expected '$2'"
  grep -q "^Shared groups: $3\$" "$WORK/$1.out" && note "group $3" ||
    fail "shared groups: '$(sed -n 's/^Shared groups: //p' "$WORK/$1.out")', expected '$3'"
}

# ossl_leaf LEAF: s_server arguments for the certificate LEAF and its chain.
ossl_leaf() {
  echo "-cert $PKI/$1.pem -key $PKI/$1.key -cert_chain $PKI/$1-chain.pem"
}

# ossl_leaf_sni LEAF: the same, and s_server logs the SNI the client sends
# ('Hostname in TLS extension: "localhost"'). It only does that with a second
# context for a -servername; both contexts serve LEAF, with the chain built
# from $WORK/chainca.pem (-cert_chain would only apply to the first).
ossl_leaf_sni() {
  cat "$PKI/$1-chain.pem" "$PKI/ca.pem" >"$WORK/chainca.pem"
  echo "-cert $PKI/$1.pem -key $PKI/$1.key -servername localhost -cert2 $PKI/$1.pem -key2 $PKI/$1.key" \
    "-build_chain -CAfile $WORK/chainca.pem"
}

# check_sni NAME: the client sent SNI 'localhost' when it connected by name.
# For an IP address Mbed TLS 3.6 sends the literal as SNI too (its name check
# and SNI share mbedtls_ssl_set_hostname); servers ignore it. See docs/tls.md.
check_sni() {
  if [ "$host" = localhost ]; then
    grep -qF 'Hostname in TLS extension: "localhost"' "$WORK/$1.out" "$WORK/$1.err" &&
      note "SNI: localhost" || fail "the client sent no SNI 'localhost'"
  fi
}

# article_openssl LEAF PROTOCOL SHOWN_GROUP S_SERVER_ARGS...
article_openssl() {
  local leaf=$1 proto=$2 group=$3; shift 3
  reply_after srv "$body"
  # shellcheck disable=SC2046
  openssl_server srv --reply "$WORK/reply.txt" -naccept 1 $(ossl_leaf_sni "$leaf") "$@"
  request_file "$PORT"
  env_for "$PORT" "$WORK/reply.txt"
  run_js article_post.js 40
  check_openssl srv "$proto" "$group"
  check_sni srv
}

# article_gnutls LEAF VERSION DESCRIPTION_TEXT PRIORITY: gnutls-serv --echo,
# so the reply is the request itself.
article_gnutls() {
  local leaf=$1 version=$2 desc=$3 prio=$4
  gnutls_server srv --echo --x509certfile "$PKI/$leaf-fullchain.pem" --x509keyfile "$PKI/$leaf.key" \
    --priority "$prio"
  request_file "$PORT"
  env_for "$PORT" "$WORK/request.txt"
  run_js article_post.js 40
  wait_for srv "$secret" 5
  if captured srv "$WORK/request.txt"; then
    note "server received the exact request"
  else
    fail "the server did not receive the exact request"
  fi
  wait_for srv "- Version: $version" 5 && note "negotiated $version" ||
    fail "gnutls-serv did not report '- Version: $version'"
  grep -qF -- "$desc" "$WORK/srv.out" && note "$desc" ||
    fail "gnutls-serv's session description lacks '$desc': $(grep Description "$WORK/srv.out")"
}

# tls_connect LEAF PROTOCOL IANA_CIPHER CA_MODE S_SERVER_ARGS...: tls.connect;
# CA_MODE 'option' passes the CA as tls.connect's ca, 'file' with --ca.
tls_connect() {
  local leaf=$1 proto=$2 cipher=$3 camode=$4; shift 4
  reply_after srv "$body"
  # shellcheck disable=SC2046
  openssl_server srv --reply "$WORK/reply.txt" -naccept 1 $(ossl_leaf "$leaf") "$@"
  request_file "$PORT"
  local fp serial issuer from to
  fp=$(openssl x509 -in "$PKI/$leaf.pem" -noout -fingerprint -sha256 | sed 's/.*=//')
  serial=$(openssl x509 -in "$PKI/$leaf.pem" -noout -serial | sed 's/.*=//')
  issuer=$(openssl x509 -in "$PKI/$leaf-chain.pem" -noout -subject -nameopt multiline | sed -n 's/^ *commonName *= *//p')
  from=$(openssl x509 -in "$PKI/$leaf.pem" -noout -startdate | sed 's/.* \([0-9][0-9][0-9][0-9]\) GMT$/\1/')
  to=$(openssl x509 -in "$PKI/$leaf.pem" -noout -enddate | sed 's/.* \([0-9][0-9][0-9][0-9]\) GMT$/\1/')
  local caopt=false extra=()
  if [ "$camode" = option ]; then caopt=true; else extra=(--ca "$PKI/ca.pem"); fi
  env_for "$PORT" "$WORK/reply.txt" protocol="$proto" cipher="$cipher" caOption:=$caopt \
    fingerprint256="$fp" serial="$serial" issuerCN="$issuer" validFromYear="$from" validToYear="$to"
  run_js tls_connect_post.js 40 "${extra[@]}"
  check_openssl srv "$proto" x25519
}

case $case_name in
  openssl_tls13_x25519_ecdsa)
    article_openssl server-ec TLSv1.3 x25519 -tls1_3 -groups X25519 ;;
  openssl_tls13_p256_rsa)   # the client's first key share is likely x25519: HelloRetryRequest
    article_openssl server-rsa TLSv1.3 secp256r1 -tls1_3 -groups P-256 ;;
  openssl_tls12_x25519_rsa)
    article_openssl server-rsa TLSv1.2 x25519 -tls1_2 -groups X25519 ;;
  openssl_tls12_p256_ecdsa)
    article_openssl server-ec TLSv1.2 secp256r1 -tls1_2 -groups P-256 ;;
  openssl_tls13_p384_ecdsa384)
    article_openssl server-p384 TLSv1.3 secp384r1 -tls1_3 -groups P-384 ;;
  openssl_tls13_chacha20)
    article_openssl server-ec TLSv1.3 x25519 -tls1_3 -groups X25519 -ciphersuites TLS_CHACHA20_POLY1305_SHA256
    [ "$(session_field srv Cipher)" = TLS_CHACHA20_POLY1305_SHA256 ] || fail "cipher $(session_field srv Cipher)" ;;
  openssl_tls12_chacha20)
    article_openssl server-ec TLSv1.2 x25519 -tls1_2 -groups X25519 -cipher ECDHE-ECDSA-CHACHA20-POLY1305
    [ "$(session_field srv Cipher)" = ECDHE-ECDSA-CHACHA20-POLY1305 ] || fail "cipher $(session_field srv Cipher)" ;;
  openssl_cn_only)   # no subjectAltName: the subject CN (localhost) is checked
    article_openssl cn-only TLSv1.3 x25519 -tls1_3 -groups X25519 ;;
  openssl_ip_san)   # connect('127.0.0.1', port): verified against SAN IP:127.0.0.1
    host=127.0.0.1
    article_openssl server-ec TLSv1.2 x25519 -tls1_2 -groups X25519 ;;
  gnutls_tls13)
    article_gnutls server-ec TLS1.3 "(ECDHE-SECP384R1)" "NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-SECP384R1" ;;
  gnutls_tls12)
    article_gnutls server-rsa TLS1.2 "(ECDHE-X25519)" "NORMAL:-VERS-ALL:+VERS-TLS1.2:-GROUP-ALL:+GROUP-X25519" ;;
  tls_connect_tls13)
    tls_connect server-ec TLSv1.3 TLS_CHACHA20_POLY1305_SHA256 option \
      -tls1_3 -groups X25519 -ciphersuites TLS_CHACHA20_POLY1305_SHA256 ;;
  tls_connect_tls12)
    tls_connect server-rsa TLSv1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 file \
      -tls1_2 -groups X25519 -cipher ECDHE-RSA-AES128-GCM-SHA256 ;;
  fetch_get)
    printf 'hello over TLS from s_server -WWW\nsecond line %s\n' "$secret" >"$WORK/hello.txt"
    # shellcheck disable=SC2046
    openssl_server srv $(ossl_leaf server-ec) -WWW
    write_env host=localhost port:="$PORT" file=hello.txt body@="$WORK/hello.txt"
    run_js fetch_get.js 40 --ca "$PKI/ca.pem"
    ;;
  add_certificates)   # two connections: before and after the CA is added
    # shellcheck disable=SC2046
    openssl_server srv $(ossl_leaf server-ec) -naccept 2
    write_env host=localhost port:="$PORT" ca@="$PKI/ca.pem" rootEc@="$PKI/root-ec.pem"
    run_js add_certificates.js 40
    ;;
  insecure_skip_verify)   # the development override accepts an untrusted chain ...
    reply_after srv "$body"
    # shellcheck disable=SC2046
    openssl_server srv --reply "$WORK/reply.txt" -naccept 1 $(ossl_leaf untrusted) -tls1_3 -groups X25519
    request_file "$PORT"
    env_for "$PORT" "$WORK/reply.txt"
    run_js article_post.js 40 --insecure-skip-verify
    check_openssl srv TLSv1.3 x25519
    # ... and says so loudly
    grep -q 'DEVELOPMENT HAZARD' "$WORK/js.out" "$WORK/js.err" && note "the hazard warning was logged" ||
      fail "no 'DEVELOPMENT HAZARD' warning with --insecure-skip-verify"
    ;;
  *)
    echo "unknown case '$case_name'; cases: $CASES" >&2
    exit 2 ;;
esac
finish
