// The runtime core against the real Linux port: evaluation, the loop, the
// memory limit, error reporting through the log sink.
#include "core/runtime.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "modules/bindings/install.h"
#include "ports/linux/linux_port.h"

using namespace mcujs;

namespace {

// Captures log lines so tests can look at what was reported.
class CaptureLog final : public port::LogSink {
 public:
  void write(port::LogLevel level, const char* msg, size_t len) override {
    text += level == port::LogLevel::kError ? "E:" : "I:";
    text.append(msg, len);
    text += "\n";
  }
  std::string text;
};

struct Fixture {
  explicit Fixture(core::RuntimeOptions o = {}) : rt(platform(), o) {}
  port::Platform& platform() {
    plat = host.platform();
    plat.log = &log;
    return plat;
  }
  linux_port::LinuxPlatform host;
  port::Platform plat{};
  CaptureLog log;
  core::Runtime rt;
};

bool eval(core::Runtime& rt, const char* src, bool module = false) {
  return rt.eval_source("<test>", src, strlen(src), module);
}

}  // namespace

TEST(Runtime, EvaluatesAndRunsTimersToCompletion) {
  Fixture f;
  ASSERT_TRUE(f.rt.init());
  ASSERT_TRUE(bind::install_console(f.rt));
  ASSERT_TRUE(bind::install_timers(f.rt));
  ASSERT_TRUE(eval(f.rt, "let n = 0; const id = setInterval(() => { if (++n == 3) { clearInterval(id); console.log('done', n); } }, 1);"));
  EXPECT_EQ(f.rt.run(), 0);
  EXPECT_NE(f.log.text.find("I:done 3"), std::string::npos) << f.log.text;
}

TEST(Runtime, SyntaxErrorIsReportedWithLocation) {
  Fixture f;
  ASSERT_TRUE(f.rt.init());
  EXPECT_FALSE(eval(f.rt, "let x = ;"));
  EXPECT_NE(f.log.text.find("E:Uncaught SyntaxError"), std::string::npos) << f.log.text;
  EXPECT_NE(f.log.text.find("<test>:1"), std::string::npos) << f.log.text;
  EXPECT_TRUE(f.rt.had_uncaught());
}

TEST(Runtime, MemoryLimitIsEnforcedWithoutCrashing) {
  core::RuntimeOptions o;
  o.memory_limit = 2 * 1024 * 1024;
  Fixture f(o);
  ASSERT_TRUE(f.rt.init());
  // Inside a function, so that the array is garbage once the error unwinds.
  EXPECT_FALSE(eval(f.rt, "(() => { const a = []; for (let i = 0; i < 1e7; i++) a.push({i}); })()"));
  EXPECT_NE(f.log.text.find("out of memory"), std::string::npos) << f.log.text;
  // The runtime is still usable afterwards.
  EXPECT_TRUE(eval(f.rt, "1 + 1"));
  EXPECT_LE(f.rt.heap().peak, o.memory_limit);
  EXPECT_GT(f.rt.heap().refused, 0u);
}

TEST(Runtime, ThrowNullIsNotMistakenForOutOfMemory) {
  Fixture f;
  ASSERT_TRUE(f.rt.init());
  EXPECT_FALSE(eval(f.rt, "throw null"));
  EXPECT_NE(f.log.text.find("Uncaught null"), std::string::npos) << f.log.text;
  EXPECT_EQ(f.log.text.find("out of memory"), std::string::npos) << f.log.text;
}

TEST(Runtime, TopLevelAwaitRejectionInModuleIsReported) {
  Fixture f;
  ASSERT_TRUE(f.rt.init());
  EXPECT_FALSE(eval(f.rt, "await Promise.resolve(); throw new TypeError('late');", true));
  f.rt.run();
  EXPECT_NE(f.log.text.find("TypeError: late"), std::string::npos) << f.log.text;
  EXPECT_EQ(f.rt.run(), 1);
}

TEST(Runtime, ExitOnUncaughtStopsTheLoop) {
  Fixture f;
  ASSERT_TRUE(f.rt.init());
  ASSERT_TRUE(bind::install_console(f.rt));
  ASSERT_TRUE(bind::install_timers(f.rt));
  ASSERT_TRUE(eval(f.rt, "setTimeout(() => { throw new Error('x'); }, 1); setTimeout(() => console.log('after'), 20);"));
  EXPECT_EQ(f.rt.run(), 1);
  EXPECT_EQ(f.log.text.find("after"), std::string::npos) << f.log.text;
}
