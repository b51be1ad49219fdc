// mcujs: runs a JavaScript file on the Linux port.
#include <cstdio>
#include <cstring>
#include <ctime>

#include "apps/cli/options.h"
#include "core/runtime.h"
#include "mbedtls/build_info.h"
#include "modules/bindings/install.h"
#include "modules/bindings/net_common.h"
#include "ports/linux/linux_port.h"
#include "quickjs.h"

#ifndef MCUJS_VERSION
#define MCUJS_VERSION "0.0.0"
#endif

namespace {

using namespace mcujs;

// The origin article's mistake, kept as an explicit choice for demonstration:
// a PRNG seeded from the clock. It declares itself weak, so TLS refuses it
// unless --insecure-entropy is given.
class PrngEntropy final : public port::Entropy {
 public:
  bool strong() const override { return false; }
  const char* name() const override { return "prng (xorshift seeded from the clock)"; }
  int32_t fill(uint8_t* buf, size_t len) override {
    if (!state_) state_ = static_cast<uint64_t>(time(nullptr)) | 1;
    for (size_t i = 0; i < len; i++) {
      state_ ^= state_ << 13;
      state_ ^= state_ >> 7;
      state_ ^= state_ << 17;
      buf[i] = static_cast<uint8_t>(state_);
    }
    return port::kOk;
  }

 private:
  uint64_t state_ = 0;
};

// scriptArgs = [script, args...], as in QuickJS's qjs.
bool set_script_args(JSContext* ctx, int argc, char** argv) {
  JSValue arr = JS_NewArray(ctx);
  if (JS_IsException(arr)) return false;
  for (int i = 0; i < argc; i++) JS_SetPropertyUint32(ctx, arr, static_cast<uint32_t>(i), JS_NewString(ctx, argv[i]));
  JSValue global = JS_GetGlobalObject(ctx);
  int r = JS_SetPropertyStr(ctx, global, "scriptArgs", arr);
  JS_FreeValue(ctx, global);
  return r >= 0;
}

int run(const cli::CliOptions& o) {
  linux_port::LinuxPlatform host;
  port::Platform platform = host.platform();
  PrngEntropy prng;
  if (o.entropy == cli::EntropyChoice::kPrng) platform.entropy = &prng;

  core::Runtime rt(platform, o.runtime);
  if (!rt.init()) {
    fprintf(stderr, "mcujs: out of memory creating the runtime\n");
    return 70;
  }
  if (!bind::install_console(rt) || !bind::install_timers(rt) || !bind::install_net(rt, o.net) ||
      !bind::install_photon(rt) || !bind::install_tls(rt) || !bind::install_fetch(rt) ||
      !set_script_args(rt.ctx(), o.script_argc, o.script_argv)) {
    rt.report_exception("startup failed:");
    return 70;
  }
  if (!rt.eval_file(o.script)) {
    if (!rt.options().exit_on_uncaught) rt.run();
    return 1;
  }
  return rt.run();
}

}  // namespace

int main(int argc, char** argv) {
  cli::CliOptions o;
  char err[256] = {};
  if (!cli::parse_options(argc, argv, &o, err, sizeof err)) {
    fprintf(stderr, "mcujs: %s\n", err);
    return 2;
  }
  switch (o.command) {
    case cli::Command::kHelp:
      fputs(cli::kUsage, stdout);
      return 0;
    case cli::Command::kVersion:
      printf("mcujs %s (QuickJS %s, Mbed TLS %s)\n", MCUJS_VERSION, MCUJS_QUICKJS_VERSION,
             MBEDTLS_VERSION_STRING);
      return 0;
    case cli::Command::kRun:
      return run(o);
  }
  return 2;
}
