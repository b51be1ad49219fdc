// Board simulator scenarios: what the simulated Photon's inputs read over
// simulated time. A scenario is a JSON file (format in docs/board.md); each
// input is a Signal, a pure function of the time since the run started, so
// two runs of the same scenario read the same values at the same times.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace mcujs::linux_port {

// The simulated board's pins: the Particle Photon's numbering.
struct BoardPin {
  const char* name;  // "D7", "A0", "DAC"
  uint16_t number;   // D0..D7 = 0..7, A0..A5 = 10..15, DAC (A6) = 16
  bool analog;       // reads 0..4095 (12-bit ADC) rather than 0/1
};
inline constexpr int kBoardPinCount = 15;
extern const BoardPin kBoardPins[kBoardPinCount];
const BoardPin* board_pin(uint16_t number);        // nullptr if unknown
const BoardPin* board_pin_named(const char* name);  // "D7"; "A6" = DAC

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
class Signal {
 public:
  enum class Kind : uint8_t { kConstant, kSteps, kRamp };
  static constexpr uint32_t kMaxSteps = 4096;
  static constexpr uint32_t kMaxSpikes = 1024;

  double at(uint64_t t_ms) const;

  Kind kind = Kind::kConstant;
  double constant = 0;
  std::unique_ptr<Step[]> steps;  // sorted by t_ms; before the first: its value
  uint32_t step_count = 0;
  double ramp_from = 0, ramp_to = 0;  // linear between start and end, flat outside
  uint64_t ramp_start_ms = 0, ramp_end_ms = 0;
  double noise_amplitude = 0;  // 0: no noise
  uint64_t noise_seed = 0;
  std::unique_ptr<Spike[]> spikes;
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
  std::unique_ptr<Window[]> errors;  // reads fail inside these windows
  uint32_t error_count = 0;
  bool failing(uint64_t t_ms) const;
};

struct Scenario {
  bool simulated_clock = false;  // "clock": "simulated" (default "real")
  uint64_t duration_ms = 0;      // "duration_s"; 0: the run is not limited
  PinSignal pins[kBoardPinCount];
  int pin_count = 0;
  DhtSensor dht[kBoardPinCount];
  int dht_count = 0;

  const Signal* pin_signal(uint16_t pin) const;
  const DhtSensor* dht_on(uint16_t pin) const;
};

// Parses scenario JSON. On failure writes "<name>: <field>: <reason>" into err
// and returns false. Never throws.
bool parse_scenario(const char* text, size_t len, const char* name, Scenario* out, char* err,
                    size_t err_len);
// Reads and parses the file at path (at most 1 MiB).
bool load_scenario(const char* path, Scenario* out, char* err, size_t err_len);

}  // namespace mcujs::linux_port
