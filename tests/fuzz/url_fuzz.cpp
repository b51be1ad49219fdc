// libFuzzer target: net::parse_url and net::resolve_url (fetch's URL parser).
// Beyond not crashing: a parsed URL respects its bounds (host and target
// NUL-terminated within their arrays, target starting with '/', a port set),
// serialises (href) to a URL that parses back to the same URL (idempotent
// normalisation), and a reference resolved against a base gives such a URL
// too.
#include <cstdint>
#include <cstring>

#include "net/url.h"

namespace {

using mcujs::net::Url;
using mcujs::net::UrlError;

void check(bool ok) {
  if (!ok) __builtin_trap();
}

void check_url(const Url& u) {
  check(memchr(u.host, 0, sizeof u.host) != nullptr);
  check(memchr(u.target, 0, sizeof u.target) != nullptr);
  check(u.host[0] != 0);
  check(u.target[0] == '/');
  check(u.port != 0);
  char auth[Url::kMaxHost + 16];
  size_t n = u.authority(auth, sizeof auth);
  check(n < sizeof auth);
  char href[Url::kMaxHost + Url::kMaxTarget + 32];
  n = u.href(href, sizeof href);
  check(n < sizeof href);
  // Normalisation is idempotent: the serialisation parses to itself.
  Url again;
  check(mcujs::net::parse_url(href, n, &again) == UrlError::kOk);
  char href2[sizeof href];
  size_t n2 = again.href(href2, sizeof href2);
  check(n2 == n && memcmp(href, href2, n) == 0);
  check(again.same_origin(u) && u.same_origin(again));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const char* s = reinterpret_cast<const char*>(data);
  Url u;
  UrlError e = mcujs::net::parse_url(s, size, &u);
  check(mcujs::net::url_error_message(e) != nullptr);
  if (e == UrlError::kOk) check_url(u);
  // The same bytes as a reference (a Location header) against a fixed base.
  static const char kBase[] = "https://example.com:8443/a/b/c?q=1";
  Url base;
  check(mcujs::net::parse_url(kBase, sizeof kBase - 1, &base) == UrlError::kOk);
  Url r;
  if (mcujs::net::resolve_url(base, s, size, &r) == UrlError::kOk) check_url(r);
  return 0;
}
