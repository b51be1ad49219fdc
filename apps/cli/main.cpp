// mcujs: runs a JavaScript file on the Linux port.
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "apps/cli/bundle_cmd.h"
#include "apps/cli/options.h"
#include "apps/cli/qemu_cmd.h"
#include "bundle/format.h"
#include "core/runtime.h"
#include "mbedtls/build_info.h"
#include "modules/bindings/install.h"
#include "modules/bindings/net_common.h"
#include "modules/bindings/scenario_end.h"
#include "ports/linux/board_sim.h"
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

// The outbox's state directory: created (0700) if missing.
constexpr char kDefaultStateDir[] = "mcujs-state";
bool ensure_state_dir(const char* dir) {
  struct stat st{};
  if (stat(dir, &st) == 0) {
    if (S_ISDIR(st.st_mode)) return true;
    fprintf(stderr, "mcujs: --state-dir %s: not a directory\n", dir);
    return false;
  }
  if (mkdir(dir, 0700) == 0) return true;
  fprintf(stderr, "mcujs: cannot create the state directory %s: %s\n", dir, strerror(errno));
  return false;
}

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
  // The simulated board (docs/board.md): pins, DHT sensors, maybe the clock.
  linux_port::BoardSim board;
  char board_err[512];
  if (!board.init(o.scenario_file, o.trace_file, board_err, sizeof board_err)) {
    fprintf(stderr, "mcujs: %s\n", board_err);
    return 2;
  }
  board.attach(&platform, o.runtime.log_level);

  // The outbox's store (docs/outbox.md); used only with a cloud configuration
  // or --state-dir. Declared before the runtime, which uses it until the end.
  const char* state_dir = o.state_dir ? o.state_dir : kDefaultStateDir;
  linux_port::DirKvStore state_kv(state_dir);
  platform.kv = &state_kv;  // localStorage too (docs/storage.md); the directory is made on its first write
  core::Runtime rt(platform, o.runtime);
  if (!rt.init()) {
    fprintf(stderr, "mcujs: out of memory creating the runtime\n");
    return 70;
  }
  // Every feature: the host has the room (the firmware installs what its bundle's manifest asks for).
  const bind::Features features{.mask = bundle::kFeatureAll, .raw_context = false, .net = &o.net};
  if (!bind::install_all(rt, features) || !set_script_args(rt.ctx(), o.script_argc, o.script_argv)) {
    rt.report_exception("startup failed:");
    return 70;
  }
  bool has_cloud = false;
  if (!bind::install_config(rt, o.config_file, &has_cloud)) {
    rt.report_exception("configuration:");
    return 78;
  }
  bool use_state = has_cloud || o.state_dir;
  if (use_state && !ensure_state_dir(state_dir)) return 78;
  if (!bind::install_outbox(rt, use_state ? &state_kv : nullptr, state_dir)) {
    rt.report_exception("configuration:");
    return 78;
  }
  bind::ScenarioEnd scenario_end(rt, board.end_ms(), rt.loop().now() - board.elapsed_ms());
  if (!rt.eval_file(o.script)) {
    if (!rt.options().exit_on_uncaught) rt.run();
    return 1;
  }
  return bind::drain_outbox(rt, rt.run());  // queued events: see docs/outbox.md
}

}  // namespace

int main(int argc, char** argv) {
  // The board commands have their own options (apps/cli/bundle_cmd.h, qemu_cmd.h).
  if (argc >= 2 && !strcmp(argv[1], "bundle")) return cli::bundle_main(argc - 1, argv + 1);
  if (argc >= 2 && !strcmp(argv[1], "qemu")) return cli::qemu_main(argc - 1, argv + 1, argv[0]);
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
