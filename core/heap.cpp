#include "core/heap.h"

#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace mcujs::core {

namespace {

// The header keeps the block's size (for usable_size and accounting) and
// keeps the payload aligned as malloc would.
constexpr size_t kHeader = alignof(std::max_align_t);

HeapStats& stats(JSMallocState* s) { return *static_cast<HeapStats*>(s->opaque); }

size_t block_size(const void* ptr) {
  size_t n;
  memcpy(&n, static_cast<const unsigned char*>(ptr) - kHeader, sizeof n);
  return n;
}

bool admit(HeapStats& h, size_t old_size, size_t new_size) {
  if (h.limit && new_size > old_size && h.used - old_size + new_size > h.limit) {
    h.refused++;
    return false;
  }
  return true;
}

void account(HeapStats& h, size_t old_size, size_t new_size) {
  h.used = h.used - old_size + new_size;
  if (h.used > h.peak) h.peak = h.used;
}

void* heap_malloc(JSMallocState* s, size_t size) {
  HeapStats& h = stats(s);
  if (size > SIZE_MAX - kHeader || !admit(h, 0, size + kHeader)) return nullptr;
  auto* p = static_cast<unsigned char*>(malloc(size + kHeader));
  if (!p) {
    h.refused++;
    return nullptr;
  }
  size_t total = size + kHeader;
  memcpy(p, &total, sizeof total);
  s->malloc_count++;
  s->malloc_size += total;
  account(h, 0, total);
  return p + kHeader;
}

void heap_free(JSMallocState* s, void* ptr) {
  if (!ptr) return;
  size_t total = block_size(ptr);
  s->malloc_count--;
  s->malloc_size -= total;
  account(stats(s), total, 0);
  free(static_cast<unsigned char*>(ptr) - kHeader);
}

void* heap_realloc(JSMallocState* s, void* ptr, size_t size) {
  if (!ptr) return size ? heap_malloc(s, size) : nullptr;
  if (size == 0) {
    heap_free(s, ptr);
    return nullptr;
  }
  HeapStats& h = stats(s);
  size_t old_total = block_size(ptr);
  if (size > SIZE_MAX - kHeader || !admit(h, old_total, size + kHeader)) return nullptr;
  auto* p = static_cast<unsigned char*>(realloc(static_cast<unsigned char*>(ptr) - kHeader, size + kHeader));
  if (!p) {
    h.refused++;
    return nullptr;
  }
  size_t total = size + kHeader;
  memcpy(p, &total, sizeof total);
  s->malloc_size = s->malloc_size - old_total + total;
  account(h, old_total, total);
  return p + kHeader;
}

size_t heap_usable_size(const void* ptr) { return ptr ? block_size(ptr) - kHeader : 0; }

constexpr JSMallocFunctions kFunctions = {heap_malloc, heap_free, heap_realloc, heap_usable_size};

}  // namespace

const JSMallocFunctions& heap_functions() { return kFunctions; }

}  // namespace mcujs::core
