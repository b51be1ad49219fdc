// A malloc-backed net::http::Allocator for the HTTP unit tests.
#pragma once

#include <cstdlib>

#include "net/http/common.h"

inline mcujs::net::http::Allocator test_heap() {
  mcujs::net::http::Allocator a;
  a.alloc = [](void*, size_t n) { return malloc(n); };
  a.realloc = [](void*, void* p, size_t n) { return realloc(p, n); };
  a.free = [](void*, void* p) { free(p); };
  return a;
}
