// The boards `mcujs bundle` and `mcujs qemu` know: where a bundle goes and
// how QEMU emulates the board.
#pragma once

#include <cstdint>
#include <cstring>

#include "ports/mps2-an385/board/flash_layout.h"
#include "ports/mps2-an505/flash_layout.h"

namespace mcujs::cli {

struct Board {
  const char* name;           // as in the bundle header
  const char* qemu_machine;   // qemu-system-arm -M
  uint32_t bundle_base;       // the bundle partition, as QEMU's loader and monitor address it
  uint32_t bundle_size;
  uint32_t persistent_size;   // bundle + storage partitions (--flash-state)
  const char* image;          // the runtime image's file name
};

inline constexpr Board kBoards[] = {
    {"mps2-an385", "mps2-an385", mps2::kBundleBase, mps2::kBundleSize, mps2::kBundleSize + mps2::kStorageSize,
     "mcujs-runtime.elf"},
    // The Cortex-M33 sees its flash at the secure alias; QEMU's loader and
    // monitor at the system bus address (ports/mps2-an505/flash_layout.h).
    {"mps2-an505", "mps2-an505", an505::kBundleBase - an505::kHostAlias, an505::kBundleSize,
     an505::kBundleSize + an505::kStorageSize, "mcujs-runtime.elf"},
};

// For messages: every name of kBoards.
inline constexpr char kBoardNames[] = "mps2-an385, mps2-an505";

inline const Board* find_board(const char* name) {
  for (const Board& b : kBoards)
    if (name && strcmp(b.name, name) == 0) return &b;
  return nullptr;
}

}  // namespace mcujs::cli
