// The Linux board simulator's scenario files: the JSON loader for the shared
// scenario model (sim/scenario.h; format in docs/board.md). A Scenario here
// is the shared model plus the arrays the loader allocated for it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "sim/scenario.h"

namespace mcujs::linux_port {

using sim::BoardPin;
using sim::board_pin;
using sim::board_pin_named;
using sim::DhtSensor;
using sim::kBoardPinCount;
using sim::kBoardPins;
using sim::noise_unit;
using sim::PinSignal;
using sim::Signal;
using sim::Spike;
using sim::Step;
using sim::Window;

// The model's pins and sensors live in pin_store/dht_store; steps, spikes and
// error windows in arrays owned here (at most one of each per signal, two
// signals per DHT sensor, one pin or sensor per board pin). Not copyable: the
// model points into it.
struct Scenario : sim::Scenario {
  Scenario() {
    pins = pin_store;
    dht = dht_store;
  }
  Scenario(const Scenario&) = delete;
  Scenario& operator=(const Scenario&) = delete;

  PinSignal pin_store[kBoardPinCount];
  DhtSensor dht_store[kBoardPinCount];
  static constexpr int kMaxArrays = 2 * kBoardPinCount;
  std::unique_ptr<Step[]> owned_steps[kMaxArrays];
  std::unique_ptr<Spike[]> owned_spikes[kMaxArrays];
  std::unique_ptr<Window[]> owned_windows[kBoardPinCount];
  int steps_used = 0, spikes_used = 0, windows_used = 0;
};

// Parses scenario JSON. On failure writes "<name>: <field>: <reason>" into err
// and returns false. Never throws.
bool parse_scenario(const char* text, size_t len, const char* name, Scenario* out, char* err,
                    size_t err_len);
// Reads and parses the file at path (at most 1 MiB).
bool load_scenario(const char* path, Scenario* out, char* err, size_t err_len);

}  // namespace mcujs::linux_port
