#include "net/http/header_list.h"

#include <cstring>

namespace mcujs::net::http {

namespace {

bool http_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c; }

// Stored names are lowercase; name is as given.
bool same(const Field& f, const char* name, size_t nl) {
  if (f.name_len != nl) return false;
  for (size_t i = 0; i < nl; i++)
    if (f.name[i] != lower(name[i])) return false;
  return true;
}

// Byte order of two lowercase names: <0, 0, >0.
int compare(const char* a, size_t al, const char* b, size_t bl) {
  int c = memcmp(a, b, al < bl ? al : bl);
  if (c) return c;
  return al < bl ? -1 : al > bl ? 1 : 0;
}

}  // namespace

HeaderList::HeaderList(const Allocator& alloc) : alloc_(alloc) {}
HeaderList::HeaderList(const Allocator& alloc, const Limits& limits) : alloc_(alloc), limits_(limits) {}

HeaderList::~HeaderList() {
  if (data_) alloc_.free(alloc_.opaque, data_);
}

void HeaderList::normalize(const char** v, size_t* n) {
  const char* p = *v;
  size_t len = *n;
  while (len > 0 && http_ws(p[0])) p++, len--;
  while (len > 0 && http_ws(p[len - 1])) len--;
  *v = p;
  *n = len;
}

bool HeaderList::valid_value(const char* v, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (v[i] == 0 || v[i] == '\r' || v[i] == '\n') return false;
  return n == 0 || (!http_ws(v[0]) && !http_ws(v[n - 1]));
}

bool HeaderList::next(size_t* pos, Field* f) const {
  if (*pos >= len_) return false;
  Hdr h;
  memcpy(&h, data_ + *pos, sizeof h);
  f->name = reinterpret_cast<const char*>(data_ + *pos + sizeof h);
  f->name_len = h.name_len;
  f->value = f->name + h.name_len;
  f->value_len = h.value_len;
  *pos += sizeof h + h.name_len + h.value_len;
  return true;
}

bool HeaderList::reserve(size_t need) {
  if (len_ + need <= cap_) return true;
  size_t cap = cap_ ? cap_ * 2 : 128;
  if (cap < len_ + need) cap = len_ + need;
  void* d = alloc_.realloc(alloc_.opaque, data_, cap);
  if (!d) return false;
  data_ = static_cast<uint8_t*>(d);
  cap_ = cap;
  return true;
}

HeaderList::Result HeaderList::add(const char* name, size_t nl, const char* value, size_t vl) {
  if (count_ >= limits_.max_entries || bytes_ + nl + vl > limits_.max_bytes) return Result::kFull;
  size_t need = sizeof(Hdr) + nl + vl;
  if (!reserve(need)) return Result::kNoMemory;
  Hdr h{static_cast<uint32_t>(nl), static_cast<uint32_t>(vl)};
  uint8_t* p = data_ + len_;
  memcpy(p, &h, sizeof h);
  p += sizeof h;
  for (size_t i = 0; i < nl; i++) p[i] = static_cast<uint8_t>(lower(name[i]));
  if (vl) memcpy(p + nl, value, vl);
  len_ += need;
  count_++;
  bytes_ += nl + vl;
  return Result::kOk;
}

HeaderList::Result HeaderList::append(const char* name, size_t nl, const char* value, size_t vl) {
  normalize(&value, &vl);
  if (!is_token(name, nl)) return Result::kBadName;
  if (!valid_value(value, vl)) return Result::kBadValue;
  return add(name, nl, value, vl);
}

HeaderList::Result HeaderList::set(const char* name, size_t nl, const char* value, size_t vl) {
  normalize(&value, &vl);
  if (!is_token(name, nl)) return Result::kBadName;
  if (!valid_value(value, vl)) return Result::kBadValue;
  // The standard keeps the first field's position: later ones go, the
  // first gets the new value in place.
  size_t pos = 0, first = len_;
  Field f{};
  for (size_t at = pos; next(&pos, &f); at = pos)
    if (same(f, name, nl)) {
      first = at;
      break;
    }
  if (first == len_) return add(name, nl, value, vl);
  size_t first_end = pos, old_vl = f.value_len;
  remove_from(first_end, name, nl);  // the later fields of that name
  if (bytes_ - old_vl + vl > limits_.max_bytes) return Result::kFull;
  if (vl > old_vl && !reserve(vl - old_vl)) return Result::kNoMemory;
  memmove(data_ + first_end + vl - old_vl, data_ + first_end, len_ - first_end);
  len_ = len_ + vl - old_vl;
  bytes_ = bytes_ + vl - old_vl;
  Hdr h{static_cast<uint32_t>(nl), static_cast<uint32_t>(vl)};
  memcpy(data_ + first, &h, sizeof h);
  if (vl) memcpy(data_ + first + sizeof h + nl, value, vl);
  return Result::kOk;
}

void HeaderList::remove(const char* name, size_t nl) { remove_from(0, name, nl); }

void HeaderList::remove_from(size_t pos, const char* name, size_t nl) {
  while (pos < len_) {
    size_t at = pos;
    Field f;
    next(&pos, &f);
    if (same(f, name, nl)) {
      memmove(data_ + at, data_ + pos, len_ - pos);
      len_ -= pos - at;
      count_--;
      bytes_ -= f.name_len + f.value_len;
      pos = at;
    }
  }
}

bool HeaderList::has(const char* name, size_t nl) const {
  Field f;
  for (size_t pos = 0; next(&pos, &f);)
    if (same(f, name, nl)) return true;
  return false;
}

void HeaderList::clear() { len_ = count_ = bytes_ = 0; }

HeaderList::Result HeaderList::assign(const HeaderList& other) {
  if (&other == this) return Result::kOk;
  clear();
  Field f;
  for (size_t pos = 0; other.next(&pos, &f);) {
    Result r = add(f.name, f.name_len, f.value, f.value_len);
    if (r != Result::kOk) return r;
  }
  return Result::kOk;
}

bool HeaderList::at(size_t i, Field* f) const {
  size_t pos = 0;
  for (size_t k = 0; next(&pos, f); k++)
    if (k == i) return true;
  return false;
}

long HeaderList::combined(const char* name, size_t nl, char* out, size_t cap) const {
  size_t total = 0, n = 0;
  Field f;
  auto put = [&](const char* s, size_t len) {
    for (size_t i = 0; i < len; i++, total++)
      if (out && total < cap) out[total] = s[i];
  };
  for (size_t pos = 0; next(&pos, &f);) {
    if (!same(f, name, nl)) continue;
    if (n++) put(", ", 2);
    put(f.value, f.value_len);
  }
  return n ? static_cast<long>(total) : -1;
}

size_t HeaderList::sorted_count() const {
  size_t n = 0;
  Field f, g;
  for (size_t pos = 0; next(&pos, &f);) {
    if (same(f, "set-cookie", 10)) {
      n++;
      continue;
    }
    bool first = true;  // count each other name once, at its first field
    for (size_t p2 = 0; next(&p2, &g) && g.name != f.name;)
      if (g.name_len == f.name_len && memcmp(g.name, f.name, f.name_len) == 0) first = false;
    if (first) n++;
  }
  return n;
}

bool HeaderList::sorted_at(size_t i, Field* name, Field* single) const {
  // Walk names in byte order; each name yields one entry (set-cookie: one
  // per field). O(n^2) per call over at most limits_.max_entries fields.
  const char* last = nullptr;
  size_t last_len = 0, k = 0;
  for (;;) {
    const char* min = nullptr;
    size_t min_len = 0;
    Field f;
    for (size_t pos = 0; next(&pos, &f);) {
      if (last && compare(f.name, f.name_len, last, last_len) <= 0) continue;
      if (!min || compare(f.name, f.name_len, min, min_len) < 0) {
        min = f.name;
        min_len = f.name_len;
      }
    }
    if (!min) return false;
    last = min;
    last_len = min_len;
    bool cookie = min_len == 10 && memcmp(min, "set-cookie", 10) == 0;
    if (!cookie) {
      if (k++ == i) {
        *name = Field{min, min_len, nullptr, 0};
        *single = Field{};
        return true;
      }
      continue;
    }
    for (size_t pos = 0; next(&pos, &f);) {
      if (!same(f, "set-cookie", 10)) continue;
      if (k++ == i) {
        *name = Field{min, min_len, nullptr, 0};
        *single = f;
        return true;
      }
    }
  }
}

}  // namespace mcujs::net::http
