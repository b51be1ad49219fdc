// Absolute http:// and https:// URLs for fetch: a pragmatic subset of the
// WHATWG URL parser (what a device's HTTP client meets), with fixed bounds and
// no allocation. Normalises like browsers do where it matters on the wire:
// scheme and host lowercased, default port dropped, dot segments removed,
// unsafe bytes in path and query percent-encoded, fragment dropped.
// Refused: other schemes, credentials (user:pass@, as fetch does), non-ASCII
// (IDN) host names, percent signs in hosts, IPv6 zone ids.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mcujs::net {

enum class UrlError : uint8_t {
  kOk = 0,
  kEmpty,
  kTooLong,            // input longer than Url::kMaxInput
  kRelative,           // no scheme (and no base)
  kUnsupportedScheme,  // not http or https
  kCredentials,        // user:password@host
  kMissingHost,
  kBadHost,            // forbidden character, bad IPv4/IPv6 literal, non-ASCII
  kHostTooLong,
  kBadPort,
  kTargetTooLong,      // path + query longer than Url::kMaxTarget once encoded
};

const char* url_error_message(UrlError e);

struct Url {
  static constexpr size_t kMaxInput = 4096;
  static constexpr size_t kMaxHost = 127;  // what net::Connection accepts
  static constexpr size_t kMaxTarget = 2047;

  bool https = false;
  bool ipv6 = false;  // host is an IPv6 literal, stored without brackets
  uint16_t port = 0;  // always set (80/443 when the URL has none)
  char host[kMaxHost + 1] = {};
  char target[kMaxTarget + 1] = {};  // origin-form "/path?query", never empty

  uint16_t default_port() const { return https ? 443 : 80; }
  // The Host header value: "host", "host:8080", "[::1]:8080". Returns the
  // length written (NUL-terminated, truncated to cap) or needed.
  size_t authority(char* buf, size_t cap) const;
  // The serialised URL: "https://host:8080/path?q".
  size_t href(char* buf, size_t cap) const;
  // Same scheme, host and port (for connection reuse and redirects).
  bool same_origin(const Url& o) const;
};

// Parses an absolute URL. On error *out is left in an unspecified state.
UrlError parse_url(const char* s, size_t len, Url* out);

// Another scheme's URL with an opaque path ("about:blank", "data:,x",
// "mailto:a@b"), serialised as the WHATWG URL parser does: leading and
// trailing controls and spaces and every tab or newline removed, the scheme
// lower-cased, controls and non-ASCII bytes percent-encoded (and, in the
// query and fragment, also space, '"', '<', '>'; '`' in the fragment).
// A Request may hold one; fetch() goes nowhere with it but data:. Writes a
// NUL-terminated string to out (cap bytes) and its length to *n.
// kUnsupportedScheme: a special scheme (ftp, file, ws, wss, http, https) or
// an authority ("x://host"), which this parser does not handle.
UrlError serialize_opaque_url(const char* s, size_t len, char* out, size_t cap, size_t* n);

// Resolves a reference (a Location header: absolute, "//host/x", "/x",
// "x", "?q") against base, as a browser does.
UrlError resolve_url(const Url& base, const char* ref, size_t len, Url* out);

}  // namespace mcujs::net
