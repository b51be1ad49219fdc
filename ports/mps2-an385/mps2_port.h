// The mps2-an385 port: the Cortex-M3 firmware's implementation of
// port/port.h on QEMU's MPS2 AN385 board, inside the Photon's 128 KB of RAM.
// SysTick time base, CMSDK UART0 log, and two EMULATION-ONLY parts that
// stand in for hardware this board does not have, through semihosting
// (emulation/semihosting.h): Entropy (the host's /dev/urandom, standing in for the
// STM32F2 RNG of a Photon) and the end of a test run (exit status, "hold":
// board_exit). The network (LAN9118
// + lwIP, SNTP) is in net/net.h, the key-value store in the storage partition in
// flash_storage.h, the app and its data files come in a bundle (bundle/,
// board/flash_layout.h), the simulated sensors in emulation/sim_board.h.
#pragma once

#include <cstddef>
#include <cstdint>

#include "port/port.h"

namespace mcujs::mps2 {

// Starts the UART and the 1 ms SysTick. Call once, first thing in main().
void board_init();
// The main() of an image that runs once: board_init, run, one line
// "EXIT <status>" on the UART (tests and `mcujs qemu` read it), and the
// status back to the startup code, which ends the run with it (board_exit).
int run_image(int (*run)());
// Polled UART output (also newlib's stdout/stderr through _write).
void uart_write(const char* s, size_t len);
// Ends the run: QEMU exits with this status (semihosting SYS_EXIT_EXTENDED),
// or, with "hold" on the image's command line, the board halts (board_halt).
[[noreturn]] void board_exit(int status);
// Stops the core for good without ending the emulation (the board "off"
// while `mcujs qemu` saves its flash through QEMU's monitor).
[[noreturn]] void board_halt();

// Milliseconds since board_init(), counted by the SysTick interrupt. The
// running SysTick also keeps a QEMU virtual-clock timer armed, which QEMU's
// user-mode network needs to make progress promptly (docs/firmware.md).
// With a simulated clock (a scenario's "clock": "simulated",
// ports/mps2-an385/emulation/sim_board.h) skip() adds to an offset that monotonic and
// wall time include, so the event loop jumps over idle waits; SysTick still
// counts the time the program runs. The offset is the board's, shared by
// every SysTickClock; libc's clocks and lwIP keep real time.
// The image's time floor: its build time (MCUJS_TIME_FLOOR, Unix seconds,
// set by CMake; SOURCE_DATE_EPOCH for reproducible builds). A clock reading
// before it is never believed (docs/time.md).
inline constexpr int64_t kTimeFloor = MCUJS_TIME_FLOOR;
// Sets the wall clock to unix_s + us now; false, clock unchanged, before the floor.
bool set_wall_clock(int64_t unix_s, uint32_t us);
// Unix milliseconds now (real time, no simulated skips); false until set.
bool wall_clock_ms(int64_t* unix_ms);

class SysTickClock final : public port::Clock {
 public:
  uint64_t monotonic_ms() override;
  // The wall clock set by SNTP (set_wall_clock), plus the time a simulated
  // clock skipped; false until then (TLS then fails with CLOCK_NOT_SET).
  bool wall_time(int64_t* unix_seconds) override;
  bool wall_time_ms(int64_t* unix_ms) override;
  // false (the loop really waits) unless set_simulated(true).
  bool skip(uint32_t ms) override;
  // The SysTick's count (25 MHz) in ns: with -icount shift=0 one guest
  // instruction is one ns, so differences count instructions (40 at a time).
  uint64_t cpu_ns() override;
  void set_simulated(bool on) { simulated_ = on; }
  bool simulated() const { return simulated_; }

 private:
  bool simulated_ = false;
};

class UartLog final : public port::LogSink {
 public:
  void write(port::LogLevel level, const char* msg, size_t len) override;
};

// EMULATION ONLY. Reads the host's /dev/urandom through semihosting, so it is
// a strong source (the host kernel's CSPRNG) and declares itself so. The
// interface is meant for a hardware TRNG: on a Photon, the STM32F2 RNG
// peripheral (RNG_DR, with its seed/clock error checks). Never a PRNG.
class SemihostEntropy final : public port::Entropy {
 public:
  bool strong() const override { return true; }
  int32_t fill(uint8_t* buf, size_t len) override;
  const char* name() const override { return "host /dev/urandom via semihosting (emulation only)"; }

 private:
  int handle_ = -1;
};

// RAM use, from the linker's symbols, the newlib heap's break and the painted
// main stack (see mps2-an385.ld).
using MemoryReport = port::MemoryStats;
MemoryReport memory_report();

// The same numbers for the core (port::Platform::memory, photon.memory()).
class BoardMemory final : public port::Memory {
 public:
  port::MemoryStats stats() override;
};

}  // namespace mcujs::mps2
