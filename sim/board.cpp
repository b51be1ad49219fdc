// The simulated board's pin and DHT logic (see board.h).
#include "sim/board.h"

#include <cmath>
#include <cstdio>

namespace mcujs::sim {

namespace {

constexpr uint16_t kDacPin = 16;
constexpr uint16_t kAdcMax = 4095;

bool is_input(port::PinMode m) { return m != port::PinMode::kOutput; }

}  // namespace

int32_t Board::set_mode(uint16_t pin, port::PinMode mode) {
  int i = board_pin_index(pin);
  if (i < 0) return port::kInvalid;
  pins_[i].mode = mode;
  return port::kOk;
}

int32_t Board::write(uint16_t pin, uint16_t value, const BoardPin** changed) {
  *changed = nullptr;
  int i = board_pin_index(pin);
  if (i < 0 || is_input(pins_[i].mode)) return port::kInvalid;
  if (value > (pin == kDacPin ? kAdcMax : 1)) return port::kInvalid;
  if (pins_[i].out != value) {
    pins_[i].out = value;
    *changed = &kBoardPins[i];
  }
  return port::kOk;
}

int32_t Board::read(uint16_t pin, uint64_t t_ms, uint16_t* value) const {
  int i = board_pin_index(pin);
  if (i < 0 || !value) return port::kInvalid;
  const BoardPin& p = kBoardPins[i];
  const PinState& st = pins_[i];
  if (!is_input(st.mode)) {  // an output reads back what was written
    *value = st.out;
    return port::kOk;
  }
  const Signal* s = scenario_ ? scenario_->pin_signal(pin) : nullptr;
  if (!s) {  // nothing connected: only a pull-up gives a level
    bool up = st.mode == port::PinMode::kInputPullup;
    *value = up ? (p.analog ? kAdcMax : 1) : 0;
    return port::kOk;
  }
  double v = s->at(t_ms);
  if (!p.analog) {
    *value = v >= 0.5 ? 1 : 0;
  } else {
    double r = std::round(v);
    *value = r <= 0 ? 0 : r >= kAdcMax ? kAdcMax : static_cast<uint16_t>(r);
  }
  return port::kOk;
}

int32_t Board::read_dht(uint16_t pin, uint64_t t_ms, int16_t* temperature_c, int16_t* humidity_pct) const {
  if (board_pin_index(pin) < 0 || !temperature_c || !humidity_pct) return port::kInvalid;
  const DhtSensor* d = scenario_ ? scenario_->dht_on(pin) : nullptr;
  if (!d) return port::kTimeout;  // no sensor answers on this pin
  if (d->failing(t_ms)) return port::kIo;
  // A DHT11 reports whole numbers; humidity is a percentage.
  double temp = std::round(d->temperature.at(t_ms));
  double hum = std::round(d->humidity.at(t_ms));
  *temperature_c = static_cast<int16_t>(temp < -32768 ? -32768 : temp > 32767 ? 32767 : temp);
  *humidity_pct = static_cast<int16_t>(hum < 0 ? 0 : hum > 100 ? 100 : hum);
  return port::kOk;
}

size_t format_output_change(char* buf, size_t len, const BoardPin& pin, uint16_t value, uint64_t t_ms) {
  if (len == 0) return 0;
  char val[8];
  if (pin.number == kDacPin) snprintf(val, sizeof val, "%u", value);
  else snprintf(val, sizeof val, "%s", value ? "HIGH" : "LOW");
  // unsigned long, not %llu: newlib-nano's printf has no long long. Seconds
  // fit 32 bits for 136 years.
  unsigned long s = static_cast<unsigned long>(t_ms / 1000), ms = static_cast<unsigned long>(t_ms % 1000);
  int n = snprintf(buf, len, "pin %s -> %s (t=%lu.%03lu s)", pin.name, val, s, ms);
  if (n < 0) return 0;
  return static_cast<size_t>(n) < len ? static_cast<size_t>(n) : len - 1;
}

}  // namespace mcujs::sim
