// ConnectOptions: what one connection brings of its own (trust anchors, a
// client certificate, ALPN names) and the ssl configuration built from it.
#include <mbedtls/platform.h>

#include <cstring>
#include <new>

#include "tls/internal.h"

namespace mcujs::tls {

ConnectOptions::~ConnectOptions() {
  if (!impl_) return;
  if (impl_->conf_ready) mbedtls_ssl_config_free(&impl_->conf);
  mbedtls_x509_crt_free(&impl_->ca);
  mbedtls_x509_crt_free(&impl_->own_cert);
  mbedtls_pk_free(&impl_->own_key);
  delete impl_;
}

bool ConnectOptions::ensure(Error* err) {
  if (impl_) {
    if (!impl_->conf_ready) return true;
    err->set(Code::kBadInput, 0, "TLS options cannot change once a connection used them");
    return false;
  }
  impl_ = new (std::nothrow) OptionsImpl;
  if (!impl_) {
    err->set(Code::kNoMemory, 0, "out of memory for TLS options");
    return false;
  }
  mbedtls_x509_crt_init(&impl_->ca);
  mbedtls_x509_crt_init(&impl_->own_cert);
  mbedtls_pk_init(&impl_->own_key);
  return true;
}

int ConnectOptions::add_ca_pem(const char* pem, size_t len, Error* err) {
  Error local;
  if (!err) err = &local;
  if (!pem) {
    err->set(Code::kBadInput, 0, "no PEM data");
    return -1;
  }
  if (!ensure(err)) return -1;
  return append_pem_certificates(&impl_->ca, &impl_->ca_count, pem, len, err);
}

bool ConnectOptions::set_client_cert(TlsContext& ctx, const char* cert_pem, size_t cert_len, const char* key_pem,
                                     size_t key_len, Error* err) {
  Error local;
  if (!err) err = &local;
  if (!ctx.impl()) {
    err->set(Code::kInternal, 0, "TLS context is not initialised");
    return false;
  }
  Scope scope(&ctx.impl()->platform);
  if (!cert_pem || !key_pem) {
    err->set(Code::kBadInput, 0, "a client certificate needs both the certificate and the key");
    return false;
  }
  if (!ensure(err)) return false;
  if (impl_->has_cert) {
    err->set(Code::kBadInput, 0, "client certificate already set");
    return false;
  }
  mbedtls_x509_crt chain;
  mbedtls_x509_crt_init(&chain);
  mbedtls_pk_context key;
  mbedtls_pk_init(&key);
  int count = 0;
  bool ok = append_pem_certificates(&chain, &count, cert_pem, cert_len, err) > 0 &&
            pem_private_key(&key, key_pem, key_len, err) == 0;
  if (ok) {
    // The key must be the certificate's: otherwise the server's check of
    // CertificateVerify fails with an obscure alert.
    int ret = mbedtls_pk_check_pair(&chain.pk, &key, rng_random, nullptr);
    if (ret != 0) {
      err->set(Code::kBadInput, ret, "client key does not match the client certificate (-0x%04X)",
               static_cast<unsigned>(-ret));
      ok = false;
    }
  }
  if (!ok) {
    mbedtls_x509_crt_free(&chain);
    mbedtls_pk_free(&key);
    return false;
  }
  impl_->own_cert = chain;  // the head node moves; its next pointers stay valid
  impl_->own_key = key;
  impl_->own_count = count;
  impl_->has_cert = true;
  return true;
}

bool ConnectOptions::add_alpn(const char* name, size_t len, Error* err) {
  Error local;
  if (!err) err = &local;
  if (!name || len == 0 || len > 255 || memchr(name, 0, len)) {
    err->set(Code::kBadInput, 0, "ALPN protocol names are 1..255 bytes without NUL");
    return false;
  }
  if (!ensure(err)) return false;
  OptionsImpl& o = *impl_;
  if (o.alpn_count >= kMaxAlpn || o.alpn_used + len + 1 > sizeof o.alpn_names) {
    err->set(Code::kBadInput, 0, "at most %d ALPN protocol names, %u bytes in all", kMaxAlpn,
             static_cast<unsigned>(kMaxAlpnBytes - kMaxAlpn));
    return false;
  }
  char* slot = o.alpn_names + o.alpn_used;
  memcpy(slot, name, len);
  slot[len] = 0;
  o.alpn_used += len + 1;
  o.alpn[o.alpn_count++] = slot;
  o.alpn[o.alpn_count] = nullptr;
  return true;
}

bool ConnectOptions::has_ca() const { return impl_ && impl_->ca_count > 0; }
bool ConnectOptions::has_client_cert() const { return impl_ && impl_->has_cert; }
int ConnectOptions::alpn_count() const { return impl_ ? impl_->alpn_count : 0; }

int options_config(ContextImpl& ctx, OptionsImpl& o, mbedtls_ssl_config** out) {
  if (!o.conf_ready) {
    mbedtls_ssl_config_init(&o.conf);
    int ret = setup_config(&o.conf, ctx.options);
#if defined(MBEDTLS_SSL_ALPN)
    if (ret == 0 && o.alpn_count > 0) ret = mbedtls_ssl_conf_alpn_protocols(&o.conf, o.alpn);
#else
    if (ret == 0 && o.alpn_count > 0) ret = MBEDTLS_ERR_SSL_FEATURE_UNAVAILABLE;
#endif
    if (ret == 0 && o.has_cert) ret = mbedtls_ssl_conf_own_cert(&o.conf, &o.own_cert, &o.own_key);
    if (ret != 0) {
      mbedtls_ssl_config_free(&o.conf);
      return ret;
    }
    mbedtls_ssl_conf_ca_chain(&o.conf, o.ca_count > 0 ? &o.ca : &ctx.ca, nullptr);
    o.conf_ready = true;
  }
  *out = &o.conf;
  return 0;
}

}  // namespace mcujs::tls
