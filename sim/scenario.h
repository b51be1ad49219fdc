// Board scenarios: what a simulated Photon's inputs read over time, shared by
// the Linux board simulator (scenarios parsed from JSON at start,
// ports/linux/scenario.h) and the firmware (scenarios compiled into flash by
// tools/scenario2c.py). Format in docs/board.md. Each input is a Signal, a
// pure function of the time since the run started, so both ports read the
// same values at the same times.
//
// Plain aggregates holding pointers to const arrays: the firmware's generated
// tables are constant-initialized into flash (no heap, no constructors at
// boot); the Linux loader points them at arrays it owns. No exceptions, no
// heap, no std containers here.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mcujs::sim {

// The simulated board's pins: the Particle Photon's numbering.
struct BoardPin {
  const char* name;  // "D7", "A0", "DAC"
  uint16_t number;   // D0..D7 = 0..7, A0..A5 = 10..15, DAC (A6) = 16
  bool analog;       // reads 0..4095 (12-bit ADC) rather than 0/1
};
inline constexpr int kBoardPinCount = 16;
extern const BoardPin kBoardPins[kBoardPinCount];
const BoardPin* board_pin(uint16_t number);        // nullptr if unknown
const BoardPin* board_pin_named(const char* name);  // "D7"; "A6" = DAC
int board_pin_index(uint16_t number);               // index in kBoardPins, -1 if unknown

struct Step {
  uint64_t t_ms;
  double value;
};
struct Spike {
  uint64_t at_ms, end_ms;  // [at, end)
  double value;
};
struct Window {
  uint64_t at_ms, end_ms;  // [at, end)
};

// base (constant, steps or ramp) + optional noise, overridden by spikes.
struct Signal {
  enum class Kind : uint8_t { kConstant, kSteps, kRamp };
  static constexpr uint32_t kMaxSteps = 4096;
  static constexpr uint32_t kMaxSpikes = 1024;

  double at(uint64_t t_ms) const;

  Kind kind = Kind::kConstant;
  double constant = 0;
  const Step* steps = nullptr;  // sorted by t_ms; before the first: its value
  uint32_t step_count = 0;
  double ramp_from = 0, ramp_to = 0;  // linear between start and end, flat outside
  uint64_t ramp_start_ms = 0, ramp_end_ms = 0;
  double noise_amplitude = 0;  // 0: no noise
  uint64_t noise_seed = 0;
  const Spike* spikes = nullptr;
  uint32_t spike_count = 0;
};

// Deterministic noise in [-1, 1) for (seed, t_ms): a splitmix64 hash, NOT a
// cryptographic generator (it only has to repeat exactly between runs).
double noise_unit(uint64_t seed, uint64_t t_ms);

struct PinSignal {
  uint16_t pin = 0;
  Signal signal;
};

struct DhtSensor {
  static constexpr uint32_t kMaxErrors = 1024;
  uint16_t pin = 0;
  Signal temperature, humidity;
  const Window* errors = nullptr;  // reads fail inside these windows
  uint32_t error_count = 0;
  bool failing(uint64_t t_ms) const;
};

struct Scenario {
  bool simulated_clock = false;  // "clock": "simulated" (default "real")
  uint64_t duration_ms = 0;      // "duration_s"; 0: the run is not limited
  const PinSignal* pins = nullptr;  // at most kBoardPinCount, one per pin
  int pin_count = 0;
  const DhtSensor* dht = nullptr;   // at most kBoardPinCount, one per pin
  int dht_count = 0;

  const Signal* pin_signal(uint16_t pin) const;
  const DhtSensor* dht_on(uint16_t pin) const;
};

}  // namespace mcujs::sim
