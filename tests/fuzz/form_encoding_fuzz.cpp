// libFuzzer target for net/http/form (application/x-www-form-urlencoded),
// wired by tests/fuzz/CMakeLists.txt's mcujs_add_fuzzer. Splits the input
// into pairs, unescapes each part within bounds, and checks that escaping
// then unescaping gives the bytes back and that the escaped form holds only
// the serialiser's alphabet.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "net/http/form.h"

namespace {

void check(bool cond) {
  if (!cond) abort();
}

void round_trip(const uint8_t* b, size_t n) {
  size_t len = mcujs::net::http::form_escape(b, n, nullptr, 0);
  check(len >= n && len <= 3 * n);
  std::vector<char> esc(len + 1);
  check(mcujs::net::http::form_escape(b, n, esc.data(), len) == len);
  for (size_t i = 0; i < len; i++) {
    char c = esc[i];
    check((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || strchr("*-._+%", c));
  }
  std::vector<uint8_t> back(len + 1);
  size_t m = mcujs::net::http::form_unescape(esc.data(), len, back.data());
  check(m == n && (n == 0 || memcmp(back.data(), b, n) == 0));
}

void each(void* total, const char* name, size_t nl, const char* value, size_t vl) {
  *static_cast<size_t*>(total) += 1;
  for (auto [s, n] : {std::pair{name, nl}, std::pair{value, vl}}) {
    std::vector<uint8_t> out(n + 1);
    size_t m = mcujs::net::http::form_unescape(s, n, out.data());
    check(m <= n);
    round_trip(out.data(), m);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  size_t seen = 0;
  size_t pairs = mcujs::net::http::form_split(reinterpret_cast<const char*>(data), size, each, &seen);
  check(pairs == seen);
  round_trip(data, size);
  return 0;
}
