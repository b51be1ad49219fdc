// Error codes and readable messages: Mbed TLS return values and X.509
// verification flags mapped onto tls::Code. MBEDTLS_ERROR_C is off (its
// string table costs flash), so the phrases for what can actually happen to
// a client are here.
#include <mbedtls/asn1.h>
#include <mbedtls/bignum.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecp.h>
#include <mbedtls/md.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/pk.h>
#include <mbedtls/x509.h>

#include <cstdio>
#include <cstring>

#include "tls/internal.h"

namespace mcujs::tls {

const char* code_name(Code code) {
  switch (code) {
    case Code::kNone: return "NONE";
    case Code::kCertExpired: return "CERT_EXPIRED";
    case Code::kCertNotYetValid: return "CERT_NOT_YET_VALID";
    case Code::kCertHostnameMismatch: return "CERT_HOSTNAME_MISMATCH";
    case Code::kCertUntrusted: return "CERT_UNTRUSTED";
    case Code::kCertInvalid: return "CERT_INVALID";
    case Code::kHandshakeTimeout: return "HANDSHAKE_TIMEOUT";
    case Code::kProtocolVersion: return "PROTOCOL_VERSION";
    case Code::kHandshakeFailure: return "HANDSHAKE_FAILURE";
    case Code::kConnectionReset: return "CONNECTION_RESET";
    case Code::kTruncated: return "TRUNCATED";
    case Code::kEntropy: return "ENTROPY";
    case Code::kNoMemory: return "NO_MEMORY";
    case Code::kBadInput: return "BAD_INPUT";
    case Code::kInternal: return "INTERNAL";
    case Code::kClockNotSet: return "CLOCK_NOT_SET";
    case Code::kProtocolError: return "PROTOCOL_ERROR";
    case Code::kCertSignatureAlgorithm: return "CERT_SIGNATURE_ALGORITHM";
    case Code::kCertUnknownCriticalExtension: return "CERT_UNKNOWN_CRITICAL_EXTENSION";
    case Code::kCertKeyTooLarge: return "CERT_KEY_TOO_LARGE";
    case Code::kCertChainTooLarge: return "CERT_CHAIN_TOO_LARGE";
  }
  return "INTERNAL";
}

void Error::set(Code c, int mbed, const char* fmt, ...) {
  code = c;
  mbedtls_error = mbed;
  port_error = 0;
  verify_flags = 0;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(message, sizeof message, fmt, ap);
  va_end(ap);
}

void vlog(const port::Platform& p, port::LogLevel level, const char* fmt, va_list ap) {
  if (!p.log) return;
  char buf[256];
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  if (n < 0) return;
  size_t len = static_cast<size_t>(n) < sizeof buf ? static_cast<size_t>(n) : sizeof buf - 1;
  p.log->write(level, buf, len);
}

void log(const port::Platform& p, port::LogLevel level, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vlog(p, level, fmt, ap);
  va_end(ap);
}

void format_time(const mbedtls_x509_time& t, char out[20]) {
  auto u = [](int v, unsigned mod) { return static_cast<unsigned>(v < 0 ? 0 : v) % mod; };
  snprintf(out, 20, "%04u-%02u-%02u %02u:%02u:%02u", u(t.year, 10000), u(t.mon, 100), u(t.day, 100),
           u(t.hour, 100), u(t.min, 100), u(t.sec, 100));
}

namespace {

// Mbed TLS error values add a high-level part (module) and a low-level part.
int high_part(int ret) { return ret < 0 ? -((-ret) & 0xFF80) : 0; }
int low_part(int ret) { return ret < 0 ? -((-ret) & 0x007F) : 0; }

const char* alert_name(int a) {
  switch (a) {
    case 10: return "unexpected_message";
    case 20: return "bad_record_mac";
    case 22: return "record_overflow";
    case 40: return "handshake_failure";
    case 42: return "bad_certificate";
    case 43: return "unsupported_certificate";
    case 45: return "certificate_expired";
    case 46: return "certificate_unknown";
    case 47: return "illegal_parameter";
    case 48: return "unknown_ca";
    case 50: return "decode_error";
    case 51: return "decrypt_error";
    case 70: return "protocol_version";
    case 71: return "insufficient_security";
    case 80: return "internal_error";
    case 86: return "inappropriate_fallback";
    case 109: return "missing_extension";
    case 110: return "unsupported_extension";
    case 112: return "unrecognized_name";
    case 116: return "certificate_required";
    case 120: return "no_application_protocol";
    default: return "alert";
  }
}

// port::error_text() lives in the core library; tls does not link it.
const char* socket_phrase(int32_t e) {
  switch (e) {
    case port::kClosed: return "connection closed";
    case port::kReset: return "connection reset by peer";
    case port::kTimeout: return "timed out";
    case port::kNoMemory: return "out of memory";
    case port::kInvalid: return "invalid socket";
    default: return "I/O error";
  }
}

// The alert the peer just sent (3.6 has no getter; the record is still in
// the input buffer when FATAL_ALERT_MESSAGE is returned). -1 if unknown.
int received_alert(const mbedtls_ssl_context& ssl) {
  if (ssl.MBEDTLS_PRIVATE(in_msg) == nullptr || ssl.MBEDTLS_PRIVATE(in_msgtype) != MBEDTLS_SSL_MSG_ALERT)
    return -1;
  return ssl.MBEDTLS_PRIVATE(in_msg)[1];
}

// Picks the code for a failed verification, most fundamental first:
// untrusted, wrong host, invalid, expired, not yet valid.
void describe_verify(const ConnectionImpl& c, int ret, uint32_t flags, Error* err) {
  const VerifyNotes& n = c.notes;
  if (flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED) {
    if (n.untrusted.depth == 0 && n.untrusted.self_signed)
      err->set(Code::kCertUntrusted, ret, "server certificate is self-signed ('%s') and not in the CA store",
               n.untrusted.name);
    else if (n.untrusted.depth >= 0)
      err->set(Code::kCertUntrusted, ret,
               "server certificate is not trusted: no trusted CA for issuer '%s'", n.untrusted.name);
    else
      err->set(Code::kCertUntrusted, ret, "server certificate is not trusted");
  } else if ((flags & MBEDTLS_X509_BADCERT_CN_MISMATCH) && n.leaf_is_ca[0]) {
    // Mbed TLS skips a certificate whose signature algorithm it does not
    // know (MD5, Ed25519...) and verifies the rest: the chain then starts at
    // the issuing CA, which does not name the host.
    err->set(Code::kCertSignatureAlgorithm, ret,
             "server certificate was refused: its signature algorithm is not allowed (MD5 or another one this "
             "build does not accept); the chain it sent starts at CA '%s'",
             n.leaf_is_ca);
  } else if (flags & MBEDTLS_X509_BADCERT_CN_MISMATCH) {
    if (n.names[0])
      err->set(Code::kCertHostnameMismatch, ret, "server certificate is not valid for host '%s' (it names %s)",
               c.host, n.names);
    else
      err->set(Code::kCertHostnameMismatch, ret, "server certificate is not valid for host '%s'", c.host);
  } else if (flags & MBEDTLS_X509_BADCERT_BAD_MD) {
    err->set(Code::kCertSignatureAlgorithm, ret,
             "server certificate chain is signed with a hash that is not allowed (SHA-1; SHA-256/384/512 only)");
  } else if (flags & MBEDTLS_X509_BADCERT_BAD_PK) {
    err->set(Code::kCertInvalid, ret, "server certificate chain uses a disallowed key type");
  } else if (flags & MBEDTLS_X509_BADCERT_BAD_KEY) {
    err->set(Code::kCertInvalid, ret, "server certificate chain has a weak key (RSA < 2048 bits or unsupported curve)");
  } else if (flags & (MBEDTLS_X509_BADCERT_KEY_USAGE | MBEDTLS_X509_BADCERT_EXT_KEY_USAGE |
                      MBEDTLS_X509_BADCERT_NS_CERT_TYPE)) {
    err->set(Code::kCertInvalid, ret, "server certificate is not valid for TLS server use (key usage)");
  } else if (flags & (MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE)) {
    bool expired = flags & MBEDTLS_X509_BADCERT_EXPIRED;
    const CertNote& cn = expired ? n.expired : n.future;
    Code code = expired ? Code::kCertExpired : Code::kCertNotYetValid;
    const char* what = expired ? "has expired (notAfter" : "is not yet valid (notBefore";
    if (cn.depth > 0)
      err->set(code, ret, "CA certificate '%s' %s %s UTC)", cn.name, what, cn.date);
    else if (cn.depth == 0)
      err->set(code, ret, "certificate %s %s UTC)", what, cn.date);
    else
      err->set(code, ret, "certificate %s ?)", what);
  } else {
    err->set(Code::kCertInvalid, ret, "server certificate is invalid (verify flags 0x%x)",
             static_cast<unsigned>(flags));
  }
  err->verify_flags = flags;
}

// Length field of the record whose header is in the input buffer (the one
// Mbed TLS just refused), or -1. For TLS over a stream, 3.6 reads one record
// at a time into in_hdr and decrypts it in place after the header, so the
// header of a refused record is still there (in_left is already 0 once the
// whole record was read).
int current_record_length(const mbedtls_ssl_context& ssl, bool whole_record_read) {
  const unsigned char* h = ssl.MBEDTLS_PRIVATE(in_hdr);
  if (h == nullptr || (!whole_record_read && ssl.MBEDTLS_PRIVATE(in_left) < 5)) return -1;
  if (h[0] < MBEDTLS_SSL_MSG_CHANGE_CIPHER_SPEC || h[0] > MBEDTLS_SSL_MSG_APPLICATION_DATA || h[1] != 3) return -1;
  return (h[3] << 8) | h[4];
}

// A record larger than our input buffer. Mbed TLS 3.6.6 (library/ssl_msg.c)
// refuses it in one of two places: ssl_get_next_record() asks
// mbedtls_ssl_fetch_input() for the whole record, which returns
// MBEDTLS_ERR_SSL_BAD_INPUT_DATA ("requesting more data than fits") when the
// record's ciphertext exceeds MBEDTLS_SSL_IN_BUFFER_LEN; a record that fits
// but decrypts to more than MBEDTLS_SSL_IN_CONTENT_LEN fails with
// MBEDTLS_ERR_SSL_INVALID_RECORD ("bad message length"). Either way the
// record header is still in the buffer and its length says which it was.
bool describe_oversized_record(const ConnectionImpl& c, int ret, bool hs, const char* during, Error* err) {
  if (ret != MBEDTLS_ERR_SSL_BAD_INPUT_DATA && ret != MBEDTLS_ERR_SSL_INVALID_RECORD) return false;
  int len = current_record_length(c.ssl, ret == MBEDTLS_ERR_SSL_INVALID_RECORD);
  if (len <= MBEDTLS_SSL_IN_CONTENT_LEN) return false;
  Code code = hs ? Code::kHandshakeFailure : Code::kProtocolError;
  // RFC 8446 5.2 / RFC 5246 6.2.3: ciphertext at most 2^14 + 256 bytes.
  if (MBEDTLS_SSL_IN_CONTENT_LEN < 16384 && len <= 16384 + 256)
    err->set(code, ret,
             "TLS record of %d bytes is larger than this build's %d-byte receive buffer: the server ignored "
             "max_fragment_length/record_size_limit",
             len, MBEDTLS_SSL_IN_CONTENT_LEN);
  else
    err->set(code, ret, "server sent an oversized TLS record (%d bytes) %s", len, during);
  return true;
}

// The server's Certificate message could not be used: an X.509 parse error
// (the leaf's or a CA's), or a message larger than the input buffer, which
// Mbed TLS 3.6 cannot reassemble.
bool describe_certificate_parse(const ConnectionImpl& c, int ret, Error* err) {
  int hi = high_part(ret), lo = low_part(ret);
  if (hi == MBEDTLS_ERR_X509_INVALID_EXTENSIONS && lo == MBEDTLS_ERR_ASN1_UNEXPECTED_TAG) {
    err->set(Code::kCertUnknownCriticalExtension, ret,
             "server certificate has a critical extension this client does not know (RFC 5280 4.2: it must be "
             "refused)");
    return true;
  }
  if (ret == MBEDTLS_ERR_PK_INVALID_PUBKEY) {
    err->set(Code::kCertKeyTooLarge, ret,
             "server certificate's public key cannot be used: an RSA key above this build's 4096 bits "
             "(MBEDTLS_MPI_MAX_SIZE), or a malformed key");
    return true;
  }
  if (hi == MBEDTLS_ERR_X509_UNKNOWN_SIG_ALG || hi == MBEDTLS_ERR_X509_SIG_MISMATCH) {
    err->set(Code::kCertSignatureAlgorithm, ret, "server certificate: %s", x509_error_phrase(ret));
    return true;
  }
  int state = c.ssl.MBEDTLS_PRIVATE(state);
  bool at_certificate = state == MBEDTLS_SSL_SERVER_CERTIFICATE || state == MBEDTLS_SSL_CERTIFICATE_REQUEST;
  if (at_certificate && (ret == MBEDTLS_ERR_SSL_INVALID_RECORD || ret == MBEDTLS_ERR_SSL_BAD_INPUT_DATA ||
                         ret == MBEDTLS_ERR_SSL_BUFFER_TOO_SMALL || ret == MBEDTLS_ERR_SSL_FEATURE_UNAVAILABLE)) {
    err->set(Code::kCertChainTooLarge, ret,
             "server certificate chain is larger than this build's %d-byte handshake buffer "
             "(MBEDTLS_SSL_IN_CONTENT_LEN)",
             MBEDTLS_SSL_IN_CONTENT_LEN);
    return true;
  }
  return false;
}

// Options::max_fragment was set (the ClientHello carries max_fragment_length).
bool asked_max_fragment(const mbedtls_ssl_context& ssl) {
#if defined(MBEDTLS_SSL_MAX_FRAGMENT_LENGTH)
  return ssl.MBEDTLS_PRIVATE(conf)->MBEDTLS_PRIVATE(mfl_code) != MBEDTLS_SSL_MAX_FRAG_LEN_NONE;
#else
  (void)ssl;
  return false;
#endif
}

}  // namespace

bool is_alloc_error(int ret) {
  int hi = high_part(ret), lo = low_part(ret);
  return hi == MBEDTLS_ERR_SSL_ALLOC_FAILED || hi == MBEDTLS_ERR_X509_ALLOC_FAILED ||
         hi == MBEDTLS_ERR_PK_ALLOC_FAILED || hi == MBEDTLS_ERR_ECP_ALLOC_FAILED ||
         hi == MBEDTLS_ERR_MD_ALLOC_FAILED || lo == MBEDTLS_ERR_MPI_ALLOC_FAILED ||
         lo == MBEDTLS_ERR_ASN1_ALLOC_FAILED;
}

const char* x509_error_phrase(int ret) {
  if (is_alloc_error(ret)) return "out of memory";
  switch (high_part(ret)) {
    case MBEDTLS_ERR_X509_UNKNOWN_VERSION:
    case MBEDTLS_ERR_X509_INVALID_VERSION: return "unsupported X.509 version";
    case MBEDTLS_ERR_X509_INVALID_SERIAL: return "invalid serial number";
    case MBEDTLS_ERR_X509_INVALID_ALG: return "invalid algorithm identifier";
    case MBEDTLS_ERR_X509_INVALID_NAME: return "invalid name";
    case MBEDTLS_ERR_X509_INVALID_DATE: return "invalid validity dates";
    case MBEDTLS_ERR_X509_INVALID_SIGNATURE: return "invalid signature";
    case MBEDTLS_ERR_X509_INVALID_EXTENSIONS: return "invalid extensions";
    case MBEDTLS_ERR_X509_UNKNOWN_SIG_ALG: return "unsupported signature algorithm";
    case MBEDTLS_ERR_X509_SIG_MISMATCH: return "signature algorithm mismatch";
    case MBEDTLS_ERR_X509_FEATURE_UNAVAILABLE: return "unsupported feature";
    case MBEDTLS_ERR_PK_UNKNOWN_PK_ALG: return "unsupported public key type";
    case MBEDTLS_ERR_PK_KEY_INVALID_FORMAT: return "invalid public key";
    case MBEDTLS_ERR_PK_INVALID_PUBKEY: return "invalid public key (or RSA larger than 4096 bits)";
    case MBEDTLS_ERR_PK_UNKNOWN_NAMED_CURVE:
    case MBEDTLS_ERR_ECP_FEATURE_UNAVAILABLE:
    case MBEDTLS_ERR_PK_FEATURE_UNAVAILABLE: return "unsupported curve (P-256 and P-384 only)";
    default: break;
  }
  return "not a valid X.509 certificate";
}

void describe_ssl_error(const ConnectionImpl& c, int ret, Phase phase, Error* err) {
  const bool hs = phase == Phase::kHandshake;
  const char* during = hs ? "during the TLS handshake" : "on the TLS connection";
  int alert = -1;
  uint32_t flags = mbedtls_ssl_get_verify_result(&c.ssl);
  // BAD_CERTIFICATE with flags: rejected by the usage / curve checks.
  bool verify = ret == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED ||
                (ret == MBEDTLS_ERR_SSL_BAD_CERTIFICATE && flags != 0 && flags != 0xFFFFFFFFu);
  if (verify) {
    describe_verify(c, ret, flags, err);
  } else if (is_alloc_error(ret)) {
    err->set(Code::kNoMemory, ret, "out of memory %s", during);
  } else if (ret == MBEDTLS_ERR_NET_CONN_RESET) {
    err->set(Code::kConnectionReset, ret, "connection reset by the server %s", during);
  } else if (ret == MBEDTLS_ERR_NET_SEND_FAILED || ret == MBEDTLS_ERR_NET_RECV_FAILED) {
    err->set(Code::kConnectionReset, ret, "socket error %s: %s (%d)", during, socket_phrase(c.port_error),
             static_cast<int>(c.port_error));
  } else if (ret == MBEDTLS_ERR_SSL_CONN_EOF || ret == 0) {
    if (hs)
      err->set(Code::kHandshakeFailure, ret, "server closed the connection during the TLS handshake");
    else
      err->set(Code::kTruncated, ret, "connection closed without close_notify: data may be truncated");
  } else if (ret == MBEDTLS_ERR_SSL_BAD_PROTOCOL_VERSION) {
    err->set(Code::kProtocolVersion, ret, "server does not support TLS 1.2 or 1.3");
  } else if (ret == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE && (alert = received_alert(c.ssl)) >= 0) {
    if (alert == 70)
      err->set(Code::kProtocolVersion, ret, "server refused TLS 1.2 and 1.3 (alert protocol_version)");
    else if (!hs)
      err->set(Code::kProtocolError, ret, "server sent fatal alert %s (%d)", alert_name(alert), alert);
    else if ((alert == 40 || alert == 42 || alert == 116) &&
             c.ssl.MBEDTLS_PRIVATE(state) >= MBEDTLS_SSL_SERVER_CHANGE_CIPHER_SPEC)
      // TLS 1.2: refused after our last flight, i.e. after our (maybe empty)
      // Certificate: client authentication, not the cipher suites.
      err->set(Code::kHandshakeFailure, ret, "server refused the handshake after our certificate (alert %s): %s",
               alert_name(alert),
               c.client_cert ? "it does not accept our client certificate"
                             : "it requires a client certificate, and none was given");
    else if (alert == 40 || alert == 71)
      err->set(Code::kHandshakeFailure, ret,
               "server refused the handshake (alert %s: no common cipher suite, group or signature algorithm?)",
               alert_name(alert));
    else if (alert == 112)
      err->set(Code::kHandshakeFailure, ret, "server does not know host name '%s' (alert unrecognized_name)",
               c.host);
    else
      err->set(Code::kHandshakeFailure, ret, "server sent fatal alert %s (%d) during the TLS handshake",
               alert_name(alert), alert);
  } else if (ret == MBEDTLS_ERR_SSL_CA_CHAIN_REQUIRED) {
    err->set(Code::kCertUntrusted, ret, "no trusted CA certificates loaded");
  } else if (hs && ret == MBEDTLS_ERR_SSL_ILLEGAL_PARAMETER &&
             c.ssl.MBEDTLS_PRIVATE(tls_version) == MBEDTLS_SSL_VERSION_TLS1_2 &&
             c.ssl.MBEDTLS_PRIVATE(state) == MBEDTLS_SSL_SERVER_KEY_EXCHANGE) {
    // Most likely the 3.6.6 regression (see kSigAlgs in tls/policy.cpp).
    err->set(Code::kHandshakeFailure, ret,
             "TLS 1.2 server key exchange rejected (an RSA-PSS signature? Mbed TLS 3.6.6 refuses those in TLS 1.2)");
  } else if (ret == MBEDTLS_ERR_SSL_BAD_CERTIFICATE) {
    err->set(Code::kCertInvalid, ret, "server sent a certificate that cannot be used (unparsable or unsupported key)");
  } else if (low_part(ret) == MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED) {
    err->set(Code::kEntropy, ret, "entropy source failed %s", during);
  } else if (hs && ret == MBEDTLS_ERR_SSL_UNSUPPORTED_EXTENSION && asked_max_fragment(c.ssl)) {
    // See setup_config() in tls/policy.cpp.
    err->set(Code::kHandshakeFailure, ret,
             "TLS 1.3 server echoed max_fragment_length, which Mbed TLS 3.6 rejects: set max_fragment to 0");
  } else if (hs && describe_certificate_parse(c, ret, err)) {
    // set there
  } else if (describe_oversized_record(c, ret, hs, during, err)) {
    // set there
  } else if (ret == MBEDTLS_ERR_SSL_INTERNAL_ERROR || ret == MBEDTLS_ERR_SSL_BAD_INPUT_DATA ||
             ret == MBEDTLS_ERR_SSL_BAD_CONFIG || ret == MBEDTLS_ERR_SSL_FEATURE_UNAVAILABLE) {
    err->set(Code::kInternal, ret, "internal TLS error %s (-0x%04X)", during, static_cast<unsigned>(-ret));
  } else if (hs) {
    err->set(Code::kHandshakeFailure, ret, "TLS handshake failed (-0x%04X)", static_cast<unsigned>(-ret));
  } else {
    err->set(Code::kProtocolError, ret, "TLS protocol error (-0x%04X)", static_cast<unsigned>(-ret));
  }
  err->port_error = c.port_error;
}

}  // namespace mcujs::tls
