// The firmware's compiled scenarios equal the Linux port's parsed ones: for
// each scenario file, the tables tools/scenario2c.py generated (linked in as
// scenario_<name>(), see board.cmake) and what ports/linux/scenario.cpp
// loads from the same file hold the same pins, signals and windows, with
// bit-identical numbers, and read the same at a sweep of times.
//   board_scenario_tables SOURCE_DIR
#include <cstdio>
#include <cstring>
#include <memory>

#include "ports/linux/scenario.h"
#include "sim/board.h"

namespace sim = mcujs::sim;

const sim::Scenario& scenario_sim();
const sim::Scenario& scenario_hour();
const sim::Scenario& scenario_day();
const sim::Scenario& scenario_demo();
const sim::Scenario& scenario_e2e();
const sim::Scenario& scenario_dht();
const sim::Scenario& scenario_pins();

namespace {

struct File {
  const char* path;  // relative to the source directory
  const sim::Scenario& (*compiled)();
};
const File kFiles[] = {
    {"tests/firmware/sim_scenario.json", scenario_sim},
    {"tests/board/hour.json", scenario_hour},
    {"tests/board/day.json", scenario_day},
    {"apps/sensor-hub/scenarios/demo.json", scenario_demo},
    {"apps/sensor-hub/scenarios/e2e.json", scenario_e2e},
    {"tests/js/fixtures/board/dht.json", scenario_dht},
    {"tests/js/fixtures/board/pins.json", scenario_pins},
};

int g_failures = 0;

void fail(const char* file, const char* what) {
  printf("FAIL: %s: %s differs\n", file, what);
  g_failures++;
}

bool same_double(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

template <typename T>
bool same_rows(const T* a, const T* b, uint32_t n) {
  return n == 0 || (a && b && memcmp(a, b, n * sizeof(T)) == 0);  // plain structs, no padding
}

bool same_signal(const sim::Signal& a, const sim::Signal& b) {
  return a.kind == b.kind && same_double(a.constant, b.constant) && a.step_count == b.step_count &&
         same_rows(a.steps, b.steps, a.step_count) && same_double(a.ramp_from, b.ramp_from) &&
         same_double(a.ramp_to, b.ramp_to) && a.ramp_start_ms == b.ramp_start_ms &&
         a.ramp_end_ms == b.ramp_end_ms && same_double(a.noise_amplitude, b.noise_amplitude) &&
         a.noise_seed == b.noise_seed && a.spike_count == b.spike_count &&
         same_rows(a.spikes, b.spikes, a.spike_count);
}

void compare(const char* name, const sim::Scenario& parsed, const sim::Scenario& compiled) {
  if (parsed.simulated_clock != compiled.simulated_clock) fail(name, "clock");
  if (parsed.duration_ms != compiled.duration_ms) fail(name, "duration_s");
  if (parsed.pin_count != compiled.pin_count) return fail(name, "the number of pins");
  if (parsed.dht_count != compiled.dht_count) return fail(name, "the number of DHT sensors");
  for (int i = 0; i < parsed.pin_count; i++) {
    if (parsed.pins[i].pin != compiled.pins[i].pin) fail(name, "a pin number");
    if (!same_signal(parsed.pins[i].signal, compiled.pins[i].signal)) fail(name, "a pin signal");
  }
  for (int i = 0; i < parsed.dht_count; i++) {
    const sim::DhtSensor &a = parsed.dht[i], &b = compiled.dht[i];
    if (a.pin != b.pin) fail(name, "a DHT pin");
    if (!same_signal(a.temperature, b.temperature)) fail(name, "a DHT temperature");
    if (!same_signal(a.humidity, b.humidity)) fail(name, "a DHT humidity");
    if (a.error_count != b.error_count || !same_rows(a.errors, b.errors, a.error_count))
      fail(name, "DHT error windows");
  }
  // And the readings, every pin and sensor, over a day in uneven steps.
  sim::Board pa(&parsed), pb(&compiled);
  for (uint64_t t = 0; t < 86400000; t += 997) {
    for (const sim::BoardPin& p : sim::kBoardPins) {
      uint16_t va = 1, vb = 2;
      int16_t ta = 1, tb = 2, ha = 1, hb = 2;
      int32_t rpa = pa.read(p.number, t, &va), rpb = pb.read(p.number, t, &vb);
      if (rpa != rpb || va != vb) return fail(name, "a pin reading");
      int32_t ra = pa.read_dht(p.number, t, &ta, &ha), rb = pb.read_dht(p.number, t, &tb, &hb);
      if (ra != rb || (ra == mcujs::port::kOk && (ta != tb || ha != hb))) return fail(name, "a DHT reading");
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: board_scenario_tables SOURCE_DIR\n");
    return 2;
  }
  for (const File& f : kFiles) {
    char path[1024], err[512];
    snprintf(path, sizeof path, "%s/%s", argv[1], f.path);
    auto parsed = std::make_unique<mcujs::linux_port::Scenario>();
    if (!mcujs::linux_port::load_scenario(path, parsed.get(), err, sizeof err)) {
      printf("FAIL: %s\n", err);
      g_failures++;
      continue;
    }
    compare(f.path, *parsed, f.compiled());
  }
  if (g_failures) return 1;
  printf("ok: %zu scenarios, identical tables and readings\n", sizeof kFiles / sizeof kFiles[0]);
  return 0;
}
