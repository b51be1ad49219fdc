// The firmware's simulated board: port::Gpio + port::Climate whose inputs
// follow the scenario compiled into the image (tools/scenario2c.py,
// sim/compiled_scenario.h), read at the board's monotonic time, with the pin
// logic shared with the Linux board simulator (sim/board.h), so both ports
// read the same values from the same scenario (docs/board.md). With
// "clock": "simulated" it makes the SysTick clock skip idle waits.
// EMULATION ONLY in spirit: a real board reads its pins and DHT11 instead.
#pragma once

#include <cstdint>

#include "port/port.h"
#include "ports/mps2-an385/mps2_port.h"
#include "sim/board.h"
#include "sim/compiled_scenario.h"

namespace mcujs::mps2 {

class SimBoard final : public port::Gpio, public port::Climate {
 public:
  // scenario: usually mcujs_firmware_scenario() (in flash; it must outlive
  // the board). clock: the board's clock, made simulated if the scenario
  // asks for it.
  SimBoard(const sim::Scenario& scenario, SysTickClock& clock) : board_(&scenario), clock_(clock) {}
  SimBoard(const SimBoard&) = delete;
  SimBoard& operator=(const SimBoard&) = delete;

  // Puts the board into p (gpio, climate) and, with a simulated scenario
  // clock, switches the clock to skipping. Output changes are logged through
  // p's log sink at info level when `level` allows it. Time 0 is now.
  void attach(port::Platform* p, port::LogLevel level);

  // Monotonic ms at which the scenario's duration_s is reached, or UINT64_MAX.
  uint64_t end_ms() const;
  // ms since attach() (the time the scenario is read at).
  uint64_t elapsed_ms() const { return clock_.monotonic_ms() - start_ms_; }
  bool simulated_clock() const { return board_.scenario()->simulated_clock; }

  int32_t set_mode(uint16_t pin, port::PinMode mode) override { return board_.set_mode(pin, mode); }
  int32_t write(uint16_t pin, uint16_t value) override;
  int32_t read(uint16_t pin, uint16_t* value) override { return board_.read(pin, elapsed_ms(), value); }
  int32_t read(uint16_t pin, int16_t* temperature_c, int16_t* humidity_pct) override {
    return board_.read_dht(pin, elapsed_ms(), temperature_c, humidity_pct);
  }

 private:
  sim::Board board_;
  SysTickClock& clock_;
  port::LogSink* log_ = nullptr;
  bool log_changes_ = false;
  uint64_t start_ms_ = 0;
};

}  // namespace mcujs::mps2
