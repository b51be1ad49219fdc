// The simulated board: scenario-driven inputs, logged and traced outputs, and
// the simulated clock (see board_sim.h and docs/board.md).
#include "ports/linux/board_sim.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>

namespace mcujs::linux_port {

namespace {

constexpr uint16_t kDacPin = 16;
constexpr uint16_t kAdcMax = 4095;

uint64_t host_us() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000u + static_cast<uint64_t>(ts.tv_nsec) / 1000u;
}

bool is_input(port::PinMode m) { return m != port::PinMode::kOutput; }

}  // namespace

bool SimClock::wall_time(int64_t* unix_seconds) {
  if (wall_origin_ <= 0) return false;
  *unix_seconds = wall_origin_ + static_cast<int64_t>(elapsed_us_ / 1000000u);
  return true;
}

void SimPoller::wait(uint32_t timeout_ms) {
  if (timeout_ms == 0) {  // only a check: takes no simulated time
    host_->wait(0);
    return;
  }
  uint64_t t0 = host_us();
  host_->wait(timeout_ms);
  clock_->advance_us(host_us() - t0);
}

BoardSim::~BoardSim() {
  if (trace_) fclose(trace_);
}

bool BoardSim::init(const char* scenario_path, const char* trace_path, char* err, size_t err_len) {
  if (scenario_path && !load_scenario(scenario_path, &scenario_, err, err_len)) return false;
  if (trace_path) {
    trace_ = fopen(trace_path, "w");
    if (!trace_) {
      snprintf(err, err_len, "%s: cannot create the trace file: %s", trace_path, strerror(errno));
      return false;
    }
    trace_path_ = trace_path;
  }
  return true;
}

void BoardSim::attach(port::Platform* p, port::LogLevel level) {
  log_ = p->log;
  log_changes_ = level <= port::LogLevel::kInfo;
  if (scenario_.simulated_clock) {
    int64_t wall = 0;
    if (!p->clock->wall_time(&wall)) wall = 0;
    sim_clock_.start(p->clock->monotonic_ms(), wall);
    sim_poller_.set_host(p->poller);
    p->clock = &sim_clock_;
    p->poller = &sim_poller_;
  }
  clock_ = p->clock;
  start_ms_ = clock_->monotonic_ms();
  p->gpio = this;
  p->climate = this;
}

uint64_t BoardSim::end_ms() const {
  return scenario_.duration_ms ? start_ms_ + scenario_.duration_ms : UINT64_MAX;
}

uint64_t BoardSim::elapsed_ms() const { return clock_ ? clock_->monotonic_ms() - start_ms_ : 0; }

int BoardSim::index_of(uint16_t pin) const {
  for (int i = 0; i < kBoardPinCount; i++)
    if (kBoardPins[i].number == pin) return i;
  return -1;
}

int32_t BoardSim::set_mode(uint16_t pin, port::PinMode mode) {
  int i = index_of(pin);
  if (i < 0) return port::kInvalid;
  pins_[i].mode = mode;
  return port::kOk;
}

int32_t BoardSim::write(uint16_t pin, uint16_t value) {
  int i = index_of(pin);
  if (i < 0 || is_input(pins_[i].mode)) return port::kInvalid;
  if (value > (pin == kDacPin ? kAdcMax : 1)) return port::kInvalid;
  if (pins_[i].out != value) {
    pins_[i].out = value;
    output_changed(kBoardPins[i], value);
  }
  return port::kOk;
}

// Logs and traces one output change (outputs start LOW, so a first write of
// 0 is no change).
void BoardSim::output_changed(const BoardPin& p, uint16_t value) {
  uint64_t t = elapsed_ms();
  if (log_changes_ && log_) {
    char msg[96];
    char val[8];
    if (p.number == kDacPin) snprintf(val, sizeof val, "%u", value);
    else snprintf(val, sizeof val, "%s", value ? "HIGH" : "LOW");
    int n = snprintf(msg, sizeof msg, "pin %s -> %s (t=%llu.%03llu s)", p.name, val,
                     static_cast<unsigned long long>(t / 1000), static_cast<unsigned long long>(t % 1000));
    if (n > 0) log_->write(port::LogLevel::kInfo, msg, static_cast<size_t>(n) < sizeof msg ? static_cast<size_t>(n) : sizeof msg - 1);
  }
  if (trace_ && !trace_failed_) {
    int n = fprintf(trace_, "{\"t_ms\": %llu, \"pin\": \"%s\", \"value\": %u}\n",
                    static_cast<unsigned long long>(t), p.name, value);
    if (n < 0 || fflush(trace_) != 0) {
      trace_failed_ = true;  // say it once, keep running
      if (log_) {
        char msg[300];
        int m = snprintf(msg, sizeof msg, "board: cannot write the trace file %s; tracing stops", trace_path_);
        if (m > 0) log_->write(port::LogLevel::kError, msg, static_cast<size_t>(m) < sizeof msg ? static_cast<size_t>(m) : sizeof msg - 1);
      }
    }
  }
}

int32_t BoardSim::read(uint16_t pin, uint16_t* value) {
  int i = index_of(pin);
  if (i < 0 || !value) return port::kInvalid;
  const BoardPin& p = kBoardPins[i];
  const PinState& st = pins_[i];
  if (!is_input(st.mode)) {  // an output reads back what was written
    *value = st.out;
    return port::kOk;
  }
  const Signal* s = scenario_.pin_signal(pin);
  if (!s) {  // nothing connected: only a pull-up gives a level
    bool up = st.mode == port::PinMode::kInputPullup;
    *value = up ? (p.analog ? kAdcMax : 1) : 0;
    return port::kOk;
  }
  double v = s->at(elapsed_ms());
  if (!p.analog) {
    *value = v >= 0.5 ? 1 : 0;
  } else {
    double r = std::round(v);
    *value = r <= 0 ? 0 : r >= kAdcMax ? kAdcMax : static_cast<uint16_t>(r);
  }
  return port::kOk;
}

int32_t BoardSim::read(uint16_t pin, int16_t* temperature_c, int16_t* humidity_pct) {
  if (index_of(pin) < 0 || !temperature_c || !humidity_pct) return port::kInvalid;
  const DhtSensor* d = scenario_.dht_on(pin);
  if (!d) return port::kTimeout;  // no sensor answers on this pin
  uint64_t t = elapsed_ms();
  if (d->failing(t)) return port::kIo;
  // A DHT11 reports whole numbers; humidity is a percentage.
  double temp = std::round(d->temperature.at(t));
  double hum = std::round(d->humidity.at(t));
  *temperature_c = static_cast<int16_t>(temp < -32768 ? -32768 : temp > 32767 ? 32767 : temp);
  *humidity_pct = static_cast<int16_t>(hum < 0 ? 0 : hum > 100 ? 100 : hum);
  return port::kOk;
}

}  // namespace mcujs::linux_port
