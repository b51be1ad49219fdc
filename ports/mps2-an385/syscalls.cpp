// newlib's system calls for this board, the C++ allocation operators and the
// memory report. The heap is the region between .bss and the main stack;
// _sbrk refuses to grow past it (malloc then returns NULL, which every caller
// handles) and remembers its highest break for the report.
#include <sys/stat.h>
#include <sys/time.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "ports/mps2-an385/mps2_port.h"
#include "ports/mps2-an385/semihosting.h"

extern "C" {
extern char __heap_start, __heap_end, __data_start, __bss_end, __stack_limit, __stack_top;
}

namespace mcujs::mps2 {
extern const uint32_t kStackPaint;
}

namespace {
char* g_break = &__heap_start;
char* g_break_peak = &__heap_start;
// Bytes in live blocks (malloc_usable_size) and their peak: what the program
// really holds, against the break's high-water mark, which also holds the
// holes between blocks (fragmentation).
uint32_t g_in_use = 0;
uint32_t g_in_use_peak = 0;
}  // namespace

extern "C" {

// Every malloc and free of the image, newlib's own and calloc/realloc
// included (nano's call these two), goes through _malloc_r/_free_r, which the
// link wraps (-Wl,--wrap, ports/mps2-an385/CMakeLists.txt) to count.
void* __real__malloc_r(struct _reent* r, size_t n);
void __real__free_r(struct _reent* r, void* p);
size_t _malloc_usable_size_r(struct _reent* r, void* p);

void* __wrap__malloc_r(struct _reent* r, size_t n) {
  void* p = __real__malloc_r(r, n);
  if (p) {
    g_in_use += static_cast<uint32_t>(_malloc_usable_size_r(r, p));
    if (g_in_use > g_in_use_peak) g_in_use_peak = g_in_use;
  }
  return p;
}

void __wrap__free_r(struct _reent* r, void* p) {
  if (p) g_in_use -= static_cast<uint32_t>(_malloc_usable_size_r(r, p));
  __real__free_r(r, p);
}

void* _sbrk(ptrdiff_t incr) {
  char* old = g_break;
  if (incr > 0 ? (&__heap_end - g_break < incr) : (g_break - &__heap_start < -incr)) {
    errno = ENOMEM;
    return reinterpret_cast<void*>(-1);
  }
  g_break += incr;
  if (g_break > g_break_peak) g_break_peak = g_break;
  return old;
}

// stdout and stderr go to UART0.
int _write(int fd, const char* buf, int len) {
  if (fd != 1 && fd != 2) {
    errno = EBADF;
    return -1;
  }
  mcujs::mps2::uart_write(buf, static_cast<size_t>(len));
  return len;
}

int _read(int, char*, int) {
  errno = EBADF;
  return -1;
}
int _close(int) { return -1; }
int _lseek(int, int, int) { return -1; }
int _isatty(int fd) { return fd <= 2; }
int _fstat(int, struct stat* st) {
  st->st_mode = S_IFCHR;
  return 0;
}
int _getpid() { return 1; }
int _kill(int, int) {
  errno = EINVAL;
  return -1;
}
[[noreturn]] void _exit(int status) { mcujs::mps2::board_exit(status); }

// Date.now(): the wall clock set by SNTP (board.cpp); until then the
// SysTick's milliseconds since 1970 (a date before the time floor).
int64_t mcujs_mps2_wall_ms();
uint64_t mcujs_mps2_monotonic_ms();
int _gettimeofday(struct timeval* tv, void*) {
  int64_t ms = mcujs_mps2_wall_ms();
  if (ms < 0) ms = static_cast<int64_t>(mcujs_mps2_monotonic_ms());
  tv->tv_sec = static_cast<time_t>(ms / 1000);
  tv->tv_usec = static_cast<suseconds_t>((ms % 1000) * 1000);
  return 0;
}

// A pure virtual call is a bug: fault loudly.
void __cxa_pure_virtual() { abort(); }

}  // extern "C"

// The core allocates with new (std::nothrow) only. These avoid libstdc++'s
// versions, which pull in exception handling; the throwing forms cannot throw
// here (-fno-exceptions), so they abort on failure.
void* operator new(size_t n) {
  void* p = malloc(n ? n : 1);
  if (!p) abort();
  return p;
}
void* operator new[](size_t n) { return operator new(n); }
void* operator new(size_t n, const std::nothrow_t&) noexcept { return malloc(n ? n : 1); }
void* operator new[](size_t n, const std::nothrow_t&) noexcept { return malloc(n ? n : 1); }
void operator delete(void* p) noexcept { free(p); }
void operator delete[](void* p) noexcept { free(p); }
void operator delete(void* p, size_t) noexcept { free(p); }
void operator delete[](void* p, size_t) noexcept { free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { free(p); }

namespace mcujs::mps2 {

MemoryReport memory_report() {
  MemoryReport r{};
  auto span = [](const char* a, const char* b) { return static_cast<uint32_t>(b - a); };
  r.ram_total = span(&__data_start, &__stack_top);
  r.static_ram = span(&__data_start, &__bss_end);
  r.heap_size = span(&__heap_start, &__heap_end);
  r.heap_peak = span(&__heap_start, g_break_peak);
  r.heap_free_min = r.heap_size - r.heap_peak;
  r.heap_used_peak = g_in_use_peak;
  r.stack_size = span(&__stack_limit, &__stack_top);
  // The first word from the bottom that lost its paint is the deepest use.
  const auto* p = reinterpret_cast<const uint32_t*>(&__stack_limit);
  const auto* top = reinterpret_cast<const uint32_t*>(&__stack_top);
  while (p < top && *p == kStackPaint) p++;
  r.stack_peak = span(reinterpret_cast<const char*>(p), &__stack_top);
  return r;
}

port::MemoryStats BoardMemory::stats() { return memory_report(); }

}  // namespace mcujs::mps2
