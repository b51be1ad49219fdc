// Board simulator scenarios: the signal functions and the parser's errors.
#include "ports/linux/scenario.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <string>

using namespace mcujs::linux_port;

namespace {

struct Parsed {
  std::unique_ptr<Scenario> sc{new Scenario};
  bool ok = false;
  char err[512] = {};
};

std::unique_ptr<Parsed> parse(const char* json) {
  auto p = std::make_unique<Parsed>();
  p->ok = parse_scenario(json, strlen(json), "s.json", p->sc.get(), p->err, sizeof p->err);
  return p;
}

const Signal& pin(const Parsed& p, const char* name) {
  const Signal* s = p.sc->pin_signal(board_pin_named(name)->number);
  EXPECT_NE(s, nullptr) << name;
  return *s;
}

}  // namespace

TEST(BoardScenario, PinTable) {
  EXPECT_EQ(board_pin_named("D7")->number, 7);
  EXPECT_EQ(board_pin_named("A0")->number, 10);
  EXPECT_EQ(board_pin_named("DAC")->number, 16);
  EXPECT_EQ(board_pin_named("A6")->number, 16);
  EXPECT_TRUE(board_pin_named("A5")->analog);
  EXPECT_FALSE(board_pin_named("D0")->analog);
  EXPECT_EQ(board_pin_named("D8"), nullptr);
  EXPECT_EQ(board_pin(8), nullptr);
  EXPECT_STREQ(board_pin(15)->name, "A5");
}

TEST(BoardScenario, ConstantStepsAndRamp) {
  auto p = parse(R"({"pins": {
      "D0": {"constant": 1},
      "D1": {"steps": [[1, 5], [2.5, 7], [10, -3]]},
      "A0": {"ramp": {"from": 100, "to": 200, "start_s": 10, "end_s": 20}}}})");
  ASSERT_TRUE(p->ok) << p->err;
  EXPECT_FALSE(p->sc->simulated_clock);
  EXPECT_EQ(p->sc->duration_ms, 0u);
  EXPECT_EQ(pin(*p, "D0").at(0), 1);
  EXPECT_EQ(pin(*p, "D0").at(123456789), 1);
  const Signal& st = pin(*p, "D1");
  EXPECT_EQ(st.at(0), 5);  // before the first step: its value
  EXPECT_EQ(st.at(1000), 5);
  EXPECT_EQ(st.at(2499), 5);
  EXPECT_EQ(st.at(2500), 7);
  EXPECT_EQ(st.at(9999), 7);
  EXPECT_EQ(st.at(10000), -3);
  EXPECT_EQ(st.at(99999999), -3);
  const Signal& r = pin(*p, "A0");
  EXPECT_EQ(r.at(0), 100);
  EXPECT_EQ(r.at(10000), 100);
  EXPECT_DOUBLE_EQ(r.at(12500), 125);
  EXPECT_DOUBLE_EQ(r.at(15000), 150);
  EXPECT_EQ(r.at(20000), 200);
  EXPECT_EQ(r.at(30000), 200);
}

TEST(BoardScenario, NoiseIsDeterministicAndBounded) {
  auto p = parse(R"({"pins": {"A0": {"constant": 1000, "noise": {"amplitude": 50, "seed": 7}},
                              "A1": {"constant": 1000, "noise": {"amplitude": 50, "seed": 8}}}})");
  ASSERT_TRUE(p->ok) << p->err;
  const Signal& a = pin(*p, "A0");
  const Signal& b = pin(*p, "A1");
  double lo = 1e9, hi = -1e9;
  int differ = 0;
  for (uint64_t t = 0; t < 200000; t += 500) {
    double v = a.at(t);
    EXPECT_EQ(v, a.at(t)) << "same time, same value";
    EXPECT_GE(v, 950);
    EXPECT_LT(v, 1050);
    lo = std::fmin(lo, v);
    hi = std::fmax(hi, v);
    differ += v != b.at(t);
  }
  EXPECT_LT(lo, 960) << "noise spans its amplitude";
  EXPECT_GT(hi, 1040);
  EXPECT_GT(differ, 390) << "another seed, other noise";
  // Fixed values: a change of the generator would change every trace.
  EXPECT_EQ(noise_unit(7, 0), noise_unit(7, 0));
  EXPECT_NE(noise_unit(7, 0), noise_unit(7, 1));
}

TEST(BoardScenario, SpikesOverrideBaseAndNoise) {
  auto p = parse(R"({"pins": {"A0": {"ramp": {"from": 0, "to": 1000, "start_s": 0, "end_s": 100},
      "noise": {"amplitude": 10, "seed": 1},
      "spikes": [{"at_s": 20.25, "duration_s": 1.5, "value": 3000}, {"at_s": 50, "duration_s": 0.001, "value": 7}]}}})");
  ASSERT_TRUE(p->ok) << p->err;
  const Signal& s = pin(*p, "A0");
  EXPECT_NE(s.at(20249), 3000);
  EXPECT_EQ(s.at(20250), 3000);
  EXPECT_EQ(s.at(21749), 3000);
  EXPECT_NE(s.at(21750), 3000);
  EXPECT_EQ(s.at(50000), 7);
  EXPECT_NE(s.at(50001), 7);
}

TEST(BoardScenario, DhtSensorsWithErrorWindows) {
  auto p = parse(R"({"clock": "simulated", "duration_s": 3600, "description": "x",
      "dht11": {"D2": {"temperature": {"constant": 21.4}, "humidity": {"steps": [[0, 40], [60, 80]]},
                       "errors": [{"at_s": 10, "duration_s": 2}]}}})");
  ASSERT_TRUE(p->ok) << p->err;
  EXPECT_TRUE(p->sc->simulated_clock);
  EXPECT_EQ(p->sc->duration_ms, 3600000u);
  const DhtSensor* d = p->sc->dht_on(2);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(p->sc->dht_on(3), nullptr);
  EXPECT_DOUBLE_EQ(d->temperature.at(5), 21.4);
  EXPECT_EQ(d->humidity.at(59999), 40);
  EXPECT_EQ(d->humidity.at(60000), 80);
  EXPECT_FALSE(d->failing(9999));
  EXPECT_TRUE(d->failing(10000));
  EXPECT_TRUE(d->failing(11999));
  EXPECT_FALSE(d->failing(12000));
}

TEST(BoardScenario, EmptyScenarioIsValid) {
  auto p = parse("{}");
  ASSERT_TRUE(p->ok) << p->err;
  EXPECT_EQ(p->sc->pin_count, 0);
  EXPECT_EQ(p->sc->dht_count, 0);
}

TEST(BoardScenario, ErrorsNameTheFileAndField) {
  struct Case {
    const char* json;
    const char* want;
  };
  const Case cases[] = {
      {"{", "s.json: (file): not valid JSON"},
      {"[]", "s.json: (top level): must be a JSON object"},
      {R"({"pinz": {}})", "unknown field 'pinz'"},
      {R"({"clock": "fast"})", "s.json: clock: must be \"simulated\" or \"real\""},
      {R"({"duration_s": "1h"})", "duration_s: must be a number"},
      {R"({"duration_s": -1})", "duration_s: must be a time in seconds"},
      {R"({"duration_s": 0})", "duration_s: must be at least 0.001"},
      {R"({"pins": []})", "s.json: pins: must be an object"},
      {R"({"pins": {"D9": {"constant": 1}}})", "s.json: pins.D9: unknown pin"},
      {R"({"pins": {"D1": 5}})", "pins.D1: must be an object with one of constant"},
      {R"({"pins": {"D1": {}}})", "pins.D1: needs exactly one of constant, steps or ramp (got 0)"},
      {R"({"pins": {"D1": {"constant": 1, "ramp": {}}}})", "needs exactly one of constant, steps or ramp (got 2)"},
      {R"({"pins": {"D1": {"constant": "1"}}})", "pins.D1.constant: must be a number"},
      {R"({"pins": {"D1": {"constant": 1, "nois": {}}}})", "pins.D1: unknown field 'nois'"},
      {R"({"pins": {"D1": {"steps": []}}})", "pins.D1.steps: must be a non-empty array"},
      {R"({"pins": {"D1": {"steps": [[0, 1], [1]]}}})", "pins.D1.steps[1]: must be [t_s, value]"},
      {R"({"pins": {"D1": {"steps": [[5, 1], [5, 0]]}}})", "pins.D1.steps[1]: t_s must increase"},
      {R"({"pins": {"D1": {"steps": [[-1, 1]]}}})", "pins.D1.steps[0]: t_s must be in 0.."},
      {R"({"pins": {"A0": {"ramp": {"from": 0, "to": 1, "start_s": 0}}}})", "pins.A0.ramp.end_s: missing"},
      {R"({"pins": {"A0": {"ramp": {"from": 0, "to": 1, "start_s": 5, "end_s": 4}}}})",
       "pins.A0.ramp.end_s: must not be before start_s"},
      {R"({"pins": {"A0": {"ramp": {"from": 0, "to": 1, "start_s": 0, "end_s": 4, "x": 1}}}})",
       "pins.A0.ramp: unknown field 'x'"},
      {R"({"pins": {"A0": {"constant": 0, "noise": {"amplitude": -1}}}})", "pins.A0.noise.amplitude: must be >= 0"},
      {R"({"pins": {"A0": {"constant": 0, "noise": {"amplitude": 1, "seed": -3}}}})",
       "pins.A0.noise.seed: must be a non-negative integer"},
      {R"({"pins": {"A0": {"constant": 0, "noise": {"amplitude": 1, "seed": 1.5}}}})",
       "pins.A0.noise.seed: must be a non-negative integer"},
      {R"({"pins": {"A0": {"constant": 0, "spikes": {}}}})", "pins.A0.spikes: must be an array"},
      {R"({"pins": {"A0": {"constant": 0, "spikes": [{"at_s": 1, "duration_s": 1}]}}})",
       "pins.A0.spikes[0].value: missing"},
      {R"({"pins": {"A0": {"constant": 0, "spikes": [{"at_s": 1, "duration_s": 0, "value": 1}]}}})",
       "pins.A0.spikes[0].duration_s: must be at least 0.001"},
      {R"({"dht11": {"D2": {"temperature": {"constant": 1}}}})", "dht11.D2.humidity: missing"},
      {R"({"dht11": {"D2": {"temperature": {"constant": 1}, "humidity": {"constant": 1}, "errors": [{"at_s": 1}]}}})",
       "dht11.D2.errors[0].duration_s: missing"},
      {R"({"dht11": {"D2": {"temperature": {"constant": 1}, "humidity": {"constant": 1},
           "errors": [{"at_s": 1, "duration_s": 1, "value": 3}]}}})",
       "dht11.D2.errors[0]: unknown field 'value'"},
      {R"({"pins": {"D2": {"constant": 1}}, "dht11": {"D2": {"temperature": {"constant": 1}, "humidity": {"constant": 1}}}})",
       "dht11.D2: pin D2 is given twice"},
  };
  for (const Case& c : cases) {
    auto p = parse(c.json);
    EXPECT_FALSE(p->ok) << c.json;
    EXPECT_NE(std::string(p->err).find(c.want), std::string::npos)
        << "json: " << c.json << "\n got: " << p->err << "\nwant: " << c.want;
  }
}

TEST(BoardScenario, LoadReportsMissingFile) {
  auto sc = std::make_unique<Scenario>();
  char err[256];
  EXPECT_FALSE(load_scenario("/nonexistent/board.json", sc.get(), err, sizeof err));
  EXPECT_NE(std::string(err).find("/nonexistent/board.json: cannot open the scenario file"), std::string::npos) << err;
}
