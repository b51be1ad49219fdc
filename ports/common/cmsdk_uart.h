// The ARM CMSDK APB UART (both MPS2 boards' console; QEMU -serial), polled,
// transmit only. Each board's board.h says where its UART0 is.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mcujs::mps2 {

// Enables the transmitter (baud divisor 16: QEMU needs >= 16 to send).
void cmsdk_uart_init(uintptr_t base);
// Writes len bytes, waiting while the TX buffer is full.
void cmsdk_uart_write(uintptr_t base, const char* s, size_t len);

}  // namespace mcujs::mps2
