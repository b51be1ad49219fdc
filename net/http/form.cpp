#include "net/http/form.h"

namespace mcujs::net::http {

namespace {

bool form_safe(uint8_t b) {
  return (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || b == '*' || b == '-' ||
         b == '.' || b == '_';
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

size_t form_escape(const uint8_t* in, size_t n, char* out, size_t cap) {
  static const char kHex[] = "0123456789ABCDEF";
  size_t k = 0;
  auto put = [&](char c) {
    if (out && k < cap) out[k] = c;
    k++;
  };
  for (size_t i = 0; i < n; i++) {
    uint8_t b = in[i];
    if (b == ' ') {
      put('+');
    } else if (form_safe(b)) {
      put(static_cast<char>(b));
    } else {
      put('%');
      put(kHex[b >> 4]);
      put(kHex[b & 15]);
    }
  }
  return k;
}

size_t form_unescape(const char* in, size_t n, uint8_t* out) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    char c = in[i];
    if (c == '+') {
      out[k++] = ' ';
    } else if (c == '%' && i + 2 < n && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
      out[k++] = static_cast<uint8_t>(hex(in[i + 1]) * 16 + hex(in[i + 2]));
      i += 2;
    } else {
      out[k++] = static_cast<uint8_t>(c);
    }
  }
  return k;
}

size_t form_split(const char* in, size_t n, FormPairFn each, void* opaque) {
  size_t pairs = 0, start = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i < n && in[i] != '&') continue;
    if (i > start) {
      const char* seq = in + start;
      size_t len = i - start, eq = 0;
      while (eq < len && seq[eq] != '=') eq++;
      if (eq < len)
        each(opaque, seq, eq, seq + eq + 1, len - eq - 1);
      else
        each(opaque, seq, len, seq + len, 0);
      pairs++;
    }
    start = i + 1;
  }
  return pairs;
}

}  // namespace mcujs::net::http
