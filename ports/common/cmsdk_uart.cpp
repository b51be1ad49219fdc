#include "ports/common/cmsdk_uart.h"

#include "ports/common/mmio.h"

namespace mcujs::mps2 {

namespace {
constexpr uintptr_t kUartData = 0x00;
constexpr uintptr_t kUartState = 0x04;    // bit 0: TX buffer full
constexpr uintptr_t kUartCtrl = 0x08;     // bit 0: TX enable
constexpr uintptr_t kUartBaudDiv = 0x10;  // must be >= 16 for TX to run
}  // namespace

void cmsdk_uart_init(uintptr_t base) {
  reg(base + kUartBaudDiv) = 16;
  reg(base + kUartCtrl) = 1;  // TX enable
}

void cmsdk_uart_write(uintptr_t base, const char* s, size_t len) {
  for (size_t i = 0; i < len; i++) {
    while (reg(base + kUartState) & 1u) {
    }
    reg(base + kUartData) = static_cast<uint8_t>(s[i]);
  }
}

}  // namespace mcujs::mps2
