// PeerCert: a printable summary of the server's leaf certificate.
#include <mbedtls/sha256.h>
#include <mbedtls/ssl.h>

#include <cstdio>

#include "tls/internal.h"

namespace mcujs::tls {

namespace {

void hex(const unsigned char* p, size_t n, char* out, size_t cap) {
  static const char kDigits[] = "0123456789ABCDEF";
  size_t o = 0;
  for (size_t i = 0; i < n && o + 2 < cap; i++) {
    out[o++] = kDigits[p[i] >> 4];
    out[o++] = kDigits[p[i] & 15];
  }
  out[o] = 0;
}

}  // namespace

bool TlsConnection::peer_cert(PeerCert* out) const {
  if (!out || !impl_ || !impl_->done) return false;
  const mbedtls_x509_crt* crt = mbedtls_ssl_get_peer_cert(&impl_->ssl);
  if (!crt) return false;
  *out = PeerCert{};
  if (mbedtls_x509_dn_gets(out->subject, sizeof out->subject, &crt->subject) < 0) out->subject[0] = 0;
  if (mbedtls_x509_dn_gets(out->issuer, sizeof out->issuer, &crt->issuer) < 0) out->issuer[0] = 0;
  format_time(crt->valid_from, out->valid_from);
  format_time(crt->valid_to, out->valid_to);
  // Serial as uppercase hex without the DER sign byte (as Node prints it).
  const unsigned char* s = crt->serial.p;
  size_t sl = crt->serial.len;
  while (sl > 1 && s[0] == 0) {
    s++;
    sl--;
  }
  hex(s, sl, out->serial, sizeof out->serial);
  unsigned char digest[32];
  if (mbedtls_sha256(crt->raw.p, crt->raw.len, digest, 0) != 0) return false;
  hex(digest, sizeof digest, out->sha256, sizeof out->sha256);
  return true;
}

}  // namespace mcujs::tls
