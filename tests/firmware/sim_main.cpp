// Test image for the firmware's simulated board: reads the pins and the DHT11
// of the scenario compiled in (sim_scenario.json) through port::Gpio and
// port::Climate at fixed times, skipping the simulated clock to each, and
// prints one line per time through the log sink. The Linux board simulator
// prints the same lines for the same scenario (sim_samples.js); both must
// equal sim.expected.
#include <cstdarg>
#include <cstdio>

#include "port/port.h"
#include "ports/mps2-an385/mps2_port.h"
#include "ports/mps2-an385/emulation/sim_board.h"

namespace {

using namespace mcujs;

// The sample times in ms: the same list as kTimes in sim_samples.js.
constexpr uint64_t kTimes[] = {0,       1,       499,     500,     501,     1499,    1500,    7249,
                               7250,    12345,   33333,   45249,   45250,   56249,   56250,   100199,
                               100200,  101199,  101200,  1800000, 3004999, 3005000, 3005999, 3006000,
                               3009999, 3010000, 3599999, 3600000, 86400000};

struct Pin {
  const char* name;
  uint16_t number;
};
constexpr Pin kPins[] = {{"D0", 0},  {"D1", 1},  {"D3", 3},  {"D7", 7},  {"A0", 10},
                         {"A1", 11}, {"A2", 12}, {"A3", 13}, {"A4", 14}, {"DAC", 16}};

// Interrupts masked: SysTick stays pending, so the board's time moves only by
// skip() and every read of a sample happens at exactly its time.
void irq_off() { __asm__ volatile("cpsid i" ::: "memory"); }
void irq_on() { __asm__ volatile("cpsie i" ::: "memory"); }

// A bounded line of text; ok() is false once something did not fit.
class Line {
 public:
  __attribute__((format(printf, 2, 3))) void add(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int m = ok_ ? vsnprintf(buf_ + n_, sizeof buf_ - n_, fmt, ap) : -1;
    va_end(ap);
    if (m < 0 || static_cast<size_t>(m) >= sizeof buf_ - n_) ok_ = false;
    else n_ += static_cast<size_t>(m);
  }
  bool ok() const { return ok_; }
  const char* text() const { return buf_; }
  size_t size() const { return n_; }

 private:
  char buf_[200] = {};
  size_t n_ = 0;
  bool ok_ = true;
};

void dht(port::Climate& c, uint16_t pin, char* out, size_t cap) {
  int16_t t = 0, h = 0;
  int32_t rc = c.read(pin, &t, &h);
  if (rc == port::kOk) snprintf(out, cap, "%d,%d", t, h);
  else snprintf(out, cap, "%s", port::error_name(rc));
}

int run() {
  mps2::SysTickClock clock;
  mps2::UartLog log;
  port::Platform p{.clock = &clock, .log = &log};
  mps2::SimBoard board(mcujs_firmware_scenario(), clock);

  irq_off();
  board.attach(&p, port::LogLevel::kInfo);
  if (p.gpio != &board || p.climate != &board || !clock.simulated()) {
    printf("FAIL: the board is not attached with a simulated clock\n");
    return 1;
  }
  port::Gpio& gpio = *p.gpio;
  gpio.set_mode(3, port::PinMode::kInputPullup);
  gpio.set_mode(13, port::PinMode::kInputPullup);
  gpio.set_mode(7, port::PinMode::kOutput);
  gpio.write(7, 1);  // logged: "pin D7 -> HIGH (t=0.000 s)"

  for (uint64_t t : kTimes) {
    uint64_t now = board.elapsed_ms();
    if (now > t) {
      printf("FAIL: at %lu ms already, sample %lu ms is past\n", static_cast<unsigned long>(now),
             static_cast<unsigned long>(t));
      return 1;
    }
    for (uint64_t left = t - now; left > 0;) {  // skip takes 32 bits at a time
      uint32_t step = left > 0xFFFFFFFFu ? 0xFFFFFFFFu : static_cast<uint32_t>(left);
      clock.skip(step);
      left -= step;
    }
    Line line;
    line.add("SIM t=%lu", static_cast<unsigned long>(t));
    for (const Pin& pin : kPins) {
      uint16_t v = 0;
      if (gpio.read(pin.number, &v) != port::kOk) {
        printf("FAIL: cannot read %s\n", pin.name);
        return 1;
      }
      line.add(" %s=%u", pin.name, v);
    }
    char d2[16], d4[16];
    dht(*p.climate, 2, d2, sizeof d2);
    dht(*p.climate, 4, d4, sizeof d4);
    line.add(" DHT2=%s DHT4=%s", d2, d4);
    if (board.elapsed_ms() != t || !line.ok()) {
      printf("FAIL: sample %lu ms (time moved or line too long)\n", static_cast<unsigned long>(t));
      return 1;
    }
    log.write(port::LogLevel::kInfo, line.text(), line.size());
  }
  // The scenario's duration_s, as the end of the run the board reports.
  uint64_t end_in = board.end_ms() - (clock.monotonic_ms() - board.elapsed_ms());

  // The SysTick keeps counting under a simulated clock: 20 ms of real time
  // pass (WFI until each tick), and a real clock does not skip.
  irq_on();
  uint64_t before = board.elapsed_ms();
  for (int i = 0; i < 1000 && board.elapsed_ms() < before + 20; i++) __asm__ volatile("wfi");
  uint64_t after = board.elapsed_ms();
  clock.set_simulated(false);
  bool skipped = clock.skip(1000);
  printf("SIM duration %lu s, ticks %s, real clock skip %s\n", static_cast<unsigned long>(end_in / 1000),
         after >= before + 20 ? "advance" : "STOPPED", skipped ? "MOVED" : "refused");
  mps2::MemoryReport r = mps2::memory_report();
  printf("SIM static_ram=%lu\n", static_cast<unsigned long>(r.static_ram));
  return 0;
}

}  // namespace

int main() { return mcujs::mps2::run_image(run); }
