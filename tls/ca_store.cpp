// The CA store: PEM certificates appended to one mbedtls_x509_crt chain.
//
// PEM framing is ours (MBEDTLS_PEM_PARSE_C is off): the input is bounded by
// len rather than by a NUL, errors name the certificate that failed, and a
// failed call removes everything it added. Text outside BEGIN/END blocks is
// ignored, as OpenSSL does (CA bundles carry comments between certificates).
#include <mbedtls/base64.h>
#include <mbedtls/platform.h>

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
void rollback(ContextImpl& c, mbedtls_x509_crt* tail, int count_before) {
  if (!tail) {
    mbedtls_x509_crt_free(&c.ca);
    mbedtls_x509_crt_init(&c.ca);
  } else if (tail->next) {
    mbedtls_x509_crt* added = tail->next;
    tail->next = nullptr;
    mbedtls_x509_crt_free(added);  // frees the nodes after `added`...
    mbedtls_free(added);           // ...but not `added` itself
  }
  c.ca_count = count_before;
}

// Decodes one base64 body and appends the certificate. Returns 0 or an error
// already described in err.
int add_one(ContextImpl& c, int index, const char* body, size_t blen, Error* err) {
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
  if (ret == 0) ret = mbedtls_x509_crt_parse_der(&c.ca, der, der_len);
  mbedtls_free(der);
  if (ret != 0) {
    err->set(is_alloc_error(ret) ? Code::kNoMemory : Code::kBadInput, ret,
             "certificate %d: %s (-0x%04X)", index, x509_error_phrase(ret), static_cast<unsigned>(-ret));
    return -1;
  }
  return 0;
}

}  // namespace

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
  mbedtls_x509_crt* tail = nullptr;
  if (c.ca_count > 0)
    for (tail = &c.ca; tail->next; tail = tail->next) {
    }
  const int before = c.ca_count;
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
      rollback(c, tail, before);
      return -1;
    }
    size_t label_len = static_cast<size_t>(dash - label);
    if (label_len != 11 || memcmp(label, "CERTIFICATE", 11) != 0) {
      err->set(Code::kBadInput, 0, "PEM block %d is a '%.*s', not a CERTIFICATE", index,
               static_cast<int>(label_len < 40 ? label_len : 40), label);
      rollback(c, tail, before);
      return -1;
    }
    const char* body = dash + 5;
    const char* e = find(body, end, kEnd);
    const char* next_begin = find(body, end, kBegin);
    if (!e || (next_begin && next_begin < e)) {
      err->set(Code::kBadInput, 0, "certificate %d: missing '-----END CERTIFICATE-----'", index);
      rollback(c, tail, before);
      return -1;
    }
    if (add_one(c, index, body, static_cast<size_t>(e - body), err) != 0) {
      rollback(c, tail, before);
      return -1;
    }
    added++;
    c.ca_count++;
    p = e + sizeof kEnd - 1;
  }
  if (added == 0) {
    err->set(Code::kBadInput, 0, "no PEM certificate found (expected '-----BEGIN CERTIFICATE-----')");
    return -1;
  }
  return added;
}

int TlsContext::ca_count() const { return impl_ ? impl_->ca_count : 0; }

}  // namespace mcujs::tls
