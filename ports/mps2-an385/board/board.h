// The mps2-an385 board (ARM MPS2 FPGA image AN385, Cortex-M3) as QEMU 7.2
// emulates it: where its devices are. The code shared by the MPS2 boards
// (ports/common/, and this directory's board-independent files, which the
// mps2-an505 port compiles too) includes <board.h> and gets the header of
// the board it is built for (each port's include directory).
#pragma once

#include <cstdint>

#include "ports/common/cortex_m.h"
#include "ports/common/mmio.h"
#include "ports/mps2-an385/board/flash_layout.h"  // kBundleBase, kStorageBase, ... (mcujs::mps2)

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
// image, apps/firmware/main.cpp). Of the 115 KB heap region (128 KB less
// 3 KB of static RAM and the 10 KB stack): the runtime with the bindings
// takes 42 KB at boot, the sensor hub peaks at 60 KB; the TLS context and
// connection, a full handshake, the outbox, lwIP and the holes between
// blocks need up to ~32 KB beside it. Measured by the headroom probe
// (tests/firmware/headroom, docs/firmware.md "Budget"): with the JS heap
// unbounded the hub's deliveries start failing for lack of heap once the JS
// heap peaks above ~85 KB; 80 KB keeps ~5 KB of margin, so a growing app
// meets a clean JS "out of memory" first.
inline constexpr uint32_t kJsHeapLimit = 80u * 1024;

// External interrupts in the vector table (startup.cpp).
inline constexpr unsigned kIrqCount = 32;

}  // namespace mcujs::mps2
