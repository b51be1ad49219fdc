// The TLS policy, stated explicitly rather than inherited from Mbed TLS's
// defaults: versions, suites, groups, signature algorithms, X.509 profile.
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_ciphersuites.h>

#include "tls/internal.h"

namespace mcujs::tls {

namespace {

// ChaCha20-Poly1305 first: on a Cortex-M3 without AES hardware it is several
// times faster than AES-GCM and has no key-dependent table lookups.
const int kSuites[] = {
    MBEDTLS_TLS1_3_CHACHA20_POLY1305_SHA256,
    MBEDTLS_TLS1_3_AES_128_GCM_SHA256,
    MBEDTLS_TLS1_3_AES_256_GCM_SHA384,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    MBEDTLS_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    0,
};

struct SuiteName {
  int id;
  const char* name;
};
const SuiteName kSuiteNames[] = {
    {MBEDTLS_TLS1_3_CHACHA20_POLY1305_SHA256, "TLS_CHACHA20_POLY1305_SHA256"},
    {MBEDTLS_TLS1_3_AES_128_GCM_SHA256, "TLS_AES_128_GCM_SHA256"},
    {MBEDTLS_TLS1_3_AES_256_GCM_SHA384, "TLS_AES_256_GCM_SHA384"},
    {MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"},
    {MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"},
    {MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"},
    {MBEDTLS_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
    {MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
    {MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"},
};

// The TLS 1.3 key share is sent for the first group only. x25519 first on
// the host; a build may put secp256r1 first (MCUJS_TLS_P256_KEY_SHARE, the
// device profile: with NIST_OPTIM and the fixed-point tables its ECDHE is
// cheaper on a Cortex-M3, docs/firmware.md "Levers"). secp256r1 must be
// offered for TLS 1.2 servers with P-256 certificates (the curve list also
// limits ECDSA).
#ifndef MCUJS_TLS_P256_KEY_SHARE
#define MCUJS_TLS_P256_KEY_SHARE 0
#endif
const uint16_t kGroups[] = {
    MCUJS_TLS_P256_KEY_SHARE ? MBEDTLS_SSL_IANA_TLS_GROUP_SECP256R1 : MBEDTLS_SSL_IANA_TLS_GROUP_X25519,
    MCUJS_TLS_P256_KEY_SHARE ? MBEDTLS_SSL_IANA_TLS_GROUP_X25519 : MBEDTLS_SSL_IANA_TLS_GROUP_SECP256R1,
    MBEDTLS_SSL_IANA_TLS_GROUP_SECP384R1,
    MBEDTLS_SSL_IANA_TLS_GROUP_NONE,
};

// No SHA-1. PKCS#1 v1.5 comes before PSS on purpose: Mbed TLS 3.6.6 rejects
// a TLS 1.2 ServerKeyExchange signed with rsa_pss_rsae_* (a regression fixed
// upstream after 3.6.6, Mbed-TLS/mbedtls#10672), and TLS 1.2 servers follow
// the client's order by default. TLS 1.3 forbids PKCS#1 v1.5 in
// CertificateVerify, so TLS 1.3 servers still pick PSS.
const uint16_t kSigAlgs[] = {
    MBEDTLS_TLS1_3_SIG_ECDSA_SECP256R1_SHA256,
    MBEDTLS_TLS1_3_SIG_ECDSA_SECP384R1_SHA384,
    MBEDTLS_TLS1_3_SIG_RSA_PKCS1_SHA256,
    MBEDTLS_TLS1_3_SIG_RSA_PKCS1_SHA384,
    MBEDTLS_TLS1_3_SIG_RSA_PKCS1_SHA512,
    MBEDTLS_TLS1_3_SIG_RSA_PSS_RSAE_SHA256,
    MBEDTLS_TLS1_3_SIG_RSA_PSS_RSAE_SHA384,
    MBEDTLS_TLS1_3_SIG_RSA_PSS_RSAE_SHA512,
    MBEDTLS_TLS1_3_SIG_NONE,
};

// Certificates: SHA-2 signatures, RSA >= 2048 bits (<= 4096 by
// MBEDTLS_MPI_MAX_SIZE) or ECDSA on P-256/P-384.
const mbedtls_x509_crt_profile kProfile = {
    MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA256) | MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA384) |
        MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA512),
    MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_RSA) | MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_RSASSA_PSS) |
        MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_ECKEY) | MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_ECDSA),
    MBEDTLS_X509_ID_FLAG(MBEDTLS_ECP_DP_SECP256R1) | MBEDTLS_X509_ID_FLAG(MBEDTLS_ECP_DP_SECP384R1),
    2048,
};

}  // namespace

int setup_config(mbedtls_ssl_config* conf, const Options& o) {
  int ret = mbedtls_ssl_config_defaults(conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                        MBEDTLS_SSL_PRESET_DEFAULT);
  if (ret != 0) return ret;
  mbedtls_ssl_conf_min_tls_version(conf, MBEDTLS_SSL_VERSION_TLS1_2);
  mbedtls_ssl_conf_max_tls_version(conf, MBEDTLS_SSL_VERSION_TLS1_3);
  mbedtls_ssl_conf_ciphersuites(conf, kSuites);
  mbedtls_ssl_conf_groups(conf, kGroups);
  mbedtls_ssl_conf_sig_algs(conf, kSigAlgs);
  mbedtls_ssl_conf_cert_profile(conf, &kProfile);
  mbedtls_ssl_conf_authmode(conf, o.insecure_skip_verify ? MBEDTLS_SSL_VERIFY_NONE
                                                         : MBEDTLS_SSL_VERIFY_REQUIRED);
  mbedtls_ssl_conf_rng(conf, rng_random, nullptr);
  // Resumption (docs/tls.md). TLS 1.3: (EC)DHE always; a ticket is only
  // ever used with psk_dhe_ke, so a resumed session still has forward
  // secrecy (pure psk_ke is not even compiled in). The client must opt in
  // to NewSessionTicket: 3.6 ignores tickets by default, and when signalled
  // mbedtls_ssl_read() returns RECEIVED_NEW_SESSION_TICKET, which
  // TlsConnection::read() consumes. TLS 1.2: the empty SessionTicket
  // extension asks for an RFC 5077 ticket.
  mbedtls_ssl_conf_tls13_key_exchange_modes(conf, MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL_ALL);
#if defined(MBEDTLS_SSL_SESSION_TICKETS)
  bool resume = o.session_resumption;
  mbedtls_ssl_conf_session_tickets(conf, resume ? MBEDTLS_SSL_SESSION_TICKETS_ENABLED
                                                : MBEDTLS_SSL_SESSION_TICKETS_DISABLED);
  mbedtls_ssl_conf_tls13_enable_signal_new_session_tickets(
      conf, resume ? MBEDTLS_SSL_TLS1_3_SIGNAL_NEW_SESSION_TICKETS_ENABLED
                   : MBEDTLS_SSL_TLS1_3_SIGNAL_NEW_SESSION_TICKETS_DISABLED);
#endif
  // max_fragment_length only when asked for, also in the device profile
  // (4 KB input records): Mbed TLS 3.6.6 writes it into every ClientHello
  // offering TLS 1.2, and OpenSSL, which honours it in TLS 1.3 too, echoes it
  // in EncryptedExtensions, which 3.6.6 then rejects as unsolicited
  // (MBEDTLS_ERR_SSL_UNSUPPORTED_EXTENSION): every TLS 1.3 handshake with
  // an OpenSSL server would fail (tests/tls_device/record_limit_test.cpp).
  // Small records come from the server's own cap instead (the receiver's
  // max_send_fragment) and TLS 1.3's record_size_limit.
  const uint16_t max_fragment = o.max_fragment;
  if (max_fragment != 0) {
#if !defined(MBEDTLS_SSL_MAX_FRAGMENT_LENGTH)
    return MBEDTLS_ERR_SSL_FEATURE_UNAVAILABLE;
#else
    unsigned char code = max_fragment == 512    ? MBEDTLS_SSL_MAX_FRAG_LEN_512
                         : max_fragment == 1024 ? MBEDTLS_SSL_MAX_FRAG_LEN_1024
                         : max_fragment == 2048 ? MBEDTLS_SSL_MAX_FRAG_LEN_2048
                         : max_fragment == 4096 ? MBEDTLS_SSL_MAX_FRAG_LEN_4096
                                                : MBEDTLS_SSL_MAX_FRAG_LEN_INVALID;
    ret = mbedtls_ssl_conf_max_frag_len(conf, code);
    if (ret != 0) return ret;
#endif
  }
  return 0;
}

uint16_t max_fragment_limit() {
  // Mbed TLS applies max_fragment_length to both directions and refuses a
  // value above the smaller buffer (MBEDTLS_TLS_EXT_ADV_CONTENT_LEN).
  constexpr int in = MBEDTLS_SSL_IN_CONTENT_LEN, out = MBEDTLS_SSL_OUT_CONTENT_LEN;
  constexpr int both = in < out ? in : out;
  static_assert(both >= 512, "record buffers below the smallest max_fragment_length (512)");
  return both >= 4096 ? 4096 : both >= 2048 ? 2048 : both >= 1024 ? 1024 : 512;
}


const char* iana_suite_name(int id) {
  for (const SuiteName& s : kSuiteNames)
    if (s.id == id) return s.name;
  return "";
}

}  // namespace mcujs::tls
