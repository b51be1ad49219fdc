#include "net/http/request.h"

#include <cstring>

namespace mcujs::net::http {

namespace {

// Appends while there is room and counts what it would need.
struct Out {
  char* buf;
  size_t cap;
  size_t len = 0;

  void put(const char* s, size_t n) {
    if (n && len + n <= cap) memcpy(buf + len, s, n);
    len += n;
  }
  void put(const char* s) { put(s, strlen(s)); }
  void put_u64(uint64_t v) {
    char tmp[20];
    size_t n = 0;
    do {
      tmp[sizeof tmp - ++n] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v);
    put(tmp + sizeof tmp - n, n);
  }
  void field(const char* name, size_t nl, const char* value, size_t vl) {
    put(name, nl);
    put(": ", 2);
    put(value, vl);
    put("\r\n", 2);
  }
};

// Request targets and Host values: visible ASCII only.
bool visible(const char* s) {
  if (!s || !*s) return false;
  for (; *s; s++) {
    auto c = static_cast<unsigned char>(*s);
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

}  // namespace

const char* write_error_message(WriteError e) {
  switch (e) {
    case WriteError::kOk: return "ok";
    case WriteError::kBadMethod: return "invalid method (must be an HTTP token)";
    case WriteError::kBadTarget: return "invalid request target";
    case WriteError::kBadAuthority: return "invalid or missing Host";
    case WriteError::kBadFieldName: return "invalid header name (must be an HTTP token)";
    case WriteError::kBadFieldValue: return "invalid header value (no CR, LF, NUL or control characters)";
    case WriteError::kReservedField: return "header is controlled by the HTTP client";
    case WriteError::kTooSmall: return "request head does not fit in the buffer";
  }
  return "invalid request";
}

bool is_reserved_field(const char* name, size_t len) {
  static const char* const kReserved[] = {"content-length", "transfer-encoding", "connection", "keep-alive",
                                          "upgrade",        "te",                "trailer",    "expect"};
  for (const char* r : kReserved)
    if (equals_ci(name, len, r)) return true;
  return false;
}

WriteError write_request_head(const RequestHead& r, char* buf, size_t cap, size_t* len) {
  *len = 0;
  if (!r.method || !is_token(r.method, strlen(r.method))) return WriteError::kBadMethod;
  if (!visible(r.target) || (r.target[0] != '/' && strcmp(r.target, "*") != 0)) return WriteError::kBadTarget;
  bool own_host = false;
  for (size_t i = 0; i < r.field_count; i++) {
    const Field& f = r.fields[i];
    if (!f.name || !is_token(f.name, f.name_len)) return WriteError::kBadFieldName;
    if ((!f.value && f.value_len) || !is_field_value(f.value, f.value_len)) return WriteError::kBadFieldValue;
    if (is_reserved_field(f.name, f.name_len)) return WriteError::kReservedField;
    if (equals_ci(f.name, f.name_len, "host")) {
      if (own_host || f.value_len == 0) return WriteError::kBadAuthority;
      own_host = true;
    }
  }
  if (!own_host && !visible(r.authority)) return WriteError::kBadAuthority;

  Out o{buf, cap};
  o.put(r.method);
  o.put(" ", 1);
  o.put(r.target);
  o.put(" HTTP/1.1\r\n");
  if (!own_host) o.field("Host", 4, r.authority, strlen(r.authority));
  auto length = [&] {
    o.put("Content-Length: ");
    o.put_u64(r.content_length);
    o.put("\r\n", 2);
  };
  if (r.has_length && r.length_first) length();
  for (size_t i = 0; i < r.field_count; i++) {
    const Field& f = r.fields[i];
    o.field(f.name, f.name_len, f.value ? f.value : "", f.value_len);
  }
  if (r.has_length && !r.length_first) length();
  if (r.close) o.put("Connection: close\r\n");
  o.put("\r\n", 2);
  *len = o.len;
  return o.len <= cap ? WriteError::kOk : WriteError::kTooSmall;
}

}  // namespace mcujs::net::http
