// The mps2-an505 board's 1 MB of "flash", as this firmware divides it: the
// same partitions as the mps2-an385 (ports/mps2-an385/board/flash_layout.h) at
// the secure alias of the FPGA's SSRAM1 (code memory, 4 MB in QEMU), where
// the Cortex-M33 boots in the Secure state (IoTKit's initial VTOR_S):
//   0x10000000  runtime image       768 KB
//   0x100C0000  app bundle          128 KB
//   0x100E0000  storage partition   128 KB  (the flash store: docs/storage.md)
// The host side (QEMU's loader and monitor, which see the system bus
// without the IoTKit's secure aliases) reaches the same bytes at the
// non-secure address, kHostAlias less (apps/cli/boards.h).
#pragma once

#include <cstdint>

namespace mcujs::an505 {

inline constexpr uint32_t kFlashSectorSize = 4096;
inline constexpr uint32_t kRuntimeBase = 0x10000000;
inline constexpr uint32_t kRuntimeSize = 768u * 1024;
inline constexpr uint32_t kBundleBase = 0x100C0000;
inline constexpr uint32_t kBundleSize = 128u * 1024;
inline constexpr uint32_t kStorageBase = 0x100E0000;
inline constexpr uint32_t kStorageSize = 128u * 1024;
inline constexpr uint32_t kHostAlias = 0x10000000;  // secure alias - system bus address

static_assert(kRuntimeBase + kRuntimeSize == kBundleBase && kBundleBase + kBundleSize == kStorageBase &&
                  kStorageBase + kStorageSize == kRuntimeBase + 1024u * 1024,
              "the partitions tile the 1 MB of flash");
static_assert(kStorageSize % kFlashSectorSize == 0 && kBundleSize % kFlashSectorSize == 0, "whole sectors");

}  // namespace mcujs::an505
