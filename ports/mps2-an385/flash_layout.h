// The flash layout of mps2-an385 (1 MB at 0x00000000), shared by the
// runtime image, the linker script's limit, `mcujs bundle` / `mcujs qemu`
// and the storage driver (docs/firmware.md, "Flash layout"):
//   runtime image | app bundle | storage
#pragma once

#include <cstdint>

namespace mcujs::mps2 {

inline constexpr uint32_t kRuntimeBase = 0x00000000;
inline constexpr uint32_t kRuntimeSize = 0x000C0000;  // 768 KB
inline constexpr uint32_t kBundleBase = 0x000C0000;
inline constexpr uint32_t kBundleSize = 0x00020000;   // 128 KB
inline constexpr uint32_t kStorageBase = 0x000E0000;
inline constexpr uint32_t kStorageSize = 0x00020000;  // 128 KB
inline constexpr uint32_t kFlashSectorSize = 4096;

}  // namespace mcujs::mps2
