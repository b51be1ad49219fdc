#include "ports/mps2-an385/emulation/semihosting.h"

#include <cstring>

namespace mcujs::mps2::semihost {

namespace {

enum Op : uint32_t {
  kOpen = 0x01,
  kRead = 0x06,
  kGetCmdline = 0x15,
  kExitExtended = 0x20,
};

// r0 = operation, r1 = parameter block; the result comes back in r0.
int32_t call(uint32_t op, const void* args) {
  register uint32_t r0 __asm__("r0") = op;
  register const void* r1 __asm__("r1") = args;
  __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
  return static_cast<int32_t>(r0);
}

uint32_t word(const void* p) { return static_cast<uint32_t>(reinterpret_cast<uintptr_t>(p)); }

}  // namespace

int open(const char* path, int mode) {
  uint32_t a[3] = {word(path), static_cast<uint32_t>(mode), static_cast<uint32_t>(strlen(path))};
  return call(kOpen, a);
}

// SYS_READ answers the number of bytes NOT transferred.
int read(int handle, void* buf, size_t len) {
  uint32_t a[3] = {static_cast<uint32_t>(handle), word(buf), static_cast<uint32_t>(len)};
  int32_t left = call(kRead, a);
  if (left < 0 || static_cast<size_t>(left) > len) return -1;
  return static_cast<int>(len - static_cast<size_t>(left));
}

bool cmdline(char* buf, size_t cap) {
  if (!buf || cap < 2 || cap > 0x7fffffff) return false;
  // In: buffer and its size; out: the length written (without the NUL).
  uint32_t a[2] = {word(buf), static_cast<uint32_t>(cap)};
  if (call(kGetCmdline, a) != 0 || a[1] >= cap) return false;
  buf[a[1]] = '\0';
  return true;
}

void exit(int status) {
  // ADP_Stopped_ApplicationExit with a status (SYS_EXIT_EXTENDED): a plain
  // SYS_EXIT on 32-bit ARM can only say "success" or "failure".
  uint32_t a[2] = {0x20026, static_cast<uint32_t>(status)};
  call(kExitExtended, a);
  for (;;) __asm__ volatile("wfi");
}

}  // namespace mcujs::mps2::semihost
