// Exponential backoff with full jitter (the AWS architecture blog's "Full
// Jitter"): the n-th consecutive failure waits a uniformly random time in
// [0, min(max, initial * 2^n)]. Spreads the retries of many devices after a
// shared outage. The randomness is not security-relevant; the caller supplies
// it (from the port's Entropy) so that tests can fix it.
#pragma once

#include <cstdint>

namespace mcujs::net {

class Backoff {
 public:
  Backoff(uint32_t initial_ms, uint32_t max_ms) { configure(initial_ms, max_ms); }

  void configure(uint32_t initial_ms, uint32_t max_ms) {
    initial_ = initial_ms ? initial_ms : 1;
    max_ = max_ms < initial_ ? initial_ : max_ms;
  }
  // The upper bound of the next wait: initial, doubling per failure, capped.
  uint32_t ceiling() const {
    uint64_t c = initial_;
    for (uint32_t i = 0; i < failures_ && c < max_; i++) c *= 2;
    return c > max_ ? max_ : static_cast<uint32_t>(c);
  }
  // Records a failure and returns the wait before the next attempt.
  uint32_t next(uint32_t random) {
    uint32_t c = ceiling();
    if (failures_ < 64) failures_++;
    return static_cast<uint32_t>(random % (static_cast<uint64_t>(c) + 1));
  }
  void reset() { failures_ = 0; }
  uint32_t failures() const { return failures_; }

 private:
  uint32_t initial_ = 1;
  uint32_t max_ = 1;
  uint32_t failures_ = 0;
};

}  // namespace mcujs::net
