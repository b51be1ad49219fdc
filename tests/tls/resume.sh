#!/usr/bin/env bash
# TLS session resumption from JavaScript (tls.connect's socket.resumed and
# fetch's Response._resumed) against openssl s_server and gnutls-serv on
# loopback: the first connection is a full handshake, the next ones resume,
# as the server's own status page confirms; no tickets means full handshakes;
# another server name never resumes; a restarted server (new ticket key)
# gets a full handshake without an error. C++ level: tests/unit/tls_resume_test.cpp.
#
# Usage: resume.sh MCUJS CASE     (resume.sh --list: the cases)
set -u
# shellcheck source=tests/tls/lib.sh
. "$(dirname "$0")/lib.sh"

CASES="openssl_tls13 openssl_tls12_ticket gnutls_tls13 gnutls_tls12 no_tickets other_servername
server_restart fetch await_only photon_stop photon_no_tickets photon_late_ticket"
if [ "${1:-}" = --list ]; then echo $CASES; exit 0; fi
[ $# -eq 2 ] || { echo "usage: $0 MCUJS CASE  (or: $0 --list)" >&2; exit 2; }
tls_init "$1"
case_name=$2
make_pki

ossl_leaf() { echo "-cert $PKI/$1.pem -key $PKI/$1.key -cert_chain $PKI/$1-chain.pem"; }
# s_server -www's page: "New, TLSv1.3, Cipher is ..." or "Reused, ..."
OSSL_MARKS=(reusedMark=$'\nReused, ' newMark=$'\nNew, ')

# run_visits MARKS[@] VISITS_JSON [KEY=VALUE...]: runs resume.js against
# $PORT with the page markers MARKS (an array name) and the given visits.
run_visits() {
  local marks=("${!1}"); shift
  write_env host=localhost port:="$PORT" ca@="$PKI/ca.pem" visits="$1" "${marks[@]}" "${@:2}"
  run_js resume.js 60 --ca "$PKI/ca.pem"
}

full_then_resumed='[{"resumed":false},{"resumed":true},{"resumed":true}]'

# delay_proxy MS: tests/tls/delay_proxy.py in front of the server on $PORT
# (what it sends arrives MS later); sets PORT to the proxy's.
delay_proxy() {
  (exec timeout -k 2 "$SERVER_LIFETIME" python3 "$TLS_DIR/delay_proxy.py" "$PORT" "$1" "$WORK/proxy.port" \
      "$SERVER_LIFETIME" </dev/null >"$WORK/proxy.out" 2>"$WORK/proxy.err") &
  _pids+=($!)
  for _ in $(seq 1 200); do [ -s "$WORK/proxy.port" ] && break; sleep 0.05; done
  [ -s "$WORK/proxy.port" ] || die "delay_proxy.py did not start: $(cat "$WORK/proxy.err")"
  PORT=$(cat "$WORK/proxy.port")
  note "delay proxy (+$1 ms from the server, per connection) on port $PORT"
}

# count NAME TEXT: lines of the server's stdout with TEXT.
count() { grep -c -F -- "$2" "$WORK/$1.out" 2>/dev/null; }
case $case_name in
  openssl_tls13)
    # shellcheck disable=SC2046
    openssl_server srv $(ossl_leaf server-ec) -www -tls1_3
    run_visits OSSL_MARKS[@] "$full_then_resumed" ;;
  openssl_tls12_ticket)   # -no_cache: no session-id cache, only the ticket can resume
    # shellcheck disable=SC2046
    openssl_server srv $(ossl_leaf server-rsa) -www -tls1_2 -no_cache
    run_visits OSSL_MARKS[@] "$full_then_resumed" ;;
  gnutls_tls13|gnutls_tls12)
    v=TLS1.3; [ "$case_name" = gnutls_tls12 ] && v=TLS1.2
    gnutls_server srv --http --x509certfile "$PKI/server-ec-fullchain.pem" --x509keyfile "$PKI/server-ec.key" \
      --priority "NORMAL:-VERS-ALL:+VERS-$v"
    NO_MARKS=()
    run_visits NO_MARKS[@] "$full_then_resumed"
    # gnutls-serv logs each connection, and "*** This is a resumed session"
    wait_for srv "Accepted connection" 5
    accepted=$(count srv "Accepted connection"); resumed=$(count srv "This is a resumed session")
    note "gnutls-serv: $accepted connections, $resumed resumed"
    [ "$accepted" = 3 ] && [ "$resumed" = 2 ] || fail "gnutls-serv saw $accepted connections, $resumed resumed (expected 3, 2)"
    grep -q -- "- Version: $v" "$WORK/srv.out" || fail "gnutls-serv did not negotiate $v" ;;
  no_tickets)   # TLS 1.3 without tickets: every connection is a full handshake
    # shellcheck disable=SC2046
    openssl_server srv $(ossl_leaf server-ec) -www -tls1_3 -num_tickets 0
    run_visits OSSL_MARKS[@] '[{"resumed":false},{"resumed":false}]' ;;
  other_servername)   # the session for 'localhost' is never offered as '127.0.0.1'
    # shellcheck disable=SC2046
    openssl_server srv $(ossl_leaf server-ec) -www -tls1_3
    run_visits OSSL_MARKS[@] \
      '[{"resumed":false},{"servername":"127.0.0.1","resumed":false},{"resumed":true},{"servername":"127.0.0.1","resumed":true}]' ;;
  server_restart)   # a new server process = a new ticket key, on the same port
    # shellcheck disable=SC2046
    openssl_server srv $(ossl_leaf server-ec) -www -tls1_3 -naccept 1   # exits after one connection
    srv_pid=${_pids[${#_pids[@]}-1]}
    mkfifo "$WORK/srv2.in"
    exec {fd2}<>"$WORK/srv2.in"
    _fds+=("$fd2")
    leaf=$(ossl_leaf server-ec)
    (
      for _ in $(seq 1 600); do kill -0 "$srv_pid" 2>/dev/null || break; sleep 0.05; done
      # shellcheck disable=SC2086
      cd "$WORK" && exec timeout -k 2 "$SERVER_LIFETIME" openssl s_server -accept "127.0.0.1:$PORT" $leaf \
        -www -tls1_3 <"$WORK/srv2.in" >"$WORK/srv2.out" 2>"$WORK/srv2.err"
    ) &
    _pids+=($!)
    run_visits OSSL_MARKS[@] '[{"resumed":false},{"resumed":false,"retry":true},{"resumed":true}]'
    grep -q ACCEPT "$WORK/srv2.out" && note "the second server served visits 2 and 3" ||
      fail "the second server did not start" ;;
  fetch)   # s_server -WWW answers HTTP/1.0 and closes: a new connection per fetch
    echo "resumption over fetch $(od -An -tx1 -N6 /dev/urandom | tr -d ' \n')" >"$WORK/page.txt"
    # shellcheck disable=SC2046
    openssl_server srv $(ossl_leaf server-ec) -WWW -tls1_3
    run_visits OSSL_MARKS[@] "$full_then_resumed" mode=fetch file=page.txt ;;
  await_only)   # 10 programs that only await tls.connect: each must see it settle (connect_only.js)
    # shellcheck disable=SC2046
    openssl_server srv $(ossl_leaf server-ec) -www -tls1_3
    write_env host=localhost port:="$PORT"
    settled=0
    for i in $(seq 1 10); do
      run_js connect_only.js 20 --ca "$PKI/ca.pem" && grep -q '^INFO  connected TLSv1.3: settled ok$' "$WORK/js.out" &&
        settled=$((settled + 1))
    done
    note "$settled of 10 programs saw tls.connect settle"
    [ "$settled" = 10 ] || fail "$((10 - settled)) of 10 programs ended with tls.connect unsettled" ;;
  photon_stop)   # TLSTCPClient connect, write, stop (no read), the server's tickets 300 ms late
    # shellcheck disable=SC2046
    openssl_server srv $(ossl_leaf server-ec) -www -tls1_3
    delay_proxy 300
    write_env host=localhost port:="$PORT" visits:=4 mode=www
    run_js photon_resume.js 60 --ca "$PKI/ca.pem" ;;
  photon_late_ticket)   # the second (resumed) connection's ticket 1.5 s late, the others' 300 ms
    # shellcheck disable=SC2046
    openssl_server srv $(ossl_leaf server-ec) -www -tls1_3
    delay_proxy 300,1500,300
    write_env host=localhost port:="$PORT" visits:=4 mode=late
    run_js photon_resume.js 60 --ca "$PKI/ca.pem" ;;
  photon_no_tickets)   # a TLS 1.3 server without tickets that keeps the connection open
    # shellcheck disable=SC2046
    openssl_server srv $(ossl_leaf server-ec) -tls1_3 -num_tickets 0
    write_env host=localhost port:="$PORT" visits:=3 mode=silent
    run_js photon_resume.js 60 --ca "$PKI/ca.pem"
    [ "$(count srv 'visit ')" = 3 ] || fail "the server did not receive the 3 requests" ;;
  *)
    echo "unknown case '$case_name'; cases: $CASES" >&2
    exit 2 ;;
esac
finish
