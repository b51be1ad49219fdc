// The Linux board simulator: a simulated Particle Photon whose inputs follow
// a scenario (ports/linux/scenario.h; the pin logic is sim/board.h, shared
// with the firmware) and whose outputs are logged and traced,
// plus the simulated clock that lets a day of sensor time run in seconds.
// See docs/board.md.
#pragma once

#include <cstdint>
#include <cstdio>

#include "port/port.h"
#include "ports/linux/scenario.h"
#include "sim/board.h"

namespace mcujs::linux_port {

// Time that moves only when told: by skip() (the event loop had nothing in
// flight and jumps to its next deadline) or by the real duration of a poller
// wait (SimPoller, while network I/O is in flight). Never by the time the
// program itself runs, so runs are deterministic while nothing is in flight.
class SimClock final : public port::Clock {
 public:
  // origin_ms: where monotonic time starts; wall_origin: the host's Unix
  // time at start (0 if unknown: wall_time then fails).
  void start(uint64_t origin_ms, int64_t wall_origin) {
    origin_ms_ = origin_ms;
    wall_origin_ = wall_origin;
    elapsed_us_ = 0;
  }
  uint64_t monotonic_ms() override { return origin_ms_ + elapsed_us_ / 1000u; }
  bool wall_time(int64_t* unix_seconds) override;
  bool wall_time_ms(int64_t* unix_ms) override;
  bool skip(uint32_t ms) override {
    elapsed_us_ += static_cast<uint64_t>(ms) * 1000u;
    return true;
  }
  void advance_us(uint64_t us) { elapsed_us_ += us; }

 private:
  uint64_t origin_ms_ = 0;
  int64_t wall_origin_ = 0;
  uint64_t elapsed_us_ = 0;
};

// Wraps the host poller: a real wait advances the simulated clock by the
// real time it took (so connect and handshake timeouts still expire).
class SimPoller final : public port::Poller {
 public:
  SimPoller(port::Poller* host, SimClock* clock) : host_(host), clock_(clock) {}
  void wait(uint32_t timeout_ms) override;
  void set_host(port::Poller* host) { host_ = host; }

 private:
  port::Poller* host_;
  SimClock* clock_;
};

class BoardSim final : public port::Gpio, public port::Climate {
 public:
  BoardSim() = default;
  ~BoardSim() override;
  BoardSim(const BoardSim&) = delete;
  BoardSim& operator=(const BoardSim&) = delete;

  // Loads the scenario (scenario_path may be null: every input reads 0, no
  // DHT sensor answers, real clock) and opens the trace file (trace_path may
  // be null). On failure writes a reason naming the file and field into err.
  bool init(const char* scenario_path, const char* trace_path, char* err, size_t err_len);

  // Puts the simulator into p: gpio and climate, and with a simulated clock
  // also clock and poller (wrapping p's). Pin changes are logged through
  // p's log sink at info level when `level` allows it. Time 0 is now.
  void attach(port::Platform* p, port::LogLevel level);

  // Monotonic ms at which the scenario's duration_s is reached, or UINT64_MAX.
  uint64_t end_ms() const;
  // Simulated ms since attach().
  uint64_t elapsed_ms() const;
  bool simulated_clock() const { return scenario_.simulated_clock; }

  int32_t set_mode(uint16_t pin, port::PinMode mode) override;
  int32_t write(uint16_t pin, uint16_t value) override;
  int32_t read(uint16_t pin, uint16_t* value) override;
  int32_t read(uint16_t pin, int16_t* temperature_c, int16_t* humidity_pct) override;

 private:
  void output_changed(const BoardPin& p, uint16_t value);

  Scenario scenario_;
  sim::Board board_{&scenario_};
  SimClock sim_clock_;  // used only with "clock": "simulated"
  SimPoller sim_poller_{nullptr, &sim_clock_};
  port::Clock* clock_ = nullptr;   // the clock in use (simulated or host)
  port::LogSink* log_ = nullptr;
  bool log_changes_ = false;
  uint64_t start_ms_ = 0;
  FILE* trace_ = nullptr;
  const char* trace_path_ = nullptr;
  bool trace_failed_ = false;
};

}  // namespace mcujs::linux_port
