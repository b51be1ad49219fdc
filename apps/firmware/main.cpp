// The runtime image's main on the mps2-an385 board: no app inside. At boot
// it finds the app bundle in its flash partition (ports/mps2-an385/
// flash_layout.h), checks it whole (bundle/reader.h: magic, format, length,
// SHA-256, board, QuickJS version, manifest) and only then builds the
// runtime with the features its manifest asks for, runs its modules from
// bytecode in flash, delivers what the outbox still holds, prints the memory
// report and ends the run with the app's exit status (board_exit). A
// missing, corrupt or foreign bundle: one line on the UART, status 65,
// nothing of it run.
#include <cstdio>

#include "bundle/boot_settings.h"
#include "bundle/files.h"
#include "bundle/reader.h"
#include "core/module_loader.h"
#include "core/runtime.h"
#include "modules/bindings/install.h"
#include "modules/bindings/net_common.h"
#include "modules/bindings/scenario_end.h"
#include <board.h>  // the board this image is for: its name and flash layout (MCUJS_PORT)
#include "ports/mps2-an385/platform.h"
#include "ports/mps2-an385/emulation/sim_board.h"
#include "quickjs.h"

namespace {

using namespace mcujs;

constexpr int kNoApp = 65;  // no runnable bundle (docs/firmware.md)
// How long the boot of an app that may use TLS waits for the first SNTP
// answer (docs/time.md); without it TLS fails with CLOCK_NOT_SET until a
// later answer sets the clock.
constexpr uint32_t kTimeWaitMs = 3000;

// The device's boot settings (the NTP server, the log level) from the
// bundle's boot.cfg, which `mcujs bundle` compiled from the "device"
// section of its configuration (bundle/boot_settings.h); the defaults
// (the DHCP gateway port 123, info) without one. At trace level the sensor
// hub's "queued <event> #<id>" lines tell tests/firmware which events the
// outbox acknowledged. A boot.cfg this image cannot read refuses the bundle.
bool boot_settings(const bundle::Reader& app, bundle::BootSettings* s) {
  bundle::Entry e{};
  char err[120];
  *s = bundle::BootSettings{};
  if (!app.find(bundle::Kind::kFile, bundle::kBootSettingsFile, &e)) return true;
  if (bundle::parse_boot_settings(reinterpret_cast<const char*>(e.data), e.size, s, err, sizeof err)) return true;
  printf("bundle: refused: %s: %s\n", bundle::kBootSettingsFile, err);
  return false;
}
using mps2::kBoardName;
// What this image offers; a bundle asking for more is refused.
constexpr uint32_t kImageFeatures = bundle::kFeatureAll;

// The base built-ins only; install_all adds what the bundle's manifest asks
// for (Date, RegExp, Map/Set, typed arrays). No Eval: the parser is then not
// linked (bytecode only). No Proxy, WeakRef, String.prototype.normalize.
JSContext* new_device_context(JSRuntime* rt) {
  JSContext* ctx = JS_NewContextRaw(rt);
  if (!ctx) return nullptr;
  JS_AddIntrinsicBaseObjects(ctx);
  JS_AddIntrinsicJSON(ctx);
  JS_AddIntrinsicPromise(ctx);
  return ctx;
}

// Whether the app may open TLS connections (tls.connect, fetch, or an
// outbox from its configuration): only then does the boot wait for the time.
bool may_use_tls(const bundle::Reader& app, const bundle::BundleFiles& files) {
  return (app.features() & (bundle::kFeatureTls | bundle::kFeatureFetch)) != 0 || files.contains("config.json");
}

// Checks the bundle partition; on failure prints one line saying why.
bool open_bundle(bundle::Reader* b) {
  const auto* flash = reinterpret_cast<const uint8_t*>(static_cast<uintptr_t>(mps2::kBundleBase));
  const bundle::Expect expect{kBoardName, MCUJS_QUICKJS_VERSION, MCUJS_QUICKJS_BC_VERSION};
  bundle::Status st = b->open(flash, mps2::kBundleSize, expect);
  if (st == bundle::Status::kOtherBoard) {
    printf("bundle: refused: built for board '%s', this is %s\n", b->board(), kBoardName);
  } else if (st == bundle::Status::kOtherQuickJs) {
    printf("bundle: refused: built with QuickJS '%s' (bytecode %d), this image has %s (bytecode %d)\n",
           b->quickjs_version(), b->bytecode_version(), MCUJS_QUICKJS_VERSION, MCUJS_QUICKJS_BC_VERSION);
  } else if (st != bundle::Status::kOk) {
    printf("bundle: refused: %s at 0x%08lx\n", bundle::status_text(st), static_cast<unsigned long>(mps2::kBundleBase));
  } else if (b->features() & ~kImageFeatures) {
    printf("bundle: refused: it needs features this image lacks (0x%lx)\n",
           static_cast<unsigned long>(b->features() & ~kImageFeatures));
    return false;
  }
  return st == bundle::Status::kOk;
}

// Loads every module of the bundle, the main one last (imports find the
// others by name), then evaluates the main one. JS_READ_OBJ_ROM_DATA would
// keep the bytecode in flash, but QuickJS does so only when its atoms get
// the indices they had when written, never the case here: it is copied to
// the heap (measured: 16.7 KB of bytecode, 16.7 KB more JS heap).
bool run_app_modules(core::Runtime& rt, const bundle::Reader& b) {
  JSContext* ctx = rt.ctx();
  bundle::Entry main_entry{};
  for (uint32_t pass = 0; pass < 2; pass++) {
    for (uint32_t i = 0; i < b.entry_count(); i++) {
      bundle::Entry m = b.entry(i);
      bool is_main = m.kind == bundle::Kind::kMainModule;
      if ((m.kind != bundle::Kind::kModule && !is_main) || is_main != (pass == 1)) continue;
      JSValue fn = JS_ReadObject(ctx, m.data, m.size, JS_READ_OBJ_BYTECODE | JS_READ_OBJ_ROM_DATA);
      if (JS_IsException(fn)) {
        rt.report_exception("cannot load module:");
        return false;
      }
      if (JS_VALUE_GET_TAG(fn) != JS_TAG_MODULE) {
        JS_FreeValue(ctx, fn);
        rt.log(port::LogLevel::kError, "%s is not a module", m.name);
        return false;
      }
      core::set_import_meta(rt, fn, m.name, is_main);
      if (!is_main) continue;  // the runtime keeps the module; imports find it by name
      main_entry = m;
      if (JS_ResolveModule(ctx, fn) < 0) {
        JS_FreeValue(ctx, fn);
        rt.report_exception();
        return false;
      }
      JSValue v = JS_EvalFunction(ctx, fn);  // a promise: top-level await is allowed
      if (JS_IsException(v)) {
        rt.report_exception();
        return false;
      }
      rt.run_jobs();
      bool ok = JS_PromiseState(ctx, v) != JS_PROMISE_REJECTED;
      JS_FreeValue(ctx, v);
      return ok;
    }
  }
  return main_entry.data != nullptr;
}

unsigned long ul(size_t v) { return static_cast<unsigned long>(v); }

// The TLS handshakes of the run (tools/fw_budget.py): CPU time in ns of the
// SysTick's time base, i.e. instructions under QEMU -icount shift=0.
// newlib-nano's printf has no %llu.
const char* u64(char (&buf)[24], uint64_t v) {
  char* p = buf + sizeof buf - 1;
  *p = 0;
  do {
    *--p = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v && p > buf);
  return p;
}

void print_handshakes(core::Runtime& rt) {
  const tls::TlsContext* tls = bind::runtime_tls_if_ready(rt.ctx());
  tls::HandshakeStats h = tls ? tls->handshakes() : tls::HandshakeStats{};
  char a[24], b[24];
  printf("TLS handshakes full=%lu resumed=%lu full_ns=%s resumed_ns=%s\n", static_cast<unsigned long>(h.full),
         static_cast<unsigned long>(h.resumed), u64(a, h.full_ns), u64(b, h.resumed_ns));
}

// Main stack kept for C code below the JS recursion limit (RuntimeOptions::
// stack_size): a hub run peaks at 5.3 KB of the mps2-an385's 10 KB with 6 KB
// for JS, a URL parse at the limit at 9 KB.
constexpr uint32_t kCStackReserve = 4u * 1024;

// The JS recursion limit for a main stack of stack_size bytes: what is left
// above the reserve (half the stack if a board's were ever that small).
constexpr uint32_t js_stack_limit(uint32_t stack_size) {
  return stack_size >= 2 * kCStackReserve ? stack_size - kCStackReserve : stack_size / 2;
}
static_assert(js_stack_limit(10u * 1024) == 6u * 1024, "the mps2-an385's 10 KB stack: 6 KB for JS");

void print_memory(port::Memory& memory, const core::HeapStats& js, size_t js_boot) {
  port::MemoryStats r = memory.stats();
  uint32_t in_use = r.static_ram + r.heap_peak + r.stack_peak;
  // One machine-readable line (tools/fw_budget.py, tests/firmware) and a table.
  printf("MEMORY ram=%lu static=%lu heap_size=%lu heap_peak=%lu heap_used_peak=%lu heap_free_min=%lu "
         "stack_size=%lu stack_peak=%lu js_heap_boot=%lu js_heap_peak=%lu js_heap_limit=%lu "
         "in_use=%lu\n",
         ul(r.ram_total), ul(r.static_ram), ul(r.heap_size), ul(r.heap_peak), ul(r.heap_used_peak), ul(r.heap_free_min),
         ul(r.stack_size), ul(r.stack_peak), ul(js_boot), ul(js.peak), ul(js.limit), ul(in_use));
  printf("RAM budget (bytes of %lu)\n", ul(r.ram_total));
  printf("  static (.data+.bss) %7lu\n", ul(r.static_ram));
  printf("  heap peak           %7lu  (JS heap: %lu at boot, peak %lu)\n", ul(r.heap_peak), ul(js_boot),
         ul(js.peak));
  printf("    in live blocks    %7lu  (the rest: holes between blocks, fragmentation)\n", ul(r.heap_used_peak));
  printf("  stack peak          %7lu  (of %lu)\n", ul(r.stack_peak), ul(r.stack_size));
  printf("  in use              %7lu\n", ul(in_use));
  printf("  smallest free heap  %7lu\n", ul(r.heap_free_min));
}

int run() {
  bundle::Reader app;
  bundle::BootSettings args;
  if (!open_bundle(&app) || !boot_settings(app, &args)) return kNoApp;
  bundle::BundleFiles files(app);
  // The board's Platform (clock, UART log, entropy, lwIP, the RAM report)
  // and the key-value store in the flash's storage partition (the outbox,
  // the app's localStorage): mounting finishes what a power cut interrupted.
  mps2::Mps2Platform board(&files);
  if (board.mount_storage() != port::kOk) return 74;
  port::Platform& platform = board.platform();
  mps2::LwipNet& net = board.net();
  static const char kStateDir[] = "flash storage partition";
  // The simulated sensors: the scenario compiled into the image (or none).
  mps2::SimBoard sensors(mcujs_firmware_scenario(), board.clock());
  // DHCP before the app: its first delivery needs an address. Without a
  // lease the app still runs; connections then fail and the outbox keeps
  // the events for later.
  static const char kNoLease[] = "net: no DHCP lease within 10 s";
  if (!net.up(10000)) {
    board.log().write(port::LogLevel::kWarn, kNoLease, sizeof kNoLease - 1);
  } else if (!net.start_sntp(args.ntp_ip[0] ? args.ntp_ip : nullptr, args.ntp_port)) {
    printf("time: bad NTP server '%s:%u'\n", args.ntp_ip, static_cast<unsigned>(args.ntp_port));
  } else if (may_use_tls(app, files) && !net.wait_for_time(kTimeWaitMs)) {
    printf("time: not set by SNTP within %lu ms: TLS fails with CLOCK_NOT_SET until it is\n",
           static_cast<unsigned long>(kTimeWaitMs));
  }

  // Designated initializers: new_context's default (JS_NewContext, which
  // pulls the whole parser into flash) is then never referenced.
  const core::RuntimeOptions options{
      // The board's JS heap limit (board.h): 80 KB on the mps2-an385, where
      // the headroom probe measured it (docs/firmware.md "Budget").
      .memory_limit = mps2::kJsHeapLimit,
      // Small: garbage is collected after at most 4 KB of allocations, which
      // bounds the JS heap's peak close to what is live (a GC of this heap
      // takes well under a millisecond; 2 KB measured: the same peak).
      .gc_threshold = 4u * 1024,
      // The interpreter's recursion limit: the board's main stack less what
      // the C code under the deepest JS frame needs (a regexp compile, a
      // TLS write, the event loop below the runtime). A JS call takes ~400
      // bytes of it on a Cortex-M (JS_CallInternal's own frame is 320):
      // the mps2-an385's 10 KB stack gives 6 KB, 15 nested calls; the
      // mps2-an505's 24 KB (its memory.ld) gives 20 KB, 55 (docs/firmware.md).
      .stack_size = js_stack_limit(board.memory().stats().stack_size),
      .exit_on_uncaught = true,
      .log_level = args.log_level,
      .new_context = new_device_context,
  };

  sensors.attach(&platform, options.log_level);
  // The bundle's CA (mcujs bundle --ca) is trusted by tls.connect and fetch too.
  static const char* const kBundleCa[] = {"ca.pem"};
  bind::NetConfig net_config{};
  if (files.contains("ca.pem")) {
    net_config.ca_files = kBundleCa;
    net_config.ca_file_count = 1;
  }
  int status = 1;
  {
    core::Runtime rt(platform, options);
    if (!rt.init()) {
      printf("mcujs: out of memory creating the runtime\n");
      return 70;
    }
    JS_SetCanBlock(rt.rt(), 0);  // Atomics.wait throws: nothing could wake it (single_core.c)
    // The Web globals written in JavaScript come compiled in the bundle.
    const bind::Features features{
        .mask = app.features(), .raw_context = true, .net = &net_config, .js_texts = &app};
    if (!bind::install_all(rt, features)) {
      rt.report_exception("startup failed:");
      return 70;
    }
    // The bundle's configuration (mcujs bundle --config); without one the
    // app gets an empty photon.config and no outbox.
    bool has_cloud = false;
    const char* config = files.contains("config.json") ? "config.json" : nullptr;
    if (!bind::install_config(rt, config, &has_cloud) ||
        !bind::install_outbox(rt, has_cloud ? &board.kv() : nullptr, has_cloud ? kStateDir : nullptr)) {
      rt.report_exception("configuration:");
      return 78;
    }
    size_t js_boot = rt.heap().used;  // runtime, context and bindings, before the app
    // A scenario with duration_s ends the run there, as on Linux (an app
    // that runs forever, like the article's, then still reports and exits).
    bind::ScenarioEnd scenario_end(rt, sensors.end_ms(), rt.loop().now() - sensors.elapsed_ms());
    status = run_app_modules(rt, app) ? bind::drain_outbox(rt, rt.run()) : 1;
    print_handshakes(rt);
    print_memory(board.memory(), rt.heap(), js_boot);
  }
  return status;
}

}  // namespace

// The status ends the run (board_exit: QEMU exits with it, or the board
// halts when the test that runs it must save its flash first).
int main() { return mcujs::mps2::run_image(run); }
