#!/usr/bin/env bash
# TLS refusals: servers that mcujs must refuse, each with one exact error
# code, through photon.TLSTCPClient, tls.connect and fetch (refusal.js), and
# without a byte of the request reaching the server.
#
# Usage: refusal.sh MCUJS BAD_PEER CASE     (refusal.sh --list: the cases)
#   BAD_PEER: the mcujs_tls_bad_peer helper (tests/tls/bad_peer.c), used by
#   the 'silent' and 'rst' cases.
set -u
# shellcheck source=tests/tls/lib.sh
. "$(dirname "$0")/lib.sh"

CASES="expired notyet wronghost cn_ignored untrusted_root selfsigned missing_intermediate
noca_intermediate weak_rsa sha1_signature tls11_only cbc_only static_rsa no_common_group
silent rst refused md5_signature unknown_critical_ext rsa_too_large chain_too_large"
case_driver_init "$@"
VERIFY_FAILED=-9984   # MBEDTLS_ERR_X509_CERT_VERIFY_FAILED (-0x2700)
FATAL_ALERT=-30592    # MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE (-0x7780): the server refused

code="" fetch_code="" errno=null tls_error=true server_saw=""
min_ms=0 max_ms=8000   # how long photon's connect() may take to fail
mcujs_args=()
server_kind=openssl   # openssl | peer | none

# odd_leaf NAME KEY MD [EXTRA_EXT]: a localhost leaf issued by int-rsa that
# make-pki.sh does not make (key "rsa:N", digest, one more extension line),
# as $WORK/NAME.{pem,key}; prints s_server arguments for it with its chain.
odd_leaf() {
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n%s\n' \
    "${4:-}" >"$WORK/$1.cnf"
  openssl req -new -newkey "$2" -nodes -subj "/CN=localhost" -keyout "$WORK/$1.key" -out "$WORK/$1.csr" 2>/dev/null &&
    openssl x509 -req -in "$WORK/$1.csr" -CA "$PKI/int-rsa.pem" -CAkey "$PKI/int-rsa.key" -CAcreateserial \
      -days 30 "-$3" -extfile "$WORK/$1.cnf" -out "$WORK/$1.pem" 2>/dev/null || die "cannot make leaf $1"
  echo "-cert $WORK/$1.pem -key $WORK/$1.key -cert_chain $PKI/int-rsa.pem"
}

# leaf LEAF [chain]: s_server arguments for LEAF, with its intermediate
# unless 'nochain'.
leaf() {
  local a="-cert $PKI/$1.pem -key $PKI/$1.key"
  [ "${2:-}" = nochain ] || a="$a -cert_chain $PKI/$1-chain.pem"
  echo "$a"
}

# shellcheck disable=SC2046
case $case_name in
  expired)
    code=CERT_EXPIRED server_saw="alert certificate expired" errno=$VERIFY_FAILED
    openssl_server srv $(leaf expired) ;;
  notyet)
    code=CERT_NOT_YET_VALID server_saw="alert certificate unknown" errno=$VERIFY_FAILED
    openssl_server srv $(leaf notyet) ;;
  wronghost)
    code=CERT_HOSTNAME_MISMATCH server_saw="alert bad certificate" errno=$VERIFY_FAILED
    openssl_server srv $(leaf wronghost) ;;
  cn_ignored)   # CN=localhost, but the SAN (only wrong.example) decides
    code=CERT_HOSTNAME_MISMATCH server_saw="alert bad certificate" errno=$VERIFY_FAILED
    openssl_server srv $(leaf cn-ignored) ;;
  untrusted_root)   # a chain to a root that is not in the CA store
    code=CERT_UNTRUSTED server_saw="alert unknown ca" errno=$VERIFY_FAILED
    openssl_server srv $(leaf untrusted) ;;
  selfsigned)
    code=CERT_UNTRUSTED server_saw="alert unknown ca" errno=$VERIFY_FAILED
    openssl_server srv $(leaf selfsigned nochain) ;;
  missing_intermediate)   # a good leaf sent without its intermediate
    code=CERT_UNTRUSTED server_saw="alert unknown ca" errno=$VERIFY_FAILED
    openssl_server srv $(leaf server-ec nochain) ;;
  noca_intermediate)   # the intermediate has no basicConstraints CA:TRUE
    code=CERT_UNTRUSTED server_saw="alert unknown ca" errno=$VERIFY_FAILED
    openssl_server srv $(leaf noca-leaf) ;;
  weak_rsa)   # an RSA-1024 leaf (the policy wants 2048..4096)
    code=CERT_INVALID server_saw="alert unsupported certificate" errno=$VERIFY_FAILED
    openssl_server srv $(leaf weak-rsa) -cipher 'DEFAULT:@SECLEVEL=0' ;;
  sha1_signature)   # a leaf signed with SHA-1
    code=CERT_SIGNATURE_ALGORITHM server_saw="alert certificate unknown" errno=$VERIFY_FAILED
    openssl_server srv $(leaf sha1) -cipher 'DEFAULT:@SECLEVEL=0' ;;
  md5_signature)   # Mbed TLS skips a certificate with an unknown signature: not a host name mismatch
    code=CERT_SIGNATURE_ALGORITHM server_saw="alert bad certificate" errno=$VERIFY_FAILED
    openssl_server srv $(odd_leaf md5 rsa:2048 md5) -cipher 'DEFAULT:@SECLEVEL=0' ;;
  unknown_critical_ext)   # RFC 5280 4.2: an unknown critical extension must be refused
    code=CERT_UNKNOWN_CRITICAL_EXTENSION server_saw="alert bad certificate" errno=-9570  # X509_INVALID_EXTENSIONS+UNEXPECTED_TAG
    openssl_server srv $(odd_leaf crit rsa:2048 sha256 '1.2.3.4.5=critical,ASN1:UTF8String:mystery') ;;
  rsa_too_large)   # above MBEDTLS_MPI_MAX_SIZE (4096 bits)
    code=CERT_KEY_TOO_LARGE server_saw="alert bad certificate" errno=-15104  # MBEDTLS_ERR_PK_INVALID_PUBKEY
    openssl_server srv $(odd_leaf rsa4160 rsa:4160 sha256) ;;
  chain_too_large)   # a ~40 KB Certificate message (1000 subjectAltNames) over the 16 KB input buffer
    code=CERT_CHAIN_TOO_LARGE server_saw="ERROR" errno=-28928  # MBEDTLS_ERR_SSL_INVALID_RECORD
    names=$(seq -f 'DNS:host%05g.very-long-subdomain.example' 1 1000 | paste -sd,)
    openssl_server srv $(odd_leaf big rsa:2048 sha256 "subjectAltName=DNS:localhost,IP:127.0.0.1,$names") ;;
  tls11_only)
    code=PROTOCOL_VERSION errno=$FATAL_ALERT server_saw="unsupported protocol"
    openssl_server srv $(leaf server-rsa) -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0' ;;
  cbc_only)   # TLS 1.2 with only an ECDHE CBC suite: no AEAD in common
    code=HANDSHAKE_FAILURE errno=$FATAL_ALERT server_saw="no shared cipher"
    openssl_server srv $(leaf server-rsa) -tls1_2 -cipher ECDHE-RSA-AES128-SHA256 ;;
  static_rsa)   # TLS 1.2 with only RSA key exchange (no forward secrecy)
    code=HANDSHAKE_FAILURE errno=$FATAL_ALERT server_saw="no shared cipher"
    openssl_server srv $(leaf server-rsa) -tls1_2 -cipher AES128-GCM-SHA256 ;;
  no_common_group)   # TLS 1.3 and 1.2, but only finite-field DH groups
    code=HANDSHAKE_FAILURE errno=$FATAL_ALERT server_saw="no suitable key share"
    openssl_server srv $(leaf server-ec) -groups ffdhe2048 ;;
  silent)   # accepts, reads the ClientHello, never answers
    code=HANDSHAKE_TIMEOUT server_kind=peer min_ms=1400 max_ms=5000
    mcujs_args=(--handshake-timeout 1500)
    bad_peer srv "$helper" silent ;;
  rst)   # reads the ClientHello, then resets the connection
    code=CONNECTION_RESET errno=-80 server_kind=peer   # MBEDTLS_ERR_NET_CONN_RESET
    bad_peer srv "$helper" rst ;;
  refused)   # nothing listens: a plain Error, not a TLSError
    code=CONNECTION_REFUSED tls_error=false server_kind=none
    no_server srv ;;
  *)
    echo "unknown case '$case_name'; cases: $CASES" >&2
    exit 2 ;;
esac
[ -n "$fetch_code" ] || fetch_code=$code

write_env host=localhost port:="$PORT" ca@="$PKI/ca.pem" path=/v1/devices/events \
  secret="$secret" event=temperature data=21.5 coreid=0123456789ab \
  code="$code" fetchCode="$fetch_code" errno:="$errno" tlsError:="$tls_error" \
  minMs:="$min_ms" maxMs:="$max_ms"
run_js refusal.js 50 --ca "$PKI/ca.pem" "${mcujs_args[@]+"${mcujs_args[@]}"}"

# Nothing of the request reached the server: neither the secret nor the header.
sleep 0.2   # let the server write out what it got
if not_captured srv "$secret" && not_captured srv "Secret:"; then
  note "the server received nothing of the request"
else
  fail "the request (or its secret) reached the server"
fi
# ... but the server did see our attempts (so we did not refuse the wrong port).
case $server_kind in
  openssl)
    # s_server logs each failed handshake ('ERROR' on stdout and the reason on stderr).
    n=$(cat "$WORK/srv.out" "$WORK/srv.err" | grep -c '^ERROR$')
    [ "$n" -ge 3 ] && note "s_server saw $n failed handshakes" ||
      fail "s_server saw $n failed handshakes, expected 3 (photon, tls.connect, fetch)"
    # and why: the alert mcujs sent, or the server's own reason
    m=$(grep -cF -- "$server_saw" "$WORK/srv.err")
    [ "$m" -ge 3 ] && note "s_server: $m x '$server_saw'" ||
      fail "s_server reported '$server_saw' $m times, expected 3" ;;
  peer)
    n=$(grep -c 'accepted a connection' "$WORK/srv.err")
    [ "$n" -ge 3 ] && note "bad_peer accepted $n connections" ||
      fail "bad_peer accepted $n connections, expected 3"
    head -c 1 "$WORK/srv.out" | od -An -tx1 | grep -q 16 ||
      fail "bad_peer did not receive a TLS handshake record" ;;
esac
finish
