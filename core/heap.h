// The JS heap's allocator: the system allocator (sizes from malloc_usable_size), with
// the memory limit enforced here (QuickJS's own check is bypassed by custom
// allocators) and counters a device needs: bytes in use, peak, refusals.
// Refusals let the runtime tell "out of memory" from a script's `throw null`
// (QuickJS throws null when it cannot even allocate the InternalError).
#pragma once

#include <cstddef>
#include <cstdint>

#include "quickjs.h"

namespace mcujs::core {

struct HeapStats {
  size_t used = 0;       // usable bytes of the blocks not yet freed
  size_t peak = 0;       // high-water mark of used
  size_t limit = 0;      // 0 = unlimited
  uint32_t refused = 0;  // allocations refused (limit or system)
};

// Malloc functions for JS_NewRuntime2; the JSMallocState's opaque must point
// to a HeapStats that outlives the runtime.
const JSMallocFunctions& heap_functions();

}  // namespace mcujs::core
