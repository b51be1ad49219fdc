// A header list as the Fetch standard defines it: an ordered list of
// (name, value) byte pairs, names compared case-insensitively and kept in
// lowercase, values normalised (HTTP whitespace trimmed) and validated (no
// NUL, CR or LF). Knows no JavaScript: Headers, Request, Response and fetch's
// requests all keep one. Bounded (entries and bytes) and allocation-checked:
// every mutation reports kFull or kNoMemory instead of growing without end.
#pragma once

#include <cstddef>
#include <cstdint>

#include "net/http/common.h"

namespace mcujs::net::http {

class HeaderList {
 public:
  enum class Result : uint8_t { kOk, kBadName, kBadValue, kFull, kNoMemory };
  struct Limits {
    size_t max_entries = 64;
    size_t max_bytes = 8192;  // names + values
  };

  explicit HeaderList(const Allocator& alloc);  // default Limits
  HeaderList(const Allocator& alloc, const Limits& limits);
  ~HeaderList();
  HeaderList(const HeaderList&) = delete;
  HeaderList& operator=(const HeaderList&) = delete;

  // The standard's "normalize": strips leading and trailing HTTP whitespace
  // (HTAB, SP, CR, LF) from [*v, *v + *n).
  static void normalize(const char** v, size_t* n);
  // A normalised value is valid when it holds no NUL, CR or LF (any other
  // byte, \f and obs-text included, is allowed by the standard).
  static bool valid_value(const char* v, size_t n);

  // append/set normalise the value, then validate name (a token) and value.
  Result append(const char* name, size_t nl, const char* value, size_t vl);
  Result set(const char* name, size_t nl, const char* value, size_t vl);
  void remove(const char* name, size_t nl);
  bool has(const char* name, size_t nl) const;
  void clear();
  // Replaces the contents with a copy of other's.
  Result assign(const HeaderList& other);

  size_t count() const { return count_; }
  size_t bytes() const { return bytes_; }
  const Limits& limits() const { return limits_; }
  // The i-th field in insertion order (name lowercase); false past the end.
  bool at(size_t i, Field* f) const;

  // The combined value of every field named name (", "-joined) written to
  // out (up to cap bytes); returns its full length, or -1 when absent.
  long combined(const char* name, size_t nl, char* out, size_t cap) const;

  // The standard's "sort and combine": one entry per name in byte order,
  // except set-cookie, which stays one entry per field. *name is set; for
  // set-cookie *single holds that field's value, otherwise single->value is
  // null and the caller asks combined(name).
  size_t sorted_count() const;
  bool sorted_at(size_t i, Field* name, Field* single) const;

 private:
  struct Hdr {
    uint32_t name_len;
    uint32_t value_len;
  };
  Result add(const char* name, size_t nl, const char* value, size_t vl);
  void remove_from(size_t pos, const char* name, size_t nl);  // fields at or after pos
  // Next entry at *pos (advanced); false at the end.
  bool next(size_t* pos, Field* f) const;
  bool reserve(size_t need);

  Allocator alloc_;
  Limits limits_;
  uint8_t* data_ = nullptr;
  size_t len_ = 0, cap_ = 0, count_ = 0, bytes_ = 0;
};

}  // namespace mcujs::net::http
