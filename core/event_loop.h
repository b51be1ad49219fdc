// The event loop's native half: I/O sources and waiting.
//
// Native state machines (a TCP connect, a TLS handshake, an HTTP exchange)
// are IoSources. After every wait the loop polls each active source, which
// advances without blocking. JavaScript never runs from here except through
// promise resolution (which only queues jobs), so the loop can be serviced
// from inside a synchronous call (photon.delay, TLSTCPClient.connect) safely.
#pragma once

#include <cstdint>

#include "port/port.h"

namespace mcujs::core {

inline constexpr uint64_t kNever = UINT64_MAX;

class IoSource {
 public:
  virtual ~IoSource() = default;
  // Advance without blocking; called after each wait while registered.
  virtual void poll() = 0;
  // Monotonic time (ms) by which poll() must run again, or kNever.
  virtual uint64_t deadline() const { return kNever; }
  // True while this source has work that should keep the program alive.
  virtual bool busy() const = 0;

 private:
  friend class EventLoop;
  IoSource* prev_ = nullptr;
  IoSource* next_ = nullptr;
  bool linked_ = false;
};

class EventLoop {
 public:
  explicit EventLoop(const port::Platform& platform) : platform_(platform) {}
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  void add(IoSource* s);
  void remove(IoSource* s);  // safe from inside a source's poll()

  uint64_t now() const { return platform_.clock->monotonic_ms(); }
  const port::Platform& platform() const { return platform_; }

  // Waits up to max_wait_ms (less if a source's deadline is earlier) for I/O,
  // then polls every source once. When no source is busy and the clock is
  // simulated, the wait is skipped: time jumps ahead instead (Clock::skip).
  void service(uint32_t max_wait_ms);
  // Polls every source once without waiting.
  void poll_sources();

  bool any_busy() const;
  uint64_t next_deadline() const;

 private:
  const port::Platform& platform_;
  IoSource* head_ = nullptr;
  IoSource* iter_next_ = nullptr;  // the next source while poll_sources() runs
};

}  // namespace mcujs::core
