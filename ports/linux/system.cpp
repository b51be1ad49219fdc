// Clock, entropy and logging on Linux.
#include <sys/random.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <ctime>

#include "ports/linux/linux_port.h"

namespace mcujs::linux_port {

uint64_t LinuxClock::monotonic_ms() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000u + static_cast<uint64_t>(ts.tv_nsec) / 1000000u;
}

uint64_t LinuxClock::cpu_ns() {
  timespec ts{};
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return 0;
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

bool LinuxClock::wall_time_ms(int64_t* unix_ms) {
  timespec ts{};
  if (clock_gettime(CLOCK_REALTIME, &ts) != 0) return false;
  *unix_ms = static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
  return true;
}

bool LinuxClock::wall_time(int64_t* unix_seconds) {
  timespec ts{};
  if (clock_gettime(CLOCK_REALTIME, &ts) != 0) return false;
  *unix_seconds = ts.tv_sec;
  return true;
}

int32_t LinuxEntropy::fill(uint8_t* buf, size_t len) {
  while (len > 0) {
    ssize_t n = getrandom(buf, len, 0);  // blocks only until the pool is seeded
    if (n < 0) {
      if (errno == EINTR) continue;
      return port::kIo;
    }
    buf += n;
    len -= static_cast<size_t>(n);
  }
  return port::kOk;
}

void StdioLog::write(port::LogLevel level, const char* msg, size_t len) {
  static const char* const kNames[] = {"TRACE", "INFO", "WARN", "ERROR", ""};
  unsigned i = static_cast<unsigned>(level);
  FILE* out = level >= port::LogLevel::kWarn ? stderr : stdout;
  fprintf(out, "%-5s %.*s\n", kNames[i < 5 ? i : 4], static_cast<int>(len), msg);
  fflush(out);
}

}  // namespace mcujs::linux_port
