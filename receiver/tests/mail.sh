#!/usr/bin/env bash
# Alarm e-mail through a real SMTP server (Postfix's smtp-sink on loopback):
# at most one mail per device per alarm_min_period_s, remembered across
# restarts; the mail carries the readings; a short period lets the next
# one through; while the SMTP server is down the 2xx is not delayed and the
# mail goes out once it is back, also when the receiver restarted meanwhile.
#   mail.sh RECEIVER
source "$(dirname "$0")/lib.sh"
r_init "$@"
[ -x /usr/sbin/smtp-sink ] || { echo "FAIL: /usr/sbin/smtp-sink not found (postfix; tools/setup.sh installs it)" >&2; exit 1; }
smtp_start
note "smtp-sink on port $SMTP_PORT"
mail_cfg() {  # mail_cfg PERIOD_S
  r_config "\"smtp_url\": \"smtp://127.0.0.1:$SMTP_PORT\", \"mail_from\": \"receiver@localhost\",
  \"mail_to\": [\"ops@localhost\"], \"mail_subject\": \"mcujs alarm\", \"alarm_min_period_s\": $1"
}
unsent() { sql 'SELECT count(*) FROM mails WHERE sent_ms IS NULL'; }
queued() { sql 'SELECT count(*) FROM mails'; }
# settle N: N mails dumped and nothing left to send.
settle() { wait_until 30 bash -c "[ \$(find mail -type f | wc -l) -ge $1 ] && [ \$(sqlite3 receiver.db 'SELECT count(*) FROM mails WHERE sent_ms IS NULL') = 0 ]"; }
alarm() {  # alarm COREID ID TEMPERATURE
  local secret=$SECRET
  [ "$1" = hub-2 ] && secret=$SECRET2
  SECRET_HDR=$secret post sensor-alarm "$1" "$2" \
    "{\"temperature\":$3,\"humidity\":35,\"gas\":3900,\"movement\":true,\"flame\":false,\"reasons\":[\"gas\",\"movement\"]}"
}
# period_over COREID SECONDS: the device's last mail is older than SECONDS.
period_over() {
  [ "$(sql "SELECT ($(date +%s%3N) - last_mail_ms) > $2 * 1000 + 100 FROM alarm_mail_state WHERE coreid='$1'")" = 1 ]
}

# 1. Three alarms within the period: one mail, with the readings.
mail_cfg 3600
r_start
expect "alarm 1" 201 "$(alarm hub-1 1 47.5)"
expect "alarm 2" 201 "$(alarm hub-1 2 48)"
expect "alarm 3" 201 "$(alarm hub-1 3 49)"
expect "events stored" 3 "$(sql "SELECT count(*) FROM events WHERE event='sensor-alarm'")"
settle 1 || fail "no alarm mail sent within 30 s"
expect "mails queued" 1 "$(queued)"
expect "mails received" 1 "$(mail_count)"
m=$(find mail -type f | head -1)
if [ -n "$m" ]; then
  grep -q "^Subject: mcujs alarm" "$m" && note "ok: subject" || fail "no subject line in the mail"
  grep -q "^To: ops@localhost" "$m" || fail "no To: line in the mail"
  grep -q "Alarm from Test hub (hub-1)" "$m" && note "ok: device named" || fail "the mail does not name the device"
  grep -q "  gas: 3900" "$m" && note "ok: readings table" || fail "no 'gas: 3900' in the mail"
  grep -q '"temperature": 47.5' "$m" && note "ok: indented JSON" || fail "no indented JSON readings in the mail"
  grep -q "Reasons: gas, movement" "$m" || fail "no reasons in the mail"
fi
expect "GET /api/alarms" 200 "$(api /api/alarms)"
expect "mailed flags, newest first" "0 0 1" "$(jget api.json '$[0].mailed') $(jget api.json '$[1].mailed') $(jget api.json '$[2].mailed')"
grep -q "alarm mail suppressed" receiver.log || fail "no 'alarm mail suppressed' in the log"

# 2. Restart: the period is remembered; another device has its own period.
r_stop
r_start
expect "alarm 4 after a restart" 201 "$(alarm hub-1 4 50)"
expect "mails queued after the restart" 1 "$(queued)"
expect "hub-2 alarm" 201 "$(alarm hub-2 1 30)"
settle 2 || fail "hub-2's alarm mail not sent within 30 s"
expect "mails received" 2 "$(mail_count)"
grep -rqs "Alarm from hub-2" mail || fail "no mail for hub-2"
expect "alarms stored" 5 "$(sql "SELECT count(*) FROM events WHERE event='sensor-alarm'")"

# 3. A 2 s period: after it elapsed, the next alarm is mailed.
r_stop
mail_cfg 2
r_start
wait_until 10 period_over hub-1 2 || fail "the 2 s period did not elapse?"
expect "alarm 5 after the period" 201 "$(alarm hub-1 5 51)"
settle 3 || fail "alarm 5 not mailed within 30 s"
expect "mails received" 3 "$(mail_count)"

# 4. SMTP down: the answer is not delayed, the mail waits in the database
#    and goes out when the server is back (same port).
smtp_stop
wait_until 10 period_over hub-1 2 || fail "the 2 s period did not elapse?"
t0=$(date +%s%3N)
expect "alarm 6 with SMTP down" 201 "$(alarm hub-1 6 52)"
took=$(( $(date +%s%3N) - t0 ))
[ "$took" -lt 3000 ] && note "ok: answered in $took ms" || fail "the answer took $took ms with SMTP down"
wait_until 20 test "$(sql 'SELECT count(*) FROM mails WHERE sent_ms IS NULL AND attempts > 0')" = 1 ||
  fail "no failed send attempt recorded"
grep -q "not sent" receiver.log && note "ok: failure logged" || fail "no 'not sent' in the log"
smtp_start "$SMTP_PORT"
settle 4 || fail "the queued mail was not sent within 30 s of SMTP coming back"
expect "mails received" 4 "$(mail_count)"
grep -rqs '"temperature": 52' mail || fail "the delayed mail lacks its readings"

# 5. A mail still queued when the receiver stops is sent after its restart.
smtp_stop
wait_until 10 period_over hub-1 2 || fail "the 2 s period did not elapse?"
expect "alarm 7 with SMTP down" 201 "$(alarm hub-1 7 53)"
wait_until 20 test "$(sql 'SELECT count(*) FROM mails WHERE sent_ms IS NULL AND attempts > 0')" = 1 ||
  fail "no failed send attempt recorded for alarm 7"
r_stop
expect "unsent after the stop" 1 "$(unsent)"
smtp_start "$SMTP_PORT"
r_start
settle 5 || fail "the mail queued before the restart was not sent within 30 s"
expect "mails received" 5 "$(mail_count)"
grep -rqs '"temperature": 53' mail || fail "the mail queued before the restart lacks its readings"

r_stop
expect "integrity_check" ok "$(sql 'PRAGMA integrity_check')"
finish
