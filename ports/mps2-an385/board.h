// The mps2-an385 board (ARM MPS2 FPGA image AN385, Cortex-M3) as QEMU 7.2
// emulates it: where its devices are. The code shared by the MPS2 boards
// (ports/common/, and this directory's board-independent files, which the
// mps2-an505 port compiles too) includes <board.h> and gets the header of
// the board it is built for (each port's include directory).
#pragma once

#include <cstdint>

#include "ports/common/cortex_m.h"
#include "ports/common/mmio.h"
#include "ports/mps2-an385/flash_layout.h"  // kBundleBase, kStorageBase, ... (mcujs::mps2)

namespace mcujs::mps2 {

// As in a bundle's header (mcujs bundle --board) and apps/cli/boards.h.
inline constexpr char kBoardName[] = "mps2-an385";

// CMSDK APB UART0 (QEMU -serial / -nographic console).
inline constexpr uintptr_t kUart0 = 0x40004000;

// The core's clock (QEMU's mps2 SYSCLK). With -icount shift=0 QEMU runs one
// instruction per ns of virtual time whatever this says.
inline constexpr uint32_t kCpuHz = 25000000;

// The LAN9118 Ethernet controller and its interrupt line.
inline constexpr uintptr_t kLan9118Base = 0x40200000;
inline constexpr unsigned kLan9118Irq = 13;

// The JS heap's limit (core::RuntimeOptions::memory_limit in the runtime
// image, apps/firmware/main.cpp): of the ~107 KB heap region, with TLS,
// lwIP and the outbox beside it (docs/firmware.md, Budget).
inline constexpr uint32_t kJsHeapLimit = 62u * 1024;

// External interrupts in the vector table (startup.cpp).
inline constexpr unsigned kIrqCount = 32;

}  // namespace mcujs::mps2
