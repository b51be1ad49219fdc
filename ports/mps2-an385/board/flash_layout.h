// The mps2-an385 board's 1 MB of flash, as this firmware divides it (the one
// place that names it; docs/firmware.md, "Flash layout"):
//   0x00000000  runtime image       768 KB  (vector table, code, constants)
//   0x000C0000  app bundle          128 KB
//   0x000E0000  storage partition   128 KB  (the flash store: docs/storage.md)
// QEMU backs the board's flash with RAM; the flash drivers apply the NOR
// rules themselves (storage/nor_flash.h).
#pragma once

#include <cstdint>

namespace mcujs::mps2 {

inline constexpr uint32_t kFlashSectorSize = 4096;
inline constexpr uint32_t kRuntimeBase = 0x00000000;
inline constexpr uint32_t kRuntimeSize = 768u * 1024;
inline constexpr uint32_t kBundleBase = 0x000C0000;
inline constexpr uint32_t kBundleSize = 128u * 1024;
inline constexpr uint32_t kStorageBase = 0x000E0000;
inline constexpr uint32_t kStorageSize = 128u * 1024;

static_assert(kRuntimeBase + kRuntimeSize == kBundleBase && kBundleBase + kBundleSize == kStorageBase &&
                  kStorageBase + kStorageSize == 1024u * 1024,
              "the partitions tile the 1 MB of flash");
static_assert(kStorageSize % kFlashSectorSize == 0 && kBundleSize % kFlashSectorSize == 0, "whole sectors");

}  // namespace mcujs::mps2
