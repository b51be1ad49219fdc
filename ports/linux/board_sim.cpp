// The simulated board: scenario-driven inputs, logged and traced outputs, and
// the simulated clock (see board_sim.h and docs/board.md).
#include "ports/linux/board_sim.h"

#include <cerrno>
#include <cstring>
#include <ctime>

namespace mcujs::linux_port {

namespace {

uint64_t host_us() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000u + static_cast<uint64_t>(ts.tv_nsec) / 1000u;
}

}  // namespace

bool SimClock::wall_time_ms(int64_t* unix_ms) {
  if (wall_origin_ <= 0) return false;
  *unix_ms = wall_origin_ * 1000 + static_cast<int64_t>(elapsed_us_ / 1000u);
  return true;
}

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

int32_t BoardSim::set_mode(uint16_t pin, port::PinMode mode) { return board_.set_mode(pin, mode); }

int32_t BoardSim::write(uint16_t pin, uint16_t value) {
  const BoardPin* changed = nullptr;
  int32_t rc = board_.write(pin, value, &changed);
  if (changed) output_changed(*changed, value);
  return rc;
}

// Logs and traces one output change (outputs start LOW, so a first write of
// 0 is no change).
void BoardSim::output_changed(const BoardPin& p, uint16_t value) {
  uint64_t t = elapsed_ms();
  if (log_changes_ && log_) {
    char msg[96];
    size_t n = sim::format_output_change(msg, sizeof msg, p, value, t);
    if (n > 0) log_->write(port::LogLevel::kInfo, msg, n);
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

int32_t BoardSim::read(uint16_t pin, uint16_t* value) { return board_.read(pin, elapsed_ms(), value); }

int32_t BoardSim::read(uint16_t pin, int16_t* temperature_c, int16_t* humidity_pct) {
  return board_.read_dht(pin, elapsed_ms(), temperature_c, humidity_pct);
}

}  // namespace mcujs::linux_port
