// PEM input: certificates appended to an mbedtls_x509_crt chain (the
// context's CA store, a connection's own CA or client certificate chain) and
// private keys (a client certificate's).
//
// PEM framing is ours (MBEDTLS_PEM_PARSE_C is off): the input is bounded by
// len rather than by a NUL, errors name the certificate that failed, and a
// failed call removes everything it added. Text outside BEGIN/END blocks is
// ignored, as OpenSSL does (CA bundles carry comments between certificates).
#include <mbedtls/base64.h>
#include <mbedtls/platform.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/pk.h>

#include <cstdio>
#include <cstring>

#include "tls/internal.h"

namespace mcujs::tls {

namespace {

const char* find(const char* p, const char* end, const char* needle) {
  size_t n = strlen(needle);
  for (; static_cast<size_t>(end - p) >= n; p++)
    if (memcmp(p, needle, n) == 0) return p;
  return nullptr;
}

// Removes the certificates added after `tail` (or all, if tail is null).
void rollback(mbedtls_x509_crt* chain, int* count, mbedtls_x509_crt* tail, int count_before) {
  if (!tail) {
    mbedtls_x509_crt_free(chain);
    mbedtls_x509_crt_init(chain);
  } else if (tail->next) {
    mbedtls_x509_crt* added = tail->next;
    tail->next = nullptr;
    mbedtls_x509_crt_free(added);  // frees the nodes after `added`...
    mbedtls_free(added);           // ...but not `added` itself
  }
  *count = count_before;
}

// Decodes one base64 body and appends the certificate. Returns 0 or an error
// already described in err.
int add_one(mbedtls_x509_crt* chain, int index, const char* body, size_t blen, Error* err) {
  const auto* src = reinterpret_cast<const unsigned char*>(body);
  size_t der_len = 0;
  int ret = mbedtls_base64_decode(nullptr, 0, &der_len, src, blen);
  if (ret != MBEDTLS_ERR_BASE64_BUFFER_TOO_SMALL || der_len == 0) {
    err->set(Code::kBadInput, ret, "certificate %d: invalid base64 in the PEM body", index);
    return -1;
  }
  auto* der = static_cast<unsigned char*>(mbedtls_calloc(1, der_len));
  if (!der) {
    err->set(Code::kNoMemory, 0, "certificate %d: out of memory", index);
    return -1;
  }
  ret = mbedtls_base64_decode(der, der_len, &der_len, src, blen);
  if (ret == 0) ret = mbedtls_x509_crt_parse_der(chain, der, der_len);
  mbedtls_free(der);
  if (ret != 0) {
    err->set(is_alloc_error(ret) ? Code::kNoMemory : Code::kBadInput, ret,
             "certificate %d: %s (-0x%04X)", index, x509_error_phrase(ret), static_cast<unsigned>(-ret));
    return -1;
  }
  return 0;
}

}  // namespace

int append_pem_certificates(mbedtls_x509_crt* chain, int* count, const char* pem, size_t len, Error* err) {
  mbedtls_x509_crt* tail = nullptr;
  if (*count > 0)
    for (tail = chain; tail->next; tail = tail->next) {
    }
  const int before = *count;
  static const char kBegin[] = "-----BEGIN ";
  static const char kEnd[] = "-----END CERTIFICATE-----";
  const char* p = pem;
  const char* end = pem + len;
  int added = 0;
  while (const char* b = find(p, end, kBegin)) {
    const char* label = b + sizeof kBegin - 1;
    const char* dash = find(label, end, "-----");
    int index = added + 1;
    if (!dash || memchr(label, '\n', static_cast<size_t>(dash - label))) {
      err->set(Code::kBadInput, 0, "certificate %d: malformed PEM BEGIN line", index);
      rollback(chain, count, tail, before);
      return -1;
    }
    size_t label_len = static_cast<size_t>(dash - label);
    if (label_len != 11 || memcmp(label, "CERTIFICATE", 11) != 0) {
      err->set(Code::kBadInput, 0, "PEM block %d is a '%.*s', not a CERTIFICATE", index,
               static_cast<int>(label_len < 40 ? label_len : 40), label);
      rollback(chain, count, tail, before);
      return -1;
    }
    const char* body = dash + 5;
    const char* e = find(body, end, kEnd);
    const char* next_begin = find(body, end, kBegin);
    if (!e || (next_begin && next_begin < e)) {
      err->set(Code::kBadInput, 0, "certificate %d: missing '-----END CERTIFICATE-----'", index);
      rollback(chain, count, tail, before);
      return -1;
    }
    if (add_one(chain, index, body, static_cast<size_t>(e - body), err) != 0) {
      rollback(chain, count, tail, before);
      return -1;
    }
    added++;
    (*count)++;
    p = e + sizeof kEnd - 1;
  }
  if (added == 0) {
    err->set(Code::kBadInput, 0, "no PEM certificate found (expected '-----BEGIN CERTIFICATE-----')");
    return -1;
  }
  return added;
}

int pem_private_key(mbedtls_pk_context* pk, const char* pem, size_t len, Error* err) {
  static const char kBegin[] = "-----BEGIN ";
  const char* end = pem + len;
  const char* b = find(pem, end, kBegin);
  if (!b) {
    err->set(Code::kBadInput, 0, "no PEM private key found (expected '-----BEGIN PRIVATE KEY-----')");
    return -1;
  }
  const char* label = b + sizeof kBegin - 1;
  const char* dash = find(label, end, "-----");
  if (!dash || memchr(label, '\n', static_cast<size_t>(dash - label))) {
    err->set(Code::kBadInput, 0, "private key: malformed PEM BEGIN line");
    return -1;
  }
  size_t label_len = static_cast<size_t>(dash - label);
  char end_line[64];
  snprintf(end_line, sizeof end_line, "-----END %.*s-----", static_cast<int>(label_len < 40 ? label_len : 40), label);
  static const char* const kLabels[] = {"PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY"};
  bool known = false;
  for (const char* k : kLabels) known = known || (strlen(k) == label_len && memcmp(k, label, label_len) == 0);
  if (!known) {
    err->set(Code::kBadInput, 0, "PEM block is a '%.*s', not an unencrypted PRIVATE KEY%s",
             static_cast<int>(label_len < 40 ? label_len : 40), label,
             label_len == 21 && memcmp(label, "ENCRYPTED PRIVATE KEY", 21) == 0 ? " (encrypted keys are not supported)"
                                                                                : "");
    return -1;
  }
  const char* body = dash + 5;
  const char* e = find(body, end, end_line);
  if (!e) {
    err->set(Code::kBadInput, 0, "private key: missing '%s'", end_line);
    return -1;
  }
  const auto* src = reinterpret_cast<const unsigned char*>(body);
  size_t blen = static_cast<size_t>(e - body), der_len = 0;
  int ret = mbedtls_base64_decode(nullptr, 0, &der_len, src, blen);
  if (ret != MBEDTLS_ERR_BASE64_BUFFER_TOO_SMALL || der_len == 0) {
    err->set(Code::kBadInput, ret, "private key: invalid base64 in the PEM body");
    return -1;
  }
  auto* der = static_cast<unsigned char*>(mbedtls_calloc(1, der_len));
  if (!der) {
    err->set(Code::kNoMemory, 0, "private key: out of memory");
    return -1;
  }
  ret = mbedtls_base64_decode(der, der_len, &der_len, src, blen);
  if (ret == 0) ret = mbedtls_pk_parse_key(pk, der, der_len, nullptr, 0, rng_random, nullptr);
  mbedtls_platform_zeroize(der, der_len);  // key material
  mbedtls_free(der);
  if (ret != 0) {
    err->set(is_alloc_error(ret) ? Code::kNoMemory : Code::kBadInput, ret,
             "private key: not a valid P-256/P-384 or RSA key (-0x%04X)", static_cast<unsigned>(-ret));
    return -1;
  }
  return 0;
}

int TlsContext::add_ca_pem(const char* pem, size_t len, Error* err) {
  Error local;
  if (!err) err = &local;
  if (!impl_) {
    err->set(Code::kInternal, 0, "TLS context is not initialised");
    return -1;
  }
  if (!pem) {
    err->set(Code::kBadInput, 0, "no PEM data");
    return -1;
  }
  ContextImpl& c = *impl_;
  Scope scope(&c.platform);
  return append_pem_certificates(&c.ca, &c.ca_count, pem, len, err);
}

int TlsContext::ca_count() const { return impl_ ? impl_->ca_count : 0; }

}  // namespace mcujs::tls
