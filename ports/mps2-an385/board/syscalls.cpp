// newlib's system calls for this board, the C++ allocation operators and the
// memory report. The heap is the region between .bss and the main stack;
// _sbrk refuses to grow past it (malloc then returns NULL, which every caller
// handles) and remembers its highest break for the report.
#include <sys/stat.h>
#include <sys/time.h>
#include <malloc.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <new>

#include "ports/mps2-an385/board/allocator.h"
#include "ports/mps2-an385/mps2_port.h"
#include "ports/mps2-an385/emulation/semihosting.h"

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

// Every allocation of the image (QuickJS, Mbed TLS, lwIP's mem_malloc if
// any, newlib's own) goes to BlockHeap (allocator.h) instead of newlib-nano's
// first-fit list: these strong definitions keep nano's malloc objects out of
// the link. The counters measure what the program really holds.
void* _sbrk(ptrdiff_t incr);
}  // extern "C"

namespace {
void* heap_grow(size_t n, void*) {
  void* p = _sbrk(static_cast<ptrdiff_t>(n));
  return p == reinterpret_cast<void*>(-1) ? nullptr : p;
}
constinit mcujs::mps2::BlockHeap g_heap(heap_grow, nullptr);

void count_in(void* p) {
  if (!p) return;
  g_in_use += static_cast<uint32_t>(mcujs::mps2::BlockHeap::usable_size(p));
  if (g_in_use > g_in_use_peak) g_in_use_peak = g_in_use;
}
void count_out(void* p) { g_in_use -= static_cast<uint32_t>(mcujs::mps2::BlockHeap::usable_size(p)); }
}  // namespace

extern "C" {

void* _malloc_r(struct _reent*, size_t n) {
  void* p = g_heap.allocate(n);
  count_in(p);
  if (!p) errno = ENOMEM;
  return p;
}
void _free_r(struct _reent*, void* p) {
  count_out(p);
  g_heap.release(p);
}
void* _realloc_r(struct _reent*, void* p, size_t n) {
  size_t old = mcujs::mps2::BlockHeap::usable_size(p);
  void* q = g_heap.reallocate(p, n);
  if (q || n == 0) g_in_use -= static_cast<uint32_t>(old);
  count_in(q);
  if (!q && n) errno = ENOMEM;
  return q;
}
void* _calloc_r(struct _reent*, size_t count, size_t size) {
  void* p = g_heap.allocate_zeroed(count, size);
  count_in(p);
  if (!p) errno = ENOMEM;
  return p;
}
size_t _malloc_usable_size_r(struct _reent*, void* p) { return mcujs::mps2::BlockHeap::usable_size(p); }
void* malloc(size_t n) { return _malloc_r(nullptr, n); }
void free(void* p) { _free_r(nullptr, p); }
void* realloc(void* p, size_t n) { return _realloc_r(nullptr, p, n); }
void* calloc(size_t count, size_t size) { return _calloc_r(nullptr, count, size); }
size_t malloc_usable_size(void* p) { return mcujs::mps2::BlockHeap::usable_size(p); }
// mallinfo: the fields tests read (uordblks: bytes in live blocks; arena:
// the break's span; fordblks: the rest).
struct mallinfo _mallinfo_r(struct _reent*) {
  struct mallinfo mi {};
  mi.arena = static_cast<size_t>(g_break - &__heap_start);
  mi.uordblks = g_in_use;
  mi.fordblks = mi.arena - mi.uordblks;
  return mi;
}
struct mallinfo mallinfo() { return _mallinfo_r(nullptr); }

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

// stdout's buffer: newlib-nano would malloc BUFSIZ (1 KB of heap, held for
// the whole run) at the first printf. 128 bytes of .bss, line-buffered, are
// plenty for a UART written synchronously (docs/firmware.md, "Levers").
__attribute__((constructor)) static void small_stdout_buffer() {
  static char buf[128];
  setvbuf(stdout, buf, _IOLBF, sizeof buf);
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
