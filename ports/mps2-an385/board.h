// Registers of the mps2-an385 board (ARM MPS2 FPGA image AN385, Cortex-M3)
// as QEMU emulates it, and the Cortex-M3 system control space. Only what
// this port touches.
#pragma once

#include <cstdint>

namespace mcujs::mps2 {

inline volatile uint32_t& reg(uintptr_t addr) { return *reinterpret_cast<volatile uint32_t*>(addr); }

// CMSDK APB UART0 (QEMU -serial / -nographic console).
inline constexpr uintptr_t kUart0 = 0x40004000;
inline constexpr uintptr_t kUartData = 0x00;
inline constexpr uintptr_t kUartState = 0x04;    // bit 0: TX buffer full
inline constexpr uintptr_t kUartCtrl = 0x08;     // bit 0: TX enable
inline constexpr uintptr_t kUartBaudDiv = 0x10;  // must be >= 16 for TX to run

// The core's clock (QEMU's mps2 SYSCLK). With -icount shift=0 QEMU runs one
// instruction per ns of virtual time whatever this says.
inline constexpr uint32_t kCpuHz = 25000000;

// SysTick.
inline constexpr uintptr_t kSysTickCtrl = 0xE000E010;  // ENABLE | TICKINT | CLKSOURCE=cpu
inline constexpr uintptr_t kSysTickLoad = 0xE000E014;
inline constexpr uintptr_t kSysTickVal = 0xE000E018;

// System control block: fault status for the crash report.
inline constexpr uintptr_t kScbShcsr = 0xE000ED24;
inline constexpr uintptr_t kScbCfsr = 0xE000ED28;
inline constexpr uintptr_t kScbHfsr = 0xE000ED2C;
inline constexpr uintptr_t kScbMmfar = 0xE000ED34;
inline constexpr uintptr_t kScbBfar = 0xE000ED38;
inline constexpr uintptr_t kScbCcr = 0xE000ED14;  // bit 4: trap divide by zero

}  // namespace mcujs::mps2
