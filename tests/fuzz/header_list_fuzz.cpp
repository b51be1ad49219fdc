// libFuzzer target for net::http::HeaderList (tests/fuzz/CMakeLists.txt's
// mcujs_add_fuzzer). The input is a script of operations on one bounded
// list: each line "OP name\tvalue" with OP a (append), s (set), d (delete).
// After every operation the list's invariants are checked against what the
// standard requires: names lowercase tokens, values normalised without NUL,
// CR or LF, counts and byte totals consistent, sort-and-combine ordered.
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "net/http/header_list.h"

using mcujs::net::http::Allocator;
using mcujs::net::http::Field;
using mcujs::net::http::HeaderList;

namespace {

void check(bool cond) {
  if (!cond) abort();
}

void check_invariants(const HeaderList& l) {
  size_t count = 0, bytes = 0;
  Field f;
  for (size_t i = 0; l.at(i, &f); i++) {
    count++;
    bytes += f.name_len + f.value_len;
    check(mcujs::net::http::is_token(f.name, f.name_len));
    for (size_t k = 0; k < f.name_len; k++) check(!(f.name[k] >= 'A' && f.name[k] <= 'Z'));
    check(HeaderList::valid_value(f.value, f.value_len));
    check(l.has(f.name, f.name_len));
    long len = l.combined(f.name, f.name_len, nullptr, 0);
    check(len >= static_cast<long>(f.value_len));
  }
  check(count == l.count() && bytes == l.bytes());
  check(count <= l.limits().max_entries && bytes <= l.limits().max_bytes);
  Field prev{}, name, single;
  size_t n = 0;
  for (; l.sorted_at(n, &name, &single); n++) {
    if (n) {
      int c = memcmp(prev.name, name.name, prev.name_len < name.name_len ? prev.name_len : name.name_len);
      check(c < 0 || (c == 0 && prev.name_len <= name.name_len));
    }
    prev = name;
  }
  check(n == l.sorted_count());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Allocator a;
  a.alloc = [](void*, size_t n) { return malloc(n); };
  a.realloc = [](void*, void* p, size_t n) { return realloc(p, n); };
  a.free = [](void*, void* p) { free(p); };
  HeaderList::Limits lim;
  lim.max_entries = 16;
  lim.max_bytes = 512;
  HeaderList l(a, lim);
  HeaderList copy(a);
  const char* p = reinterpret_cast<const char*>(data);
  const char* end = p + size;
  while (p < end) {
    const char* nl = static_cast<const char*>(memchr(p, '\n', static_cast<size_t>(end - p)));
    const char* line_end = nl ? nl : end;
    if (line_end - p >= 2) {
      char op = p[0];
      const char* name = p + 2;
      const char* tab = static_cast<const char*>(memchr(name, '\t', static_cast<size_t>(line_end - name)));
      size_t name_len = static_cast<size_t>((tab ? tab : line_end) - name);
      const char* value = tab ? tab + 1 : line_end;
      size_t value_len = static_cast<size_t>(line_end - value);
      HeaderList::Result r = HeaderList::Result::kOk;
      if (op == 'a') r = l.append(name, name_len, value, value_len);
      if (op == 's') r = l.set(name, name_len, value, value_len);
      if (op == 'd') l.remove(name, name_len);
      if (r == HeaderList::Result::kOk && (op == 'a' || op == 's')) check(l.has(name, name_len));
      if (op == 'd') check(!l.has(name, name_len));
      check_invariants(l);
    }
    p = line_end + 1;
  }
  check(copy.assign(l) == HeaderList::Result::kOk || copy.count() <= l.count());
  check_invariants(copy);
  return 0;
}
