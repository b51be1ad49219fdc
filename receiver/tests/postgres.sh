#!/usr/bin/env bash
# Two receiver instances on one PostgreSQL (started here: initdb in a
# temporary directory, a loopback port, stopped at the end). One device's
# events are split across both instances, every event also retried on the
# other one, and concurrent alarms go to both: each event stored once, every
# answer 2xx, one alarm mail per period fleet-wide (smtp-sink counts them),
# and the API of either instance shows the same device.
#   postgres.sh RECEIVER
source "$(dirname "$0")/lib.sh"
r_init "$@"
[ -x /usr/sbin/smtp-sink ] || die "/usr/sbin/smtp-sink not found (postfix; tools/setup.sh installs it)"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$PGBIN/initdb" ] && [ -x "$PGBIN/postgres" ] || die "no PostgreSQL server under /usr/lib/postgresql/*/bin (tools/setup.sh installs it)"
PSQL=$PGBIN/psql

# PostgreSQL refuses to run as root: then it runs as the 'postgres' user, in
# its own directory (ours is private).
PGDIR=$(mktemp -d "${TMPDIR:-/tmp}/mcujs-pg.XXXXXX")
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || die "running as root and no 'postgres' user to run the server"
  chown postgres "$PGDIR"; as_pg=(runuser -u postgres --)
fi
pg_cleanup() {
  [ -n "${PGPID:-}" ] && kill -INT "$PGPID" 2>/dev/null && wait_until 15 bash -c "! kill -0 $PGPID 2>/dev/null"
  [ -n "${PGPID:-}" ] && kill -9 "$PGPID" 2>/dev/null
  rm -rf "$PGDIR"
}
trap 'pg_cleanup; _cleanup' EXIT
timeout 120 "${as_pg[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 >"$WORK/initdb.log" 2>&1 ||
  { cat "$WORK/initdb.log"; die "initdb failed"; }
for _ in $(seq 20); do
  PGPORT=$((20000 + RANDOM % 30000))
  timeout 300 "${as_pg[@]}" "$PGBIN/postgres" -D "$PGDIR/data" -p "$PGPORT" -k "$PGDIR" \
    -c listen_addresses=127.0.0.1 -c fsync=on >>"$WORK/postgres.log" 2>&1 &
  PGPID=$!
  wait_until 20 "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" && kill -0 $PGPID 2>/dev/null && break
  kill $PGPID 2>/dev/null; wait $PGPID 2>/dev/null; PGPID=""
done
[ -n "${PGPID:-}" ] || { tail "$WORK/postgres.log"; die "cannot start postgres"; }
note "postgres on 127.0.0.1:$PGPORT"
URI="postgresql://postgres@127.0.0.1:$PGPORT/postgres"
psql_q() { "$PSQL" -qAtX "$URI" -c "$1"; }

smtp_start
# start_instance N: receiver N with its own config, log and port file.
start_instance() {
  sed -e "s|\"db\": \"receiver.db\"|\"db\": \"$URI\"|" receiver.json >"r$1.json"
  rm -f "r$1.port"
  timeout 300 "$RECEIVER" --config "r$1.json" --port-file "r$1.port" >>"r$1.log" 2>&1 &
  _pids+=($!); eval "PID$1=$!"
  wait_until 30 test -s "r$1.port" || { cat "r$1.log"; die "instance $1 wrote no port file"; }
  eval "PORT$1=$(cat "r$1.port")"
}
r_config "\"smtp_url\": \"smtp://127.0.0.1:$SMTP_PORT\", \"mail_from\": \"receiver@localhost\",
  \"mail_to\": [\"ops@localhost\"], \"alarm_min_period_s\": 300"
start_instance 1
start_instance 2
note "instances on ports $PORT1 and $PORT2"

# post_to PORT EVENT ID: prints the status.
post_to() {
  "${CURL[@]}" -o /dev/null -w '%{http_code}\n' -H "Secret: $SECRET" --data-urlencode "event=$2" \
    --data-urlencode "data={\"temperature\":40,\"gas\":3900,\"reasons\":[\"gas\"]}" --data-urlencode "coreid=hub-1" \
    --data-urlencode "id=$3" "https://localhost:$1/events"
}
# Events 1..30: odd ids to instance 1, even to 2, each retried at once on the
# other one (the device's retry after a lost answer, through the balancer);
# ids 31..36 are alarms, at the same time on both instances.
: >codes
posts=()  # the curl jobs (a bare `wait` would wait for the servers too)
for i in $(seq 1 30); do
  a=$PORT1 b=$PORT2; [ $((i % 2)) = 0 ] && { a=$PORT2; b=$PORT1; }
  post_to "$a" sensor-report "$i" >>codes & posts+=($!)
  post_to "$b" sensor-report "$i" >>codes & posts+=($!)
  [ $((i % 10)) = 0 ] && { wait "${posts[@]}"; posts=(); }
done
for i in $(seq 31 36); do
  post_to "$PORT1" sensor-alarm "$i" >>codes & posts+=($!)
  post_to "$PORT2" sensor-alarm "$i" >>codes & posts+=($!)
done
wait "${posts[@]}"
expect "answers (all 2xx)" 72 "$(grep -c '^20[01]$' codes)"
expect "201 answers (one per event)" 36 "$(grep -c '^201$' codes)"
expect "events stored" 36 "$(psql_q 'SELECT count(*) FROM events')"
expect "distinct ids" 36 "$(psql_q 'SELECT count(DISTINCT event_id) FROM events')"
expect "mails queued fleet-wide" 1 "$(psql_q 'SELECT count(*) FROM mails')"
wait_until 30 bash -c '[ "$(find mail -type f | wc -l)" -ge 1 ]' || fail "no mail within 30 s"
sleep 2
expect "mails received" 1 "$(mail_count)"
expect "mail marked sent" 1 "$(psql_q 'SELECT count(*) FROM mails WHERE sent_ms IS NOT NULL')"
for p in "$PORT1" "$PORT2"; do
  code=$("${CURL[@]}" -o api.json -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "https://localhost:$p/api/devices")
  expect "API on $p" "200 hub-1 sensor-alarm" "$code $(jget api.json '$[0].coreid') $(jget api.json '$[0].last_event')"
done
code=$("${CURL[@]}" -o api.json -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "https://localhost:$PORT2/api/alarms")
expect "alarms on instance 2" "200 6" "$code $(jlen api.json)"
# The last mail as written by an instance whose clock is 2 s ahead: still
# the same period (events of one group, and instances' clocks, are not in
# arrival order), no second mail. Then a clock set back by more than a
# period: a mail (an alarm must not be silenced for long).
now_ms=$(( $(date +%s%3N) ))
psql_q "UPDATE alarm_mail_state SET last_mail_ms = $((now_ms + 2000))" >/dev/null
expect "alarm, last mail 2 s ahead" 201 "$(post_to "$PORT1" sensor-alarm 37)"
expect "no second mail within the period" 1 "$(psql_q 'SELECT count(*) FROM mails')"
psql_q "UPDATE alarm_mail_state SET last_mail_ms = $((now_ms + 400000))" >/dev/null
expect "alarm, last mail 400 s ahead" 201 "$(post_to "$PORT2" sensor-alarm 38)"
expect "a mail after a clock set back" 2 "$(psql_q 'SELECT count(*) FROM mails')"
grep -q "database PostgreSQL" r1.log || fail "the log should name PostgreSQL, not the URI"
for n in 1 2; do
  pid=$(eval echo \$PID$n); kill -TERM "$pid"
  wait_until 15 bash -c "! kill -0 $pid 2>/dev/null" || fail "instance $n did not stop"
done
[ "$FAILED" -ne 0 ] && { tail -n 20 r1.log r2.log >&2; }
finish
