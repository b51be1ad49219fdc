#!/usr/bin/env bash
# Per-connection TLS options (tls::ConnectOptions, bind::tls_options_from_js)
# against openssl s_server and a silent listener, one case per run:
#   ca_scoped      tls.connect({ca}) trusts that CA for that connection only:
#                  later connections (tls.connect, TLSTCPClient, fetch) do not
#   timeout        tls.connect({timeout}) bounds connect AND handshake
#   client_ec, client_rsa, client_tls12   a client certificate (P-256 / RSA-2048;
#                  P-256 over TLS 1.2) accepted by
#                  `s_server -Verify 1` (required client auth), through
#                  tls.connect({cert, key}) and TLSTCPClient.setClientCertificate
#   client_missing, client_expired   the server refuses: no certificate, an
#                  expired one (the alert is named in the error)
#   client_wrong_key   a key that is not the certificate's is refused locally
#   alpn           ALPN offered per connection, the server's choice readable
#   bad_host       NUL, CR or LF in a host name: TypeError, nothing connects
#   fetch_client   fetch(url, {cert, key, ca}): the client certificate and a CA
#                  of this request only (`s_server -www -Verify 1`; the runtime's
#                  store holds an unrelated root); such a connection is never
#                  pooled, and the same fetch without them is refused
# Usage: options.sh MCUJS BAD_PEER CASE     (options.sh --list: the cases)
set -u
# shellcheck source=tests/tls/lib.sh
. "$(dirname "$0")/lib.sh"

CASES="ca_scoped timeout client_ec client_rsa client_tls12 client_missing client_expired client_wrong_key alpn bad_host fetch_client"
case_driver_init "$@"

# The client PKI: a client CA (P-256) and leaves issued by it with exact
# dates (openssl ca), for clientAuth.
client_pki() {
  local d=$WORK/cpki
  mkdir -p "$d/db" && touch "$d/db/index" && echo 01 >"$d/db/serial"
  cat >"$d/ca.cnf" <<CNF
[ca]
default_ca = c
[c]
database = $d/db/index
new_certs_dir = $d/db
serial = $d/db/serial
default_md = sha256
policy = p
unique_subject = no
[p]
commonName = supplied
[ext]
basicConstraints = CA:FALSE
keyUsage = digitalSignature
extendedKeyUsage = clientAuth
CNF
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=mcujs client CA" \
    -keyout "$d/ca.key" -out "$d/ca.pem" -addext basicConstraints=critical,CA:TRUE \
    -addext keyUsage=critical,keyCertSign 2>/dev/null || die "client CA"
  local name kind start end
  for spec in "ec ec 20200101000000Z 20400101000000Z" "rsa rsa 20200101000000Z 20400101000000Z" \
              "expired ec 20200101000000Z 20210101000000Z"; do
    read -r name kind start end <<<"$spec"
    if [ "$kind" = ec ]; then
      openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=device-$name" \
        -keyout "$d/$name.key" -out "$d/$name.csr" 2>/dev/null || die "client key $name"
    else
      openssl req -newkey rsa:2048 -nodes -subj "/CN=device-$name" \
        -keyout "$d/$name.key" -out "$d/$name.csr" 2>/dev/null || die "client key $name"
    fi
    openssl ca -batch -config "$d/ca.cnf" -cert "$d/ca.pem" -keyfile "$d/ca.key" -in "$d/$name.csr" \
      -out "$d/$name.pem" -startdate "$start" -enddate "$end" -extensions ext -notext 2>/dev/null ||
      die "client certificate $name"
  done
  CPKI=$d
}

# The server: server-ec with its chain; -Verify 1: a client certificate is required.
client_server() {
  openssl_server srv -cert "$PKI/server-ec.pem" -key "$PKI/server-ec.key" -cert_chain "$PKI/server-ec-chain.pem" \
    -Verify 1 -verify_return_error -CAfile "$CPKI/ca.pem" "$@"
}

env_args=(host=localhost ca@="$PKI/ca.pem" secret="$secret" case="$case_name")
mcujs_args=(--ca "$PKI/ca.pem")
case $case_name in
  ca_scoped)
    openssl_server srv -cert "$PKI/server-ec.pem" -key "$PKI/server-ec.key" -cert_chain "$PKI/server-ec-chain.pem"
    # The runtime's store holds only an unrelated root.
    mcujs_args=(--ca "$PKI/untrusted-root.pem") ;;
  timeout)
    bad_peer srv "$helper" silent ;;
  client_ec|client_rsa|client_tls12|client_wrong_key)
    client_pki
    kind=${case_name#client_}
    case $kind in wrong_key) kind=ec; client_server ;; tls12) kind=ec; client_server -tls1_2 ;; *) client_server ;; esac
    env_args+=(cert@="$CPKI/$kind.pem" key@="$CPKI/$kind.key" otherKey@="$CPKI/rsa.key") ;;
  client_missing)
    client_pki
    client_server ;;
  client_expired)
    client_pki
    client_server
    env_args+=(cert@="$CPKI/expired.pem" key@="$CPKI/expired.key") ;;
  fetch_client)
    client_pki
    client_server -www
    env_args+=(cert@="$CPKI/ec.pem" key@="$CPKI/ec.key")
    mcujs_args=(--ca "$PKI/untrusted-root.pem") ;;
  alpn)
    openssl_server srv -cert "$PKI/server-ec.pem" -key "$PKI/server-ec.key" -cert_chain "$PKI/server-ec-chain.pem" \
      -alpn h2,http/1.1 ;;
  bad_host)
    openssl_server srv -cert "$PKI/server-ec.pem" -key "$PKI/server-ec.key" -cert_chain "$PKI/server-ec-chain.pem" ;;
  *)
    echo "unknown case '$case_name'; cases: $CASES" >&2
    exit 2 ;;
esac

write_env port:="$PORT" "${env_args[@]}"
run_js options.js 40 "${mcujs_args[@]}"

sleep 0.2   # let the server write out what it got
case $case_name in
  client_ec|client_rsa|client_tls12)
    n=$(grep -acF "hello $secret" "$WORK/srv.out")
    [ "$n" -ge 1 ] && note "s_server received the data over client-authenticated TLS" ||
      fail "s_server did not receive the data"
    grep -aq "CN *= *device-$kind" "$WORK/srv.out" "$WORK/srv.err" &&
      note "s_server saw the client certificate device-$kind" ||
      fail "s_server did not report the client certificate" ;;
  client_missing|client_expired)
    not_captured srv "$secret" && note "nothing reached the server" || fail "data reached the server"
    why="peer did not return a certificate"
    [ "$case_name" = client_expired ] && why="verify error:certificate has expired"
    grep -aqF "$why" "$WORK/srv.err" && note "s_server: $why" || fail "s_server did not report '$why'" ;;
  bad_host)
    grep -q '^ACCEPT' "$WORK/srv.out" && ! grep -aq '^ERROR$\|CONNECTED\|Shared ciphers' "$WORK/srv.out" "$WORK/srv.err" &&
      note "no connection reached the server" || fail "a connection reached the server" ;;
esac
finish
