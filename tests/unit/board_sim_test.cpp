// The board simulator (pins, DHT sensors, trace) and the simulated clock in
// the event loop; the board binding on a platform without a DHT sensor.
#include "ports/linux/board_sim.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "core/event_loop.h"
#include "core/runtime.h"
#include "modules/bindings/install.h"
#include "ports/linux/linux_port.h"
#include "tests/unit/test_logs.h"

using namespace mcujs;

namespace {

using test::CaptureLog;

// A temporary directory with a scenario file and room for a trace.
struct TempDir {
  TempDir() {
    char tmpl[] = "/tmp/mcujs-board-XXXXXX";
    const char* d = mkdtemp(tmpl);
    EXPECT_NE(d, nullptr);
    path = d ? d : "/tmp";
  }
  ~TempDir() {
    unlink((path + "/s.json").c_str());
    unlink((path + "/trace.jsonl").c_str());
    rmdir(path.c_str());
  }
  std::string write(const char* json) {
    std::string f = path + "/s.json";
    std::ofstream(f) << json;
    return f;
  }
  std::string read_trace() {
    std::ifstream in(path + "/trace.jsonl");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  std::string path;
};

struct Board {
  explicit Board(const char* json, bool trace = false) {
    std::string f = dir.write(json);
    std::string t = dir.path + "/trace.jsonl";
    char err[256] = {};
    ok = sim.init(f.c_str(), trace ? t.c_str() : nullptr, err, sizeof err);
    EXPECT_TRUE(ok) << err;
    plat = host.platform();
    plat.log = &log;
    sim.attach(&plat, port::LogLevel::kInfo);
  }
  TempDir dir;
  linux_port::LinuxPlatform host;
  port::Platform plat{};
  CaptureLog log;
  linux_port::BoardSim sim;
  bool ok = false;
};

uint16_t rd(linux_port::BoardSim& b, uint16_t pin) {
  uint16_t v = 0xffff;
  EXPECT_EQ(b.read(pin, &v), port::kOk) << pin;
  return v;
}

class Source final : public core::IoSource {
 public:
  void poll() override { polls++; }
  uint64_t deadline() const override { return due; }
  bool busy() const override { return is_busy; }
  uint64_t due = core::kNever;
  bool is_busy = false;
  int polls = 0;
};

uint64_t host_ms() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000u + static_cast<uint64_t>(ts.tv_nsec) / 1000000u;
}

}  // namespace

TEST(BoardSim, InputsFollowTheScenarioOnTheSimulatedClock) {
  Board b(R"({"clock": "simulated", "pins": {
      "D0": {"steps": [[0, 0], [1, 1], [2, 0.4]]},
      "A0": {"ramp": {"from": 0, "to": 5000, "start_s": 0, "end_s": 10}},
      "A1": {"constant": -20}}})");
  ASSERT_TRUE(b.ok);
  EXPECT_TRUE(b.sim.simulated_clock());
  EXPECT_NE(b.plat.clock, b.host.platform().clock) << "the simulated clock is in use";
  EXPECT_EQ(b.plat.gpio, &b.sim);
  EXPECT_EQ(b.plat.climate, &b.sim);
  EXPECT_EQ(rd(b.sim, 0), 0);
  EXPECT_EQ(rd(b.sim, 10), 0);
  EXPECT_EQ(rd(b.sim, 11), 0) << "clamped to 0";
  ASSERT_TRUE(b.plat.clock->skip(1000));
  EXPECT_EQ(b.sim.elapsed_ms(), 1000u);
  EXPECT_EQ(rd(b.sim, 0), 1);
  EXPECT_EQ(rd(b.sim, 10), 500);
  b.plat.clock->skip(1000);
  EXPECT_EQ(rd(b.sim, 0), 0) << "0.4 reads LOW";
  b.plat.clock->skip(8000);
  EXPECT_EQ(rd(b.sim, 10), 4095) << "clamped to 12 bits";
}

TEST(BoardSim, UnscriptedInputsReadZeroUnlessPulledUp) {
  Board b("{}");
  ASSERT_TRUE(b.ok);
  EXPECT_FALSE(b.sim.simulated_clock());
  EXPECT_EQ(b.plat.clock, b.host.platform().clock);
  EXPECT_EQ(rd(b.sim, 3), 0);
  EXPECT_EQ(rd(b.sim, 12), 0);
  EXPECT_EQ(b.sim.set_mode(3, port::PinMode::kInputPullup), port::kOk);
  EXPECT_EQ(rd(b.sim, 3), 1);
  EXPECT_EQ(b.sim.set_mode(3, port::PinMode::kInputPulldown), port::kOk);
  EXPECT_EQ(rd(b.sim, 3), 0);
  uint16_t v;
  EXPECT_EQ(b.sim.read(8, &v), port::kInvalid);
  EXPECT_EQ(b.sim.set_mode(18, port::PinMode::kOutput), port::kInvalid);
  EXPECT_EQ(b.sim.end_ms(), UINT64_MAX);
}

TEST(BoardSim, OutputsAreLoggedAndTracedOnChangeOnly) {
  Board b(R"({"clock": "simulated"})", true);
  ASSERT_TRUE(b.ok);
  EXPECT_EQ(b.sim.write(7, 1), port::kInvalid) << "still an input";
  ASSERT_EQ(b.sim.set_mode(7, port::PinMode::kOutput), port::kOk);
  ASSERT_EQ(b.sim.set_mode(16, port::PinMode::kOutput), port::kOk);
  EXPECT_EQ(b.sim.write(7, 0), port::kOk);  // already LOW: no change
  b.plat.clock->skip(12500);
  EXPECT_EQ(b.sim.write(7, 1), port::kOk);
  EXPECT_EQ(rd(b.sim, 7), 1) << "an output reads back";
  EXPECT_EQ(b.sim.write(7, 1), port::kOk);
  EXPECT_EQ(b.sim.write(7, 2), port::kInvalid);
  b.plat.clock->skip(1);
  EXPECT_EQ(b.sim.write(16, 2048), port::kOk);
  EXPECT_EQ(b.sim.write(16, 4096), port::kInvalid);
  b.plat.clock->skip(499);
  EXPECT_EQ(b.sim.write(7, 0), port::kOk);
  EXPECT_EQ(b.log.text,
            "pin D7 -> HIGH (t=12.500 s)\n"
            "pin DAC -> 2048 (t=12.501 s)\n"
            "pin D7 -> LOW (t=13.000 s)\n");
  EXPECT_EQ(b.dir.read_trace(),
            "{\"t_ms\": 12500, \"pin\": \"D7\", \"value\": 1}\n"
            "{\"t_ms\": 12501, \"pin\": \"DAC\", \"value\": 2048}\n"
            "{\"t_ms\": 13000, \"pin\": \"D7\", \"value\": 0}\n");
}

TEST(BoardSim, DhtValuesAndErrorWindows) {
  Board b(R"({"clock": "simulated", "duration_s": 60, "dht11": {"D2": {
      "temperature": {"ramp": {"from": 20, "to": 30, "start_s": 0, "end_s": 10}},
      "humidity": {"steps": [[0, 40.6], [5, 120]]},
      "errors": [{"at_s": 3, "duration_s": 1}]}}})");
  ASSERT_TRUE(b.ok);
  EXPECT_EQ(b.sim.end_ms(), b.plat.clock->monotonic_ms() + 60000);
  int16_t t = 0, h = 0;
  ASSERT_EQ(b.sim.read(2, &t, &h), port::kOk);
  EXPECT_EQ(t, 20);
  EXPECT_EQ(h, 41) << "rounded, as a DHT11 reports whole numbers";
  b.plat.clock->skip(3000);
  EXPECT_EQ(b.sim.read(2, &t, &h), port::kIo);
  b.plat.clock->skip(999);
  EXPECT_EQ(b.sim.read(2, &t, &h), port::kIo);
  b.plat.clock->skip(1);
  ASSERT_EQ(b.sim.read(2, &t, &h), port::kOk);
  EXPECT_EQ(t, 24);
  b.plat.clock->skip(2000);
  ASSERT_EQ(b.sim.read(2, &t, &h), port::kOk);
  EXPECT_EQ(t, 26);
  EXPECT_EQ(h, 100) << "humidity is clamped to 100 %";
  EXPECT_EQ(b.sim.read(3, &t, &h), port::kTimeout) << "no sensor on D3";
  EXPECT_EQ(b.sim.read(9, &t, &h), port::kInvalid);
}

TEST(BoardSim, BadFilesAreRefused) {
  linux_port::BoardSim sim;
  char err[256];
  EXPECT_FALSE(sim.init("/nonexistent/s.json", nullptr, err, sizeof err));
  EXPECT_NE(std::string(err).find("/nonexistent/s.json"), std::string::npos) << err;
  linux_port::BoardSim sim2;
  EXPECT_FALSE(sim2.init(nullptr, "/nonexistent/dir/trace.jsonl", err, sizeof err));
  EXPECT_NE(std::string(err).find("/nonexistent/dir/trace.jsonl: cannot create the trace file"), std::string::npos)
      << err;
}

TEST(SimClock, IdleLoopJumpsToTheDeadlineWithoutWaiting) {
  Board b(R"({"clock": "simulated"})");
  ASSERT_TRUE(b.ok);
  core::EventLoop loop(b.plat);
  Source s;
  loop.add(&s);
  uint64_t t0 = loop.now(), real0 = host_ms();
  for (int i = 1; i <= 1000; i++) {
    s.due = loop.now() + 60000;
    loop.service(60000);
    ASSERT_EQ(loop.now(), t0 + static_cast<uint64_t>(i) * 60000);
  }
  EXPECT_EQ(s.polls, 1000);
  EXPECT_LT(host_ms() - real0, 5000u) << "1000 minutes of simulated time in well under 5 s";
  int64_t wall0 = 0, wall1 = 0;
  ASSERT_TRUE(b.host.platform().clock->wall_time(&wall0));
  ASSERT_TRUE(b.plat.clock->wall_time(&wall1));
  EXPECT_GE(wall1 - wall0, 60000 - 5) << "wall time = start + simulated time";
  EXPECT_LE(wall1 - wall0, 60000 + 5);
  loop.remove(&s);
}

TEST(SimClock, BusyLoopFollowsRealTime) {
  Board b(R"({"clock": "simulated"})");
  ASSERT_TRUE(b.ok);
  core::EventLoop loop(b.plat);
  Source s;
  s.is_busy = true;
  loop.add(&s);
  uint64_t t0 = loop.now(), real0 = host_ms();
  s.due = t0 + 100;
  while (loop.now() < s.due && host_ms() - real0 < 10000) loop.service(1000);
  uint64_t real = host_ms() - real0, sim = loop.now() - t0;
  EXPECT_GE(sim, 100u);
  EXPECT_GE(real, 95u) << "waited for real while I/O was in flight";
  EXPECT_LE(sim, real + 2);
  loop.remove(&s);
}

TEST(SimClock, RealClockNeverSkips) {
  linux_port::LinuxClock c;
  EXPECT_FALSE(c.skip(1000));
}

TEST(BoardBinding, BoardWithoutDhtSupportSaysSo) {
  linux_port::LinuxPlatform host;
  port::Platform plat = host.platform();
  CaptureLog log;
  plat.log = &log;
  ASSERT_EQ(plat.climate, nullptr);
  core::Runtime rt(plat, core::RuntimeOptions{});
  ASSERT_TRUE(rt.init());
  ASSERT_TRUE(bind::install_console(rt));
  ASSERT_TRUE(bind::install_photon(rt));
  ASSERT_TRUE(bind::install_board(rt));
  const char* src =
      "let msg = 'no error';\n"
      "try { dht11.read(photon.D2); } catch (e) { msg = e.message; }\n"
      "photon.pin.mode(photon.D7, photon.pin.mode.OUTPUT);\n"
      "photon.pin(photon.D7, photon.HIGH);\n"
      "console.log(msg, photon.pin(photon.D7));\n";
  ASSERT_TRUE(rt.eval_source("<test>", src, strlen(src), false)) << log.text;
  EXPECT_EQ(rt.run(), 0);
  EXPECT_NE(log.text.find("dht11.read: this board has no DHT sensor support true"), std::string::npos) << log.text;
}
