// The DRBG: one AES-256 CTR_DRBG per process, because PSA's random generator
// is process-wide (MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG makes PSA call
// mbedtls_psa_external_get_random(), which has no context argument). It is
// seeded from the port entropy of the first TlsContext, reseeded (mixed, not
// replaced) by each later one, and reseeds itself every 10000 requests from
// the entropy source of the call in progress (Scope).
#include <mbedtls/ctr_drbg.h>
#include <psa/crypto.h>

#include "tls/internal.h"

namespace mcujs::tls {

namespace {

mbedtls_ctr_drbg_context g_drbg;
bool g_seeded = false;
int g_contexts = 0;  // live ContextImpls

int entropy(void*, unsigned char* out, size_t len) {
  const port::Platform* p = current_platform();
  if (!p || !p->entropy || p->entropy->fill(out, len) != port::kOk)
    return MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
  return 0;
}

}  // namespace

int rng_seed() {
  if (g_seeded) return mbedtls_ctr_drbg_reseed(&g_drbg, nullptr, 0);
  static const unsigned char kPersonalization[] = "mcujs-tls";
  mbedtls_ctr_drbg_init(&g_drbg);
  int ret = mbedtls_ctr_drbg_seed(&g_drbg, entropy, nullptr, kPersonalization,
                                  sizeof kPersonalization - 1);
  if (ret != 0) {
    mbedtls_ctr_drbg_free(&g_drbg);
    return ret;
  }
  g_seeded = true;
  return 0;
}

void rng_release() {
  if (!g_seeded) return;
  mbedtls_ctr_drbg_free(&g_drbg);
  g_seeded = false;
}

int rng_random(void*, unsigned char* out, size_t len) {
  if (!g_seeded) return MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
  while (len > 0) {
    size_t n = len < MBEDTLS_CTR_DRBG_MAX_REQUEST ? len : MBEDTLS_CTR_DRBG_MAX_REQUEST;
    int ret = mbedtls_ctr_drbg_random(&g_drbg, out, n);
    if (ret != 0) return ret;
    out += n;
    len -= n;
  }
  return 0;
}

void process_ref() { g_contexts++; }

// The last context frees PSA's key store and the DRBG, so a process that is
// done with TLS holds nothing (and tests start from a clean state).
void process_unref() {
  if (--g_contexts > 0) return;
  mbedtls_psa_crypto_free();
  rng_release();
}

}  // namespace mcujs::tls

psa_status_t mbedtls_psa_external_get_random(mbedtls_psa_external_random_context_t*,
                                             uint8_t* output, size_t output_size,
                                             size_t* output_length) {
  *output_length = 0;
  int ret = mcujs::tls::rng_random(nullptr, output, output_size);
  if (ret != 0) return PSA_ERROR_INSUFFICIENT_ENTROPY;
  *output_length = output_size;
  return PSA_SUCCESS;
}
