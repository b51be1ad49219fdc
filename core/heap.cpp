#include "core/heap.h"

#include <malloc.h>  // malloc_usable_size: glibc and newlib (nano too) both have it

#include <cstddef>
#include <cstdlib>

namespace mcujs::core {

namespace {

// Sizes come from the C library (malloc_usable_size) rather than from a
// header of our own: a header costs 8-16 bytes per block, about 5.5 KB of
// the Cortex-M3's heap at boot. "used" therefore counts what the allocator
// really set aside for each block (its rounding included, its own bookkeeping
// word excluded).
HeapStats& stats(JSMallocState* s) { return *static_cast<HeapStats*>(s->opaque); }

// What the allocator may add to a request by rounding (glibc on 64-bit: up
// to 23 bytes, newlib-nano on 32-bit: up to 11). A malloc is checked again
// with the block's real size; a realloc is admitted with this margin, since
// one that moved the block cannot be refused afterwards. Either way "used"
// never passes the limit.
constexpr size_t kRoundingSlack = 3 * sizeof(void*);

bool admit(HeapStats& h, size_t old_size, size_t new_size) {
  if (h.limit && new_size > old_size && h.used - old_size + new_size > h.limit) {
    h.refused++;
    return false;
  }
  return true;
}

void account(JSMallocState* s, size_t old_size, size_t new_size) {
  HeapStats& h = stats(s);
  s->malloc_size = s->malloc_size - old_size + new_size;
  h.used = h.used - old_size + new_size;
  if (h.used > h.peak) h.peak = h.used;
}

void* heap_malloc(JSMallocState* s, size_t size) {
  HeapStats& h = stats(s);
  if (!admit(h, 0, size)) return nullptr;
  void* p = malloc(size);
  if (!p) {
    h.refused++;
    return nullptr;
  }
  size_t got = malloc_usable_size(p);
  if (!admit(h, 0, got)) {  // the rounding took it past the limit
    free(p);
    return nullptr;
  }
  s->malloc_count++;
  account(s, 0, got);
  return p;
}

void heap_free(JSMallocState* s, void* ptr) {
  if (!ptr) return;
  s->malloc_count--;
  account(s, malloc_usable_size(ptr), 0);
  free(ptr);
}

void* heap_realloc(JSMallocState* s, void* ptr, size_t size) {
  if (!ptr) return size ? heap_malloc(s, size) : nullptr;
  if (size == 0) {
    heap_free(s, ptr);
    return nullptr;
  }
  HeapStats& h = stats(s);
  size_t old_size = malloc_usable_size(ptr);
  if (size > old_size && !admit(h, old_size, size + kRoundingSlack)) return nullptr;
  void* p = realloc(ptr, size);
  if (!p) {
    h.refused++;
    return nullptr;
  }
  account(s, old_size, malloc_usable_size(p));
  return p;
}

size_t heap_usable_size(const void* ptr) { return ptr ? malloc_usable_size(const_cast<void*>(ptr)) : 0; }

constexpr JSMallocFunctions kFunctions = {heap_malloc, heap_free, heap_realloc, heap_usable_size};

}  // namespace

const JSMallocFunctions& heap_functions() { return kFunctions; }

}  // namespace mcujs::core
