// The firmware's main on the mps2-an385 board: builds the port::Platform,
// creates a runtime sized for 128 KB of RAM, runs the app's modules from
// bytecode in flash, then prints the memory report and ends the run with the
// program's exit status (QEMU exits with it).
#include <cstdio>

#include "apps/firmware/app_modules.h"
#include "core/module_loader.h"
#include "core/runtime.h"
#include "modules/bindings/install.h"
#include "ports/mps2-an385/mps2_port.h"
#include "quickjs.h"

namespace {

using namespace mcujs;

// Only the built-ins the API and the app use. No Eval: the parser is then
// not linked (bytecode only). No Date, RegExp, Proxy, WeakRef, Map/Set,
// String.prototype.normalize: each costs flash and heap at startup.
JSContext* new_device_context(JSRuntime* rt) {
  JSContext* ctx = JS_NewContextRaw(rt);
  if (!ctx) return nullptr;
  JS_AddIntrinsicBaseObjects(ctx);
  JS_AddIntrinsicJSON(ctx);
  JS_AddIntrinsicPromise(ctx);
  JS_AddIntrinsicTypedArrays(ctx);  // bytes in and out of photon/tls
  return ctx;
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

void print_memory(const core::HeapStats& js, size_t js_boot) {
  mps2::MemoryReport r = mps2::memory_report();
  uint32_t in_use = r.static_ram + r.heap_peak + r.stack_peak;
  // One machine-readable line (tools/fw_budget.py, tests/firmware) and a table.
  printf("MEMORY ram=%lu static=%lu heap_size=%lu heap_peak=%lu heap_free_min=%lu "
         "stack_size=%lu stack_peak=%lu js_heap_boot=%lu js_heap_peak=%lu js_heap_limit=%lu "
         "in_use=%lu\n",
         ul(r.ram_total), ul(r.static_ram), ul(r.heap_size), ul(r.heap_peak), ul(r.heap_free_min),
         ul(r.stack_size), ul(r.stack_peak), ul(js_boot), ul(js.peak), ul(js.limit), ul(in_use));
  printf("RAM budget (bytes of %lu)\n", ul(r.ram_total));
  printf("  static (.data+.bss) %7lu\n", ul(r.static_ram));
  printf("  heap peak           %7lu  (JS heap: %lu at boot, peak %lu)\n", ul(r.heap_peak), ul(js_boot),
         ul(js.peak));
  printf("  stack peak          %7lu  (of %lu)\n", ul(r.stack_peak), ul(r.stack_size));
  printf("  in use              %7lu\n", ul(in_use));
  printf("  smallest free heap  %7lu\n", ul(r.heap_free_min));
}

int run() {
  mps2::SysTickClock clock;
  mps2::UartLog log;
  mps2::SemihostEntropy entropy;
  mps2::NoTcp tcp(clock);
  mps2::NoFiles files;
  mps2::SimGpio gpio;
  mps2::SemihostKvStore kv("kv/");
  port::Platform platform{&clock, &entropy, &log, &tcp, &tcp, &files, &gpio, &kv, nullptr};

  // Designated initializers: new_context's default (JS_NewContext, which
  // pulls the whole parser into flash) is then never referenced.
  const core::RuntimeOptions options{
      .memory_limit = 64u * 1024,  // of the ~110 KB heap; TLS needs the rest
      .gc_threshold = 16u * 1024,
      .stack_size = 10u * 1024,  // of the 16 KB main stack
      .exit_on_uncaught = true,
      .log_level = port::LogLevel::kInfo,
      .new_context = new_device_context,
  };

  int status = 1;
  {
    core::Runtime rt(platform, options);
    if (!rt.init()) {
      printf("mcujs: out of memory creating the runtime\n");
      return 70;
    }
    JS_SetCanBlock(rt.rt(), 0);  // Atomics.wait throws: nothing could wake it (single_core.c)
    if (!bind::install_console(rt) || !bind::install_timers(rt)) {
      rt.report_exception("startup failed:");
      return 70;
    }
    size_t js_boot = rt.heap().used;  // runtime, context and bindings, before the app
    status = run_app_modules(rt) ? rt.run() : 1;
    print_memory(rt.heap(), js_boot);
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
