// Board bring-up: UART0 console, the 1 ms SysTick time base, the log sink
// and the end of a run.
#include <cstdio>

#include "ports/mps2-an385/board.h"
#include "ports/mps2-an385/mps2_port.h"
#include "ports/mps2-an385/semihosting.h"

namespace mcujs::mps2 {

namespace {
// Written by the SysTick interrupt only; read with interrupts masked because
// a 64-bit load is two instructions on the Cortex-M3.
volatile uint64_t g_ticks_ms = 0;
}  // namespace

extern "C" void SysTick_Handler() { g_ticks_ms = g_ticks_ms + 1; }

void board_init() {
  reg(kUart0 + kUartBaudDiv) = 16;
  reg(kUart0 + kUartCtrl) = 1;  // TX enable
  reg(kScbCcr) |= 1u << 4;      // integer divide by zero faults instead of giving 0
  reg(kSysTickLoad) = kCpuHz / 1000 - 1;
  reg(kSysTickVal) = 0;
  reg(kSysTickCtrl) = 0x7;  // processor clock, interrupt, enable
}

void uart_write(const char* s, size_t len) {
  for (size_t i = 0; i < len; i++) {
    while (reg(kUart0 + kUartState) & 1u) {
    }
    reg(kUart0 + kUartData) = static_cast<uint8_t>(s[i]);
  }
}

void board_exit(int status) {
  fflush(stdout);
  semihost::exit(status);
}

uint64_t SysTickClock::monotonic_ms() {
  __asm__ volatile("cpsid i" ::: "memory");
  uint64_t t = g_ticks_ms;
  __asm__ volatile("cpsie i" ::: "memory");
  return t;
}

bool SysTickClock::wall_time(int64_t* unix_seconds) {
  int64_t t = semihost::time();
  if (t <= 0) return false;
  *unix_seconds = t;
  return true;
}

// The same framing as the Linux port's StdioLog: "LEVEL message".
void UartLog::write(port::LogLevel level, const char* msg, size_t len) {
  static const char* const kNames[] = {"TRACE", "INFO ", "WARN ", "ERROR", "     "};
  unsigned i = static_cast<unsigned>(level);
  uart_write(kNames[i < 5 ? i : 4], 5);
  uart_write(" ", 1);
  uart_write(msg, len);
  uart_write("\n", 1);
}

port::ConnectState NoTcp::state(port::SocketId, int32_t* err) {
  if (err) *err = port::kUnsupported;
  return port::ConnectState::kFailed;
}

// Sleeps until the deadline; each SysTick (1 ms) wakes the core from WFI.
void NoTcp::wait(uint32_t timeout_ms) {
  uint64_t until = clock_.monotonic_ms() + timeout_ms;
  while (clock_.monotonic_ms() < until) __asm__ volatile("wfi");
}

}  // namespace mcujs::mps2

// For single_core.c (clock_gettime) and _gettimeofday.
extern "C" uint64_t mcujs_mps2_monotonic_ms() { return mcujs::mps2::SysTickClock().monotonic_ms(); }
extern "C" int64_t mcujs_mps2_wall_seconds() {
  int64_t s = 0;
  return mcujs::mps2::SysTickClock().wall_time(&s) ? s : 0;
}
