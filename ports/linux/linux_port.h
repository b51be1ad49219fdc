// The Linux port: the desktop simulator's implementation of port/port.h.
// getrandom(2) entropy, BSD sockets (IPv6 and IPv4, non-blocking, poll(2)),
// CLOCK_MONOTONIC and the system clock, stdout/stderr logging, files, a
// directory-backed key-value store and an in-memory GPIO bank.
#pragma once

#include <cstdint>

#include "core/limits.h"
#include "port/port.h"

namespace mcujs::linux_port {

class LinuxClock final : public port::Clock {
 public:
  uint64_t monotonic_ms() override;
  uint64_t cpu_ns() override;  // CLOCK_THREAD_CPUTIME_ID
  bool wall_time(int64_t* unix_seconds) override;
  bool wall_time_ms(int64_t* unix_ms) override;
};

class LinuxEntropy final : public port::Entropy {
 public:
  bool strong() const override { return true; }
  int32_t fill(uint8_t* buf, size_t len) override;
  const char* name() const override { return "getrandom"; }
};

// Writes "LEVEL message" lines: trace/info to stdout, warn/error to stderr.
class StdioLog final : public port::LogSink {
 public:
  void write(port::LogLevel level, const char* msg, size_t len) override;
};

// Socket table: a fixed number of slots, so the port's memory is bounded.
class LinuxTcp final : public port::Tcp, public port::Poller {
 public:
  static constexpr int kMaxSockets = MCUJS_LINUX_MAX_SOCKETS;  // core/limits.h
  LinuxTcp();
  ~LinuxTcp() override;
  LinuxTcp(const LinuxTcp&) = delete;
  LinuxTcp& operator=(const LinuxTcp&) = delete;

  int32_t connect(const char* host, uint16_t port, port::SocketId* out) override;
  port::ConnectState state(port::SocketId s, int32_t* err) override;
  int32_t read(port::SocketId s, uint8_t* buf, size_t len) override;
  int32_t write(port::SocketId s, const uint8_t* buf, size_t len) override;
  int32_t pending(port::SocketId s) override;
  void close(port::SocketId s) override;
  int32_t listen(uint16_t port, port::SocketId* out) override;
  int32_t accept(port::SocketId listener, port::SocketId* out) override;
  void wait(uint32_t timeout_ms) override;

  int open_count() const;

 private:
  struct Slot;
  Slot* slot(port::SocketId s);
  int32_t alloc(port::SocketId* out);
  int32_t try_next_address(Slot& sl);
  Slot* slots_;
};

class LinuxFiles final : public port::Files {
 public:
  int32_t read(const char* path, AllocFn alloc, void* opaque, uint8_t** out) override;
};

// One file per key in a directory; put() writes a temporary file, fsyncs it
// and renames it over the old one, so a crash leaves the old or new value.
class DirKvStore final : public port::KvStore {
 public:
  explicit DirKvStore(const char* dir);
  int32_t get(const char* key, uint8_t* buf, size_t cap) override;
  int32_t put(const char* key, const uint8_t* val, size_t len) override;
  int32_t remove(const char* key) override;

 private:
  bool path_for(const char* key, char* out, size_t cap, const char* suffix);
  char dir_[256];
};

// Pins held in memory; the board simulator (scenario files) drives inputs.
class MemoryGpio final : public port::Gpio {
 public:
  static constexpr uint16_t kPins = 32;
  int32_t set_mode(uint16_t pin, port::PinMode mode) override;
  int32_t write(uint16_t pin, uint16_t value) override;
  int32_t read(uint16_t pin, uint16_t* value) override;

 private:
  port::PinMode mode_[kPins] = {};
  uint16_t value_[kPins] = {};
};

// All of the above, wired into a port::Platform.
class LinuxPlatform {
 public:
  explicit LinuxPlatform(const char* kv_dir = nullptr);
  port::Platform& platform() { return platform_; }
  LinuxTcp& tcp() { return tcp_; }

 private:
  LinuxClock clock_;
  LinuxEntropy entropy_;
  StdioLog log_;
  LinuxTcp tcp_;
  LinuxFiles files_;
  MemoryGpio gpio_;
  DirKvStore kv_;
  port::Platform platform_;
};

}  // namespace mcujs::linux_port
