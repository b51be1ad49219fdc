// The end of a run at the board scenario's duration_s (docs/board.md "The
// end of a run"), for both mains: the Linux CLI (ports/linux BoardSim) and
// the firmware's runtime image (mps2::SimBoard). Without a duration it does
// nothing and the program ends as usual, when nothing is left to do.
#pragma once

#include <cstdint>

#include "core/event_loop.h"
#include "core/runtime.h"

namespace mcujs::bind {

// Registered with rt's loop while alive. end_ms: the monotonic time the
// scenario ends (the board's end_ms(), core::kNever without duration_s);
// start_ms: the monotonic time of the scenario's time 0 (for the log line).
// At end_ms it logs `board: scenario duration reached (t=S.mmm s), stopping`
// and calls Runtime::stop(); timers due at that very instant do not run.
class ScenarioEnd final : public core::IoSource {
 public:
  ScenarioEnd(core::Runtime& rt, uint64_t end_ms, uint64_t start_ms);
  ~ScenarioEnd() override;
  ScenarioEnd(const ScenarioEnd&) = delete;
  ScenarioEnd& operator=(const ScenarioEnd&) = delete;

  void poll() override;
  uint64_t deadline() const override { return at_; }
  bool busy() const override { return false; }

 private:
  core::Runtime& rt_;
  uint64_t at_, start_;
};

}  // namespace mcujs::bind
