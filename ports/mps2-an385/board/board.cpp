// Board bring-up: UART0 console, the 1 ms SysTick time base, the log sink
// and the end of a run.
#include <cstdio>
#include <cstring>

#include <board.h>  // this board's (see board.h)
#include "ports/common/cmsdk_uart.h"
#include "ports/mps2-an385/mps2_port.h"
#include "ports/mps2-an385/emulation/semihosting.h"

namespace mcujs::mps2 {

namespace {
// Written by the SysTick interrupt only; read with interrupts masked because
// a 64-bit load is two instructions on the Cortex-M3.
volatile uint64_t g_ticks_ms = 0;
// Time skipped by a simulated clock (SysTickClock::skip); main loop only.
uint64_t g_skipped_ms = 0;

// Restores PRIMASK rather than enabling interrupts: callers may have masked
// them (e.g. to read several inputs at one instant).
uint64_t ticks_ms() {
  uint32_t primask;
  __asm__ volatile("mrs %0, primask\n cpsid i" : "=r"(primask)::"memory");
  uint64_t t = g_ticks_ms;
  __asm__ volatile("msr primask, %0" ::"r"(primask) : "memory");
  return t;
}
}  // namespace

extern "C" void SysTick_Handler() { g_ticks_ms = g_ticks_ms + 1; }

void board_init() {
  cmsdk_uart_init(kUart0);
  reg(kScbCcr) |= 1u << 4;      // integer divide by zero faults instead of giving 0
  reg(kSysTickLoad) = kCpuHz / 1000 - 1;
  reg(kSysTickVal) = 0;
  reg(kSysTickCtrl) = 0x7;  // processor clock, interrupt, enable
}

int run_image(int (*run)()) {
  board_init();
  int status = run();
  printf("EXIT %d\n", status);
  return status;
}

void uart_write(const char* s, size_t len) { cmsdk_uart_write(kUart0, s, len); }

// With "hold" on the image's command line (QEMU `-append hold`: `mcujs
// qemu`, tests/firmware/qemu_flash.py) the board halts after the run
// instead of ending QEMU: the test then stops the machine and saves its
// flash through the QEMU monitor (stop, pmemsave) before it quits, as a
// power-off that keeps the storage partition. The one place "hold" is read.
void board_exit(int status) {
  fflush(stdout);
  char cmd[160];
  const char* hold = semihost::cmdline(cmd, sizeof cmd) ? strstr(cmd, " hold") : nullptr;
  if (hold && (hold[5] == 0 || hold[5] == ' ')) board_halt();  // the word, not a prefix of another
  semihost::exit(status);
}

void board_halt() {
  fflush(stdout);
  // Interrupts masked: nothing runs any more; WFI still returns on a pending
  // interrupt (SysTick), hence the loop.
  __asm__ volatile("cpsid i" ::: "memory");
  for (;;) __asm__ volatile("wfi");
}

uint64_t SysTickClock::monotonic_ms() { return ticks_ms() + g_skipped_ms; }

uint64_t SysTickClock::cpu_ns() {
  constexpr uint32_t kNsPerCount = 1000000000u / kCpuHz;  // 40 (an385), 50 (an505)
  constexpr uint32_t kCountsPerMs = kCpuHz / 1000u;
  // The millisecond count and the SysTick's down-counter, read again if the
  // counter wrapped (an interrupt came) in between.
  for (;;) {
    uint64_t ms = ticks_ms();
    uint32_t val = reg(kSysTickVal);
    if (ticks_ms() != ms) continue;
    uint32_t within = kCountsPerMs - 1u - val;
    return (ms * kCountsPerMs + within) * kNsPerCount;
  }
}

// The wall clock: unknown at power-on (this board has no battery-backed
// RTC), set by SNTP (net.cpp), never to a time before the image's floor.
// Unix milliseconds at SysTick 0, valid once set.
namespace {
int64_t g_wall_origin_ms = 0;
bool g_wall_set = false;
}  // namespace

bool set_wall_clock(int64_t unix_s, uint32_t us) {
  if (unix_s < kTimeFloor) return false;
  g_wall_origin_ms = unix_s * 1000 + us / 1000 - static_cast<int64_t>(ticks_ms());
  g_wall_set = true;
  return true;
}

bool wall_clock_ms(int64_t* unix_ms) {
  if (!g_wall_set) return false;
  *unix_ms = g_wall_origin_ms + static_cast<int64_t>(ticks_ms());
  return true;
}

bool SysTickClock::wall_time_ms(int64_t* unix_ms) {
  int64_t ms = 0;
  if (!wall_clock_ms(&ms)) return false;
  *unix_ms = ms + static_cast<int64_t>(g_skipped_ms);
  return true;
}

bool SysTickClock::wall_time(int64_t* unix_seconds) {
  int64_t ms = 0;
  if (!wall_clock_ms(&ms)) return false;
  *unix_seconds = (ms + static_cast<int64_t>(g_skipped_ms)) / 1000;
  return true;
}

bool SysTickClock::skip(uint32_t ms) {
  if (!simulated_) return false;
  g_skipped_ms += ms;
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

}  // namespace mcujs::mps2

// For single_core.c (clock_gettime), _gettimeofday (Date.now()) and lwIP's sys_now: real
// time, without what a simulated clock skipped (as libc and the kernel's TCP
// follow the host on Linux while the board simulator's clock jumps).
extern "C" uint64_t mcujs_mps2_monotonic_ms() { return mcujs::mps2::ticks_ms(); }
// Unix milliseconds once the clock is set, else -1 (libc then counts from
// 1970: a date before the floor, which nothing believes).
extern "C" int64_t mcujs_mps2_wall_ms() {
  int64_t ms = 0;
  return mcujs::mps2::wall_clock_ms(&ms) ? ms : -1;
}
