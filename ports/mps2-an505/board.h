// The mps2-an505 board (ARM MPS2 FPGA image AN505: a Cortex-M33 in the IoT
// Kit / SSE-200 subsystem) as QEMU 7.2 emulates it (hw/arm/mps2-tz.c): where
// its devices are. The firmware runs in the Secure state (no TrustZone
// partitioning: the SAU is left off, so everything is Secure) and uses the
// secure aliases (address bit 28 set) of memory and peripherals. The code
// shared by the MPS2 boards includes <board.h> and gets this one when built
// for this board (see ports/mps2-an385/board/board.h).
#pragma once

#include <cstdint>

#include "ports/common/cortex_m.h"
#include "ports/common/mmio.h"
#include "ports/mps2-an505/flash_layout.h"

namespace mcujs::mps2 {

// As in a bundle's header (mcujs bundle --board) and apps/cli/boards.h.
inline constexpr char kBoardName[] = "mps2-an505";

// The flash layout (flash_layout.h), under the names the shared code uses.
using an505::kBundleBase;
using an505::kBundleSize;
using an505::kFlashSectorSize;
using an505::kRuntimeBase;
using an505::kRuntimeSize;
using an505::kStorageBase;
using an505::kStorageSize;

// CMSDK APB UART0 (QEMU -serial), non-secure address 0x40200000.
inline constexpr uintptr_t kUart0 = 0x50200000;

// The core's clock (QEMU's mps2-tz SYSCLK, the IoTKit's MAINCLK). With
// -icount shift=0 QEMU runs one instruction per ns whatever this says.
inline constexpr uint32_t kCpuHz = 20000000;

// The LAN9118 (behind the AHB expansion PPC, non-secure 0x42000000) and its
// line: the FPGA's interrupt 16, the IoTKit's external IRQs starting at 32.
inline constexpr uintptr_t kLan9118Base = 0x52000000;
inline constexpr unsigned kLan9118Irq = 32 + 16;

// The JS heap's limit (the runtime image's RuntimeOptions::memory_limit):
// the full API (fetch, tls.connect, typed arrays, Date, RegExp, Map/Set)
// takes ~57 KB at boot; of the ~243 KB heap region, ~100 KB stay for TLS
// (a handshake ~15 KB, the context and session cache), lwIP and the outbox.
inline constexpr uint32_t kJsHeapLimit = 144u * 1024;

// External interrupts in the vector table (startup.cpp): up to the LAN9118's
// (the IoTKit has 124; none other is ever enabled).
inline constexpr unsigned kIrqCount = 64;

}  // namespace mcujs::mps2
