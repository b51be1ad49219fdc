#!/usr/bin/env bash
# Generates the test PKI used by the TLS tests (see tests/pki/README.md for
# the list of files) into OUTDIR, with the openssl command line tool only.
# Every certificate is issued by 'openssl ca' so that validity dates can be
# set exactly (OpenSSL 3.0's 'x509 -req' has no -not_before).
#
# Usage: make-pki.sh OUTDIR
# Fast (RSA-2048 and ECDSA keys only), deterministic file names; the keys and
# serial numbers are new on every run.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
out=$1
mkdir -p "$out"
cd "$out"
log=$PWD/make-pki.log
: >"$log"

die() { echo "make-pki: $*" >&2; [ -s "$log" ] && tail -20 "$log" >&2; exit 1; }
ossl() { openssl "$@" >>"$log" 2>&1 || die "openssl $1 failed"; }

# Validity of the good certificates: from yesterday (clock skew between the
# generator and the client does not matter) for ten years.
start=$(date -u -d '1 day ago' +%Y%m%d%H%M%SZ) || die "date -d unsupported"
end=$(date -u -d '10 years' +%Y%m%d%H%M%SZ)

# ------------------------------------------------------------ openssl ca setup
mkdir -p db
: >db/index.txt
echo 'unique_subject = no' >db/index.txt.attr
echo 1000 >db/serial
cat >ca.cnf <<'EOF'
[ ca ]
default_ca = test_ca

[ test_ca ]
database        = db/index.txt
serial          = db/serial
new_certs_dir   = db
default_md      = sha256
policy          = policy_any
unique_subject  = no
email_in_dn     = no
copy_extensions = none

[ policy_any ]
commonName       = supplied
organizationName = optional

[ req ]
distinguished_name = req_dn
prompt             = no

[ req_dn ]
CN = placeholder

# ---- extensions
[ root_ext ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash

[ int_ext ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

# An "intermediate" that is not a CA: no basicConstraints at all (so not
# CA:TRUE), although its keyUsage claims keyCertSign.
[ noca_int_ext ]
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ leaf_ext ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
subjectAltName         = DNS:localhost, IP:127.0.0.1, IP:::1

[ wronghost_ext ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
subjectAltName         = DNS:wrong.example

# No subjectAltName: the client falls back to the subject CN.
[ cn_only_ext ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ selfsigned_ext ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
subjectAltName         = DNS:localhost, IP:127.0.0.1, IP:::1
EOF

# key NAME rsa|rsa1024|p256|p384: a private key NAME.key (reused when it exists).
key() {
  [ -f "$1.key" ] && return 0
  case $2 in
    rsa)  ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" ;;
    rsa1024) ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$1.key" ;;
    p256) ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" ;;
    p384) ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$1.key" ;;
    *) die "unknown key type $2" ;;
  esac
}

# issue NAME CN KEYFILE ISSUER EXT [START END [MD]]: the certificate NAME.pem
# for KEYFILE's key with subject CN, signed by ISSUER (ISSUER.pem/ISSUER.key;
# 'self' for self-signed) with the extension section EXT of ca.cnf.
issue() {
  local name=$1 cn=$2 keyfile=$3 issuer=$4 ext=$5
  local s=${6:-$start} e=${7:-$end} md=${8:-sha256}
  ossl req -new -config ca.cnf -key "$keyfile" -subj "/CN=$cn/O=mcujs tests" -out "$name.csr"
  if [ "$issuer" = self ]; then
    ossl ca -batch -config ca.cnf -selfsign -keyfile "$keyfile" -in "$name.csr" -out "$name.pem" \
      -extensions "$ext" -startdate "$s" -enddate "$e" -md "$md" -notext
  else
    ossl ca -batch -config ca.cnf -cert "$issuer.pem" -keyfile "$issuer.key" -in "$name.csr" \
      -out "$name.pem" -extensions "$ext" -startdate "$s" -enddate "$e" -md "$md" -notext
  fi
  rm -f "$name.csr"
}

# server NAME CN KEYTYPE ISSUER EXT [START END [MD]]: a server certificate
# NAME.pem + NAME.key, NAME-chain.pem (the intermediate: for s_server
# -cert_chain) and NAME-fullchain.pem (leaf then intermediate).
server() {
  local name=$1 cn=$2 kt=$3 issuer=$4 ext=$5
  key "$name" "$kt"
  issue "$name" "$cn" "$name.key" "$issuer" "$ext" "${6:-$start}" "${7:-$end}" "${8:-sha256}"
  cp "$issuer.pem" "$name-chain.pem"
  cat "$name.pem" "$issuer.pem" >"$name-fullchain.pem"
}

# ------------------------------------------------------------ trusted roots
key root-rsa rsa
issue root-rsa "mcujs test root RSA" root-rsa.key self root_ext
key root-ec p256
issue root-ec "mcujs test root ECDSA" root-ec.key self root_ext
cat root-rsa.pem root-ec.pem >ca.pem          # the CA store given to the client

# ------------------------------------------------------------ intermediates
key int-rsa rsa
issue int-rsa "mcujs test intermediate RSA" int-rsa.key root-rsa int_ext
key int-ec p256
issue int-ec "mcujs test intermediate ECDSA" int-ec.key root-ec int_ext

# ------------------------------------------------------------ good servers
server server-rsa localhost rsa int-rsa leaf_ext        # RSA-2048 chain
server server-ec localhost p256 int-ec leaf_ext         # ECDSA P-256 chain
server server-p384 localhost p384 int-ec leaf_ext "$start" "$end" sha384  # P-384 leaf
server cn-only localhost p256 int-ec cn_only_ext        # CN=localhost, no SAN

# ------------------------------------------------------------ bad servers
# Expired in 2021; valid only from 2040 (UTCTime, before 2050).
server expired localhost p256 int-ec leaf_ext 20200101000000Z 20210101000000Z
server notyet localhost p256 int-ec leaf_ext 20400101000000Z 20410101000000Z
# SAN names another host (CN=wrong.example too).
server wronghost wrong.example p256 int-ec wronghost_ext
# CN says localhost but the SAN (which takes precedence) does not.
server cn-ignored localhost p256 int-ec wronghost_ext
# Self-signed leaf for localhost.
key selfsigned p256
issue selfsigned localhost selfsigned.key self selfsigned_ext
# A separate root, not in ca.pem, and a localhost leaf under it.
key untrusted-root p256
issue untrusted-root "mcujs test untrusted root" untrusted-root.key self root_ext
server untrusted localhost p256 untrusted-root leaf_ext
# A chain through an intermediate that is not a CA (no basicConstraints).
key noca-int p256
issue noca-int "mcujs test intermediate without CA flag" noca-int.key root-ec noca_int_ext
server noca-leaf localhost p256 noca-int leaf_ext
# Policy violations in an otherwise good chain: an RSA-1024 leaf, and a leaf
# signed with SHA-1.
server weak-rsa localhost rsa1024 int-rsa leaf_ext
server sha1 localhost p256 int-ec leaf_ext "$start" "$end" sha1

# ------------------------------------------------------------ sanity checks
# The good chains verify with OpenSSL, the bad ones fail for the right reason.
verify() {  # verify LEAF EXPECT(ok|error text) [extra args]
  local leaf=$1 want=$2; shift 2
  local got
  got=$(openssl verify -CAfile ca.pem -untrusted "$leaf-chain.pem" "$@" "$leaf.pem" 2>&1) || true
  case $want in
    ok) [[ $got == *": OK" ]] || die "$leaf should verify: $got" ;;
    *) [[ $got == *"$want"* ]] || die "$leaf: expected '$want', got: $got" ;;
  esac
}
verify server-rsa ok -verify_hostname localhost
verify server-ec ok -verify_hostname localhost
verify server-p384 ok -verify_ip 127.0.0.1
verify expired "certificate has expired"
verify notyet "certificate is not yet valid"
verify wronghost "hostname mismatch" -verify_hostname localhost
verify cn-ignored "hostname mismatch" -verify_hostname localhost
verify untrusted "self-signed certificate in certificate chain"
verify noca-leaf "invalid CA certificate"

rm -rf db ca.cnf
chmod 600 ./*.key
echo "make-pki: wrote $(ls | wc -l) files to $PWD"
