// What the HTTP/1.1 request writer and response parser share: header fields
// as borrowed (pointer, length) pairs and the RFC 9110 character classes.
// Plain C++: no allocation, no exceptions, no standard containers.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mcujs::net::http {

// Where the HTTP layer's memory comes from (the JS runtime's heap in fetch).
struct Allocator {
  void* (*alloc)(void* opaque, size_t size) = nullptr;
  void* (*realloc)(void* opaque, void* ptr, size_t size) = nullptr;
  void (*free)(void* opaque, void* ptr) = nullptr;
  void* opaque = nullptr;
};

// A header field; the strings are borrowed and need not be NUL-terminated
// (the parser's are, as a convenience).
struct Field {
  const char* name = nullptr;
  size_t name_len = 0;
  const char* value = nullptr;
  size_t value_len = 0;
};

// tchar: the characters of methods and header names.
bool is_tchar(char c);
bool is_token(const char* s, size_t n);  // non-empty run of tchar
// A field value as sent: no CR, LF, NUL or other controls except HTAB; no
// leading or trailing whitespace (trim first).
bool is_field_value(const char* s, size_t n);
// ASCII case-insensitive comparison of s[0, n) with a NUL-terminated string.
bool equals_ci(const char* s, size_t n, const char* lit);
// True when the comma-separated list s[0, n) (as in Connection or
// Transfer-Encoding) holds the token lit, case-insensitively.
bool list_has_token(const char* s, size_t n, const char* lit);

}  // namespace mcujs::net::http
