// TlsContext: the entropy gate, PSA + DRBG initialisation, the shared ssl
// configuration and the CA store.
#include <psa/crypto.h>

#include <new>

#include "tls/internal.h"

namespace mcujs::tls {

namespace {

const Options kNoOptions{};
const port::Platform kNoPlatform{};

}  // namespace

void release(ContextImpl* impl) {
  if (!impl || --impl->refs > 0) return;
  {
    Scope scope(&impl->platform);
    cache_free(impl->sessions);
  }
  mbedtls_ssl_config_free(&impl->conf);
  mbedtls_x509_crt_free(&impl->ca);
  delete impl;
  process_unref();
}

TlsContext::~TlsContext() { release(impl_); }

bool TlsContext::init(const port::Platform& platform, const Options& options, Error* err) {
  Error local;
  if (!err) err = &local;
  if (impl_) {
    err->set(Code::kBadInput, 0, "TLS context already initialised");
    return false;
  }
  if (!platform.clock) {
    err->set(Code::kBadInput, 0, "the platform has no clock");
    return false;
  }
  // The gate: a DRBG seeded from a weak source makes every key guessable.
  const port::Entropy* ent = platform.entropy;
  if (!ent) {
    err->set(Code::kEntropy, 0, "no strong entropy source (the platform provides none)");
    return false;
  }
  if (!ent->strong() && !options.insecure_entropy) {
    err->set(Code::kEntropy, 0,
             "no strong entropy source ('%s' is not fit to seed a DRBG; TLS refuses to start)", ent->name());
    return false;
  }
  uint16_t mf = options.max_fragment;
  if (mf != 0 && mf != 512 && mf != 1024 && mf != 2048 && mf != 4096) {
    err->set(Code::kBadInput, 0, "max_fragment must be 0, 512, 1024, 2048 or 4096 (got %u)", mf);
    return false;
  }
  if (mf > max_fragment_limit()) {
    err->set(Code::kBadInput, 0, "max_fragment %u is larger than this build's TLS record buffers allow (%u)", mf,
             max_fragment_limit());
    return false;
  }
  auto* impl = new (std::nothrow) ContextImpl;
  if (!impl) {
    err->set(Code::kNoMemory, 0, "out of memory creating the TLS context");
    return false;
  }
  impl->platform = platform;
  impl->options = options;
  mbedtls_ssl_config_init(&impl->conf);
  mbedtls_x509_crt_init(&impl->ca);
  process_ref();  // from here on, release() undoes everything

  Scope scope(&impl->platform);
  install_time_hooks();
  psa_status_t st = psa_crypto_init();  // process-wide; idempotent
  if (st != PSA_SUCCESS) {
    err->set(st == PSA_ERROR_INSUFFICIENT_MEMORY ? Code::kNoMemory : Code::kInternal, 0,
             "PSA crypto initialisation failed (%d)", static_cast<int>(st));
    release(impl);
    return false;
  }
  int ret = rng_seed();
  if (ret != 0) {
    err->set(Code::kEntropy, ret, "entropy source '%s' failed to seed the DRBG", ent->name());
    release(impl);
    return false;
  }
  ret = setup_config(&impl->conf, impl->options);
  if (ret != 0) {
    err->set(is_alloc_error(ret) ? Code::kNoMemory : Code::kInternal, ret,
             "TLS configuration failed (-0x%04X)", static_cast<unsigned>(-ret));
    release(impl);
    return false;
  }
  mbedtls_ssl_conf_ca_chain(&impl->conf, &impl->ca, nullptr);
  if (!ent->strong())
    log(platform, port::LogLevel::kWarn,
        "WARNING: DEVELOPMENT HAZARD: TLS is seeded from '%s', which is NOT a strong entropy source "
        "(insecure_entropy). Keys may be predictable; never ship this.",
        ent->name());
  impl_ = impl;
  return true;
}

HandshakeStats TlsContext::handshakes() const { return impl_ ? impl_->handshakes : HandshakeStats{}; }

int TlsContext::session_count() const {
  return impl_ ? cache_count(impl_->sessions, impl_->platform.clock->monotonic_ms()) : 0;
}

void TlsContext::clear_sessions() {
  if (!impl_) return;
  Scope scope(&impl_->platform);
  cache_free(impl_->sessions);
}

const Options& TlsContext::options() const { return impl_ ? impl_->options : kNoOptions; }
const port::Platform& TlsContext::platform() const { return impl_ ? impl_->platform : kNoPlatform; }

}  // namespace mcujs::tls
