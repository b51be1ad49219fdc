#include "net/http/data_url.h"

#include <cstdio>
#include <cstring>

#include "net/http/common.h"

namespace mcujs::net::http {

namespace {

bool is_ascii_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(c | 0x20);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

bool forgiving_base64(const char* in, size_t n, uint8_t* out, size_t* out_len, const char** why) {
  // Length without whitespace, then without one or two final '='.
  size_t len = 0, last = 0, before_last = 0;
  for (size_t i = 0; i < n; i++)
    if (!is_ascii_ws(in[i])) {
      len++;
      before_last = last;
      last = i;
    }
  size_t pad = 0;
  if (len % 4 == 0 && len > 0 && in[last] == '=') pad = len > 1 && in[before_last] == '=' ? 2 : 1;
  len -= pad;
  if (len % 4 == 1) {
    *why = "the input is not valid base64";
    return false;
  }
  size_t k = 0, seen = 0;
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < n && seen < len; i++) {
    if (is_ascii_ws(in[i])) continue;
    seen++;
    int v = b64_value(in[i]);
    if (v < 0) {
      *why = "the input contains a character outside the base64 alphabet";
      return false;
    }
    acc = acc << 6 | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[k++] = static_cast<uint8_t>(acc >> bits & 0xFF);
    }
  }
  *out_len = k;
  return true;
}

bool process_data_url(const char* href, size_t n, uint8_t* body, size_t* body_len, char* mime, size_t mime_cap) {
  if (n < 5 || mime_cap == 0) return false;
  const char* p = href + 5;  // after "data:"
  const char* end = href + n;
  const char* comma = static_cast<const char*>(memchr(p, ',', static_cast<size_t>(end - p)));
  if (!comma) return false;
  // The media type, trimmed of ASCII whitespace.
  const char* mb = p;
  const char* me = comma;
  while (mb < me && is_ascii_ws(*mb)) mb++;
  while (me > mb && is_ascii_ws(me[-1])) me--;
  // The body, percent-decoded ('+' stays '+': this is not a form).
  size_t k = 0;
  for (const char* q = comma + 1; q < end; q++) {
    int hi = 0, lo = 0;
    if (*q == '%' && end - q >= 3 && (hi = hex_value(q[1])) >= 0 && (lo = hex_value(q[2])) >= 0) {
      body[k++] = static_cast<uint8_t>(hi << 4 | lo);
      q += 2;
    } else {
      body[k++] = static_cast<uint8_t>(*q);
    }
  }
  // ";base64" at the end of the media type (spaces allowed before "base64").
  const char* t = me;
  bool base64 = false;
  if (t - mb >= 6 && equals_ci(t - 6, 6, "base64")) {
    const char* s = t - 6;
    while (s > mb && s[-1] == ' ') s--;
    if (s > mb && s[-1] == ';') {
      base64 = true;
      me = s - 1;
    }
  }
  if (base64) {
    // Decoded in place: the output never overtakes the input.
    const char* why = nullptr;
    size_t out = 0;
    if (!forgiving_base64(reinterpret_cast<const char*>(body), k, body, &out, &why)) return false;
    k = out;
  }
  *body_len = k;
  int w;
  if (mb == me) w = snprintf(mime, mime_cap, "text/plain;charset=US-ASCII");
  else if (*mb == ';') w = snprintf(mime, mime_cap, "text/plain%.*s", static_cast<int>(me - mb), mb);
  else w = snprintf(mime, mime_cap, "%.*s", static_cast<int>(me - mb), mb);
  return w >= 0;
}

}  // namespace mcujs::net::http
