// The firmware's main on the mps2-an385 board: builds the port::Platform,
// creates a runtime sized for 128 KB of RAM with every binding the article's
// API needs, reads the configuration linked into flash, runs the app's
// modules from bytecode in flash, delivers what the outbox still holds, then
// prints the memory report and ends the run with the program's exit status
// (QEMU exits with it).
#include <cstdio>

#include "apps/firmware/app_modules.h"
#include "core/module_loader.h"
#include "core/runtime.h"
#include "modules/bindings/install.h"
#include "modules/bindings/net_common.h"
#include "ports/mps2-an385/flash_files.h"
#include "ports/mps2-an385/flash_storage.h"
#include "ports/mps2-an385/mps2_port.h"
#include "ports/mps2-an385/net.h"
#include "ports/mps2-an385/sim_board.h"
#include "quickjs.h"

namespace {

using namespace mcujs;

// Whether the image offers fetch and tls.connect, and the typed arrays their
// byte APIs need: about 15 KB of JS heap at boot (typed arrays 6.9 KB, fetch
// 7.8 KB, tls 0.7 KB), so only images whose app uses them have them
// (mcujs_firmware_image(... NET_API), apps/firmware/CMakeLists.txt). The
// photon API, the board and the outbox (which uses TLS from C++) are always
// there.
constexpr bool kNetApi = MCUJS_FW_NET_API;

// The log level: info; test images may ask for trace (the sensor hub's
// "queued <event> #<id>" lines tell tests/firmware which events the outbox
// acknowledged).
#ifndef MCUJS_FW_LOG_LEVEL
#define MCUJS_FW_LOG_LEVEL 1
#endif
constexpr auto kLogLevel = static_cast<port::LogLevel>(MCUJS_FW_LOG_LEVEL);

// Only the built-ins the API and the app use. No Eval: the parser is then
// not linked (bytecode only). No Date, RegExp, Proxy, WeakRef, Map/Set,
// String.prototype.normalize: each costs flash and heap at startup.
JSContext* new_device_context(JSRuntime* rt) {
  JSContext* ctx = JS_NewContextRaw(rt);
  if (!ctx) return nullptr;
  JS_AddIntrinsicBaseObjects(ctx);
  JS_AddIntrinsicJSON(ctx);
  JS_AddIntrinsicPromise(ctx);
  if constexpr (kNetApi) JS_AddIntrinsicTypedArrays(ctx);  // bytes in and out of tls/fetch
  return ctx;
}

bool install_bindings(core::Runtime& rt) {
  const bind::NetConfig net_config{};
  if (!bind::install_console(rt) || !bind::install_timers(rt) || !bind::install_net(rt, net_config) ||
      !bind::install_photon(rt) || !bind::install_board(rt) ||
      !bind::install_local_storage(rt))
    return false;
  if constexpr (kNetApi) return bind::install_tls(rt) && bind::install_fetch(rt);
  return true;
}

// Loads every module (dependencies first, as js2bytecode ordered them) and
// evaluates the last one. JS_READ_OBJ_ROM_DATA: the bytecode stays in flash
// instead of being copied to the heap.
bool run_app_modules(core::Runtime& rt) {
  JSContext* ctx = rt.ctx();
  for (uint32_t i = 0; i < mcujs_app_module_count; i++) {
    const McujsBytecodeModule& m = mcujs_app_modules[i];
    bool is_main = i + 1 == mcujs_app_module_count;
    JSValue fn = JS_ReadObject(ctx, m.data, m.len, JS_READ_OBJ_BYTECODE | JS_READ_OBJ_ROM_DATA);
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
  return false;
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
  mps2::SysTickClock clock;
  mps2::UartLog log;
  mps2::SemihostEntropy entropy;
  mps2::LwipNet net(clock, &entropy);
  mps2::FlashFiles files;
  // The simulated sensors: the scenario compiled into the image (or none).
  mps2::SimBoard board(mcujs_firmware_scenario(), clock);
  // The key-value store in the flash's storage partition (the outbox, the
  // app's localStorage): mounting finishes what a power cut interrupted.
  static const char kStateDir[] = "flash storage partition";
  mps2::StorageFlash storage_flash;
  storage::FlashKvStore kv(storage_flash);
  if (int32_t rc = kv.mount(); rc != port::kOk) {
    printf("mcujs: cannot mount the flash store: %s\n", port::error_name(rc));
    return 74;
  }
  storage::FlashKvStore::Stats kv_stats = kv.stats();
  printf("storage: %lu of %lu sectors free, %lu repaired at mount\n", static_cast<unsigned long>(kv_stats.free_sectors),
         static_cast<unsigned long>(kv_stats.sectors), static_cast<unsigned long>(kv_stats.repaired));
  mps2::BoardMemory memory;
  port::Platform platform{&clock, &entropy, &log, &net, &net, &files, nullptr, &kv, nullptr, &memory};
  // DHCP before the app: its first delivery needs an address. Without a
  // lease the app still runs; connections then fail and the outbox keeps
  // the events for later.
  static const char kNoLease[] = "net: no DHCP lease within 10 s";
  if (!net.up(10000)) log.write(port::LogLevel::kWarn, kNoLease, sizeof kNoLease - 1);

  // Designated initializers: new_context's default (JS_NewContext, which
  // pulls the whole parser into flash) is then never referenced.
  const core::RuntimeOptions options{
      // Of the ~107 KB heap region (128 KB less static RAM, lwIP's pools
      // included, and the 10 KB stack): the runtime with the bindings takes
      // ~42 KB at boot and the app peaks at ~60 KB; a handshake needs ~15 KB
      // more, the TLS context and outbox ~10 KB (docs/firmware.md, Budget).
      .memory_limit = 62u * 1024,
      // Small: garbage is collected after at most 4 KB of allocations, which
      // bounds the JS heap's peak close to what is live (a GC of this heap
      // takes well under a millisecond).
      .gc_threshold = 4u * 1024,
      .stack_size = 6u * 1024,  // of the 10 KB main stack (ports/mps2-an385/mps2-an385.ld)
      .exit_on_uncaught = true,
      .log_level = kLogLevel,
      .new_context = new_device_context,
  };

  board.attach(&platform, options.log_level);
  int status = 1;
  {
    core::Runtime rt(platform, options);
    if (!rt.init()) {
      printf("mcujs: out of memory creating the runtime\n");
      return 70;
    }
    JS_SetCanBlock(rt.rt(), 0);  // Atomics.wait throws: nothing could wake it (single_core.c)
    if (!install_bindings(rt)) {
      rt.report_exception("startup failed:");
      return 70;
    }
    // The configuration in flash (tools/files2c.py); an image without one
    // gets an empty photon.config and no outbox.
    bool has_cloud = false;
    const char* config = files.contains("config.json") ? "config.json" : nullptr;
    if (!bind::install_config(rt, config, &has_cloud) ||
        !bind::install_outbox(rt, has_cloud ? &kv : nullptr, has_cloud ? kStateDir : nullptr)) {
      rt.report_exception("configuration:");
      return 78;
    }
    size_t js_boot = rt.heap().used;  // runtime, context and bindings, before the app
    status = run_app_modules(rt) ? bind::drain_outbox(rt, rt.run()) : 1;
    print_handshakes(rt);
    print_memory(memory, rt.heap(), js_boot);
  }
  return status;
}

}  // namespace

int main() {
  mcujs::mps2::board_init();
  int status = run();
  printf("EXIT %d\n", status);
  return status;
}
