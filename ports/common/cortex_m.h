// The Cortex-M system control space both MPS2 boards' cores share (the
// Cortex-M3 of mps2-an385, the Cortex-M33 of mps2-an505): SysTick, the NVIC
// and the fault status registers. Only what the ports touch.
#pragma once

#include <cstdint>

#include "ports/common/mmio.h"

namespace mcujs::mps2 {

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

// The NVIC's set-enable, clear-enable and clear-pending registers: one
// 32-bit word per 32 IRQs.
inline void nvic_enable(unsigned irq) { reg(0xE000E100 + 4 * (irq / 32)) = 1u << (irq % 32); }
inline void nvic_disable(unsigned irq) { reg(0xE000E180 + 4 * (irq / 32)) = 1u << (irq % 32); }
inline void nvic_clear_pending(unsigned irq) { reg(0xE000E280 + 4 * (irq / 32)) = 1u << (irq % 32); }

}  // namespace mcujs::mps2
