#!/usr/bin/env bash
# The receiver sends TLS records of at most max_send_fragment bytes of
# plaintext (default 4096), so that 128 KB devices with 4 KB receive buffers
# can connect: OpenSSL ignores their TLS 1.3 record_size_limit. A Python
# client fetches the 14 KB /app.js over TLS 1.3 and 1.2 and measures every
# record on the raw TCP stream (tls_records.py). With the cap at 16384 the
# same response comes in larger records, so removing the cap fails this test.
#   record_size.sh RECEIVER
source "$(dirname "$0")/lib.sh"
r_init "$@"
command -v python3 >/dev/null || die "python3 not found"

# AEAD expansion of one record: TLS 1.3 17 bytes (type + tag), TLS 1.2 GCM
# 24 (explicit nonce + tag), ChaCha20-Poly1305 16. OpenSSL adds no padding.
OVERHEAD=64

# check VERSION CAP: /app.js over TLS VERSION; every application-data record
# at most CAP + OVERHEAD bytes, and the body split into at least two records
# longer than CAP (full ones), so the cap was really what limited them.
check() {
  local version=$1 cap=$2 out
  out=$(timeout 30 python3 "$HERE/tls_records.py" "$PORT" "$WORK/pki/ca.pem" /app.js "$version" 2>&1) ||
    { fail "TLS $version client failed: $out"; return; }
  python3 - "$version" "$cap" "$OVERHEAD" "$out" <<'PY' && note "ok: TLS $version, cap $cap: $(tail -1 <<<"$out" | cut -c1-160)" || fail "TLS $version, cap $cap: $out"
import json, sys
version, cap, overhead, r = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), json.loads(sys.argv[4])
app = [n for t, n in r["records"] if t == 23]
assert r["version"] == "TLSv" + version, r["version"]
assert r["status"] == 200 and r["body"] > 3 * 4096, (r["status"], r["body"])
assert max(app) <= cap + overhead, f"a record of {max(app)} bytes, cap {cap}"
assert sum(1 for n in app if n > cap) >= 2, f"no full records at the cap: {app}"
PY
}

r_config
r_start
check 1.3 4096
check 1.2 4096
r_stop

# The cap removed (OpenSSL's default is 16384): the same response comes in
# records larger than 4 KB, which a 4 KB device buffer cannot take.
r_start --max-send-fragment 16384
out=$(timeout 30 python3 "$HERE/tls_records.py" "$PORT" "$WORK/pki/ca.pem" /app.js 1.3 2>&1)
python3 -c 'import json,sys; r=json.loads(sys.argv[1]); assert max(n for t, n in r["records"] if t == 23) > 4096 + 64' "$out" &&
  note "ok: --max-send-fragment 16384 sends records over 4 KB" || fail "uncapped: expected records over 4 KB: $out"
r_stop

# The config key, smaller.
r_config '"max_send_fragment": 2048'
r_start
check 1.3 2048
r_stop

timeout 20 "$RECEIVER" --config receiver.json --max-send-fragment 100 >run.out 2>&1
rc=$?
[ $rc = 2 ] && grep -qF "512..16384" run.out && note "ok: --max-send-fragment 100 refused" ||
  fail "--max-send-fragment 100: status $rc: $(head -2 run.out)"
finish
