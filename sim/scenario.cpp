// Scenario signals: the board's pin table and the value of a signal at a
// time. Portable (both ports); the parsers live elsewhere (sim/scenario.h).
#include "sim/scenario.h"

#include <cstring>

namespace mcujs::sim {

const BoardPin kBoardPins[kBoardPinCount] = {
    {"D0", 0, false},  {"D1", 1, false},  {"D2", 2, false},  {"D3", 3, false},  {"D4", 4, false},
    {"D5", 5, false},  {"D6", 6, false},  {"D7", 7, false},  {"A0", 10, true},  {"A1", 11, true},
    {"A2", 12, true},  {"A3", 13, true},  {"A4", 14, true},  {"A5", 15, true},  {"DAC", 16, true},
    {"A7", 17, true},  // WKP on the Photon
};

int board_pin_index(uint16_t number) {
  for (int i = 0; i < kBoardPinCount; i++)
    if (kBoardPins[i].number == number) return i;
  return -1;
}

const BoardPin* board_pin(uint16_t number) {
  int i = board_pin_index(number);
  return i < 0 ? nullptr : &kBoardPins[i];
}

const BoardPin* board_pin_named(const char* name) {
  if (!strcmp(name, "A6")) name = "DAC";
  for (const BoardPin& p : kBoardPins)
    if (!strcmp(p.name, name)) return &p;
  return nullptr;
}

double noise_unit(uint64_t seed, uint64_t t_ms) {
  uint64_t z = seed * 0x9E3779B97F4A7C15ull + t_ms + 0x632BE59BD9B4E019ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * (2.0 / 9007199254740992.0) - 1.0;  // 53 bits
}

// Plain IEEE double arithmetic in a fixed order (no FMA contraction with
// -std=c++20): x86-64 and the Cortex-M3's soft float give the same bits.
double Signal::at(uint64_t t_ms) const {
  for (uint32_t i = 0; i < spike_count; i++)
    if (t_ms >= spikes[i].at_ms && t_ms < spikes[i].end_ms) return spikes[i].value;
  double v = constant;
  if (kind == Kind::kSteps && step_count > 0) {
    // Last step at or before t (binary search); before the first, its value.
    uint32_t lo = 0, hi = step_count;
    while (hi - lo > 1) {
      uint32_t mid = lo + (hi - lo) / 2;
      if (steps[mid].t_ms <= t_ms) lo = mid; else hi = mid;
    }
    v = steps[lo].value;
  } else if (kind == Kind::kRamp) {
    if (t_ms <= ramp_start_ms) v = ramp_from;
    else if (t_ms >= ramp_end_ms) v = ramp_to;
    else
      v = ramp_from + (ramp_to - ramp_from) * static_cast<double>(t_ms - ramp_start_ms) /
                          static_cast<double>(ramp_end_ms - ramp_start_ms);
  }
  if (noise_amplitude > 0) v += noise_amplitude * noise_unit(noise_seed, t_ms);
  return v;
}

bool DhtSensor::failing(uint64_t t_ms) const {
  for (uint32_t i = 0; i < error_count; i++)
    if (t_ms >= errors[i].at_ms && t_ms < errors[i].end_ms) return true;
  return false;
}

const Signal* Scenario::pin_signal(uint16_t pin) const {
  for (int i = 0; i < pin_count; i++)
    if (pins[i].pin == pin) return &pins[i].signal;
  return nullptr;
}

const DhtSensor* Scenario::dht_on(uint16_t pin) const {
  for (int i = 0; i < dht_count; i++)
    if (dht[i].pin == pin) return &dht[i];
  return nullptr;
}

}  // namespace mcujs::sim
