// ARM semihosting (the debugger's / QEMU's host services, reached through
// BKPT 0xAB). EMULATION ONLY: on a real board with no debugger attached a
// semihosting call is a HardFault. What remains, and who uses it:
//   - entropy: open + read of the host's /dev/urandom (SemihostEntropy,
//     emulation.cpp), because the emulated board has no TRNG;
//   - the end of a test run: exit with the status (board_exit, the fault
//     handlers) and the command line's "hold" (board_exit: halt instead, so
//     a test can save the flash first; the only word the image reads there).
// Nothing else: the app, its settings (boot.cfg) and the test images'
// inputs are in the board's flash (bundle/), the store too (flash_storage.h),
// and the wall clock comes from SNTP (docs/time.md). QEMU must run with
// `-semihosting-config enable=on,target=native`.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mcujs::mps2::semihost {

// Opens a host file; mode is an fopen() mode index ("rb" = 1).
// Returns a handle >= 0, or -1. (The entropy source keeps its handle open
// for the whole run.)
inline constexpr int kModeReadBinary = 1;
int open(const char* path, int mode);
// Returns the number of bytes read (may be short), or -1.
int read(int handle, void* buf, size_t len);
// The command line QEMU passes to the image (SYS_GET_CMDLINE): with
// `-kernel X.elf -append "a b"` QEMU 7.2 answers "X.elf a b" (the -kernel
// path as given, a space, the -append string); without -append, just the
// kernel path. Copies it NUL-terminated into buf; false if the host refuses
// or it does not fit in cap bytes.
bool cmdline(char* buf, size_t cap);
// Ends the emulation with this exit status (QEMU exits with it).
[[noreturn]] void exit(int status);

}  // namespace mcujs::mps2::semihost
