#include "net/url.h"

#include <cstdio>
#include <cstring>

namespace mcujs::net {

namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c; }
bool is_slash(char c) { return c == '/' || c == '\\'; }
// WHATWG removes ASCII tab and newlines anywhere in the input.
bool is_skipped(char c) { return c == '\t' || c == '\n' || c == '\r'; }

// The input, trimmed of leading/trailing C0 controls and spaces.
struct Src {
  const char* p;
  size_t i, n;
  // Next significant character without consuming it; 0 at the end.
  char peek() {
    while (i < n && is_skipped(p[i])) i++;
    return i < n ? p[i] : 0;
  }
  bool at_end() { return peek() == 0 && i >= n; }
  char take() {
    char c = peek();
    if (i < n) i++;
    return c;
  }
};

Src make_src(const char* s, size_t len) {
  size_t b = 0, e = len;
  while (b < e && static_cast<unsigned char>(s[b]) <= 0x20) b++;
  while (e > b && static_cast<unsigned char>(s[e - 1]) <= 0x20) e--;
  return Src{s, b, e};
}

// Strict dotted quad: four decimal parts 0..255 without leading zeros (WHATWG
// would read "010" as octal; refusing is safer than guessing).
bool valid_ipv4(const char* s, size_t n) {
  int parts = 0;
  size_t i = 0;
  while (true) {
    size_t start = i;
    unsigned v = 0;
    while (i < n && is_digit(s[i]) && i - start < 4) v = v * 10 + static_cast<unsigned>(s[i++] - '0');
    size_t d = i - start;
    if (d == 0 || d > 3 || v > 255 || (d > 1 && s[start] == '0')) return false;
    parts++;
    if (i == n) break;
    if (s[i] != '.' || parts == 4) return false;
    i++;
  }
  return parts == 4;
}

bool valid_ipv6(const char* s, size_t n) {
  int groups = 0;
  bool compressed = false;
  size_t i = 0;
  if (n >= 2 && s[0] == ':' && s[1] == ':') {
    compressed = true;
    i = 2;
  } else if (n == 0 || s[0] == ':') {
    return false;
  }
  while (i < n) {
    size_t start = i;
    while (i < n && is_hex(s[i]) && i - start < 5) i++;
    if (i < n && s[i] == '.') {  // embedded IPv4 tail: two groups
      if (groups > 6 || !valid_ipv4(s + start, n - start)) return false;
      groups += 2;
      break;
    }
    if (i == start || i - start > 4) return false;
    groups++;
    if (i == n) break;
    if (s[i] != ':') return false;
    i++;
    if (i < n && s[i] == ':') {
      if (compressed) return false;
      compressed = true;
      i++;
    } else if (i == n) {
      return false;  // "1:"
    }
  }
  return compressed ? groups <= 7 : groups == 8;
}

// A registered name: ASCII letters, digits, '-', '.', '_'. If the last label
// is numeric the whole host must be an IPv4 address (as WHATWG requires).
UrlError check_domain(const char* s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (!is_alpha(c) && !is_digit(c) && c != '-' && c != '.' && c != '_') return UrlError::kBadHost;
  }
  size_t end = n;
  if (end > 0 && s[end - 1] == '.') end--;  // a single trailing dot is fine
  size_t last = end;
  while (last > 0 && s[last - 1] != '.') last--;
  if (last == end) return n == 0 || end == 0 ? UrlError::kMissingHost : UrlError::kOk;
  bool numeric = true;
  for (size_t i = last; i < end; i++) numeric = numeric && is_digit(s[i]);
  bool hex = end - last >= 2 && s[last] == '0' && lower(s[last + 1]) == 'x';
  if (numeric || hex) return valid_ipv4(s, end) ? UrlError::kOk : UrlError::kBadHost;
  return UrlError::kOk;
}

// Parses the authority (after "scheme://") up to '/', '\', '?', '#' or end.
UrlError parse_authority(Src& src, Url* out) {
  char buf[Url::kMaxHost + 16];
  size_t n = 0;
  bool at = false, too_long = false;
  for (char c = src.peek(); !src.at_end(); c = src.peek()) {
    if (is_slash(c) || c == '?' || c == '#') break;
    src.take();
    if (c == '@') at = true;
    if (n < sizeof buf) buf[n++] = c; else too_long = true;
  }
  if (at) return UrlError::kCredentials;
  if (too_long) return UrlError::kHostTooLong;
  size_t host_b = 0, host_e = n;
  size_t port_b = n;  // index of the first port digit, n if none
  if (n > 0 && buf[0] == '[') {
    size_t close = 1;
    while (close < n && buf[close] != ']') close++;
    if (close == n) return UrlError::kBadHost;
    host_b = 1;
    host_e = close;
    if (close + 1 < n) {
      if (buf[close + 1] != ':') return UrlError::kBadHost;
      port_b = close + 2;
    }
    if (!valid_ipv6(buf + host_b, host_e - host_b)) return UrlError::kBadHost;
    out->ipv6 = true;
  } else {
    for (size_t i = 0; i < n; i++) {
      if (buf[i] == ':') {
        host_e = i;
        port_b = i + 1;
        break;
      }
    }
    for (size_t i = host_b; i < host_e; i++)
      if (static_cast<unsigned char>(buf[i]) >= 0x80) return UrlError::kBadHost;
    if (host_e == host_b) return UrlError::kMissingHost;
    UrlError e = check_domain(buf + host_b, host_e - host_b);
    if (e != UrlError::kOk) return e;
  }
  size_t hl = host_e - host_b;
  if (hl > Url::kMaxHost) return UrlError::kHostTooLong;
  for (size_t i = 0; i < hl; i++) out->host[i] = lower(buf[host_b + i]);
  out->host[hl] = 0;
  out->port = out->default_port();
  if (port_b < n) {
    uint32_t port = 0;
    for (size_t i = port_b; i < n; i++) {
      if (!is_digit(buf[i]) || i - port_b >= 5) return UrlError::kBadPort;
      port = port * 10 + static_cast<uint32_t>(buf[i] - '0');
    }
    if (port == 0 || port > 65535) return UrlError::kBadPort;
    out->port = static_cast<uint16_t>(port);
  }
  return UrlError::kOk;
}

// Appends to Url::target, percent-encoding what must not go on the wire raw.
struct Target {
  Url* u;
  size_t len;
  bool overflow = false;

  void raw(char c) {
    if (len < Url::kMaxTarget) u->target[len++] = c; else overflow = true;
  }
  void put(char c, bool query) {
    auto b = static_cast<unsigned char>(c);
    bool enc = b <= 0x20 || b >= 0x7f || c == '"' || c == '<' || c == '>' ||
               (query ? c == '\'' : (c == '`' || c == '{' || c == '}'));
    if (!enc) return raw(c);
    static const char kHex[] = "0123456789ABCDEF";
    raw('%');
    raw(kHex[b >> 4]);
    raw(kHex[b & 15]);
  }
};

bool is_dot(const char* s, size_t n) {
  return (n == 1 && s[0] == '.') || (n == 3 && s[0] == '%' && s[1] == '2' && lower(s[2]) == 'e');
}
bool is_dotdot(const char* s, size_t n) {
  if (n < 2) return false;
  size_t first = s[0] == '.' ? 1 : (n >= 3 && is_dot(s, 3) ? 3 : 0);
  return first > 0 && is_dot(s + first, n - first);
}

// Removes "." and ".." segments from the path p[0, n) (which starts with '/'),
// in place; returns the new length.
size_t remove_dot_segments(char* p, size_t n) {
  size_t w = 0, r = 0;
  while (r < n) {
    size_t s = r + 1, e = s;
    while (e < n && p[e] != '/') e++;
    bool last = e == n;
    if (is_dot(p + s, e - s)) {
      if (last) p[w++] = '/';
    } else if (is_dotdot(p + s, e - s)) {
      while (w > 0 && p[w - 1] != '/') w--;
      if (w > 0) w--;
      if (last) p[w++] = '/';
    } else {
      memmove(p + w, p + r, e - r);
      w += e - r;
    }
    r = e;
  }
  if (w == 0) p[w++] = '/';
  return w;
}

// Path (after any prefix already in t) and query from src; drops the fragment.
UrlError parse_path_query(Src& src, Target& t, size_t path_start) {
  if (t.len == path_start && !is_slash(src.peek())) t.raw('/');
  for (char c = src.peek(); !src.at_end() && c != '?' && c != '#'; c = src.peek()) {
    src.take();
    t.put(is_slash(c) ? '/' : c, false);
  }
  if (t.overflow) return UrlError::kTargetTooLong;
  t.len = path_start + remove_dot_segments(t.u->target + path_start, t.len - path_start);
  if (src.peek() == '?') {
    t.raw(src.take());
    for (char c = src.peek(); !src.at_end() && c != '#'; c = src.peek()) t.put(src.take(), true);
  }
  if (t.overflow) return UrlError::kTargetTooLong;
  t.u->target[t.len] = 0;
  return UrlError::kOk;
}

// Reads "scheme:" if the input starts with one. 1 = http(s), 0 = no scheme,
// -1 = another scheme.
int parse_scheme(Src& src, bool* https) {
  Src s = src;
  char scheme[8];
  size_t n = 0;
  char c = s.peek();
  if (!is_alpha(c)) return 0;
  while (!s.at_end()) {
    c = s.take();
    if (c == ':') break;
    if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.') return 0;
    if (n < sizeof scheme) scheme[n] = lower(c);
    n++;
  }
  if (c != ':') return 0;
  src = s;
  if (n == 4 && memcmp(scheme, "http", 4) == 0) *https = false;
  else if (n == 5 && memcmp(scheme, "https", 5) == 0) *https = true;
  else return -1;
  return 1;
}

UrlError parse_rest(Src& src, Url* out) {
  while (is_slash(src.peek())) src.take();  // "http:x", "http:///x" as WHATWG
  UrlError e = parse_authority(src, out);
  if (e != UrlError::kOk) return e;
  Target t{out, 0};
  return parse_path_query(src, t, 0);
}

UrlError start(const char* s, size_t len, Src* src) {
  if (len > Url::kMaxInput) return UrlError::kTooLong;
  *src = make_src(s, len);
  if (src->at_end()) return UrlError::kEmpty;
  return UrlError::kOk;
}

void reset(Url* out, bool https) {
  out->https = https;
  out->ipv6 = false;
  out->port = 0;
  out->host[0] = 0;
  out->target[0] = 0;
}

}  // namespace

const char* url_error_message(UrlError e) {
  switch (e) {
    case UrlError::kOk: return "ok";
    case UrlError::kEmpty: return "URL is empty";
    case UrlError::kTooLong: return "URL is too long (max 4096 bytes)";
    case UrlError::kRelative: return "URL must be absolute (http:// or https://)";
    case UrlError::kUnsupportedScheme: return "only http: and https: URLs are supported";
    case UrlError::kCredentials: return "URLs with credentials (user:password@) are not supported";
    case UrlError::kMissingHost: return "URL has no host";
    case UrlError::kBadHost: return "invalid host (ASCII names, IPv4 or [IPv6] literals only)";
    case UrlError::kHostTooLong: return "host name is too long (max 127 bytes)";
    case UrlError::kBadPort: return "invalid port (1..65535)";
    case UrlError::kTargetTooLong: return "path and query are too long (max 2047 bytes)";
  }
  return "invalid URL";
}

UrlError serialize_opaque_url(const char* s, size_t len, char* out, size_t cap, size_t* n) {
  Src src;
  UrlError e = start(s, len, &src);
  if (e != UrlError::kOk) return e;
  if (!is_alpha(src.peek())) return UrlError::kRelative;
  size_t w = 0;
  auto put = [&](char c) {
    if (w + 1 < cap) out[w] = c;
    w++;
  };
  char c = 0;
  while (!src.at_end()) {
    c = src.take();
    if (c == ':') break;
    if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.') return UrlError::kRelative;
    put(lower(c));
  }
  if (c != ':') return UrlError::kRelative;
  static const char* const kSpecial[] = {"ftp", "file", "ws", "wss", "http", "https"};
  for (const char* sp : kSpecial)
    if (w == strlen(sp) && w < cap && memcmp(out, sp, w) == 0) return UrlError::kUnsupportedScheme;
  put(':');
  if (src.peek() == '/') return UrlError::kUnsupportedScheme;  // "x://authority" or "x:/path"
  enum { kPath, kQuery, kFragment } part = kPath;
  while (!src.at_end()) {
    c = src.take();
    if (part == kPath && c == '?') part = kQuery, put(c);
    else if (part != kFragment && c == '#') part = kFragment, put(c);
    else {
      auto b = static_cast<unsigned char>(c);
      bool encode = b < 0x20 || b > 0x7e ||
                    (part != kPath && (c == ' ' || c == '"' || c == '<' || c == '>')) || (part == kFragment && c == '`');
      if (!encode) {
        put(c);
        continue;
      }
      static const char kHex[] = "0123456789ABCDEF";
      put('%');
      put(kHex[b >> 4]);
      put(kHex[b & 15]);
    }
  }
  if (w + 1 > cap) return UrlError::kTooLong;
  out[w] = 0;
  *n = w;
  return UrlError::kOk;
}

UrlError parse_url(const char* s, size_t len, Url* out) {
  Src src;
  UrlError e = start(s, len, &src);
  if (e != UrlError::kOk) return e;
  bool https = false;
  int sc = parse_scheme(src, &https);
  if (sc == 0) return UrlError::kRelative;
  if (sc < 0) return UrlError::kUnsupportedScheme;
  reset(out, https);
  return parse_rest(src, out);
}

UrlError resolve_url(const Url& base, const char* ref, size_t len, Url* out) {
  Src src;
  if (len > Url::kMaxInput) return UrlError::kTooLong;
  src = make_src(ref, len);
  bool https = base.https;
  Src probe = src;
  int sc = parse_scheme(probe, &https);
  if (sc < 0) return UrlError::kUnsupportedScheme;
  if (sc > 0) return parse_url(ref, len, out);
  char c = src.peek();
  if (is_slash(c)) {
    Src two = src;
    two.take();
    if (is_slash(two.peek())) {  // "//host/path": scheme-relative
      reset(out, base.https);
      return parse_rest(src, out);
    }
  }
  if (out != &base) *out = base;
  Target t{out, 0};
  if (is_slash(c)) return parse_path_query(src, t, 0);  // "/path"
  size_t path_len = 0;  // the base's path without its query
  while (base.target[path_len] && base.target[path_len] != '?') path_len++;
  if (src.at_end() || c == '#') return UrlError::kOk;  // same document
  if (c == '?') {
    t.len = path_len;
    t.raw(src.take());
    for (c = src.peek(); !src.at_end() && c != '#'; c = src.peek()) t.put(src.take(), true);
    if (t.overflow) return UrlError::kTargetTooLong;
    out->target[t.len] = 0;
    return UrlError::kOk;
  }
  size_t dir = path_len;  // keep the base's directory, up to its last '/'
  while (dir > 0 && out->target[dir - 1] != '/') dir--;
  t.len = dir;
  return parse_path_query(src, t, 0);
}

size_t Url::authority(char* buf, size_t cap) const {
  int n = port == default_port()
              ? snprintf(buf, cap, ipv6 ? "[%s]" : "%s", host)
              : snprintf(buf, cap, ipv6 ? "[%s]:%u" : "%s:%u", host, static_cast<unsigned>(port));
  return n < 0 ? 0 : static_cast<size_t>(n);
}

size_t Url::href(char* buf, size_t cap) const {
  int n = snprintf(buf, cap, "%s://", https ? "https" : "http");
  if (n < 0) return 0;
  size_t pos = static_cast<size_t>(n);
  pos += authority(pos < cap ? buf + pos : nullptr, pos < cap ? cap - pos : 0);
  int m = snprintf(pos < cap ? buf + pos : nullptr, pos < cap ? cap - pos : 0, "%s", target);
  return pos + (m < 0 ? 0 : static_cast<size_t>(m));
}

bool Url::same_origin(const Url& o) const {
  return https == o.https && port == o.port && strcmp(host, o.host) == 0;
}

}  // namespace mcujs::net
