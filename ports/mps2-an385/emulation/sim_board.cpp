// The firmware's simulated board (see sim_board.h).
#include "ports/mps2-an385/emulation/sim_board.h"

namespace mcujs::mps2 {

void SimBoard::attach(port::Platform* p, port::LogLevel level) {
  log_ = p->log;
  log_changes_ = level <= port::LogLevel::kInfo;
  if (simulated_clock()) clock_.set_simulated(true);
  start_ms_ = clock_.monotonic_ms();
  p->gpio = this;
  p->climate = this;
}

uint64_t SimBoard::end_ms() const {
  uint64_t d = board_.scenario()->duration_ms;
  return d ? start_ms_ + d : UINT64_MAX;
}

// Logged as on Linux ("pin D7 -> HIGH (t=100.500 s)"); no trace file here.
int32_t SimBoard::write(uint16_t pin, uint16_t value) {
  const sim::BoardPin* changed = nullptr;
  int32_t rc = board_.write(pin, value, &changed);
  if (changed && log_changes_ && log_) {
    char msg[64];
    size_t n = sim::format_output_change(msg, sizeof msg, *changed, value, elapsed_ms());
    if (n > 0) log_->write(port::LogLevel::kInfo, msg, n);
  }
  return rc;
}

}  // namespace mcujs::mps2

// An image without a compiled scenario (no mcujs_firmware_scenario() in
// CMake): every input reads 0 (or its pull-up level), no DHT sensor answers,
// real clock: the same as the Linux port without --scenario. Weak, so the
// generated definition replaces it.
__attribute__((weak)) const mcujs::sim::Scenario& mcujs_firmware_scenario() {
  static constexpr mcujs::sim::Scenario kNone{};
  return kNone;
}
