// The simulated board's pins and DHT11 sensors, shared by both ports: pin
// modes, outputs that read back, inputs that follow a scenario at a time the
// port supplies (its simulated or real clock), and how a signal's value
// becomes a reading (docs/board.md, "How a value becomes a reading"). The
// ports wrap it in their port::Gpio + port::Climate and add logging/tracing.
#pragma once

#include <cstddef>
#include <cstdint>

#include "port/port.h"
#include "sim/scenario.h"

namespace mcujs::sim {

class Board {
 public:
  // scenario may be null (and must outlive the board): every input then
  // reads 0 (or its pull-up level) and no DHT sensor answers.
  explicit Board(const Scenario* scenario = nullptr) : scenario_(scenario) {}
  void set_scenario(const Scenario* scenario) { scenario_ = scenario; }
  const Scenario* scenario() const { return scenario_; }

  int32_t set_mode(uint16_t pin, port::PinMode mode);
  // Writes an output. *changed is the pin if its level changed (outputs start
  // LOW, so a first write of 0 is no change), else null.
  int32_t write(uint16_t pin, uint16_t value, const BoardPin** changed);
  // Reads a pin at t_ms (time since the run started).
  int32_t read(uint16_t pin, uint64_t t_ms, uint16_t* value) const;
  // Reads the DHT11 on pin at t_ms: kOk, kTimeout (no sensor), kIo (an
  // error window), kInvalid.
  int32_t read_dht(uint16_t pin, uint64_t t_ms, int16_t* temperature_c, int16_t* humidity_pct) const;

 private:
  struct PinState {
    port::PinMode mode = port::PinMode::kInput;
    uint16_t out = 0;  // last value written (outputs start LOW)
  };
  const Scenario* scenario_;
  PinState pins_[kBoardPinCount];
};

// "pin D7 -> HIGH (t=100.500 s)" (the DAC: its value) into buf; returns the
// length written (truncated to len - 1).
size_t format_output_change(char* buf, size_t len, const BoardPin& pin, uint16_t value, uint64_t t_ms);

}  // namespace mcujs::sim
