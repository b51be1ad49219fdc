// See scenario_end.h.
#include "modules/bindings/scenario_end.h"

namespace mcujs::bind {

ScenarioEnd::ScenarioEnd(core::Runtime& rt, uint64_t end_ms, uint64_t start_ms)
    : rt_(rt), at_(end_ms), start_(start_ms) {
  if (at_ != core::kNever) rt_.loop().add(this);
}

ScenarioEnd::~ScenarioEnd() { rt_.loop().remove(this); }

void ScenarioEnd::poll() {
  if (rt_.loop().now() < at_) return;
  // %lu: newlib-nano's printf (the firmware) has no %llu; 49 days fit.
  auto t = static_cast<unsigned long>(rt_.loop().now() - start_);
  rt_.log(port::LogLevel::kInfo, "board: scenario duration reached (t=%lu.%03lu s), stopping", t / 1000, t % 1000);
  rt_.loop().remove(this);
  rt_.stop();
}

}  // namespace mcujs::bind
